/**
 * The verifier's worker-thread path gives the same report as the single-threaded one, for the tamper scenarios of
 * test/core/changelog/tamper.test.ts written to a DirStore in a temp dir.
 *
 * Limitation: the worker only exists compiled (lib/); jest runs the TypeScript sources, where verifyLog stays
 * single-threaded. The parallel comparison therefore runs lib/'s verifyLog and DirStore, and only when lib/ has
 * been built (`npm run build`); it is skipped otherwise. The per-line half itself is tested from the sources in
 * test/core/changelog/line-facts.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { canonicalJson } from "../../src/core/changelog/canonical.js";
import { checkpointPath, makeCheckpoint, parseCheckpoint } from "../../src/core/changelog/checkpoint.js";
import { recordHash } from "../../src/core/changelog/hash.js";
import { keyPath, publicKeyPem } from "../../src/core/changelog/keys.js";
import { emptyLogState, sealRecords } from "../../src/core/changelog/seal.js";
import type { RecordDraft } from "../../src/core/changelog/types.js";
import { type LogSource, type VerifyOptions, verifyLog } from "../../src/core/changelog/verify.js";
import { buildLog, ed25519, type MemoryLog } from "../core/changelog/log-fixture.js";

const LIB = join(process.cwd(), "lib");
const HAS_LIB = existsSync(join(LIB, "changelog", "verify-worker.js"));

interface Scenario {
  name: string;
  log: MemoryLog;
  opts?: VerifyOptions;
}

function unseal(line: string): RecordDraft {
  const { seq: _s, prev_hash: _p, record_hash: _r, leaf_index: _l, ...draft } = JSON.parse(line);
  return draft as RecordDraft;
}

function mutate(name: string, change: (lines: string[], log: MemoryLog) => string[] | undefined): Scenario {
  const log = buildLog(40, 5, 10);
  const lines = log.allLines().map((l) => l.text);
  const before = JSON.stringify([lines, [...log.texts]]);
  const out = change(lines, log);
  if (out) log.setLines(out);
  // Every scenario really changes the log.
  expect(JSON.stringify([log.allLines().map((l) => l.text), [...log.texts]]) === before).toBe(false);
  return { name, log };
}

function scenarios(): Scenario[] {
  const attacker = ed25519().privateKey;
  const list: Scenario[] = [
    { name: "intact", log: buildLog(40, 5, 10) },
    {
      name: "intact, time window",
      log: buildLog(40, 5, 10),
      opts: { since: "2026-01-01T05:00:00Z", until: "2026-01-02T00:00:00Z" },
    },
    mutate("editing a field", (all) => {
      all[16] = all[16]!.replace(/"login":"bob"/, '"login":"eve"');
      return all;
    }),
    mutate("editing a field and fixing its record_hash", (all) => {
      const edited = { ...JSON.parse(all[16]!), pr: { number: 1, title: "forged", url: "x" } };
      all[16] = canonicalJson({ ...edited, record_hash: recordHash(edited) });
      return all;
    }),
    mutate("deleting a record", (all) => {
      all.splice(12, 1);
      return all;
    }),
    mutate("inserting a well-formed record", (all) => {
      const forged = sealRecords(emptyLogState(), [
        unseal(all[1]!.replace('"record_id":"', '"record_id":"forged-')),
      ]);
      all.splice(3, 0, forged.lines[0]!);
      return all;
    }),
    mutate("reordering two records", (all) => {
      [all[21], all[22]] = [all[22]!, all[21]!];
      return all;
    }),
    mutate("truncating the tail", (all) => all.slice(0, all.length - 4)),
    mutate("unparseable, non-canonical, CRLF and empty lines", (all) => {
      all[2] = "{not json";
      all[5] = all[5]!.replace(/^\{/, "{ ");
      all[9] = `${all[9]}\r`;
      all[30] = "";
      all[33] = "[1,2]";
      return all;
    }),
    mutate("replacing a checkpoint's signature", (_all, log) => {
      const second = [...log.texts.keys()].filter((p) => p.startsWith("checkpoints/")).sort()[1]!;
      const [text, sig] = log.texts.get(second)!.split("\n\n") as [string, string];
      const [dash, name, blob] = sig.trim().split(" ") as [string, string, string];
      const raw = Buffer.from(blob, "base64");
      raw.fill(7, 4);
      log.texts.set(second, `${text}\n\n${dash} ${name} ${raw.toString("base64")}\n`);
      return undefined;
    }),
    mutate("re-signing the checkpoints with another key", (_all, log) => {
      for (const path of [...log.texts.keys()].filter((p) => p.startsWith("checkpoints/"))) {
        const cp = parseCheckpoint(log.texts.get(path)!);
        const { origin, size, root, lastHash, time } = cp;
        log.texts.set(path, makeCheckpoint({ origin, size, root, lastHash, time }, attacker));
      }
      log.texts.set(keyPath("f".repeat(64)), publicKeyPem(attacker));
      return undefined;
    }),
    mutate("recomputing the whole chain after an edit", (all) => {
      const drafts = all.map(unseal);
      drafts[6] = {
        ...drafts[6]!,
        verdicts: { approved_before_merge: true, checks_passed: true, forged: true },
      };
      return sealRecords(emptyLogState(), drafts).lines;
    }),
    mutate("deleting a checkpoint file", (_all, log) => {
      log.texts.delete(checkpointPath(11));
      return undefined;
    }),
  ];
  const pinned = list.find((s) => s.name === "re-signing the checkpoints with another key")!;
  list.push({ name: "re-signed, real key pinned", log: pinned.log, opts: { trustedKeys: [pinned.log.key] } });
  return list;
}

/** Writes a MemoryLog's files to a fresh directory. */
function toDir(log: MemoryLog): string {
  const dir = mkdtempSync(join(tmpdir(), "acc-verify-par-"));
  const write = (path: string, text: string) => {
    const abs = join(dir, ...path.split("/"));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  for (const [path, lines] of log.files) write(path, lines.map((l) => `${l}\n`).join(""));
  for (const [path, text] of log.texts) write(path, text);
  return dir;
}

/** A source that only allows local reads of record files (readLines throws), to prove the workers did the work. */
function workersOnly(store: LogSource & { localPath(p: string): string }): LogSource {
  return {
    listRecordFiles: () => store.listRecordFiles(),
    listCheckpoints: () => store.listCheckpoints(),
    listKeys: () => store.listKeys(),
    readText: (p) => store.readText(p),
    localPath: (p) => store.localPath(p),
    readLines: () => {
      throw new Error("readLines called: the parallel path was not taken");
    },
  };
}

describe("verifyLog over a DirStore", () => {
  test.each(scenarios().map((s) => [s.name, s] as const))(
    "%s: the DirStore report equals the in-memory one",
    async (_name, s) => {
      const memory = await verifyLog(s.log, s.opts);
      const dir = await verifyLog(new DirStore(toDir(s.log)), { ...s.opts, parallel: false });
      expect(dir).toEqual(memory);
      if (s.name === "intact") expect(memory.ok).toBe(true);
      else if (!s.name.startsWith("intact")) expect(memory.ok).toBe(false);
    },
  );

  (HAS_LIB ? test.each : test.skip.each)(scenarios().map((s) => [s.name, s] as const))(
    "%s: compiled worker threads give the sequential report (lib/)",
    async (_name, s) => {
      const lib = await import(join(LIB, "core", "changelog", "verify.js"));
      const libStore = await import(join(LIB, "changelog", "dir-store.js"));
      const store = new libStore.DirStore(toDir(s.log));
      const sequential = await verifyLog(store, { ...s.opts, parallel: false });
      const parallel = await lib.verifyLog(workersOnly(store), s.opts);
      expect(parallel).toEqual(sequential);
      expect(await lib.verifyLog(store, { ...s.opts, parallel: false })).toEqual(sequential);
    },
  );
});
