import picomatch from "picomatch";
import type { LogRecord } from "../types.js";
import { recordRepository, recordTime } from "./fields.js";

/** What the auditor asked for: `--since`, `--until` (RFC 3339 or a plain date) and `--repository <glob>`. */
export interface ExportQuery {
  since?: string;
  until?: string;
  repository?: string;
}

/** A record as the log holds it: the exact line (its bytes are the Merkle leaf) and the parsed record. */
export interface LogEntry {
  line: string;
  record: LogRecord;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DAY_MS = 86_400_000;

/** The instant bounds of a query, both inclusive, in epoch milliseconds. */
export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * Turns `--since`/`--until` into an inclusive window. A plain date means the whole UTC day: `--since 2026-01-01
 * --until 2026-03-31` covers the first quarter. Anything else must be an RFC 3339 time; an unreadable bound
 * throws rather than silently widening the population.
 */
export function timeWindow(query: ExportQuery): TimeWindow {
  const from = query.since === undefined ? Number.NEGATIVE_INFINITY : instant(query.since, "since");
  const to =
    query.until === undefined
      ? Number.POSITIVE_INFINITY
      : instant(query.until, "until") + (DATE_ONLY.test(query.until) ? DAY_MS - 1 : 0);
  if (from > to) throw new Error(`--since ${query.since} is after --until ${query.until}`);
  return { from, to };
}

function instant(text: string, name: string): number {
  const ms =
    DATE_ONLY.test(text) || RFC3339.test(text)
      ? Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text)
      : Number.NaN;
  if (Number.isNaN(ms))
    throw new Error(`--${name} ${JSON.stringify(text)} is not a date (YYYY-MM-DD) or an RFC 3339 time`);
  return ms;
}

/**
 * The records an export covers, in log order. A change is placed in time by when it was merged (`change.merged`)
 * and every other record by `recorded_at`, so a change merged on the last day of a period and recorded after
 * midnight still belongs to that period. With `--repository`, only records of a matching repository (full name,
 * picomatch glob, case-insensitive like GitHub names) are kept; records about no repository (log runs, key
 * rotations) are left out.
 */
export function selectEntries(entries: Iterable<LogEntry>, query: ExportQuery): LogEntry[] {
  const selected = recordFilter(query);
  const out: LogEntry[] = [];
  for (const entry of entries) if (selected(entry.record)) out.push(entry);
  return out;
}

/** Whether a record belongs to the export of `query` (the test `selectEntries` applies to each entry). */
export function recordFilter(query: ExportQuery): (record: LogRecord) => boolean {
  const window = timeWindow(query);
  const bounded = Number.isFinite(window.from) || Number.isFinite(window.to);
  const matches =
    query.repository === undefined ? undefined : picomatch(query.repository, { nocase: true, dot: true });
  return (record) => {
    const at = Date.parse(recordTime(record) ?? "");
    // A record without a readable time can only be placed in an unbounded export.
    if (Number.isNaN(at) ? bounded : at < window.from || at > window.to) return false;
    if (matches) {
      const repo = recordRepository(record);
      if (repo === undefined || !matches(repo)) return false;
    }
    return true;
  };
}
