import { describe, expect, test } from "@jest/globals";
import { FakeGitBackend } from "../../src/changelog/fake-git.js";
import { ConflictError, type StoreWrite } from "../../src/changelog/store.js";
import {
  AppendFailedError,
  type AppendResult,
  appendRecords,
  maybeHeartbeat,
  RETRY_BUDGET_MS,
} from "../../src/changelog/writer.js";
import { keyFingerprint } from "../../src/core/changelog/keys.js";
import type { LogRecord } from "../../src/core/changelog/types.js";
import { verifyLog } from "../../src/core/changelog/verify.js";
import {
  collect,
  githubLatency,
  mergeDraft,
  ORIGIN,
  seededRandom,
  signingKey,
  VirtualClock,
  withLatency,
} from "./helpers.js";

const key = signingKey();
const T0 = new Date("2026-03-01T12:00:00Z");
const at = (date: Date) => () => date;
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

async function allRecords(store: FakeGitBackend): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (const path of await store.listRecordFiles()) {
    for (const line of await collect(store.readLines(path))) out.push(JSON.parse(line) as LogRecord);
  }
  return out;
}

/** A branch that has always moved on by the time a commit arrives. */
class AlwaysMoved extends FakeGitBackend {
  attempts = 0;
  override async commit(
    _expected: string,
    _writes: readonly StoreWrite[],
    _message: string,
  ): Promise<string> {
    this.attempts++;
    throw new ConflictError("branch moved");
  }
}

/** 50 merges, each appended by its own replica (50 processes), on virtual time; every writer must succeed. */
async function raceIndependentWriters(
  latency: (clock: VirtualClock, replica: number) => (operation: "read" | "commit") => number,
): Promise<{ backend: FakeGitBackend; results: AppendResult[]; drafts: ReturnType<typeof mergeDraft>[] }> {
  const clock = new VirtualClock();
  const backend = new FakeGitBackend();
  const drafts = Array.from({ length: 50 }, (_, i) => mergeDraft(i + 1));
  const settled = await clock.run(
    drafts.map((d, i) => () => {
      const replica = withLatency(i === 0 ? backend : backend.replica(), clock.sleep, latency(clock, i));
      return appendRecords(replica, [d], {
        signingKey: key,
        origin: ORIGIN,
        now: at(T0),
        retry: { sleep: clock.sleep, clock: clock.now, random: seededRandom(100 + i) },
      });
    }),
  );
  expect(settled.filter((r) => r.status === "rejected")).toEqual([]);
  const results = settled.map((r) => (r as PromiseFulfilledResult<AppendResult>).value);
  // The race was real: commits were refused and retried.
  expect(backend.conflicts).toBeGreaterThan(0);
  expect(results.some((r) => r.attempts > 1)).toBe(true);
  const records = await allRecords(backend);
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect(records.map((r) => r.record_id).sort()).toEqual(drafts.map((d) => d.record_id).sort());
  // Each writer wrote its own record, once.
  expect(results.map((r) => r.written.map((w) => w.record_id))).toEqual(drafts.map((d) => [d.record_id]));
  const report = await verifyLog(backend);
  expect(report.first_failure).toBeUndefined();
  expect(report.ok).toBe(true);
  expect(report.totals.records_valid).toBe(50);
  return { backend, results, drafts };
}

