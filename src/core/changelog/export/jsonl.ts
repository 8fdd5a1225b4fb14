/**
 * records.jsonl: the selected records exactly as the log holds them — the same bytes, one per line, each ending
 * in LF — so that an auditor can recompute every record_hash and Merkle leaf (SHA-256(0x00 ‖ line)) from the
 * export alone and check them against the log's checkpoints.
 */
import type { LogEntry } from "./select.js";

/** One record's line of records.jsonl, LF-ended. */
export function jsonlLine(e: LogEntry): string {
  if (e.line.includes("\n") || e.line.includes("\r"))
    throw new Error(`record ${e.record.record_id}: a log line cannot hold a line break`);
  return `${e.line}\n`;
}

export function recordsJsonl(entries: readonly LogEntry[]): string {
  return entries.map(jsonlLine).join("");
}
