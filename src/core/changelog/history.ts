/**
 * The default branch's history as `reconcile` sees it, whatever it was read from (a clone, or GitHub's API):
 * first-parent commits, the files each changed, which of them are agent configs, and the pull request a commit
 * landed through as far as its subject tells. Pure: the readers live in `src/cli/log-git.ts` and
 * `src/github/branch-history.ts`.
 */
import { classifyPath } from "../formats/classify.js";
import type { ResolvedPolicy } from "../policy/resolve.js";
import type { ChangeStatus } from "../types.js";
import type { ChangedFileFacts } from "./records/types.js";

export interface FirstParentCommit {
  sha: string;
  parents: string[];
  /** Committer date (when it landed on the branch), RFC 3339 UTC. */
  committedAt: string;
  authorName: string;
  authorEmail: string;
  committerName: string;
  /** GitHub accounts of the author and committer, when the source knows them (the API does, git does not). */
  authorLogin?: string | null;
  committerLogin?: string | null;
  subject: string;
  /** The full message (hashed into direct-push records, never stored). */
  message: string;
}

export interface RawChange {
  path: string;
  previousPath?: string;
  status: ChangeStatus;
  /** Blob ids before and after (null: absent on that side, or not read yet). */
  blobBefore: string | null;
  blobAfter: string | null;
}

/**
 * The agent-config files among a commit's changes, as `filesToRead` would pick them (path classification by
 * the policy). A path only content could decide (sniffing) is kept as a candidate with format `unknown`: the
 * reconciler errs on the side of listing a change.
 */
export function agentConfigFiles(changes: readonly RawChange[], policy: ResolvedPolicy): ChangedFileFacts[] {
  const out: ChangedFileFacts[] = [];
  for (const c of changes) {
    let cls = classifyPath(c.path, policy);
    if (cls.kind === "none" && c.previousPath !== undefined) cls = classifyPath(c.previousPath, policy);
    if (cls.kind === "none") continue;
    out.push({
      path: c.path,
      ...(c.previousPath !== undefined ? { previous_path: c.previousPath } : {}),
      status: c.status,
      category: cls.kind === "match" ? cls.category : "unknown",
      format: cls.kind === "match" ? cls.format.id : "unknown",
      blob_before: c.blobBefore,
      blob_after: c.blobAfter,
    });
  }
  return out;
}

/** The pull request a first-parent commit merged: "Merge pull request #N …" (merge) or "… (#N)" (squash). */
export function pullRequestOf(
  commit: Pick<FirstParentCommit, "subject" | "parents">,
): { number: number; method: "merge" | "squash" } | undefined {
  const merge = /^Merge pull request #([0-9]+)\b/.exec(commit.subject);
  if (merge) return { number: Number(merge[1]), method: "merge" };
  const squash = /\(#([0-9]+)\)\s*$/.exec(commit.subject);
  if (squash && commit.parents.length <= 1) return { number: Number(squash[1]), method: "squash" };
  return undefined;
}

/** The first-parent commits committed in [from, to] (RFC 3339 UTC strings; inclusive to the second). */
export function inPeriod<C extends Pick<FirstParentCommit, "committedAt">>(
  commits: readonly C[],
  from: string,
  to: string,
): C[] {
  const lo = Date.parse(from);
  const hi = Date.parse(to) + 999;
  return commits.filter((c) => {
    const t = Date.parse(c.committedAt);
    return t >= lo && t <= hi;
  });
}

/** The in-scope files of a tree (classified by path), for the baseline hash. */
export function baselineFiles(blobs: readonly { path: string; blob_sha: string }[], policy: ResolvedPolicy) {
  return blobs.filter((b) => classifyPath(b.path, policy).kind === "match");
}
