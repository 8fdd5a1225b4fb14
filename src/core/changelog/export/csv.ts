/**
 * population.csv (one row per change: the auditor's population, from which a sample is drawn) and
 * exceptions.csv (one row per exception on any selected record). Encoding rules: csv-format.ts.
 */
import type { LogRecord } from "../types.js";
import { type CsvOptions, csvHead, csvLine } from "./csv-format.js";
import {
  type ChangeView,
  changeView,
  exceptionsOf,
  isChange,
  type PostReviewView,
  postReviewView,
  recordRepository,
  recordTime,
  text,
  VERDICTS,
} from "./fields.js";

/** Several values in one cell (approvers, tickets, exception codes) are joined with this. */
export const LIST_SEPARATOR = "; ";

export const POPULATION_COLUMNS = [
  "record_id",
  "seq",
  "type",
  "repository",
  "pr_number",
  "pr_url",
  "title",
  "tickets",
  "change_class",
  "risk",
  "author",
  "initiated_by",
  "last_pusher",
  "approvers",
  "approved_at",
  "merged_by",
  "merged_at",
  "merge_method",
  "merge_via",
  "head_sha",
  "merge_commit_sha",
  "required_checks",
  ...VERDICTS,
  "post_review_at",
  "post_review_outcome",
  "result",
  "exceptions",
  "capture_mode",
  "record_hash",
  "leaf_index",
] as const;

/** Follow-up reviews by the record_id they refer to (from `change.post_review` records). */
export function postReviewsByChange(records: Iterable<LogRecord>): Map<string, LogRecord[]> {
  const out = new Map<string, LogRecord[]>();
  for (const r of records) {
    if (r.type !== "change.post_review") continue;
    const id = postReviewView(r).refersTo;
    out.set(id, [...(out.get(id) ?? []), r]);
  }
  return out;
}

function populationRow(c: ChangeView, follow: readonly PostReviewView[]): string[] {
  const join = (xs: readonly string[]) => xs.filter((x) => x !== "").join(LIST_SEPARATOR);
  const row: Record<(typeof POPULATION_COLUMNS)[number], string> = {
    record_id: c.recordId,
    seq: c.seq,
    type: c.type,
    repository: c.repository,
    pr_number: c.prNumber,
    pr_url: c.prUrl,
    title: c.title,
    tickets: join(c.tickets),
    change_class: c.changeClass,
    risk: c.risk,
    author: c.author,
    initiated_by: join(c.initiatedBy),
    last_pusher: c.lastPusher,
    approvers: join(c.approvers),
    approved_at: c.approvedAt,
    merged_by: c.mergedBy,
    merged_at: c.mergedAt,
    merge_method: c.mergeMethod,
    merge_via: c.mergeVia,
    head_sha: c.headSha,
    merge_commit_sha: c.mergeSha,
    required_checks: join(c.checks.map((k) => `${k.name}=${k.conclusion || "none"}`)),
    approved_before_merge: c.verdicts.approved_before_merge ?? "",
    approval_on_final_commit: c.verdicts.approval_on_final_commit ?? "",
    author_not_approver: c.verdicts.author_not_approver ?? "",
    initiator_not_approver: c.verdicts.initiator_not_approver ?? "",
    pusher_not_sole_approver: c.verdicts.pusher_not_sole_approver ?? "",
    checks_passed: c.verdicts.checks_passed ?? "",
    gate_passed: c.verdicts.gate_passed ?? "",
    emergency: c.verdicts.emergency ?? "",
    post_review_at: join(follow.map((f) => f.reviewedAt)),
    post_review_outcome: join(follow.map((f) => f.outcome)),
    result: c.result,
    exceptions: join(c.exceptions.map((e) => e.code)),
    capture_mode: c.captureMode,
    record_hash: c.recordHash,
    leaf_index: c.leafIndex,
  };
  return POPULATION_COLUMNS.map((k) => row[k]);
}

/** The population's line for one record (CRLF-ended), or "" when the record is not a change. */
export function populationLine(record: LogRecord, follow: readonly PostReviewView[] = []): string {
  return isChange(record) ? csvLine(POPULATION_COLUMNS, populationRow(changeView(record), follow)) : "";
}

/**
 * One row per change in `records` (others are skipped), in log order. `postReviews` are the log's follow-up
 * reviews (usually all of them, so a review recorded after the period still shows against its change).
 */
export function populationCsv(
  records: readonly LogRecord[],
  postReviews: ReadonlyMap<string, readonly LogRecord[]> = new Map(),
  options: CsvOptions = {},
): string {
  const lines = records.map((r) =>
    populationLine(r, (postReviews.get(r.record_id) ?? []).map(postReviewView)),
  );
  return csvHead(POPULATION_COLUMNS, options) + lines.join("");
}

export const EXCEPTION_COLUMNS = [
  "record_id",
  "seq",
  "type",
  "repository",
  "pr_number",
  "pr_url",
  "occurred_at",
  "refers_to",
  "code",
  "detail",
  "record_hash",
  "leaf_index",
] as const;

/** exceptions.csv's lines (CRLF-ended) for one record: one per exception, "" when it has none. */
export function exceptionLines(r: LogRecord): string {
  const exceptions = exceptionsOf(r);
  if (exceptions.length === 0) return "";
  const c = isChange(r) ? changeView(r) : undefined;
  let out = "";
  for (const e of exceptions) {
    out += csvLine(EXCEPTION_COLUMNS, [
      r.record_id,
      text(r.seq),
      r.type,
      recordRepository(r) ?? "",
      c?.prNumber ?? "",
      c?.prUrl ?? "",
      recordTime(r) ?? "",
      r.type === "change.post_review" ? postReviewView(r).refersTo : "",
      e.code,
      e.detail,
      text(r.record_hash),
      text(r.leaf_index),
    ]);
  }
  return out;
}

/** One row per exception of every selected record (changes, follow-up reviews, reconcile runs), in log order. */
export function exceptionsCsv(records: readonly LogRecord[], options: CsvOptions = {}): string {
  return csvHead(EXCEPTION_COLUMNS, options) + records.map(exceptionLines).join("");
}
