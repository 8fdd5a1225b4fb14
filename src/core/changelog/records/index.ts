/** Record builders: plain facts in, record drafts out (the log seals them). */
export { backfilledMergedRecord } from "./backfilled-merged.js";
export { checkpointRecord, checkpointRecordId } from "./checkpoint.js";
export { baselineSha256, sha256OfText } from "./digest.js";
export { directPushRecord, directPushRecordId } from "./direct-push.js";
export { keyRotatedRecord, keyRotatedRecordId } from "./key-rotated.js";
export { mergedRecord, mergedRecordId } from "./merged.js";
export { policyChangedRecord, policyChangedRecordId } from "./policy-changed.js";
export { isOverdue, postReviewRecord, postReviewRecordId } from "./post-review.js";
export { reconcileRunRecord, reconcileRunRecordId } from "./reconcile-run.js";
export { DEFAULT_TICKET_PATTERN, linkedTickets } from "./tickets.js";
export * from "./types.js";
export { countedReviews, mergedExceptions, mergedVerdicts, PASSING_CONCLUSIONS } from "./verdicts.js";
