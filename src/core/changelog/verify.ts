/**
 * Streaming verification of a change log (memory flat in the log's size: one line, the Merkle frontier and one
 * result per file/checkpoint at a time). Checks every line parses, is RFC 8785 canonical, its record_hash,
 * prev_hash link, seq continuity (1..n) and leaf_index = seq - 1; the Merkle root and last hash at every
 * checkpoint size; every checkpoint's signature against the active keys; `log.checkpoint` records against their
 * checkpoint files; `log.key_rotated` records (signed by the old and new key). A checkpoint naming a size larger
 * than the log means the tail was truncated.
 *
 * After a broken record the walk resynchronises on the record's own seq and hash, so each file reports its own
 * first broken place; Merkle roots are always over the lines as found, so any change before a checkpoint shows
 * there as `root mismatch`.
 */
import type { KeyObject } from "node:crypto";
import { checkpointNoteFromRecord, sizeFromCheckpointPath, verifyCheckpoint } from "./checkpoint.js";
import { checkKeyRotation, keyFingerprint, parsePublicKey } from "./keys.js";
import { CANONICAL, type FactsBatch, FactsBuilder, HASH_OK, LEAF_INDEX_OK } from "./line-facts.js";
import { MerkleFrontier } from "./merkle.js";
import { GENESIS_HASH } from "./types.js";
import { FactsPool } from "./verify-pool.js";
import type {
  CheckpointResult,
  FileResult,
  KeyResult,
  LogSource,
  VerifyOptions,
  VerifyReason,
  VerifyReport,
  Witness,
  WitnessResult,
} from "./verify-types.js";

export { formatVerifyReport } from "./verify-format.js";
export * from "./verify-types.js";

interface PendingCheckpoint {
  path: string;
  size: number;
}

class Walk {
  readonly frontier = new MerkleFrontier();
  lastHash = GENESIS_HASH;
  lastSeq = 0;
  recordsValid = 0;
  inRange = 0;
  first?: string;
  last?: string;
  origin?: string;
  /** Text of the checkpoint file at the current tree size (checked against the next log.checkpoint record). */
  fileAtSize?: { size: number; text: string };
  attested = 0;
  report: VerifyReport["first_failure"];
  readonly active = new Map<string, KeyObject>();
  readonly keyResults = new Map<string, KeyResult>();

  constructor(
    readonly opts: VerifyOptions,
    readonly source: LogSource,
  ) {
    this.origin = opts.origin;
  }

  inWindow(time: unknown): boolean {
    if (typeof time !== "string") return false;
    return (!this.opts.since || time >= this.opts.since) && (!this.opts.until || time <= this.opts.until);
  }

  /** Checks the checkpoint file at the current tree size. */
  async checkFile(cp: PendingCheckpoint): Promise<CheckpointResult> {
    const text = await this.source.readText(cp.path);
    this.fileAtSize = { size: cp.size, text };
    const v = verifyCheckpoint(text, [...this.active.values()]);
    const result: CheckpointResult = { path: cp.path, size: cp.size, status: "INVALID" };
    if (v.checkpoint) result.time = v.checkpoint.time;
    const fail = (reason: VerifyReason): CheckpointResult => {
      result.reason = reason;
      this.report ??= { path: cp.path, reason };
      return result;
    };
    if (!v.ok) return fail(v.reason);
    result.key_fingerprint = v.fingerprint;
    const c = v.checkpoint;
    this.origin ??= c.origin;
    if (c.origin !== this.origin) return fail("origin mismatch");
    if (c.size !== cp.size) return fail("size mismatch");
    if (!c.root.equals(this.frontier.root())) return fail("root mismatch");
    if (c.lastHash !== this.lastHash) return fail("last hash mismatch");
    this.attested = cp.size;
    result.status = "valid";
    return result;
  }

  /** Type-specific checks of a sealed record that passed the envelope checks; null when it is fine. */
  checkTyped(record: Record<string, unknown>, seq: number): VerifyReason | null {
    if (record.type === "log.checkpoint") {
      const size = seq - 1;
      if (record.tree_size !== size) return "size mismatch";
      if (record.root_hash !== this.frontier.root().toString("hex")) return "root mismatch";
      if (record.last_hash !== this.lastHash) return "last hash mismatch";
      const note = checkpointNoteFromRecord(record);
      if (note === null) return "unparseable";
      const v = verifyCheckpoint(note, [...this.active.values()]);
      if (!v.ok) return v.reason;
      if (v.fingerprint !== record.key_fingerprint) return "fingerprint mismatch";
      if (v.checkpoint.origin !== (this.origin ?? v.checkpoint.origin)) return "origin mismatch";
      if (this.fileAtSize?.size !== size) return "missing checkpoint";
      if (this.fileAtSize.text !== note) return "checkpoint mismatch";
    } else if (record.type === "log.key_rotated") {
      const oldFp = record.old_fingerprint;
      const oldKey = typeof oldFp === "string" ? (this.active.get(oldFp) ?? null) : null;
      const check = checkKeyRotation(record, oldKey);
      if (!check.ok) return check.reason;
      this.active.delete(oldFp as string);
      const fp = record.new_fingerprint as string;
      this.active.set(fp, check.newKey);
      for (const known of this.keyResults.values()) {
        if (known.fingerprint === fp && known.status === "valid" && known.trust === "untrusted")
          known.trust = "rotated";
      }
    }
    return null;
  }