describe("concurrent writers", () => {
  test("50 merges racing through 50 independent replicas: seq 1..50, an unbroken chain, each written once", async () => {
    const random = seededRandom(11);
    // A local store: each request takes 0–3 ms.
    await raceIndependentWriters(
      () => (operation) => Math.floor(random() * (operation === "commit" ? 4 : 2)),
    );
  });

  test("50 independent replicas writing to GitHub through Probot's throttle all get through", async () => {
    const random = seededRandom(5);
    const { results } = await raceIndependentWriters((clock) => githubLatency(clock.now, random));
    // An attempt takes seconds there, so the last writers need more attempts than the former fixed budget
    // of 10: the time budget lets them through.
    expect(Math.max(...results.map((r) => r.attempts))).toBeGreaterThan(10);
  });

  test("a store that always conflicts gives up once the time budget is spent, never sleeping past it", async () => {
    const clock = new VirtualClock();
    const store = new AlwaysMoved();
    const sleeps: number[] = [];
    const [outcome] = await clock.run([
      () =>
        appendRecords(store, [mergeDraft(1)], {
          signingKey: key,
          origin: ORIGIN,
          now: at(T0),
          retry: {
            clock: clock.now,
            random: seededRandom(2),
            sleep: (ms) => {
              sleeps.push(ms);
              return clock.sleep(ms);
            },
          },
        }),
    ]);
    expect(outcome!.status).toBe("rejected");
    const error = (outcome as PromiseRejectedResult).reason as AppendFailedError;
    expect(error).toBeInstanceOf(AppendFailedError);
    expect(error.message).toMatch(
      new RegExp(
        `^change log: gave up after ${store.attempts} attempts in ${RETRY_BUDGET_MS / 1000}\\.0 s, each overtaken by another writer \\(branch moved\\); nothing was written by this call$`,
      ),
    );
    expect(error.attempts).toBe(store.attempts);
    expect(store.attempts).toBe(sleeps.length + 1);
    // It kept trying until the budget ran out, and the last back-off was cut to end exactly there.
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(RETRY_BUDGET_MS);
    expect(clock.now()).toBe(RETRY_BUDGET_MS);
  });

  test("the back-off is sized by how long the failed attempt took", async () => {
    const clock = new VirtualClock();
    const sleeps: number[] = [];
    // Three requests of 500 ms (read the tip, look the record up, commit): each attempt takes 1.5 s.
    const store = withLatency(new AlwaysMoved(), clock.sleep, () => 500);
    const [outcome] = await clock.run([
      () =>
        appendRecords(store, [mergeDraft(1)], {
          signingKey: key,
          origin: ORIGIN,
          now: at(T0),
          retry: {
            attempts: 6,
            clock: clock.now,
            random: () => 0.999,
            sleep: (ms) => {
              sleeps.push(ms);
              return clock.sleep(ms);
            },
          },
        }),
    ]);
    expect(outcome!.status).toBe("rejected");
    // random in [0, min(30 s, 1.5 s·2ⁿ)): 3 s, 6 s, 12 s, 24 s, then the 30 s cap.
    expect(sleeps).toEqual([2997, 5994, 11988, 23976, 29970]);
  });

  test("50 merges racing through 5 replicas produce 50 records, seq 1..50, an unbroken chain, no duplicates", async () => {
    const backend = new FakeGitBackend();
    const replicas = [backend, ...Array.from({ length: 4 }, () => backend.replica())];
    const drafts = Array.from({ length: 50 }, (_, i) => mergeDraft(i + 1));
    const results = await Promise.all(
      drafts.map((d, i) =>
        appendRecords(replicas[i % replicas.length]!, [d], {
          signingKey: key,
          origin: ORIGIN,
          now: at(T0),
          retry: { baseMs: 10, random: seededRandom(7) },
        }),
      ),
    );
    // The race was real: commits were refused and retried.
    expect(backend.conflicts).toBeGreaterThan(0);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    const records = await allRecords(backend);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => r.record_id))).toEqual(new Set(drafts.map((d) => d.record_id)));
    expect(results.flatMap((r) => r.written.map((w) => w.record_id)).sort()).toEqual(
      drafts.map((d) => d.record_id).sort(),
    );
    const report = await verifyLog(backend);
    expect(report.first_failure).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.totals.records_valid).toBe(50);
  });

  test("within one process, writes to a log queue up instead of conflicting", async () => {
    const store = new FakeGitBackend();
    const drafts = Array.from({ length: 50 }, (_, i) => mergeDraft(i + 1));
    const results = await Promise.all(
      drafts.map((d) => appendRecords(store, [d], { signingKey: key, origin: ORIGIN, now: at(T0) })),
    );
    expect(store.conflicts).toBe(0);
    expect(results.map((r) => r.written[0]!.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await verifyLog(store)).ok).toBe(true);
  });

  test("the same merge delivered twice at once, to two replicas, is written once", async () => {
    const store = new FakeGitBackend();
    const d = mergeDraft(9);
    const opts = {
      signingKey: key,
      origin: ORIGIN,
      now: at(T0),
      retry: { baseMs: 1, random: seededRandom(3) },
    };
    const [a, b] = await Promise.all([
      appendRecords(store, [d], opts),
      appendRecords(store.replica(), [d], opts),
    ]);
    expect([a.written.length, b.written.length].sort()).toEqual([0, 1]);
    expect([...a.skipped, ...b.skipped]).toEqual([d.record_id]);
    expect((await allRecords(store)).map((r) => r.record_id)).toEqual([d.record_id]);
  });

  test("a redelivered merge writes nothing new, and repeats within one call are dropped", async () => {
    const store = new FakeGitBackend();
    const opts = { signingKey: key, origin: ORIGIN, now: at(T0) };
    await appendRecords(store, [mergeDraft(1), mergeDraft(2), mergeDraft(1)], opts);
    expect((await allRecords(store)).map((r) => r.seq)).toEqual([1, 2]);
    const version = store.version;
    const again = await appendRecords(store, [mergeDraft(2)], opts);
    expect(again).toMatchObject({ written: [], skipped: [mergeDraft(2).record_id], version, attempts: 1 });
    expect(store.version).toBe(version);
    expect(store.messages).toHaveLength(1);
    expect(store.files().get("index/42/2-0000000000000000000000000000000000000002.json")).toContain(
      '"seq":2',
    );
  });

  test("a store that always conflicts fails with a clear error after `retry.attempts`", async () => {
    const store = new AlwaysMoved();
    const sleeps: number[] = [];
    const failure = appendRecords(store, [mergeDraft(1)], {
      signingKey: key,
      origin: ORIGIN,
      now: at(T0),
      retry: {
        attempts: 4,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.999,
        clock: () => 0, // attempts that take no time: the back-off unit is the 50 ms base
      },
    });
    await expect(failure).rejects.toThrow(AppendFailedError);
    await expect(failure).rejects.toThrow(/gave up after 4 attempts.*nothing was written/);
    expect(store.attempts).toBe(4);
    // Exponential back-off between attempts (50 ms base by default), none after the last.
    expect(sleeps).toEqual([99, 199, 399]);
  });

  test("other errors are not retried", async () => {
    class Broken extends FakeGitBackend {
      attempts = 0;
      override async commit(): Promise<string> {
        this.attempts++;
        throw new Error("HTTP 500");
      }
    }
    const store = new Broken();
    await expect(appendRecords(store, [mergeDraft(1)], { signingKey: key, origin: ORIGIN })).rejects.toThrow(
      "HTTP 500",
    );
    expect(store.attempts).toBe(1);
  });
});

