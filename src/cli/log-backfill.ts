/**
 * Records `reconcile --backfill` writes for changes the log is missing, from what a local clone can tell.
 * Git knows the merge commit, its parents, the files and their blobs, the time it landed and the policy file;
 * it cannot know GitHub's side (reviews, checks, who merged, accounts, the description). Those fields are null
 * and named in the record's `unknown` list, never guessed; the change is marked as an exception so that an
 * auditor traces it in GitHub. The record's shape is the records module's (`backfilledMergedRecord`); this file
 * only reads the facts out of git.
 */

import type { FirstParentCommit } from "../core/changelog/history.js";
import { backfilledMergedRecord } from "../core/changelog/records/backfilled-merged.js";
import { directPushRecord } from "../core/changelog/records/direct-push.js";
import type { ChangedFileFacts } from "../core/changelog/records/types.js";
import type { RecordDraft } from "../core/changelog/types.js";
import { TOOL } from "../version.js";

export interface BackfillContext {
  repository: { id: string; full_name: string };
  /** The default branch's name (`main`), as the PR's base ref. */
  branch: string;
  recordedAt: string;
  /** The policy file (path and blob) at the commit's first parent: the policy the change was judged by. */
  policy: { path: string | null; blob_sha: string | null };
  /** Hex SHA-256 over the in-scope files at the commit (the baseline after the change) and their count. */
  baseline: { sha256: string; files: number };
}

/** A `change.merged` draft (capture mode `reconcile`) for a merged pull request the log is missing. */
export function reconciledMergedRecord(
  commit: FirstParentCommit,
  pr: { number: number; method: "merge" | "squash" },
  files: ChangedFileFacts[],
  ctx: BackfillContext,
): RecordDraft {
  // A merge commit's subject names the head branch; its body's first line is the PR title (GitHub's default).
  const fromBranch = /^Merge pull request #[0-9]+ from (\S+)/.exec(commit.subject)?.[1];
  const title =
    pr.method === "squash"
      ? commit.subject.replace(/\s*\(#[0-9]+\)\s*$/, "")
      : (commit.message
          .split("\n")
          .slice(1)
          .find((l) => l.trim() !== "")
          ?.trim() ?? commit.subject);
  return backfilledMergedRecord({
    recorded_at: ctx.recordedAt,
    repository: { ...ctx.repository },
    pr: {
      number: pr.number,
      url: `https://github.com/${ctx.repository.full_name}/pull/${pr.number}`,
      title,
      base_ref: ctx.branch,
      head_ref: fromBranch?.replace(/^[^/]+\//, "") ?? null,
      base_sha: commit.parents[0] ?? null,
      // A squash commit's only parent is the base: the head the reviewers saw is GitHub's knowledge.
      head_sha: pr.method === "merge" ? (commit.parents[1] ?? null) : null,
      merge_commit_sha: commit.sha,
      merged_at: commit.committedAt,
      merge_method: pr.method,
    },
    files,
    baseline: { ...ctx.baseline },
    policy: { ...ctx.policy },
    app_version: TOOL.version,
  });
}

/** A `change.direct_push` draft for a first-parent commit with no pull request (one commit = one push). */
export function reconciledDirectPush(
  commit: FirstParentCommit,
  files: ChangedFileFacts[],
  ctx: Omit<BackfillContext, "baseline">,
): RecordDraft {
  return directPushRecord({
    recorded_at: ctx.recordedAt,
    capture_mode: "reconcile",
    delivery_id: null,
    repository: { ...ctx.repository },
    ref: `refs/heads/${ctx.branch}`,
    before: commit.parents[0] ?? "0".repeat(commit.sha.length),
    after: commit.sha,
    // Who pushed is GitHub's knowledge (its push event); the history has only the commit's author and committer.
    pusher: null,
    // When it landed on the branch as far as git can tell (the committer date).
    pushed_at: commit.committedAt,
    forced: false,
    commits: [
      {
        sha: commit.sha,
        author_login: commit.authorLogin ?? null,
        committer_login: commit.committerLogin ?? null,
        message: commit.message,
      },
    ],
    files,
    policy: { ...ctx.policy },
    app_version: TOOL.version,
  });
}
