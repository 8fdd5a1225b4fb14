/**
 * What the builders take (facts, plain data the adapters gather) and what they produce (record drafts, before
 * the log seals them). Field names follow docs/changelog-format.md and schemas/changelog-record.schema.json.
 * GitHub ids are strings, times RFC 3339 UTC strings, numbers integers.
 */
import type { ApprovalFacts, ApprovalResult } from "../../approvals/types.js";
import type { ChangeStatus, RiskTier } from "../../types.js";
import type { CheckpointRecordFields, KeyRotationFields, RecordDraft } from "../types.js";

export type AccountType = "User" | "Bot" | "Organization";

/** An account as the log records it: `id` is GitHub's numeric id as a string, null when the adapter lacks it. */
export interface AccountRef {
  login: string;
  id: string | null;
  type: AccountType;
}

export type CaptureMode = "webhook" | "reconcile";

/** How GitHub merged the pull request (`merge_method`) and through what (`merge_via`, when known). */
export type MergeMethod = "merge" | "squash" | "rebase";
export type MergeVia = "web" | "api" | "auto_merge" | "merge_queue";

/** An in-scope (agent-config) file of the change: blob SHAs are git object ids, null where the side is absent. */
export interface ChangedFileFacts {
  path: string;
  previous_path?: string;
  status: ChangeStatus;
  category: string;
  format: string;
  blob_before: string | null;
  blob_after: string | null;
}

/** The engine's `Evaluation`, reduced to what the log keeps (no contents, no messages). */
export interface EvaluationSummary {
  risk: RiskTier;
  /** Unsuppressed findings (rule id and path). */
  findings: { rule: string; path: string }[];
  files: ChangedFileFacts[];
  /** Validation errors at merge (0 when the change was valid). */
  errors: number;
}

/** A required status check or check run, as it stood for the head (or merge-group) commit at merge. */
export interface RequiredCheckFacts {
  name: string;
  /** GitHub's conclusion (`success`, `failure`, `neutral`, `skipped`, `cancelled`, `timed_out`,
   * `action_required`, `stale`…); null: never completed. */
  conclusion: string | null;
  app_slug?: string;
  completed_at?: string;
  sha?: string;
}

/** What the app knows when a pull request touching agent configs is merged. */
export interface MergedFacts {
  recorded_at: string;
  capture_mode: CaptureMode;
  /** X-GitHub-Delivery of the `pull_request` event; null when reconciled. */
  delivery_id: string | null;
  repository: { id: string; full_name: string };
  pr: {
    number: number;
    node_id: string;
    url: string;
    title: string;
    /** The description (hashed, never stored; "" when empty). */
    body: string;
    head_ref: string;
    base_ref: string;
    base_sha: string;
    head_sha: string;
    merge_commit_sha: string;
    merged_at: string;
    merged_by: AccountRef;
    merge_method: MergeMethod;
    merge_via?: MergeVia;
    author: AccountRef;
  };
  evaluation: EvaluationSummary;
  /** Every in-scope path at the merge commit with its blob SHA (the baseline after the change). */
  baseline: { path: string; blob_sha: string }[];
  /** The approvals engine's result as it stood at merge. */
  approvals: ApprovalResult;
  /** The facts it judged (reviews, commits, pushers, requesters, content-identical heads). */
  approval_facts: Pick<
    ApprovalFacts,
    "reviews" | "commits" | "pushers" | "requesters" | "headSha" | "contentIdenticalCommits"
  >;
  /** The account that pushed the head commit, when the adapter knows it (else the last of `pushers`). */
  last_pusher?: string;
  /** GitHub user ids by login, for reviewers and others known only by login (optional). */
  user_ids?: Record<string, string>;
  required_checks: RequiredCheckFacts[];
  /** Whether our own check run (the gate) was successful on the head commit when it merged. */
  gate_passing_at_merge: boolean;
  policy: {
    /** Repository path of the policy file; null: no file (defaults). */
    path: string | null;
    /** Git blob SHA of the policy file at the base commit; null: no file. */
    blob_sha: string | null;
    /** `changelog.ticket_pattern` (a regular expression); default: Jira keys and `#123`. */
    ticket_pattern?: string;
  };
  app_version: string;
}