  /**
   * Envelope checks of line i of a facts batch (`record` is the parsed record when it is a log.checkpoint or
   * log.key_rotated); returns the failure reason (or null) and the seq to report.
   */
  applyLine(
    b: FactsBatch,
    i: number,
    record: Record<string, unknown> | undefined,
  ): { reason: VerifyReason | null; seq: number; recordedAt?: string } {
    const expected = this.lastSeq + 1;
    const seq = b.seqs[i]!;
    if (Number.isNaN(seq)) {
      this.lastSeq = expected;
      return { reason: "unparseable", seq: expected };
    }
    const claimed = b.claimed[i]!;
    const prev = this.lastHash;
    // Resynchronise on this record whatever happens, so the next record is judged on its own.
    this.lastSeq = seq;
    this.lastHash = claimed;
    const recordedAt = b.recordedAt[i] ?? undefined;
    const flags = b.flags[i]!;
    if (!(flags & CANONICAL)) return { reason: "not canonical", seq, recordedAt };
    if (seq > expected) return { reason: "sequence gap", seq, recordedAt };
    if (seq < expected) return { reason: "duplicate sequence", seq, recordedAt };
    if (!(flags & LEAF_INDEX_OK)) return { reason: "leaf index mismatch", seq, recordedAt };
    if (!(flags & HASH_OK)) return { reason: "hash mismatch", seq, recordedAt };
    if (b.prev[i] !== prev) return { reason: "chain broken", seq, recordedAt };
    // Typed checks see the tree and last hash as they were before this record.
    this.lastHash = prev;
    const typed = record ? this.checkTyped(record, seq) : null;
    this.lastHash = claimed;
    return { reason: typed, seq, recordedAt };
  }
}

/** Lines per batch on the single-threaded path. */
const LOCAL_BATCH = 64;

/** The facts of a file's lines read through the source, computed on this thread. */
async function* localBatches(source: LogSource, path: string): AsyncGenerator<FactsBatch> {
  const builder = new FactsBuilder(LOCAL_BATCH);
  for await (const line of source.readLines(path)) {
    builder.add(line);
    if (builder.full) yield builder.take();
  }
  if (builder.size > 0) yield builder.take();
}

/** Worker threads when the source is local (and the compiled worker is available), else undefined. */
function openPool(source: LogSource, opts: VerifyOptions, paths: readonly string[]): FactsPool | undefined {
  if (opts.parallel === false || !source.localPath || paths.length === 0) return undefined;
  const local: string[] = [];
  for (const p of paths) {
    const abs = source.localPath(p);
    if (abs === undefined) return undefined;
    local.push(abs);
  }
  const pool = FactsPool.create();
  pool?.open(local);
  return pool;
}

async function loadKeys(walk: Walk, source: LogSource, opts: VerifyOptions): Promise<void> {
  const pinned = new Map<string, KeyObject>();
  for (const k of opts.trustedKeys ?? []) pinned.set(keyFingerprint(k), k);
  for (const [fp, k] of pinned) walk.active.set(fp, k);
  for (const path of await source.listKeys()) {
    const named = /([0-9a-f]{64})\.pub$/.exec(path)?.[1];
    const key = parsePublicKey(await source.readText(path));
    const fp = key ? keyFingerprint(key) : (named ?? "");
    const result: KeyResult = { path, fingerprint: fp, status: "valid", trust: "untrusted" };
    if (!key) {
      result.status = "INVALID";
      result.reason = "unparseable";
    } else if (named !== fp) {
      result.status = "INVALID";
      result.reason = "fingerprint mismatch";
    } else if (pinned.has(fp)) {
      result.trust = "pinned";
    } else if (!opts.trustedKeys) {
      result.trust = "log";
      walk.active.set(fp, key);
    }
    walk.keyResults.set(path, result);
  }
}

async function pendingCheckpoints(
  source: LogSource,
  results: CheckpointResult[],
): Promise<PendingCheckpoint[]> {
  const pending: PendingCheckpoint[] = [];
  for (const path of await source.listCheckpoints()) {
    const size = sizeFromCheckpointPath(path);
    if (size === null) results.push({ path, size: -1, status: "INVALID", reason: "unparseable" });
    else pending.push({ path, size });
  }
  return pending.sort((a, b) => a.size - b.size);
}

/** A witness against the walk at its size (undefined: the log never had exactly that many records). */
function checkWitness(w: Witness, walk: Walk | undefined): WitnessResult {
  const result = { label: w.label, size: w.size };
  const fail = (reason: VerifyReason): WitnessResult => ({ ...result, status: "INVALID", reason });
  if (!walk) return fail("size mismatch");
  if (w.origin !== undefined && walk.origin !== undefined && w.origin !== walk.origin)
    return fail("origin mismatch");
  if (w.root.toLowerCase() !== walk.frontier.root().toString("hex")) return fail("root mismatch");
  if (w.lastHash !== undefined && w.lastHash !== walk.lastHash) return fail("last hash mismatch");
  return { ...result, status: "valid" };
}

