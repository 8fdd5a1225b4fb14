/**
 * Reading sealed records for the export: every field that population.csv, exceptions.csv and report.html show
 * is read here, so the three always agree. Field names are those of schemas/changelog-record.schema.json (the
 * record builders in ../records). Records are read leniently — a missing or unexpected field is shown empty,
 * never guessed — because an export must still describe records an older or newer writer produced.
 */
import type { MergedVerdicts } from "../records/types.js";
import type { LogRecord } from "../types.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at a dotted path, or undefined. */
export function at(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const key of path.split(".")) {
    if (!isObj(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** A scalar as text: strings as they are, integers and booleans spelled out, anything else (null too) empty. */
export function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** An account (`{login, id, type}`) as its login; empty for null. */
export function login(v: unknown): string {
  return text(at(v, "login"));
}

/** The record types that are changes: one population row each. */
export const CHANGE_TYPES: readonly string[] = ["change.merged", "change.direct_push"];

export function isChange(record: LogRecord): boolean {
  return CHANGE_TYPES.includes(record.type);
}

/** The precomputed verdicts of a merged change, in the order the population's columns show them. */
const VERDICT_ORDER: Record<keyof MergedVerdicts, number> = {
  approved_before_merge: 0,
  approval_on_final_commit: 1,
  author_not_approver: 2,
  initiator_not_approver: 3,
  pusher_not_sole_approver: 4,
  checks_passed: 5,
  gate_passed: 6,
  emergency: 7,
};
export const VERDICTS = (Object.keys(VERDICT_ORDER) as (keyof MergedVerdicts)[]).sort(
  (a, b) => VERDICT_ORDER[a] - VERDICT_ORDER[b],
);

/**
 * When a record happened, for `--since/--until`: a merged change when it was merged, a direct push when it was
 * pushed, everything else when it was recorded.
 */
export function recordTime(record: LogRecord): string | undefined {
  const own =
    record.type === "change.merged"
      ? record.merged_at
      : record.type === "change.direct_push"
        ? record.pushed_at
        : undefined;
  if (typeof own === "string" && own !== "") return own;
  return typeof record.recorded_at === "string" ? record.recorded_at : undefined;
}

/** The repository's full name (`owner/name`), if the record is about one. */
export function recordRepository(record: LogRecord): string | undefined {
  const name = text(at(record, "repository.full_name"));
  return name === "" ? undefined : name;
}

/** One exception: a fixed code (see EXCEPTION_CODES) and one sentence. */
export interface ExceptionView {
  code: string;
  detail: string;
}

export function exceptionsOf(record: LogRecord): ExceptionView[] {
  return list(record.exceptions).map((e) => ({ code: text(at(e, "code")), detail: text(at(e, "detail")) }));
}

export interface ApprovalView {
  login: string;
  submittedAt: string;
  commit: string;
  countedFor: string[];
}

function review(r: unknown): ApprovalView {
  return {
    login: login(at(r, "reviewer")),
    submittedAt: text(at(r, "submitted_at")),
    commit: text(at(r, "commit_id")),
    countedFor: list(at(r, "counted_for")).map(text),
  };
}

export interface OtherReviewView extends ApprovalView {
  state: string;
  notCountedBecause: string;
}

export interface CheckView {
  name: string;
  conclusion: string;
}

export interface FileView {
  path: string;
  previousPath: string;
  status: string;
  before: string;
  after: string;
}

export interface RuleView {
  name: string;
  status: string;
  required: string;
  counted: string[];
  because: string;
}

/** Everything the export shows about one change (`change.merged` or `change.direct_push`). */
export interface ChangeView {
  recordId: string;
  seq: string;
  type: string;
  captureMode: string;
  recordedAt: string;
  repository: string;
  prNumber: string;
  prUrl: string;
  title: string;
  tickets: string[];
  changeClass: string;
  risk: string;
  author: string;
  initiatedBy: string[];
  lastPusher: string;
  approvals: ApprovalView[];
  otherReviews: OtherReviewView[];
  rules: RuleView[];
  approvers: string[];
  approvedAt: string;
  mergedBy: string;
  mergedAt: string;
  /** `merge`/`squash`/`rebase` for a pull request; `direct push` or `force push` for a push. */
  mergeMethod: string;
  mergeVia: string;
  baseSha: string;
  headSha: string;
  mergeSha: string;
  checks: CheckView[];
  files: FileView[];
  findings: { rule: string; path: string }[];
  emergency?: { declaredBy: string; reason: string; declaredAt: string; reviewDueBy: string };
  verdicts: Partial<Record<keyof MergedVerdicts, string>>;
  result: string;
  exceptions: ExceptionView[];
  recordHash: string;
  leafIndex: string;
}

export function changeView(record: LogRecord): ChangeView {
  const push = record.type === "change.direct_push";
  const approvals = list(record.approvals).map(review);
  const verdicts: Partial<Record<keyof MergedVerdicts, string>> = {};
  for (const v of VERDICTS) {
    const value = text(at(record, `verdicts.${v}`));
    if (value !== "") verdicts[v] = value;
  }
  const emergency = record.emergency;
  return {
    recordId: record.record_id,
    seq: text(record.seq),
    type: record.type,
    captureMode: text(record.capture_mode),
    recordedAt: text(record.recorded_at),
    repository: recordRepository(record) ?? "",
    prNumber: text(at(record, "pr.number")),
    prUrl: text(at(record, "pr.html_url")),
    title: text(at(record, "pr.title")),
    tickets: list(record.linked_tickets).map(text),
    changeClass: text(record.change_class),
    risk: text(record.risk),
    author: login(record.author),
    initiatedBy: list(record.initiated_by).map(login),
    lastPusher: login(push ? record.pusher : record.last_pusher),
    approvals,
    otherReviews: list(record.other_reviews).map((r) => ({
      ...review(r),
      state: text(at(r, "state")),
      notCountedBecause: text(at(r, "not_counted_because")),
    })),
    rules: list(record.approval_rules)
      .filter((r) => at(r, "applies") !== false)
      .map((r) => ({
        name: text(at(r, "name")),
        status: text(at(r, "status")),
        required: text(at(r, "required")),
        counted: list(at(r, "counted")).map(text),
        because: text(at(r, "because")),
      })),
    approvers: [...new Set(approvals.map((a) => a.login))],
    approvedAt: text(record.approved_at),
    mergedBy: login(push ? record.pusher : record.merged_by),
    mergedAt: text(push ? record.pushed_at : record.merged_at),
    mergeMethod: push ? (record.forced === true ? "force push" : "direct push") : text(record.merge_method),
    mergeVia: text(record.merge_via),
    baseSha: text(push ? record.before : record.base_sha),
    headSha: text(push ? record.after : record.head_sha),
    mergeSha: text(push ? record.after : record.merge_commit_sha),
    checks: list(record.required_checks).map((c) => ({
      name: text(at(c, "name")),
      conclusion: text(at(c, "conclusion")),
    })),
    files: list(record.files).map((f) => ({
      path: text(at(f, "path")),
      previousPath: text(at(f, "previous_path")),
      status: text(at(f, "status")),
      before: text(at(f, "blob_before")),
      after: text(at(f, "blob_after")),
    })),
    findings: list(record.findings).map((f) => ({ rule: text(at(f, "rule")), path: text(at(f, "path")) })),
    ...(isObj(emergency)
      ? {
          emergency: {
            declaredBy: login(emergency.declared_by),
            reason: text(emergency.reason),
            declaredAt: text(emergency.declared_at),
            reviewDueBy: text(emergency.review_due_by),
          },
        }
      : {}),
    verdicts,
    result: text(record.result),
    exceptions: exceptionsOf(record),
    recordHash: text(record.record_hash),
    leafIndex: text(record.leaf_index),
  };
}

/** A follow-up review (`change.post_review`) as the population and report show it. */
export interface PostReviewView {
  refersTo: string;
  reviewer: string;
  reviewedAt: string;
  outcome: string;
  dueBy: string;
  recordId: string;
}

export function postReviewView(record: LogRecord): PostReviewView {
  return {
    refersTo: text(at(record, "refers_to.record_id")),
    reviewer: login(record.reviewer),
    reviewedAt: text(record.reviewed_at),
    outcome: text(record.outcome),
    dueBy: text(record.due_by),
    recordId: record.record_id,
  };
}