/**
 * Fields of a `change.merged` record that a record recovered after the fact may not know: each is null in such a
 * record and named in its `unknown` list (schemas/changelog-record.schema.json allows null for exactly these).
 */
export const UNKNOWABLE_MERGED_FIELDS = [
  "pr.node_id",
  "pr.description_sha256",
  "pr.description_chars",
  "change_class",
  "risk",
  "findings",
  "validation_errors",
  "head_ref",
  "base_sha",
  "head_sha",
  "merge_via",
  "merged_by",
  "author",
  "initiated_by",
  "last_pusher",
  "pushers",
  "commits",
  "approvals",
  "other_reviews",
  "required_approvals",
  "qualifying_approvals",
  "approved_at",
  "approval_rules",
  "blocked_by",
  "required_checks",
  "gate_passing_at_merge",
  "emergency",
  "verdicts",
] as const;
export type UnknowableMergedField = (typeof UNKNOWABLE_MERGED_FIELDS)[number];

/**
 * What a local clone tells about a merged pull request the log is missing (`reconcile --backfill`): the merge
 * commit, its parents, the files and their blobs, when it landed and the policy file. GitHub's side (reviews,
 * checks, accounts, the description) is not known; the record leaves it null and lists it under `unknown`.
 */
export interface BackfilledMergedFacts {
  recorded_at: string;
  repository: { id: string; full_name: string };
  pr: {
    number: number;
    url: string;
    /** From the merge commit's message (GitHub's default: the PR title). */
    title: string;
    base_ref: string;
    /** From the merge commit's subject (`Merge pull request #N from owner/branch`); null: not in the message. */
    head_ref: string | null;
    /** The merge commit's first parent; null: it has none. */
    base_sha: string | null;
    /** The merge commit's second parent (merge commits only); null: not knowable (squash). */
    head_sha: string | null;
    merge_commit_sha: string;
    /** When the commit landed as far as git tells (the committer date). */
    merged_at: string;
    merge_method: MergeMethod;
  };
  files: ChangedFileFacts[];
  /** The baseline after the change: hex SHA-256 over the in-scope files at the merge commit, and their count. */
  baseline: { sha256: string; files: number };
  policy: { path: string | null; blob_sha: string | null; ticket_pattern?: string };
  app_version: string;
}

export interface PushedCommitFacts {
  sha: string;
  author_login: string | null;
  committer_login: string | null;
  /** The commit message is hashed, never stored. */
  message: string;
}

/** A push to the default branch touching agent configs that no merged pull request explains. */
export interface DirectPushFacts {
  recorded_at: string;
  capture_mode: CaptureMode;
  delivery_id: string | null;
  repository: { id: string; full_name: string };
  ref: string;
  before: string;
  after: string;
  pusher: AccountRef | null;
  pushed_at: string;
  forced: boolean;
  commits: PushedCommitFacts[];
  files: ChangedFileFacts[];
  policy: { path: string | null; blob_sha: string | null };
  app_version: string;
}

export type PostReviewOutcome = "accepted" | "rejected";

/** The follow-up review of an emergency (or other exception) change. */
export interface PostReviewFacts {
  recorded_at: string;
  /** The reviewed record: its record_id and its sealed record_hash. */
  refers_to: { record_id: string; record_hash: string };
  /** What produced the review (a PR review id, an issue comment id…): makes the record_id unique. */
  source_id: string;
  reviewer: AccountRef;
  reviewed_at: string;
  outcome: PostReviewOutcome;
  /** Notes are hashed, never stored. */
  notes: string;
  issue_url?: string;
  /** The date (YYYY-MM-DD, UTC) the review was due (the emergency's `review_due_by`). */
  due_by: string;
}