describe("checkpoints", () => {
  test("every N records, each followed by its log.checkpoint record; the key published once", async () => {
    const store = new FakeGitBackend();
    const opts = { signingKey: key, origin: ORIGIN, now: at(T0), checkpointEvery: 3 };
    const result = await appendRecords(
      store,
      Array.from({ length: 7 }, (_, i) => mergeDraft(i + 1)),
      opts,
    );
    expect(result.checkpoints).toEqual([3, 6, 9]);
    const records = await allRecords(store);
    expect(records.map((r) => (r.type === "log.checkpoint" ? `cp${r.tree_size}` : r.seq))).toEqual([
      1,
      2,
      3,
      "cp3",
      5,
      6,
      "cp6",
      8,
      9,
      "cp9",
    ]);
    expect(await store.listCheckpoints()).toEqual([
      "checkpoints/000000000003.txt",
      "checkpoints/000000000006.txt",
      "checkpoints/000000000009.txt",
    ]);
    expect(await store.listKeys()).toEqual([`keys/${keyFingerprint(key)}.pub`]);
    await appendRecords(store, [mergeDraft(8), mergeDraft(9)], opts);
    expect(await store.listKeys()).toHaveLength(1);
    const report = await verifyLog(store);
    expect(report.ok).toBe(true);
    expect(report.checkpoints.map((c) => c.status)).toEqual(["valid", "valid", "valid", "valid"]);
    expect(report.totals.attested_size).toBe(12);
  });

  test("a heartbeat checkpoint when none was made for heartbeatHours, even with nothing to log", async () => {
    const store = new FakeGitBackend();
    const opts = (now: Date) => ({ signingKey: key, origin: ORIGIN, now: at(now), heartbeatHours: 24 });
    expect((await maybeHeartbeat(store, opts(T0))).written).toEqual([]); // an empty log has nothing to attest
    await appendRecords(store, [mergeDraft(1, "2026-03-01T12:00:00Z")], opts(T0));
    expect((await maybeHeartbeat(store, opts(hours(23)))).checkpoints).toEqual([]);
    const first = await maybeHeartbeat(store, opts(hours(24)));
    expect(first.checkpoints).toEqual([1]);
    expect(first.written.map((r) => [r.seq, r.type])).toEqual([[2, "log.checkpoint"]]);
    expect((await maybeHeartbeat(store, opts(hours(47)))).checkpoints).toEqual([]);
    expect((await maybeHeartbeat(store, opts(hours(48)))).checkpoints).toEqual([2]);
    const versionBefore = store.version;
    await maybeHeartbeat(store, opts(hours(48)));
    expect(store.version).toBe(versionBefore);
    const report = await verifyLog(store);
    expect(report.ok).toBe(true);
    expect(report.totals.attested_size).toBe(2);
    expect(report.totals.unattested).toBe(1);
  });

  test("a batch that wrote an every-N checkpoint does not add a heartbeat one", async () => {
    const store = new FakeGitBackend();
    await appendRecords(store, [mergeDraft(1)], { signingKey: key, origin: ORIGIN, now: at(T0) });
    const r = await appendRecords(store, [mergeDraft(2)], {
      signingKey: key,
      origin: ORIGIN,
      now: at(hours(30)),
      checkpointEvery: 2,
    });
    expect(r.checkpoints).toEqual([2]);
  });
});

