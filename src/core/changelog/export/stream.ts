/**
 * The export in two readings of the log, holding one record at a time, so that its memory does not grow with the
 * log. First reading (`ExportIndex.add`, every entry): the follow-up reviews of the whole log (few: one per
 * emergency change) and the tally report.html's summary and exception list need up front. Second reading
 * (`ExportWriter.add`, every entry again — or only those of the record files that held selected records): each
 * selected record's lines of population.csv, exceptions.csv, records.jsonl and report.html. Pure: the caller reads the log and writes (and hashes) the text it is given;
 * `buildExport` is the same two readings over an array.
 */
import type { LogRecord } from "../types.js";
import { EXCEPTION_COLUMNS, exceptionLines, POPULATION_COLUMNS, populationLine } from "./csv.js";
import { csvHead } from "./csv-format.js";
import { type PostReviewView, postReviewView } from "./fields.js";
import { ChangeDetails, type ReportMeta, reportEnd, reportStart } from "./html.js";
import { jsonlLine } from "./jsonl.js";
import { type FileDigest, type ManifestMeta, manifestFromDigests } from "./manifest.js";
import { type LogEntry, recordFilter } from "./select.js";
import { ExportTally } from "./tally.js";

/** The files written record by record (verify-report.txt and manifest.json are written whole, after them). */
export const STREAMED_FILES = ["population.csv", "exceptions.csv", "records.jsonl", "report.html"] as const;
export type StreamedFile = (typeof STREAMED_FILES)[number];
/** Text to append to each file, in this order; a file left out gets nothing. */
export type ExportChunks = Partial<Record<StreamedFile, string>>;

export interface ExportSettings extends ReportMeta {
  /** Start the CSV files with a UTF-8 byte-order mark (for Excel). */
  bom?: boolean;
}

/** verify-report.txt: verify's report as printed, ending in a newline (empty stays empty). */
export function verifyReportText(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

/** The first reading: give it every log entry in order. */
export class ExportIndex {
  readonly tally = new ExportTally();
  readonly selected: (record: LogRecord) => boolean;
  private readonly postReviews = new Map<string, PostReviewView[]>();

  constructor(readonly settings: ExportSettings) {
    this.selected = recordFilter(settings.query);
  }

  add(entry: LogEntry): void {
    const r = entry.record;
    if (r.type === "change.post_review") {
      const view = postReviewView(r);
      const known = this.postReviews.get(view.refersTo);
      if (known) known.push(view);
      else this.postReviews.set(view.refersTo, [view]);
    }
    if (this.selected(r)) this.tally.add(r);
  }

  /** The follow-up reviews of a change anywhere in the log (a review recorded after the period counts too). */
  reviewsOf(recordId: string): readonly PostReviewView[] {
    return this.postReviews.get(recordId) ?? [];
  }
}

/** The second reading, after the first is complete: `start`, `add` for every log entry in order, `finish`. */
export class ExportWriter {
  private readonly details: ChangeDetails;
  private records = 0;

  constructor(private readonly index: ExportIndex) {
    this.details = new ChangeDetails(index.tally);
  }

  start(): ExportChunks {
    const bom = this.index.settings.bom ?? false;
    return {
      "population.csv": csvHead(POPULATION_COLUMNS, { bom }),
      "exceptions.csv": csvHead(EXCEPTION_COLUMNS, { bom }),
      "report.html": reportStart(this.index.settings, this.index.tally),
    };
  }

  add(entry: LogEntry): ExportChunks | undefined {
    const r = entry.record;
    if (!this.index.selected(r)) return undefined;
    this.records += 1;
    const follow = this.index.reviewsOf(r.record_id);
    return {
      "population.csv": populationLine(r, follow),
      "exceptions.csv": exceptionLines(r),
      "records.jsonl": jsonlLine(entry),
      "report.html": this.details.next(r, () => follow),
    };
  }

  /** The last text; throws if the second reading selected other records than the first (the log changed). */
  finish(): ExportChunks {
    const first = this.index.tally.records;
    if (this.records !== first) {
      throw new Error(
        `the log changed while it was exported: ${first} records selected on the first reading, ${this.records} on the second`,
      );
    }
    return { "report.html": reportEnd() };
  }

  /** verify-report.txt. */
  verifyReport(): string {
    return verifyReportText(this.index.settings.verification.text);
  }

  /** What manifest.json says besides the files. */
  manifestMeta(): ManifestMeta {
    const { query, generatedAt, tool, verification, bom } = this.index.settings;
    const t = this.index.tally;
    return {
      query,
      generatedAt,
      tool,
      verification,
      counts: { records: t.records, changes: t.changes, exceptions: t.exceptions },
      bom: bom ?? false,
    };
  }

  /** manifest.json for the files written (every file of the export but the manifest itself). */
  manifest(digests: readonly FileDigest[]): string {
    return manifestFromDigests(this.manifestMeta(), digests);
  }
}
