/**
 * One export: the records of a period (and repository glob) turned into population.csv, exceptions.csv,
 * records.jsonl, report.html, verify-report.txt and manifest.json. Pure: the caller reads the log, runs verify and
 * passes the time; the result is the files' exact text, to be written as UTF-8. This is the in-memory form of the
 * streaming export (stream.ts) — the same two readings over an array — for small logs and the tests; `export`
 * streams.
 */
import { MANIFEST_NAME, manifestJson } from "./manifest.js";
import type { ExportQuery, LogEntry } from "./select.js";
import { type ExportChunks, ExportIndex, ExportWriter, STREAMED_FILES, type StreamedFile } from "./stream.js";
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

export const EXPORT_FILES = [...STREAMED_FILES, "verify-report.txt", MANIFEST_NAME] as const;
export type ExportFileName = (typeof EXPORT_FILES)[number];

export function buildExport(input: ExportInput): Record<ExportFileName, string> {
  const { log, ...settings } = input;
  const all = [...log];
  const index = new ExportIndex(settings);
  for (const entry of all) index.add(entry);
  const writer = new ExportWriter(index);
  const parts = Object.fromEntries(STREAMED_FILES.map((name) => [name, [] as string[]])) as Record<
    StreamedFile,
    string[]
  >;
  const put = (chunks: ExportChunks | undefined) => {
    for (const name of STREAMED_FILES) {
      const text = chunks?.[name];
      if (text) parts[name].push(text);
    }
  };
  put(writer.start());
  for (const entry of all) put(writer.add(entry));
  put(writer.finish());
  const files = {
    ...(Object.fromEntries(STREAMED_FILES.map((name) => [name, parts[name].join("")])) as Record<
      StreamedFile,
      string
    >),
    "verify-report.txt": writer.verifyReport(),
  };
  return { ...files, [MANIFEST_NAME]: manifestJson({ files, ...writer.manifestMeta() }) };
}
