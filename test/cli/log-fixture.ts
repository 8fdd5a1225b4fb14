/**
 * Change logs for the CLI's end-to-end tests: a temp directory filled through the real writer (DirStore +
 * appendRecords, a fresh Ed25519 key), with `change.merged` records built by the records builder.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DirStore } from "../../src/changelog/dir-store.js";
import { appendRecords } from "../../src/changelog/writer.js";
import { mergedRecord } from "../../src/core/changelog/records/merged.js";
import type { RecordDraft } from "../../src/core/changelog/types.js";
import { scenario } from "../core/changelog/records-fixtures.js";
import { makeTempDir } from "../helpers/temp-git-repo.js";

export const ORIGIN = "cc8.test/acme/audit-log";
export const REPO = { id: "4242", full_name: "acme/agents" };

export function ed25519Key(): KeyObject {
  return generateKeyPairSync("ed25519").privateKey;
}

/** A change.merged draft for PR `n` of REPO, merged as `mergeSha` at `mergedAt`. */
export function merged(n: number, mergeSha: string, mergedAt: string): RecordDraft {
  const d = mergedRecord(scenario({ mergedAt, title: `Change ${n}` })) as Record<string, unknown>;
  return {
    ...d,
    record_id: `${REPO.id}:${n}:${mergeSha}`,
    recorded_at: mergedAt,
    repository: { ...REPO },
    pr: { ...(d.pr as object), number: n, html_url: `https://github.com/${REPO.full_name}/pull/${n}` },
    merge_commit_sha: mergeSha,
    merged_at: mergedAt,
  } as unknown as RecordDraft;
}

/** A log directory holding `drafts`, written in one call (checkpoint every `every` records). */
export async function writeLog(
  drafts: RecordDraft[],
  options: { key?: KeyObject; every?: number; now?: string } = {},
): Promise<{ dir: string; key: KeyObject }> {
  const dir = makeTempDir("acc-log-");
  const key = options.key ?? ed25519Key();
  await appendRecords(new DirStore(dir), drafts, {
    signingKey: key,
    origin: ORIGIN,
    checkpointEvery: options.every ?? 2,
    now: () => new Date(options.now ?? "2026-03-31T00:00:00Z"),
  });
  return { dir, key };
}

/** Rewrites line `line` (1-based) of a log file with `edit`. */
export function editLine(dir: string, path: string, line: number, edit: (text: string) => string): void {
  const file = join(dir, ...path.split("/"));
  const lines = readFileSync(file, "utf8").split("\n");
  lines[line - 1] = edit(lines[line - 1]!);
  writeFileSync(file, lines.join("\n"));
}

export function pem(key: KeyObject): string {
  return key.export({ format: "pem", type: "pkcs8" }).toString();
}

/** Every record of a log directory, in log order (month directories, then parts). */
export function logRecords(log: string): Record<string, unknown>[] {
  const lines: string[] = [];
  for (const y of readdirSync(join(log, "log")).sort())
    for (const m of readdirSync(join(log, "log", y)).sort())
      for (const f of readdirSync(join(log, "log", y, m)).sort())
        lines.push(
          ...readFileSync(join(log, "log", y, m, f), "utf8")
            .split("\n")
            .filter((l) => l !== ""),
        );
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}
