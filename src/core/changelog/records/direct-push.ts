/** The `change.direct_push` record: agent configs changed on the default branch without a merged PR (always an exception). */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import { fileEntries, outcome } from "./common.js";
import { sha256OfText } from "./digest.js";
import type { DirectPushFacts, RecordException } from "./types.js";

/** `<repository id>:push:<before>..<after>`. */
export function directPushRecordId(repositoryId: string, before: string, after: string): string {
  return `${repositoryId}:push:${before}..${after}`;
}

export function directPushRecord(facts: DirectPushFacts): RecordDraft {
  const who = facts.pusher?.login ?? "an unknown account";
  const exceptions: RecordException[] = [
    {
      code: "DIRECT_PUSH",
      detail: `${who} pushed ${facts.commits.length} commit(s) touching agent configs to ${facts.ref} without a pull request.`,
    },
  ];
  if (facts.forced)
    exceptions.push({ code: "FORCE_PUSH", detail: `${facts.ref} was force-pushed from ${facts.before}.` });
  return {
    schema: RECORD_SCHEMA,
    type: "change.direct_push",
    record_id: directPushRecordId(facts.repository.id, facts.before, facts.after),
    recorded_at: facts.recorded_at,
    capture_mode: facts.capture_mode,
    delivery_id: facts.delivery_id,
    repository: { ...facts.repository },
    ref: facts.ref,
    before: facts.before,
    after: facts.after,
    pusher: facts.pusher ? { ...facts.pusher } : null,
    pushed_at: facts.pushed_at,
    forced: facts.forced,
    commits: facts.commits.map((c) => ({
      sha: c.sha,
      author_login: c.author_login,
      committer_login: c.committer_login,
      message_sha256: sha256OfText(c.message),
    })),
    files: fileEntries(facts.files),
    policy: { ...facts.policy },
    app_version: facts.app_version,
    ...outcome(exceptions),
  };
}
