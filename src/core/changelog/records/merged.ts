/** The `change.merged` record: one per merged pull request touching agent configs (the population item). */
import type { ApprovalResult, Review } from "../../approvals/types.js";
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import { actorRef, fileEntries, loginRef, outcome } from "./common.js";
import { baselineSha256, sha256OfText } from "./digest.js";
import { linkedTickets } from "./tickets.js";
import type { MergedFacts } from "./types.js";
import { countedReviews, lastPusher, mergedExceptions, mergedVerdicts } from "./verdicts.js";

/** `<repository id>:<pr number>:<merge commit sha>`: the idempotency key of a merged change. */
export function mergedRecordId(repositoryId: string, prNumber: number, mergeSha: string): string {
  return `${repositoryId}:${prNumber}:${mergeSha}`;
}

export function mergedRecord(facts: MergedFacts): RecordDraft {
  const { pr, approvals } = facts;
  const ids = facts.user_ids;
  const tickets = linkedTickets(
    { title: pr.title, headRef: pr.head_ref, body: pr.body },
    facts.policy.ticket_pattern,
  );
  const verdicts = mergedVerdicts(facts);
  const counted = countedReviews(facts);
  const countedFor = (id: number) =>
    approvals.rules.filter((r) => r.status !== "not-applicable" && r.counted.some((c) => c.reviewId === id));
  const ignored = new Map(approvals.ignored.map((i) => [i.reviewId, i.reason]));
  const review = (r: Review) => ({
    reviewer: actorRef(r.user, ids),
    review_id: String(r.id),
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
  });
  const pusher = lastPusher(facts);
  const emergency = approvals.emergency;
  const approvedAt = counted
    .map((r) => r.submittedAt)
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .at(-1);
  return {
    schema: RECORD_SCHEMA,
    type: "change.merged",
    record_id: mergedRecordId(facts.repository.id, pr.number, pr.merge_commit_sha),
    recorded_at: facts.recorded_at,
    capture_mode: facts.capture_mode,
    delivery_id: facts.delivery_id,
    repository: { id: facts.repository.id, full_name: facts.repository.full_name },
    pr: {
      number: pr.number,
      node_id: pr.node_id,
      html_url: pr.url,
      title: pr.title,
      description_sha256: sha256OfText(pr.body),
      description_chars: [...pr.body].length,
    },
    linked_tickets: tickets.tickets,
    ticket_pattern: tickets.pattern,
    change_class: emergency !== undefined ? "emergency" : "standard",
    risk: facts.evaluation.risk,
    findings: facts.evaluation.findings.map((f) => ({ rule: f.rule, path: f.path })),
    validation_errors: facts.evaluation.errors,
    base_ref: pr.base_ref,
    head_ref: pr.head_ref,
    base_sha: pr.base_sha,
    head_sha: pr.head_sha,
    merge_commit_sha: pr.merge_commit_sha,
    merge_method: pr.merge_method,
    merge_via: pr.merge_via ?? null,
    merged_at: pr.merged_at,
    merged_by: { ...pr.merged_by },
    files: fileEntries(facts.evaluation.files),
    baseline_after_sha256: baselineSha256(facts.baseline),
    baseline_files: facts.baseline.length,
    author: { ...pr.author },
    initiated_by: facts.approval_facts.requesters.map((l) => loginRef(l, ids)),
    last_pusher: pusher !== undefined ? loginRef(pusher, ids) : null,
    pushers: [...new Set(facts.approval_facts.pushers)].map((l) => loginRef(l, ids)),
    commits: facts.approval_facts.commits.map((c) => ({
      sha: c.sha,
      author_login: c.authorLogin,
      committer_login: c.committerLogin,
    })),
    approvals: counted.map((r) => ({ ...review(r), counted_for: countedFor(r.id).map((x) => x.name) })),
    other_reviews: facts.approval_facts.reviews
      .filter((r) => r.state !== "PENDING" && !counted.includes(r))
      .map((r) => ({ ...review(r), state: r.state, not_counted_because: ignored.get(r.id) ?? null })),
    required_approvals: approvals.rules
      .filter((r) => r.status !== "not-applicable")
      .reduce((n, r) => n + r.required, 0),
    qualifying_approvals: new Set(counted.map((r) => r.user.login.toLowerCase())).size,
    approved_at: approvedAt ?? null,
    approval_rules: approvalRules(approvals),
    blocked_by: approvals.blockedBy.map((b) => ({ login: b.login, review_id: String(b.reviewId) })),
    required_checks: facts.required_checks.map((c) => ({
      name: c.name,
      conclusion: c.conclusion,
      app_slug: c.app_slug ?? null,
      completed_at: c.completed_at ?? null,
      sha: c.sha ?? null,
    })),
    gate_passing_at_merge: facts.gate_passing_at_merge,
    emergency:
      emergency !== undefined
        ? {
            declared_by: loginRef(emergency.declarer, ids),
            reason: emergency.reason,
            declared_at: emergency.declaredAt,
            review_due_by: emergency.followUpDue,
            comment_id: String(emergency.commentId),
          }
        : null,
    policy: { path: facts.policy.path, blob_sha: facts.policy.blob_sha },
    app_version: facts.app_version,
    verdicts,
    ...outcome(mergedExceptions(facts, verdicts)),
  };
}

function approvalRules(approvals: ApprovalResult) {
  return approvals.rules.map((r) => ({
    name: r.name,
    origin: r.origin,
    applies: r.status !== "not-applicable",
    because: r.because,
    status: r.status,
    required: r.required,
    counted: r.counted.map((c) => c.login),
    can_approve: {
      teams: [...r.canApprove.teams],
      users: [...r.canApprove.users],
      permission: r.canApprove.permission ?? null,
      codeowners: r.canApprove.codeowners,
      apps: [...r.canApprove.apps],
    },
    missing_teams: [...r.missingTeams],
    distinct_from: [...(r.distinctFrom ?? [])],
  }));
}
