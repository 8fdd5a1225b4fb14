/** The verifier's input (LogSource) and output (VerifyReport), as plain data. */
import type { KeyObject } from "node:crypto";

/** Read access to a log (a directory, a git branch, memory). Paths are relative to the log's root. */
export interface LogSource {
  /** `log/YYYY/MM/part-NNNN.jsonl` files, sorted (= log order). */
  listRecordFiles(): Promise<string[]>;
  /** The lines of a JSONL file, without newlines, in order. */
  readLines(path: string): AsyncIterable<string>;
  /** `checkpoints/NNNNNNNNNNNN.txt` files, sorted. */
  listCheckpoints(): Promise<string[]>;
  readText(path: string): Promise<string>;
  /** `keys/<fingerprint>.pub` files. */
  listKeys(): Promise<string[]>;
  /**
   * The absolute path of a file on this machine, when the source is a local directory: the verifier then reads
   * and checks record files in worker threads (same results as through readLines).
   */
  localPath?(path: string): string | undefined;
}

export interface VerifyOptions {
  /** Only records (and checkpoints) with recorded_at (time) in [since, until] are listed and counted. */
  since?: string;
  until?: string;
  /**
   * Keys the auditor trusts (pinned out of band). Without them every well-formed key in keys/ is trusted, and
   * the report says so. Either way a `log.key_rotated` record signed by an active key and the new key adds the
   * new key and retires the old one from that point on.
   */
  trustedKeys?: readonly KeyObject[];
  /** Expected origin of every checkpoint (default: the origin of the first one). */
  origin?: string;
  /**
   * Tree heads the verifier kept from an earlier look at the log (a checkpoint note, or the `log.checkpoint`
   * of a previous export's manifest): the log must still have exactly that root at that size. Signatures prove
   * who signed; a witness proves the log was only appended to since — even by someone holding the key.
   */
  witnesses?: readonly Witness[];
  /**
   * Check record lines in worker threads when the source gives local paths (default true); the report is the
   * same either way. Only available from the compiled package (lib/), not from TypeScript sources.
   */
  parallel?: boolean;
}

/** Fixed reasons, as in `aws cloudtrail validate-logs`. */
export const VERIFY_REASONS = [
  "unparseable",
  "not canonical",
  "hash mismatch",
  "chain broken",
  "sequence gap",
  "duplicate sequence",
  "leaf index mismatch",
  "root mismatch",
  "last hash mismatch",
  "size mismatch",
  "origin mismatch",
  "signature invalid",
  "unknown key",
  "fingerprint mismatch",
  "missing checkpoint",
  "checkpoint mismatch",
  "truncated",
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export type Status = "valid" | "INVALID";

/** The first broken place of a file: 1-based line, and the seq the line claims (or should have). */
export interface Failure {
  path: string;
  line: number;
  seq: number;
  reason: VerifyReason;
}

export interface FileResult {
  path: string;
  status: Status;
  records: number;
  first_seq?: number;
  last_seq?: number;
  /** How many records of the file fail a check. */
  invalid_records: number;
  first_failure?: Failure;
  /** Records whose recorded_at is in the requested range. */
  in_range: number;
}

export interface CheckpointResult {
  path: string;
  size: number;
  status: Status;
  reason?: VerifyReason;
  time?: string;
  key_fingerprint?: string;
}

/** A tree head kept outside the log: its size, RFC 9162 root (hex) and, when known, last record hash and origin. */
export interface Witness {
  label: string;
  size: number;
  root: string;
  lastHash?: string;
  origin?: string;
}

export interface WitnessResult {
  label: string;
  size: number;
  status: Status;
  reason?: VerifyReason;
}

export interface KeyResult {
  path: string;
  fingerprint: string;
  status: Status;
  reason?: VerifyReason;
  /** pinned: given by the auditor; log: trusted because it is in keys/ (no pin given); rotated: introduced by a
   * log.key_rotated record; untrusted: published but never introduced. */
  trust: "pinned" | "log" | "rotated" | "untrusted";
}

export interface VerifyReport {
  ok: boolean;
  origin?: string;
  requested: { since?: string; until?: string };
  /** recorded_at of the first and last record in the requested range. */
  found: { first?: string; last?: string };
  keys: KeyResult[];
  files: FileResult[];
  checkpoints: CheckpointResult[];
  /** Present when witnesses were given: whether the log still extends each of them. */
  witnesses?: WitnessResult[];
  /** The first broken place in log order. */
  first_failure?: Failure | { path: string; reason: VerifyReason };
  totals: {
    records: number;
    records_valid: number;
    records_in_range: number;
    files: number;
    files_valid: number;
    checkpoints: number;
    checkpoints_valid: number;
    /** Tree size (lines read) and RFC 9162 root (hex) of the whole log as found. */
    tree_size: number;
    root: string;
    last_hash: string;
    /** Size of the newest valid checkpoint, and the records after it (not yet attested). */
    attested_size: number;
    unattested: number;
    keys_pinned: boolean;
  };
}
