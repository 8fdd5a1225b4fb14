import type { PullRequestInfo } from "../github/facts.js";

/** The fields of a pull request (webhook payload or REST `pulls.get`) the gate needs. */
export interface PullRequestLike {
  number: number;
  changed_files?: number;
  base: {
    ref: string;
    sha: string;
    repo: { default_branch: string };
  };
  head: { sha: string };
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
    defaultBranch: pr.base.repo.default_branch,
    changedFiles: pr.changed_files ?? 0,
  };
}
