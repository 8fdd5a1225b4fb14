import { describe, expect, test } from "@jest/globals";
import { checkpointPath, keyFingerprint, makeCheckpoint } from "../../../src/core/changelog/checkpoint.js";
import { keyRotationFields } from "../../../src/core/changelog/keys.js";
import { MerkleFrontier } from "../../../src/core/changelog/merkle.js";
import { RECORD_SCHEMA } from "../../../src/core/changelog/types.js";
import { formatVerifyReport, VERIFY_REASONS, verifyLog } from "../../../src/core/changelog/verify.js";
import { buildLog, ed25519, MemoryLog, mergedDraft, ORIGIN, time } from "./log-fixture.js";

describe("verifyLog on intact logs", () => {
  test("a log with checkpoints every 5 records is valid end to end", async () => {
    const log = buildLog(23, 5, 10);
    const report = await verifyLog(log);
    const size = log.state.size;
    expect(report.ok).toBe(true);
    expect(report.origin).toBe(ORIGIN);
    expect(report.first_failure).toBeUndefined();
    expect(report.totals).toMatchObject({
      records: size,
      records_valid: size,
      records_in_range: size,
      files: Math.ceil(size / 10),
      files_valid: Math.ceil(size / 10),
      checkpoints: 5,
      checkpoints_valid: 5,
      tree_size: size,
      root: MerkleFrontier.from(log.state.frontier, size).root().toString("hex"),
      last_hash: log.state.last_hash,
      attested_size: size - 1,
      unattested: 1,
      keys_pinned: false,
    });
    expect(report.files[0]).toMatchObject({ status: "valid", first_seq: 1, last_seq: 10, records: 10 });
    expect(report.keys).toEqual([expect.objectContaining({ status: "valid", trust: "log" })]);
    const text = formatVerifyReport(report);
    expect(text).toMatch(
      /^Validating change log cc8\.example\/acme\/agents between the first record and the last record\n/,
    );
    expect(text).toContain("log/2026/01/part-0001.jsonl");
    expect(text).toMatch(/Records +log\/2026\/01\/part-0001\.jsonl +valid \(seq 1-10\)/);
    expect(text).toMatch(/Checkpoint +checkpoints\/000000000005\.txt +valid \(size 5, key /);
    expect(text).toContain(
      `${size}/${size} records valid (${size} in range); chain unbroken from seq 1 to ${size}`,
    );
    expect(text).toContain("5/5 checkpoints valid\n");
    expect(text).toMatch(/Result: valid\n$/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test("an empty log with a heartbeat checkpoint at size 0 is valid", async () => {
    const { privateKey } = ed25519();
    const log = new MemoryLog(privateKey);
    log.publish(privateKey);
    log.checkpoint(time(0));
    const report = await verifyLog(log);
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toEqual([
      expect.objectContaining({ path: checkpointPath(0), status: "valid", size: 0 }),
    ]);
    expect(report.totals.records).toBe(1);
  });

  test("--since/--until count and list only the records and checkpoints in range, but verify everything", async () => {
    const log = buildLog(30, 5, 10);
    const report = await verifyLog(log, { since: time(11), until: time(20) });
    expect(report.ok).toBe(true);
    expect(report.found).toEqual({ first: time(11), last: time(20) });
    // Records 11..20 plus the checkpoint records recorded at time(15) and time(20).
    expect(report.totals.records_in_range).toBe(12);
    expect(report.totals.records).toBe(log.state.size);
    const text = formatVerifyReport(report);
    expect(text).toContain(`Results requested for ${time(11)} to ${time(20)}`);
    expect(text).toContain(`Results found for ${time(11)} to ${time(20)}:`);
    expect(text).not.toContain("part-0001.jsonl");
    expect(text).toContain("part-0002.jsonl");
    expect(text).not.toContain("checkpoints/000000000005.txt");
    const none = await verifyLog(log, { since: "2030-01-01T00:00:00Z" });
    expect(none.totals.records_in_range).toBe(0);
    expect(formatVerifyReport(none)).toContain("No records found in the requested range");
  });

  test("pinned keys: the right key passes, another key makes every checkpoint unknown", async () => {
    const log = buildLog(10, 5);
    const pinned = await verifyLog(log, { trustedKeys: [log.key] });
    expect(pinned.ok).toBe(true);
    expect(pinned.keys[0]).toMatchObject({ trust: "pinned" });
    expect(formatVerifyReport(pinned)).toContain("Keys: pinned by the verifier");
    const other = await verifyLog(log, { trustedKeys: [ed25519().publicKey] });
    expect(other.ok).toBe(false);
    expect(other.checkpoints.every((c) => c.status === "INVALID" && c.reason === "unknown key")).toBe(true);
    expect(other.keys[0]).toMatchObject({ trust: "untrusted", status: "valid" });
  });

  test("a key file whose name is not its fingerprint, or that does not parse, is INVALID", async () => {
    const log = buildLog(6, 5);
    const [path] = await log.listKeys();
    log.texts.set(`keys/${"0".repeat(64)}.pub`, log.texts.get(path!)!);
    log.texts.set(`keys/${"1".repeat(64)}.pub`, "not a key");
    const report = await verifyLog(log);
    expect(report.ok).toBe(false);
    expect(report.keys.map((k) => k.reason ?? "ok").sort()).toEqual([
      "fingerprint mismatch",
      "ok",
      "unparseable",
    ]);
  });

  test("key rotation: a record signed by both keys hands over to the new key and retires the old one", async () => {
    const oldKey = ed25519().privateKey;
    const newKey = ed25519().privateKey;
    const log = new MemoryLog(oldKey);
    log.publish(oldKey);
    log.publish(newKey);
    for (let i = 1; i <= 4; i++) log.append([mergedDraft(i)]);
    log.checkpoint(time(4));
    log.append([
      {
        schema: RECORD_SCHEMA,
        type: "log.key_rotated",
        record_id: `key:${keyFingerprint(newKey)}`,
        recorded_at: time(5),
        ...keyRotationFields(oldKey, newKey, time(5)),
      },
    ]);
    log.key = newKey;
    for (let i = 6; i <= 8; i++) log.append([mergedDraft(i)]);
    log.checkpoint(time(8));
    const pinnedOld = await verifyLog(log, { trustedKeys: [oldKey] });
    expect(pinnedOld.ok).toBe(true);
    expect(pinnedOld.checkpoints.map((c) => c.key_fingerprint)).toEqual([
      keyFingerprint(oldKey),
      keyFingerprint(newKey),
    ]);
    expect(pinnedOld.keys.find((k) => k.fingerprint === keyFingerprint(newKey))).toMatchObject({
      trust: "rotated",
    });

    // After the rotation the old key no longer counts.
    log.texts.set(
      checkpointPath(log.state.size),
      makeCheckpoint(
        {
          origin: ORIGIN,
          size: log.state.size,
          root: MerkleFrontier.from(log.state.frontier, log.state.size).root(),
          lastHash: log.state.last_hash,
          time: time(9),
        },
        oldKey,
      ),
    );
    const late = await verifyLog(log, { trustedKeys: [oldKey] });
    expect(late.checkpoints.at(-1)).toMatchObject({ status: "INVALID", reason: "unknown key" });
  });

  test("a rotation record not signed by the old key is INVALID and introduces nothing", async () => {
    const oldKey = ed25519().privateKey;
    const attacker = ed25519().privateKey;
    const newKey = ed25519().privateKey;
    const log = new MemoryLog(oldKey);
    log.publish(oldKey);
    log.append([mergedDraft(1)]);
    const forged = keyRotationFields(attacker, newKey, time(2));
    log.append([
      {
        schema: RECORD_SCHEMA,
        type: "log.key_rotated",
        record_id: "key:x",
        recorded_at: time(2),
        ...forged,
        old_fingerprint: keyFingerprint(oldKey),
      },
    ]);
    log.key = newKey;
    log.checkpoint(time(3));
    const report = await verifyLog(log, { trustedKeys: [oldKey] });
    expect(report.files[0]!.first_failure).toMatchObject({ line: 2, seq: 2, reason: "signature invalid" });
    expect(report.checkpoints[0]).toMatchObject({ status: "INVALID", reason: "unknown key" });
  });

  test("every reason in the report comes from the fixed list", async () => {
    const log = buildLog(12, 5, 4);
    const lines = log.allLines().map((l) => l.text);
    lines[2] = lines[2]!.replace('"seq":3', '"seq":30');
    lines.splice(6, 1);
    lines.push("{not json");
    log.setLines(lines);
    const report = await verifyLog(log);
    const reasons = [
      ...report.files.map((f) => f.first_failure?.reason),
      ...report.checkpoints.map((c) => c.reason),
    ];
    for (const r of reasons.filter(Boolean)) expect(VERIFY_REASONS).toContain(r);
    expect(reasons.filter(Boolean).length).toBeGreaterThan(2);
  });
});
