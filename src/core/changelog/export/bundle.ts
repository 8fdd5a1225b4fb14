/**
 * One export: the records of a period (and repository glob) turned into population.csv, exceptions.csv,
 * records.jsonl, report.html, verify-report.txt and manifest.json. Pure: the caller reads the log, runs verify and
 * passes the time; the result is the files' exact text, to be written as UTF-8.
 */
import type { LogRecord } from "../types.js";
import { exceptionsCsv, populationCsv, postReviewsByChange } from "./csv.js";
import { exceptionsOf, isChange } from "./fields.js";
import { reportHtml } from "./html.js";
import { recordsJsonl } from "./jsonl.js";
import { MANIFEST_NAME, manifestJson } from "./manifest.js";
import { type ExportQuery, type LogEntry, selectEntries } from "./select.js";
import type { ExportVerification } from "./verification.js";

export interface ExportInput {
  /** The whole log in order (follow-up reviews are looked up across all of it). */
  log: Iterable<LogEntry>;
  query: ExportQuery;
  verification: ExportVerification;
  /** RFC 3339 UTC: injected, so that the same log and query give the same bytes. */
  generatedAt: string;
  tool: { name: string; version: string };
  /** Start the CSV files with a UTF-8 byte-order mark (for Excel). */
  bom?: boolean;
}

export const EXPORT_FILES = [
  "population.csv",
  "exceptions.csv",
  "records.jsonl",
  "report.html",
  "verify-report.txt",
  MANIFEST_NAME,
] as const;
export type ExportFileName = (typeof EXPORT_FILES)[number];

export function buildExport(input: ExportInput): Record<ExportFileName, string> {
  const all = [...input.log];
  const selected = selectEntries(all, input.query);
  const records: LogRecord[] = selected.map((e) => e.record);
  const postReviews = postReviewsByChange(all.map((e) => e.record));
  const bom = input.bom ?? false;
  const files = {
    "population.csv": populationCsv(records, postReviews, { bom }),
    "exceptions.csv": exceptionsCsv(records, { bom }),
    "records.jsonl": recordsJsonl(selected),
    "report.html": reportHtml({
      records,
      postReviews,
      query: input.query,
      verification: input.verification,
      generatedAt: input.generatedAt,
      tool: input.tool,
    }),
    "verify-report.txt":
      input.verification.text.endsWith("\n") || input.verification.text === ""
        ? input.verification.text
        : `${input.verification.text}\n`,
  };
  const manifest = manifestJson({
    files,
    query: input.query,
    generatedAt: input.generatedAt,
    tool: input.tool,
    verification: input.verification,
    counts: {
      records: records.length,
      changes: records.filter(isChange).length,
      exceptions: records.reduce((n, r) => n + exceptionsOf(r).length, 0),
    },
    bom,
  });
  return { ...files, [MANIFEST_NAME]: manifest } as Record<ExportFileName, string>;
}
