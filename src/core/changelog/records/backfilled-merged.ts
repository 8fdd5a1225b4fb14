/**
 * The `change.merged` record for a merged pull request the log is missing, recovered by `reconcile --backfill`
 * (capture mode `reconcile`) from what a clone can tell. What git cannot know (GitHub's side: reviews, checks,
 * accounts, the description) is null and named in `unknown`, never guessed; the record is an exception
 * (`CAPTURED_BY_RECONCILE`) so that an auditor traces the change in GitHub.
 */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import { fileEntries } from "./common.js";
import { mergedRecordId } from "./merged.js";
import { linkedTickets } from "./tickets.js";
import {
  type BackfilledMergedFacts,
  type RecordException,
  UNKNOWABLE_MERGED_FIELDS,
  type UnknowableMergedField,
} from "./types.js";

export function backfilledMergedRecord(facts: BackfilledMergedFacts): RecordDraft {
  const { pr } = facts;
  const tickets = linkedTickets(
    { title: pr.title, headRef: pr.head_ref ?? "", body: "" },
    facts.policy.ticket_pattern,
  );
  const exception: RecordException = {
    code: "CAPTURED_BY_RECONCILE",
    detail: `PR #${pr.number} was merged at ${pr.merged_at} without a record; backfilled from git by reconcile, so approvals, checks and who merged are unknown here: trace it in GitHub.`,
  };
  const record: RecordDraft = {
    schema: RECORD_SCHEMA,
    type: "change.merged",
    record_id: mergedRecordId(facts.repository.id, pr.number, pr.merge_commit_sha),
    recorded_at: facts.recorded_at,
    capture_mode: "reconcile",
    delivery_id: null,
    repository: { id: facts.repository.id, full_name: facts.repository.full_name },
    pr: {
      number: pr.number,
      node_id: null,
      html_url: pr.url,
      title: pr.title,
      description_sha256: null,
      description_chars: null,
    },
    linked_tickets: tickets.tickets,
    ticket_pattern: tickets.pattern,
    change_class: null,
    risk: null,
    findings: null,
    validation_errors: null,
    base_ref: pr.base_ref,
    head_ref: pr.head_ref,
    base_sha: pr.base_sha,
    head_sha: pr.head_sha,
    merge_commit_sha: pr.merge_commit_sha,
    merge_method: pr.merge_method,
    merge_via: null,
    merged_at: pr.merged_at,
    merged_by: null,
    files: fileEntries(facts.files),
    baseline_after_sha256: facts.baseline.sha256,
    baseline_files: facts.baseline.files,
    author: null,
    initiated_by: null,
    last_pusher: null,
    pushers: null,
    commits: null,
    approvals: null,
    other_reviews: null,
    required_approvals: null,
    qualifying_approvals: null,
    approved_at: null,
    approval_rules: null,
    blocked_by: null,
    required_checks: null,
    gate_passing_at_merge: null,
    emergency: null,
    policy: { path: facts.policy.path, blob_sha: facts.policy.blob_sha },
    app_version: facts.app_version,
    verdicts: null,
    result: "exception",
    exceptions: [exception],
  };
  return { ...record, unknown: UNKNOWABLE_MERGED_FIELDS.filter((f) => valueAt(record, f) === null) };
}

function valueAt(record: Record<string, unknown>, field: UnknowableMergedField): unknown {
  const [head, tail] = field.split(".") as [string, string | undefined];
  return tail === undefined ? record[head] : (record[head] as Record<string, unknown>)[tail];
}
