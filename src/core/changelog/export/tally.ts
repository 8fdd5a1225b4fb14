/**
 * What report.html's summary and exception list need before any change is written, gathered one selected record
 * at a time (the export's first reading of the log): counts, and the first MAX_HTML_EXCEPTIONS exception rows.
 * The report caps the change details and the exception list so that a period of a million changes still gives a
 * page a browser opens; population.csv, exceptions.csv and records.jsonl always hold every selected record.
 */
import type { LogRecord } from "../types.js";
import { exceptionsOf, isChange, text } from "./fields.js";
import { exceptionRowsHtml } from "./html-change.js";

/** The most changes report.html shows in detail (the rest are in population.csv and records.jsonl). */
export const MAX_HTML_CHANGES = 2_000;
/** The most exceptions report.html lists (the rest are in exceptions.csv). */
export const MAX_HTML_EXCEPTIONS = 2_000;

/**
 * Whether report.html details a change. Changes with exceptions come first: the first MAX_HTML_CHANGES of them
 * in log order; the places left go to the other changes, in log order. `ordinal` counts the change among those
 * of its kind (with or without exceptions) from 0; `withExceptions` is how many changes have exceptions in all.
 */
export function detailed(hasExceptions: boolean, ordinal: number, withExceptions: number): boolean {
  return hasExceptions
    ? ordinal < MAX_HTML_CHANGES
    : ordinal < MAX_HTML_CHANGES - Math.min(withExceptions, MAX_HTML_CHANGES);
}

export class ExportTally {
  /** Selected records. */
  records = 0;
  /** Selected records by type. */
  readonly byType = new Map<string, number>();
  changes = 0;
  /** Changes that are merged pull requests (the rest are direct pushes). */
  merged = 0;
  /** Merged pull requests of the emergency class. */
  emergency = 0;
  changesWithExceptions = 0;
  /** Exceptions on all selected records. */
  exceptions = 0;
  /** report.html's exception rows (markup cells): the first MAX_HTML_EXCEPTIONS, in log order. */
  readonly exceptionRows: string[][] = [];

  /** Counts one selected record (in log order). */
  add(record: LogRecord): void {
    this.records += 1;
    this.byType.set(record.type, (this.byType.get(record.type) ?? 0) + 1);
    const count = exceptionsOf(record).length;
    let linked = false;
    if (isChange(record)) {
      if (record.type === "change.merged") {
        this.merged += 1;
        if (text(record.change_class) === "emergency") this.emergency += 1;
      }
      if (count > 0) {
        linked = detailed(true, this.changesWithExceptions, 0);
        this.changesWithExceptions += 1;
      }
      this.changes += 1;
    }
    if (count > 0 && this.exceptionRows.length < MAX_HTML_EXCEPTIONS) {
      const rows = exceptionRowsHtml(record, linked);
      this.exceptionRows.push(...rows.slice(0, MAX_HTML_EXCEPTIONS - this.exceptionRows.length));
    }
    this.exceptions += count;
  }
}
