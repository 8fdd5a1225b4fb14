/** Each kind of tampering is detected, at the right place. */
import { describe, expect, test } from "@jest/globals";
import { checkpointPath, makeCheckpoint, parseCheckpoint } from "../../../src/core/changelog/checkpoint.js";
import { keyPath, publicKeyPem } from "../../../src/core/changelog/keys.js";
import { emptyLogState, sealRecords } from "../../../src/core/changelog/seal.js";
import type { RecordDraft } from "../../../src/core/changelog/types.js";
import { formatVerifyReport, type VerifyReport, verifyLog } from "../../../src/core/changelog/verify.js";
import { buildLog, ed25519, type MemoryLog } from "./log-fixture.js";

const PER_FILE = 10;

/** A fresh intact log: 40 records, a checkpoint every 5 (checkpoint records included in the tree). */
function intact(): MemoryLog {
  return buildLog(40, 5, PER_FILE);
}

function lines(log: MemoryLog): string[] {
  return log.allLines().map((l) => l.text);
}

function fileOf(index: number): string {
  return `log/2026/01/part-${String(Math.floor(index / PER_FILE) + 1).padStart(4, "0")}.jsonl`;
}

function invalidFiles(report: VerifyReport) {
  return report.files.filter((f) => f.status === "INVALID").map((f) => f.first_failure);
}

function invalidCheckpoints(report: VerifyReport) {
  return report.checkpoints.filter((c) => c.status === "INVALID");
}

/** Sizes of the checkpoint files, ascending. */
async function checkpointSizes(log: MemoryLog): Promise<number[]> {
  return (await log.listCheckpoints()).map((p) => parseCheckpoint(log.texts.get(p)!).size);
}

function unseal(line: string): RecordDraft {
  const { seq: _s, prev_hash: _p, record_hash: _r, leaf_index: _l, ...draft } = JSON.parse(line);
  return draft as RecordDraft;
}

