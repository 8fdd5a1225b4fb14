import { generateKeyPairSync, type KeyObject } from "node:crypto";
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
