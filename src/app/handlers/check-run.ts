import type { Context } from "probot";
import { CHECK_NAME } from "../../core/report/check-run.js";
import { prNumberFromExternalId } from "../../github/check-run-writer.js";
import { type AppSettings, evaluatePullRequest } from "../evaluate-pr.js";
import { currentPullRequest } from "./fetch-pr.js";

/**
 * "Re-run" on our check: evaluate the pull request again and publish a new run, even if the result is the
 * same. Runs of other apps, or of other checks, are not ours to re-run. A fork's PR is not listed in the
 * payload, so the PR number comes from the run's external id.
 */
export async function onCheckRunRerequested(
  context: Context<"check_run.rerequested">,
  settings: AppSettings,
): Promise<void> {
  const run = context.payload.check_run;
  if (run.app?.id !== settings.appId || run.name !== CHECK_NAME) return;
  const repo = context.payload.repository;
  const number =
    run.pull_requests.find((p) => p.base.repo.id === repo.id)?.number ??
    prNumberFromExternalId(run.external_id);
  if (number === undefined) {
    context.log.info(
      { repo: repo.full_name, checkRun: run.id },
      "re-run of a check with no pull request: ignored",
    );
    return;
  }
  const pr = await currentPullRequest(context, repo, number);
  if (pr) await evaluatePullRequest(context, pr, settings, true);
}
