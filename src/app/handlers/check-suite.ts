import type { Context } from "probot";
import { type AppSettings, evaluatePullRequest } from "../evaluate-pr.js";
import { currentPullRequest } from "./fetch-pr.js";

/**
 * "Re-run all checks": evaluate every open pull request of this repository whose head is the suite's commit.
 * `check_suite.requested` (sent for every push) needs no work: the `pull_request` event for the same push
 * evaluates it, and doing both would double every evaluation.
 */
export async function onCheckSuite(
  context: Context<"check_suite.requested" | "check_suite.rerequested">,
  settings: AppSettings,
): Promise<void> {
  const suite = context.payload.check_suite;
  const repo = context.payload.repository;
  if (context.payload.action === "requested") {
    context.log.debug(
      { repo: repo.full_name, head: suite.head_sha },
      "check suite requested: pull_request events evaluate it",
    );
    return;
  }
  for (const ref of suite.pull_requests.filter((p) => p.base.repo.id === repo.id)) {
    const pr = await currentPullRequest(context, repo, ref.number);
    if (!pr || pr.headSha !== suite.head_sha) continue;
    await evaluatePullRequest(context, pr, settings, true);
  }
}
