/** The log's records with their exact lines, in log order, from any LogSource (a directory, a branch, memory). */
import type { LogRecord } from "../types.js";
import type { LogSource } from "../verify-types.js";
import type { LogEntry } from "./select.js";

/**
 * Streams every record. Lines that do not parse as a record object are skipped here: `verify` reports them, and
 * an export is only as good as the verification shown next to it.
 */
export async function* logEntries(source: LogSource): AsyncGenerator<LogEntry> {
  for (const path of await source.listRecordFiles()) yield* fileEntries(source, path);
}

/** The records of one record file (`log/YYYY/MM/part-NNNN.jsonl`), as `logEntries` reads them. */
export async function* fileEntries(source: LogSource, path: string): AsyncGenerator<LogEntry> {
  for await (const line of source.readLines(path)) {
    if (line === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof record === "object" && record !== null && !Array.isArray(record)) {
      yield { line, record: record as LogRecord };
    }
  }
}