export async function verifyLog(source: LogSource, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const walk = new Walk(opts, source);
  await loadKeys(walk, source, opts);
  const checkpoints: CheckpointResult[] = [];
  const pending = await pendingCheckpoints(source, checkpoints);
  let next = 0;
  const files: FileResult[] = [];
  let leaves = 0;
  const witnessed = [...(opts.witnesses ?? [])].sort((a, b) => a.size - b.size);
  const witnesses: WitnessResult[] = [];
  let nextWitness = 0;
  const witnessAt = () => {
    while (nextWitness < witnessed.length && witnessed[nextWitness]!.size <= leaves) {
      const w = witnessed[nextWitness++]!;
      witnesses.push(checkWitness(w, w.size === leaves ? walk : undefined));
    }
  };

  const paths = await source.listRecordFiles();
  const pool = openPool(source, opts, paths);
  try {
    for (const [k, path] of paths.entries()) {
      const file: FileResult = { path, status: "valid", records: 0, invalid_records: 0, in_range: 0 };
      let lineNo = 0;
      for await (const batch of pool ? pool.batches(k) : localBatches(source, path)) {
        let t = 0;
        for (let i = 0; i < batch.n; i++) {
          while (next < pending.length && pending[next]!.size <= leaves) {
            const cp = pending[next++]!;
            checkpoints.push(
              cp.size === leaves
                ? await walk.checkFile(cp)
                : { ...cp, status: "INVALID", reason: "size mismatch" },
            );
          }
          // After the checkpoint at this size, so the log's origin is known to compare with.
          witnessAt();
          lineNo += 1;
          const typed = batch.typed[t];
          const record = typed?.[0] === i ? batch.typed[t++]![1] : undefined;
          const { reason, seq, recordedAt } = walk.applyLine(batch, i, record);
          walk.frontier.push(batch.leaves.subarray(32 * i, 32 * i + 32));
          leaves += 1;
          file.records += 1;
          file.first_seq ??= seq;
          file.last_seq = seq;
          if (reason) {
            file.invalid_records += 1;
            if (!file.first_failure) {
              file.status = "INVALID";
              file.first_failure = { path, line: lineNo, seq, reason };
              walk.report ??= file.first_failure;
            }
          } else {
            walk.recordsValid += 1;
          }
          if (walk.inWindow(recordedAt)) {
            file.in_range += 1;
            walk.inRange += 1;
            const time = recordedAt as string;
            if (walk.first === undefined || time < walk.first) walk.first = time;
            if (walk.last === undefined || time > walk.last) walk.last = time;
          }
        }
      }
      files.push(file);
    }
  } finally {
    await pool?.close();
  }
  for (; next < pending.length; next++) {
    const cp = pending[next]!;
    if (cp.size === leaves) checkpoints.push(await walk.checkFile(cp));
    else {
      const reason: VerifyReason = cp.size > leaves ? "truncated" : "size mismatch";
      checkpoints.push({ ...cp, status: "INVALID", reason });
      walk.report ??= { path: cp.path, reason };
    }
  }

  witnessAt();
  for (; nextWitness < witnessed.length; nextWitness++) {
    const w = witnessed[nextWitness]!;
    witnesses.push({ label: w.label, size: w.size, status: "INVALID", reason: "truncated" });
  }
  for (const w of witnesses) if (w.status === "INVALID") walk.report ??= { path: w.label, reason: w.reason! };

  const keys = [...walk.keyResults.values()];
  const ok =
    files.every((f) => f.status === "valid") &&
    checkpoints.every((c) => c.status === "valid") &&
    witnesses.every((w) => w.status === "valid") &&
    keys.every((k) => k.status === "valid");
  const keyFailure = keys.find((k) => k.status === "INVALID");
  const report: VerifyReport = {
    ok,
    requested: { since: opts.since, until: opts.until },
    found: { first: walk.first, last: walk.last },
    keys,
    files,
    checkpoints,
    ...(opts.witnesses ? { witnesses } : {}),
    totals: {
      records: leaves,
      records_valid: walk.recordsValid,
      records_in_range: walk.inRange,
      files: files.length,
      files_valid: files.filter((f) => f.status === "valid").length,
      checkpoints: checkpoints.length,
      checkpoints_valid: checkpoints.filter((c) => c.status === "valid").length,
      tree_size: leaves,
      root: walk.frontier.root().toString("hex"),
      last_hash: walk.lastHash,
      attested_size: walk.attested,
      unattested: leaves - walk.attested,
      keys_pinned: opts.trustedKeys !== undefined,
    },
  };
  if (walk.origin !== undefined) report.origin = walk.origin;
  const firstFailure =
    walk.report ?? (keyFailure ? { path: keyFailure.path, reason: keyFailure.reason! } : undefined);
  if (firstFailure) report.first_failure = firstFailure;
  return report;
}
