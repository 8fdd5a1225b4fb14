import { generateKeyPairSync, type KeyObject } from "node:crypto";
import type { LogStore } from "../../src/changelog/store.js";
import { mergedRecord } from "../../src/core/changelog/records/merged.js";
import type { RecordDraft } from "../../src/core/changelog/types.js";
import { scenario } from "../core/changelog/records-fixtures.js";

/** Shared fixtures of the change-log storage tests. */

export const ORIGIN = "cc8.test/acme/audit-log";

export function signingKey(): KeyObject {
  return generateKeyPairSync("ed25519").privateKey;
}

/** A valid change.merged draft (built by the records builder): PR `n` of repository 42, merged at `recordedAt`. */
export function mergeDraft(n: number, recordedAt = "2026-03-01T12:00:00Z"): RecordDraft {
  const sha = n.toString(16).padStart(40, "0");
  const d = mergedRecord(scenario({ mergedAt: recordedAt, title: `Change ${n}` })) as Record<string, unknown>;
  return {
    ...d,
    record_id: `42:${n}:${sha}`,
    recorded_at: recordedAt,
    repository: { id: "42", full_name: "acme/agents" },
    pr: { ...(d.pr as object), number: n, html_url: `https://github.com/acme/agents/pull/${n}` },
    merge_commit_sha: sha,
  } as unknown as RecordDraft;
}

/** A small deterministic PRNG (mulberry32) for the writer's back-off jitter. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

/**
 * Virtual time for races: `sleep` waits on this clock, never on a real timer. `run` drives a set of tasks,
 * each one sequential chain of awaits (one writer): whenever every unfinished task waits on the clock, time
 * jumps to the earliest wake-up and every task due then resumes (in the order they went to sleep). Tasks
 * resumed at one instant interleave through the event loop as they would for real, so the same seed gives
 * the same race, and minutes of back-off take milliseconds.
 */
export class VirtualClock {
  private time = 0;
  private order = 0;
  private readonly timers: { at: number; order: number; wake: () => void }[] = [];

  readonly now = (): number => this.time;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((wake) => {
      this.timers.push({ at: this.time + Math.max(0, ms), order: this.order++, wake });
    });

  async run<T>(tasks: readonly (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    let settled = 0;
    const running = tasks.map((task) =>
      task().finally(() => {
        settled++;
      }),
    );
    const results = Promise.allSettled(running);
    let idle = 0;
    while (settled < tasks.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled + this.timers.length < tasks.length) {
        // Some task is still running (microtasks, the fake store's ticks).
        if (++idle > 100_000) throw new Error("VirtualClock: a task waits on something other than the clock");
        continue;
      }
      idle = 0;
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const at = this.timers[0]!.at;
      const later = this.timers.findIndex((t) => t.at > at);
      const due = this.timers.splice(0, later === -1 ? this.timers.length : later);
      this.time = at;
      for (const t of due) t.wake();
    }
    return results;
  }
}

/** A store whose every request first waits `latency(operation)` ms (e.g. on a VirtualClock), like a remote one. */
export function withLatency(
  store: LogStore,
  sleep: (ms: number) => Promise<void>,
  latency: (operation: "read" | "commit") => number,
): LogStore {
  const read = async <T>(call: () => Promise<T>): Promise<T> => {
    await sleep(latency("read"));
    return call();
  };
  return {
    id: store.id,
    snapshot: () => read(() => store.snapshot()),
    hasRecord: (recordId, at) => read(() => store.hasRecord(recordId, at)),
    indexedRecords: (recordIds, at) => read(() => store.indexedRecords(recordIds, at)),
    fileBytes: (path, at) => read(() => store.fileBytes(path, at)),
    commit: async (expectedVersion, writes, message) => {
      await sleep(latency("commit"));
      return store.commit(expectedVersion, writes, message);
    },
    listRecordFiles: () => store.listRecordFiles(),
    readLines: (path) => store.readLines(path),
    listCheckpoints: () => store.listCheckpoints(),
    readText: (path) => store.readText(path),
    listKeys: () => store.listKeys(),
  };
}

/**
 * Latency of one replica's requests to GitHub through Probot's throttle: every GraphQL request (reads too)
 * starts at least 1 s after that process's previous one, then takes a round trip (reads 150–450 ms, the
 * `createCommitOnBranch` mutation 400–900 ms). One function per replica: the throttle is per process.
 */
export function githubLatency(
  now: () => number,
  random: () => number,
): (operation: "read" | "commit") => number {
  let nextStart = 0;
  return (operation) => {
    const start = Math.max(now(), nextStart);
    nextStart = start + 1000;
    const roundTrip = operation === "commit" ? 400 + random() * 500 : 150 + random() * 300;
    return start - now() + Math.round(roundTrip);
  };
}