export type PolicySubjectKind =
  | "policy_file"
  | "org_baseline"
  | "codeowners"
  | "ruleset"
  | "branch_protection";

/** A change to the controls themselves: the app's policy file, CODEOWNERS, rulesets or branch protection. */
export interface PolicyChangedFacts {
  recorded_at: string;
  capture_mode: CaptureMode;
  delivery_id: string | null;
  repository: { id: string; full_name: string };
  subject: {
    kind: PolicySubjectKind;
    /** Repository path, ruleset id or protected branch pattern. */
    name: string;
  };
  /** Blob SHA (files) or SHA-256 of the canonical JSON snapshot (rulesets, protection); null: absent. */
  before: string | null;
  after: string | null;
  changed_by: AccountRef | null;
  changed_at: string;
  /** The commit (files) that made the change, and the pull request that merged it, when any. */
  commit_sha?: string;
  pr_number?: number;
  app_version: string;
}

export interface ReconcileCounts {
  /** Changes touching agent configs in the source (merged PRs + direct pushes). */
  source: number;
  logged: number;
  missing: number;
  backfilled: number;
  direct_pushes: number;
  duplicates: number;
  /**
   * Merged pull requests of the period whose merge commit is no longer on the branch's first-parent history
   * (counted only where the source lists merged pull requests: GitHub's API).
   */
  off_branch?: number;
}

export interface ReconcileRunFacts {
  recorded_at: string;
  run_id: string;
  started_at: string;
  finished_at: string;
  query: {
    since: string;
    until: string;
    /** Repositories (full names) examined, sorted. */
    repositories: string[];
    /** A `--repository` glob, when given. */
    repository_filter?: string;
    backfill: boolean;
    /** GitHub sources asked (e.g. `pulls?state=closed&base=main`, `commits?sha=main&first-parent`). */
    sources: string[];
  };
  counts: ReconcileCounts;
  tool_version: string;
}

/** `log.key_rotated` and `log.checkpoint` take the integrity core's field sets (../types.ts) plus recorded_at. */
export type KeyRotatedFacts = KeyRotationFields & { recorded_at: string };
export type CheckpointFacts = CheckpointRecordFields & { recorded_at: string };

/** A precomputed finding the auditor would otherwise raise: a fixed code and one sentence. */
export interface RecordException {
  code: ExceptionCode;
  detail: string;
}

export const EXCEPTION_CODES = [
  "NO_APPROVAL",
  "INSUFFICIENT_APPROVAL",
  "APPROVAL_AFTER_MERGE",
  "STALE_APPROVAL",
  "SELF_APPROVAL",
  "PUSHER_SOLE_APPROVER",
  "CHANGES_REQUESTED",
  "CHECKS_FAILED",
  "GATE_FAILING_AT_MERGE",
  "EMERGENCY_PENDING_REVIEW",
  "CAPTURED_BY_RECONCILE",
  "DIRECT_PUSH",
  "FORCE_PUSH",
  "POST_REVIEW_OVERDUE",
  "POST_REVIEW_REJECTED",
  "RECORDS_MISSING",
  "DUPLICATE_RECORDS",
] as const;
export type ExceptionCode = (typeof EXCEPTION_CODES)[number];

/** The tests an auditor performs on each sampled change, precomputed at merge. */
export interface MergedVerdicts {
  approved_before_merge: boolean;
  approval_on_final_commit: boolean;
  author_not_approver: boolean;
  initiator_not_approver: boolean;
  pusher_not_sole_approver: boolean;
  checks_passed: boolean;
  gate_passed: boolean;
  emergency: boolean;
}

export type RecordResult = "pass" | "exception";

/** Every builder returns a draft with these (besides its type's own fields). */
export type BuiltDraft = RecordDraft & { exceptions?: RecordException[]; result?: RecordResult };
