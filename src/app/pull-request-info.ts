import type { PullRequestInfo } from "../github/facts.js";

/** The fields of a pull request (webhook payload or REST `pulls.get`) the gate needs. */
export interface PullRequestLike {
  number: number;
  state: string;
  draft?: boolean;
  changed_files?: number;
  base: {
    ref: string;
    sha: string;
    repo: { name: string; owner: { login: string } | null; default_branch: string };
  };
  head: { sha: string; repo: { full_name: string } | null };
}

/** `repository`: the repository the event came from (the PR's base). */
export function pullRequestInfo(
  pr: PullRequestLike,
  repository: { owner: { login: string }; name: string },
): PullRequestInfo {
  return {
    owner: repository.owner.login,
    repo: repository.name,
    number: pr.number,
    baseRef: pr.base.ref,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    // A deleted fork leaves `head.repo` null; the head commit is still readable through the base repository.
    headRepo: pr.head.repo?.full_name ?? "(deleted fork)",
    defaultBranch: pr.base.repo.default_branch,
    changedFiles: pr.changed_files ?? 0,
    state: pr.state === "closed" ? "closed" : "open",
    draft: pr.draft ?? false,
  };
}
