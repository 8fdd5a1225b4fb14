/** The `policy.changed` record: a change to the controls themselves (policy file, CODEOWNERS, rulesets, protection). */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import type { PolicyChangedFacts } from "./types.js";

/**
 * `<repository id>:policy:<kind>:<name>:<commit sha, else changed_at>`: a redelivered event gives the same id,
 * while a revert to earlier content (same `after`) is a new change.
 */
export function policyChangedRecordId(
  f: Pick<PolicyChangedFacts, "repository" | "subject" | "commit_sha" | "changed_at">,
): string {
  return `${f.repository.id}:policy:${f.subject.kind}:${f.subject.name}:${f.commit_sha ?? f.changed_at}`;
}

export function policyChangedRecord(facts: PolicyChangedFacts): RecordDraft {
  return {
    schema: RECORD_SCHEMA,
    type: "policy.changed",
    record_id: policyChangedRecordId(facts),
    recorded_at: facts.recorded_at,
    capture_mode: facts.capture_mode,
    delivery_id: facts.delivery_id,
    repository: { ...facts.repository },
    subject: { ...facts.subject },
    before: facts.before,
    after: facts.after,
    changed_by: facts.changed_by ? { ...facts.changed_by } : null,
    changed_at: facts.changed_at,
    commit_sha: facts.commit_sha ?? null,
    pr_number: facts.pr_number ?? null,
    app_version: facts.app_version,
  };
}
