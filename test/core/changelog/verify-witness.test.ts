import { describe, expect, test } from "@jest/globals";
import { checkpointPath, parseCheckpoint } from "../../../src/core/changelog/checkpoint.js";
import { formatVerifyReport, verifyLog, type Witness } from "../../../src/core/changelog/verify.js";
import { buildLog, MemoryLog, mergedDraft, time } from "./log-fixture.js";

/**
 * Witnesses: tree heads kept outside the log. Signatures cannot tell a log rewritten and re-signed by whoever
 * holds the key; a witness from an earlier look can.
 */

function witnessOf(log: MemoryLog, size: number, label = `witness-${size}`): Witness {
  const cp = parseCheckpoint(log.texts.get(checkpointPath(size))!);
  return { label, size: cp.size, root: cp.root.toString("hex"), lastHash: cp.lastHash, origin: cp.origin };
}

/** The same history as buildLog(n, every), re-signed with `key`, except that record `forge` is altered. */
function rewritten(original: MemoryLog, n: number, every: number, forge: number): MemoryLog {
  const log = new MemoryLog(original.key, 10);
  log.publish(original.key);
  for (let i = 1; i <= n; i++) {
    const d = mergedDraft(i);
    log.append([
      i === forge
        ? { ...d, approvals: [{ reviewer: { login: "mallory", id: "666" }, submitted_at: time(i) }] }
        : d,
    ]);
    if (i % every === 0 || i === n) log.checkpoint(time(i));
  }
  return log;
}

describe("verify with witnesses", () => {
  test("a log that grew since the witness still extends it", async () => {
    const log = buildLog(12, 5);
    const w = witnessOf(log, 5);
    log.append([mergedDraft(13), mergedDraft(14)]);
    const report = await verifyLog(log, { witnesses: [w] });
    expect(report.ok).toBe(true);
    expect(report.witnesses).toEqual([{ label: "witness-5", size: 5, status: "valid" }]);
    expect(formatVerifyReport(report)).toMatch(
      /Witness {5}witness-5 +valid \(size 5: the log still has this root there\)/,
    );
    expect(formatVerifyReport(report)).toContain("1/1 witnesses valid");
  });

  test("a log rewritten and re-signed with the real key passes every signature, and fails the witness", async () => {
    const original = buildLog(12, 5);
    const w = witnessOf(original, 5);
    const forged = rewritten(original, 12, 5, 3);
    const unwitnessed = await verifyLog(forged);
    // The gap a witness closes: hashes, chain, tree and signatures are all consistent.
    expect(unwitnessed.ok).toBe(true);
    const report = await verifyLog(forged, { witnesses: [w] });
    expect(report.ok).toBe(false);
    expect(report.witnesses).toEqual([
      { label: "witness-5", size: 5, status: "INVALID", reason: "root mismatch" },
    ]);
    expect(report.first_failure).toEqual({ path: "witness-5", reason: "root mismatch" });
    expect(formatVerifyReport(report)).toContain(
      "INVALID: root mismatch (the first 5 records were rewritten since)",
    );
  });

  test("a rewrite after the witnessed size leaves the witness valid (it vouches only for what it saw)", async () => {
    const original = buildLog(12, 5);
    const w = witnessOf(original, 5);
    const forged = rewritten(original, 12, 5, 9);
    const report = await verifyLog(forged, { witnesses: [w] });
    expect(report.witnesses?.[0]?.status).toBe("valid");
  });

  test("a log shorter than the witness is truncated; a witness of another log is refused", async () => {
    const full = buildLog(12, 5);
    const late = witnessOf(full, 14); // after records 1-12 and the checkpoint records at 6 and 12
    const short = rewritten(full, 5, 5, 0);
    const report = await verifyLog(short, {
      witnesses: [late, { ...witnessOf(full, 5), label: "other-log", origin: "cc8.example/someone/else" }],
    });
    expect(report.ok).toBe(false);
    expect(report.witnesses).toEqual([
      { label: "other-log", size: 5, status: "INVALID", reason: "origin mismatch" },
      { label: "witness-14", size: 14, status: "INVALID", reason: "truncated" },
    ]);
  });
});