describe("tamper detection", () => {
  test("the intact log is valid (baseline for every case below)", async () => {
    const report = await verifyLog(intact());
    expect(report.ok).toBe(true);
  });

  test("editing a field: hash mismatch at that line and seq; later checkpoints' roots mismatch", async () => {
    const log = intact();
    const all = lines(log);
    const i = 16; // seq 17, line 7 of the second file
    expect(all[i]).toContain('"type":"change.merged"');
    all[i] = all[i]!.replace(/"login":"bob"/, '"login":"eve"');
    log.setLines(all);
    const report = await verifyLog(log);
    expect(report.ok).toBe(false);
    const [first, ...later] = invalidFiles(report);
    expect(first).toEqual({ path: fileOf(i), line: 7, seq: 17, reason: "hash mismatch" });
    // Later files fail only at their log.checkpoint records, whose roots no longer match the tree.
    expect(later.length).toBeGreaterThan(0);
    expect(new Set(later.map((f) => f!.reason))).toEqual(new Set(["root mismatch"]));
    expect(report.first_failure).toEqual({ path: fileOf(i), line: 7, seq: 17, reason: "hash mismatch" });
    const sizes = await checkpointSizes(log);
    const bad = invalidCheckpoints(report);
    expect(bad.map((c) => c.size)).toEqual(sizes.filter((s) => s >= 17));
    expect(new Set(bad.map((c) => c.reason))).toEqual(new Set(["root mismatch"]));
    expect(formatVerifyReport(report)).toContain(`INVALID: hash mismatch at line 7 (seq 17)`);
    expect(formatVerifyReport(report)).toMatch(/Result: INVALID\n$/);
  });

  test("editing a field and fixing its record_hash: the chain breaks at the next record", async () => {
    const log = intact();
    const all = lines(log);
    const edited = { ...JSON.parse(all[16]!), pr: { number: 1, title: "forged", url: "x" } };
    const { records } = sealRecords(
      { ...emptyLogState(), size: 16, last_hash: edited.prev_hash, frontier: ["00".repeat(32)] },
      [unseal(JSON.stringify(edited))],
    );
    all[16] = JSON.stringify(
      Object.fromEntries(Object.entries(records[0]!).sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    log.setLines(all);
    const report = await verifyLog(log);
    expect(invalidFiles(report)[0]).toEqual({ path: fileOf(17), line: 8, seq: 18, reason: "chain broken" });
    // The checkpoint at size 17 (taken after the edited record) no longer matches the tree either.
    expect(invalidCheckpoints(report)[0]).toMatchObject({
      path: checkpointPath(17),
      reason: "root mismatch",
    });
  });

  test("deleting a record: sequence gap at the next record's line", async () => {
    const log = intact();
    const all = lines(log);
    all.splice(12, 1); // seq 13
    log.setLines(all);
    const report = await verifyLog(log);
    expect(report.first_failure).toEqual({ path: fileOf(12), line: 3, seq: 14, reason: "sequence gap" });
    expect(invalidCheckpoints(report).length).toBeGreaterThan(0);
  });

  test("inserting a well-formed record: the displaced original is a duplicate sequence", async () => {
    const log = intact();
    const all = lines(log);
    // The forger seals a record right after seq 3 (its chain fields are right), and slips it in.
    const first3 = sealRecords(emptyLogState(), all.slice(0, 3).map(unseal));
    const forged = sealRecords(first3.state, [
      unseal(all[1]!.replace('"record_id":"', '"record_id":"forged-')),
    ]);
    all.splice(3, 0, forged.lines[0]!);
    log.setLines(all);
    const report = await verifyLog(log);
    expect(report.first_failure).toEqual({ path: fileOf(4), line: 5, seq: 4, reason: "duplicate sequence" });
    expect(invalidCheckpoints(report)[0]).toMatchObject({ reason: "root mismatch" });
  });

  test("reordering two records: sequence gap where the later one now stands", async () => {
    const log = intact();
    const all = lines(log);
    [all[21], all[22]] = [all[22]!, all[21]!]; // seq 22 and 23
    log.setLines(all);
    const report = await verifyLog(log);
    expect(report.first_failure).toEqual({ path: fileOf(21), line: 2, seq: 23, reason: "sequence gap" });
  });

  test("truncating the tail: the newest checkpoint attests more records than remain", async () => {
    const log = intact();
    const all = lines(log);
    log.setLines(all.slice(0, all.length - 4));
    const report = await verifyLog(log);
    expect(report.ok).toBe(false);
    expect(invalidFiles(report)).toEqual([]);
    const sizes = await checkpointSizes(log);
    const truncated = invalidCheckpoints(report);
    expect(truncated.map((c) => c.path)).toEqual(
      sizes.filter((s) => s > all.length - 4).map((s) => checkpointPath(s)),
    );
    expect(truncated.every((c) => c.reason === "truncated")).toBe(true);
    expect(formatVerifyReport(report)).toMatch(/INVALID: truncated/);
  });

  test("replacing a checkpoint's signature: signature invalid, and its log record no longer matches", async () => {
    const log = intact();
    const [, second] = await log.listCheckpoints();
    const note = log.texts.get(second!)!;
    const [text, sig] = note.split("\n\n") as [string, string];
    const [dash, name, blob] = sig.trim().split(" ") as [string, string, string];
    const raw = Buffer.from(blob, "base64");
    raw.fill(7, 4); // keep the key id, replace the Ed25519 signature
    log.texts.set(second!, `${text}\n\n${dash} ${name} ${raw.toString("base64")}\n`);
    const report = await verifyLog(log);
    expect(invalidCheckpoints(report)).toEqual([
      expect.objectContaining({ path: second, status: "INVALID", reason: "signature invalid" }),
    ]);
    const size = parseCheckpoint(note).size;
    expect(invalidFiles(report)).toEqual([
      { path: fileOf(size), line: (size % PER_FILE) + 1, seq: size + 1, reason: "checkpoint mismatch" },
    ]);
  });

  test("re-signing the checkpoints with another key: unknown key (and a planted key is caught by pinning)", async () => {
    const log = intact();
    const attacker = ed25519().privateKey;
    for (const path of await log.listCheckpoints()) {
      const cp = parseCheckpoint(log.texts.get(path)!);
      log.texts.set(
        path,
        makeCheckpoint(
          { origin: cp.origin, size: cp.size, root: cp.root, lastHash: cp.lastHash, time: cp.time },
          attacker,
        ),
      );
    }
    const report = await verifyLog(log);
    expect(report.checkpoints.length).toBeGreaterThan(0);
    expect(report.checkpoints.every((c) => c.status === "INVALID" && c.reason === "unknown key")).toBe(true);

    // Planting the attacker's key in keys/ does not help against a verifier who pins the real key.
    log.texts.set(keyPath("f".repeat(64)), publicKeyPem(attacker));
    const pinned = await verifyLog(log, { trustedKeys: [log.key] });
    expect(pinned.checkpoints.every((c) => c.reason === "unknown key")).toBe(true);
  });

  test("recomputing the whole chain after an edit, without the key: checkpoints no longer match", async () => {
    const log = intact();
    const drafts = lines(log).map(unseal);
    drafts[6] = {
      ...drafts[6]!,
      verdicts: { approved_before_merge: true, checks_passed: true, forged: true },
    };
    expect(drafts[6]!.type).toBe("change.merged");
    log.setLines(sealRecords(emptyLogState(), drafts).lines);
    const report = await verifyLog(log);
    expect(report.ok).toBe(false);
    const sizes = await checkpointSizes(log);
    const firstAfter = sizes.find((s) => s >= 7)!;
    // Every record hashes and chains; the first thing that breaks is the checkpoint after the edit…
    expect(report.first_failure).toEqual({ path: checkpointPath(firstAfter), reason: "root mismatch" });
    expect(invalidCheckpoints(report).map((c) => c.size)).toEqual(sizes.filter((s) => s >= 7));
    // …and the log.checkpoint records, resealed with their old roots, fail in the files.
    expect(invalidFiles(report)[0]).toEqual({
      path: fileOf(firstAfter),
      line: (firstAfter % PER_FILE) + 1,
      seq: firstAfter + 1,
      reason: "root mismatch",
    });
  });
});
