/**
 * The `change.post_review` record: the follow-up review of an emergency change. The original record is never
 * changed; this one refers to it by record_id and record_hash. Late (after the due date) or rejected: an exception.
 */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import { outcome } from "./common.js";
import { sha256OfText } from "./digest.js";
import type { PostReviewFacts, RecordException } from "./types.js";

export function postReviewRecordId(refersTo: string, sourceId: string): string {
  return `${refersTo}:post-review:${sourceId}`;
}

/** Reviewed after the end (UTC) of the due date. */
export function isOverdue(reviewedAt: string, dueBy: string): boolean {
  return reviewedAt.slice(0, 10) > dueBy.slice(0, 10);
}

export function postReviewRecord(facts: PostReviewFacts): RecordDraft {
  const overdue = isOverdue(facts.reviewed_at, facts.due_by);
  const exceptions: RecordException[] = [];
  if (overdue)
    exceptions.push({
      code: "POST_REVIEW_OVERDUE",
      detail: `Reviewed on ${facts.reviewed_at.slice(0, 10)}, after the due date ${facts.due_by}.`,
    });
  if (facts.outcome === "rejected")
    exceptions.push({
      code: "POST_REVIEW_REJECTED",
      detail: `${facts.reviewer.login} rejected the change on review.`,
    });
  return {
    schema: RECORD_SCHEMA,
    type: "change.post_review",
    record_id: postReviewRecordId(facts.refers_to.record_id, facts.source_id),
    recorded_at: facts.recorded_at,
    refers_to: { ...facts.refers_to },
    reviewer: { ...facts.reviewer },
    reviewed_at: facts.reviewed_at,
    outcome: facts.outcome,
    notes_sha256: sha256OfText(facts.notes),
    issue_url: facts.issue_url ?? null,
    due_by: facts.due_by,
    overdue,
    ...outcome(exceptions),
  };
}
