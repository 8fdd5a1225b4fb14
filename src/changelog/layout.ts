import { createHash } from "node:crypto";
import { RECORDS_PER_PART } from "../core/changelog/types.js";

/**
 * Where things live in a log (a directory or a git branch); the layout is described in
 * src/core/changelog/types.ts. Paths are always `/`-separated and relative to the log's root.
 */

export const STATE_PATH = "state.json";
export const RECORDS_DIR = "log";
export const CHECKPOINTS_DIR = "checkpoints";
export const KEYS_DIR = "keys";
export const INDEX_DIR = "index";

/**
 * A shard also closes at this many bytes, whatever its record count: the GitHub store sends the whole new
 * content of a shard with every append (createCommitOnBranch has no append), so a shard must stay small. (1 MiB
 * is about 300 `change.merged` records.)
 */
export const MAX_PART_BYTES = 1024 * 1024;

const MERGED_ID = /^([0-9]+):([0-9]+):([0-9a-f]{40,64})$/;

/**
 * The index file that marks a record id as written. `change.merged` ids (`<repository id>:<pr>:<sha>`) map to
 * `index/<repository id>/<pr>-<sha>.json`; any other id to `index/other/<sha256 of the id>.json` (ids of other
 * record types may hold characters that are not safe in a path).
 */
export function indexPath(recordId: string): string {
  const merged = MERGED_ID.exec(recordId);
  if (merged) return `${INDEX_DIR}/${merged[1]}/${merged[2]}-${merged[3]}.json`;
  return `${INDEX_DIR}/other/${createHash("sha256").update(recordId, "utf8").digest("hex")}.json`;
}

/** `log/YYYY/MM/part-NNNN.jsonl` (part numbers count from 1 within a month). */
export function partPath(month: string, part: number): string {
  return `${RECORDS_DIR}/${month}/part-${String(part).padStart(4, "0")}.jsonl`;
}

/** `YYYY/MM` of an RFC 3339 UTC time. */
export function monthOf(time: string): string {
  const m = /^([0-9]{4})-([0-9]{2})-/.exec(time);
  if (!m) throw new Error(`not an RFC 3339 time: ${JSON.stringify(time)}`);
  return `${m[1]}/${m[2]}`;
}

const PART = /^log\/([0-9]{4}\/[0-9]{2})\/part-([0-9]{4,})\.jsonl$/;

export interface Part {
  path: string;
  records: number;
  bytes: number;
}

/**
 * The shard the next record goes to. A record stays in the current shard while that shard is of the same month
 * or a later one (shards never go back in time, so reading them in path order reads the records in seq order),
 * holds fewer than RECORDS_PER_PART records, and stays within MAX_PART_BYTES with the new line.
 */
export function nextPart(current: Part | undefined, recordedAt: string, lineBytes: number): Part {
  const month = monthOf(recordedAt);
  if (!current) return { path: partPath(month, 1), records: 0, bytes: 0 };
  const parsed = PART.exec(current.path);
  if (!parsed) throw new Error(`state.json names an unexpected shard: ${current.path}`);
  const currentMonth = parsed[1]!;
  const full =
    current.records > 0 &&
    (current.records >= RECORDS_PER_PART || current.bytes + lineBytes > MAX_PART_BYTES);
  if (month > currentMonth) return { path: partPath(month, 1), records: 0, bytes: 0 };
  if (!full) return current;
  return { path: partPath(currentMonth, Number(parsed[2]) + 1), records: 0, bytes: 0 };
}
