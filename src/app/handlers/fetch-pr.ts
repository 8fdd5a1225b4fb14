import type { Context } from "probot";
import type { PullRequestInfo } from "../../github/facts.js";
import { pullRequestInfo } from "../pull-request-info.js";

/**
 * The PR as it is now, for events whose payload carries only part of it (reviews, comments, re-runs): the
 * file count, the head and the base come from one `pulls.get`. Undefined when the PR is closed.
 */
export async function currentPullRequest(
  context: Pick<Context, "octokit">,
  repository: { owner: { login: string }; name: string },
  number: number,
): Promise<PullRequestInfo | undefined> {
  const { data } = await context.octokit.rest.pulls.get({
    owner: repository.owner.login,
    repo: repository.name,
    pull_number: number,
  });
  return data.state === "open" ? pullRequestInfo(data, repository) : undefined;
}
