/**
 * The CC8 change log, as plain data. Records are JSON objects serialised as RFC 8785 canonical JSON, one per
 * line (JSONL); each carries its sequence number, the previous record's hash and its own, and is a leaf of an
 * RFC 9162 Merkle tree whose signed checkpoints are written every N records and on a heartbeat.
 * Layout of a log (a directory or a git branch):
 *   log/YYYY/MM/part-NNNN.jsonl       records, sharded by the month of `recorded_at` (parts of ≤ RECORDS_PER_PART)
 *   checkpoints/NNNNNNNNNNNN.txt      signed checkpoint notes, named by tree size (zero-padded to 12 digits)
 *   keys/<fingerprint>.pub            public keys (PEM, SPKI) that signed checkpoints
 *   index/<repository id>/<pr number>-<merge sha>.json   one file per change.merged record_id (idempotency)
 *   state.json                        the tip: size, last hash, Merkle frontier, last checkpoint (a cache:
 *                                     rebuildable from the records, verified against them)
 */

export const RECORD_SCHEMA = "cc8-change/1";
export const RECORDS_PER_PART = 10_000;

export const RECORD_TYPES = [
  "change.merged",
  "change.direct_push",
  "change.post_review",
  "policy.changed",
  "log.reconcile_run",
  "log.checkpoint",
  "log.key_rotated",
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** What every sealed record has. All GitHub ids are strings; all times RFC 3339 UTC strings; no floats. */
export interface RecordEnvelope {
  schema: typeof RECORD_SCHEMA;
  type: RecordType;
  /** 1, 2, 3… without gaps. */
  seq: number;
  /** Stable idempotency key (for change.merged: `<repository id>:<pr number>:<merge sha>`). */
  record_id: string;
  recorded_at: string;
  /** Hex SHA-256 of the previous record (64 zeros for seq 1). */
  prev_hash: string;
  /** Hex SHA-256 of the RFC 8785 serialisation of the record without `record_hash`. */
  record_hash: string;
  /** 0-based leaf index in the Merkle tree (= seq - 1). */
  leaf_index: number;
}

/** A record as builders produce it, before the log seals it (seq, hashes and leaf index come from the log). */
export type RecordDraft = Omit<RecordEnvelope, "seq" | "prev_hash" | "record_hash" | "leaf_index"> & {
  [field: string]: unknown;
};

export type LogRecord = RecordEnvelope & { [field: string]: unknown };

/** The log's tip, as `state.json` holds it. */
export interface LogState {
  size: number;
  last_hash: string;
  /** Roots of the perfect subtrees of the Merkle tree, left to right (hex), enough to extend it. */
  frontier: string[];
  /** Tree size of the newest checkpoint (0: none yet) and when it was made. */
  last_checkpoint_size: number;
  last_checkpoint_at?: string;
  /**
   * The shard the next record goes to, how many records and (since 0.1) how many bytes it holds: the byte count
   * spares the writer one read of the shard per append (one request on GitHub); without it the shard is asked.
   */
  current_part?: { path: string; records: number; bytes?: number };
  /**
   * `recorded_at` of record 1 (added by the storage helper): the heartbeat clock of a log that has no checkpoint
   * yet, so its first heartbeat checkpoint comes heartbeatHours after its first record.
   */
  started_at?: string;
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * Fields of a `log.checkpoint` record (added by the integrity helper; see checkpoint.ts). A checkpoint record
 * attests the tree of the records BEFORE it: `tree_size` = its own seq - 1, so a record never attests itself and
 * the next checkpoint covers it. Written in the same commit as `checkpoints/<tree_size>.txt`, whose note it
 * mirrors (same origin, size, root, last hash, time and signature). record_id: `checkpoint:<tree_size>`.
 */
export interface CheckpointRecordFields {
  tree_size: number;
  /** Hex SHA-256 Merkle root (RFC 9162) of the first tree_size records. */
  root_hash: string;
  /** record_hash of record seq = tree_size (GENESIS_HASH when tree_size is 0). */
  last_hash: string;
  origin: string;
  /** The note's `time` extension line. */
  checkpoint_time: string;
  key_name: string;
  key_fingerprint: string;
  /** base64(4-byte key id ‖ 64-byte Ed25519 signature): the note's signature line payload. */
  signature: string;
}

/**
 * Fields of a `log.key_rotated` record. Both signatures are base64 Ed25519 signatures over the RFC 8785
 * serialisation of `{ new_fingerprint, new_public_key, recorded_at }` (see keys.ts: keyRotationFields).
 */
export interface KeyRotationFields {
  old_fingerprint: string;
  new_fingerprint: string;
  /** PEM (SPKI) of the new Ed25519 public key. */
  new_public_key: string;
  signature_old: string;
  signature_new: string;
}