describe("shards", () => {
  test("the shard's size comes from state.json: an append reads no shard (one GitHub request fewer per attempt)", async () => {
    const store = new FakeGitBackend();
    const opts = { signingKey: key, origin: ORIGIN, now: at(T0) };
    await appendRecords(store, [mergeDraft(1)], opts);
    const asked: string[] = [];
    const fileBytes = store.fileBytes.bind(store);
    store.fileBytes = async (path: string, at: string) => {
      asked.push(path);
      return fileBytes(path, at);
    };
    await appendRecords(store, [mergeDraft(2)], opts);
    expect(asked.filter((p) => p.startsWith("log/"))).toEqual([]);
    // A state.json written before the byte count existed still works: the shard is asked once.
    const state = JSON.parse(store.files().get("state.json")!);
    delete state.current_part.bytes;
    await store.commit(
      (await store.snapshot()).version,
      [{ path: "state.json", content: JSON.stringify(state) }],
      "old state",
    );
    await appendRecords(store, [mergeDraft(3)], opts);
    expect(asked.filter((p) => p.startsWith("log/"))).toEqual(["log/2026/03/part-0001.jsonl"]);
    expect(JSON.parse(store.files().get("state.json")!).current_part.bytes).toBe(
      Buffer.byteLength(store.files().get("log/2026/03/part-0001.jsonl")!, "utf8"),
    );
    expect((await verifyLog(store)).ok).toBe(true);
  });

  test("records go to the shard of their month; a late record stays in the newer shard", async () => {
    const store = new FakeGitBackend();
    const opts = { signingKey: key, origin: ORIGIN, now: at(new Date("2026-02-01T00:00:00Z")) };
    await appendRecords(store, [mergeDraft(1, "2026-01-31T23:59:59Z")], opts);
    await appendRecords(
      store,
      [mergeDraft(2, "2026-02-01T00:00:00Z"), mergeDraft(3, "2026-01-31T23:00:00Z")],
      opts,
    );
    expect(await store.listRecordFiles()).toEqual([
      "log/2026/01/part-0001.jsonl",
      "log/2026/02/part-0001.jsonl",
    ]);
    expect(
      (await collect(store.readLines("log/2026/02/part-0001.jsonl"))).map((l) => JSON.parse(l).seq),
    ).toEqual([2, 3]);
    expect(JSON.parse(store.files().get("state.json")!).current_part).toEqual({
      path: "log/2026/02/part-0001.jsonl",
      records: 2,
      bytes: Buffer.byteLength(store.files().get("log/2026/02/part-0001.jsonl")!, "utf8"),
    });
    expect((await verifyLog(store)).ok).toBe(true);
  });
});
