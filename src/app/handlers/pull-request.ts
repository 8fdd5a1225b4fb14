import type { Context } from "probot";
import { type AppSettings, evaluatePullRequest } from "../evaluate-pr.js";
import { pullRequestInfo } from "../pull-request-info.js";
import { recordMerge } from "../record-merge.js";

export const PULL_REQUEST_ACTIONS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
  "pull_request.labeled",
  "pull_request.unlabeled",
] as const;

/**
 * A pull request opened or updated: evaluate its head. An edit matters only when it moved the base branch
 * (a retarget changes what the PR merges into); a title or body edit cannot change the result.
 */
export async function onPullRequest(context: Context<"pull_request">, settings: AppSettings): Promise<void> {
  const { payload } = context;
  if (payload.action === "edited" && !("base" in (payload.changes ?? {}))) {
    context.log.debug(
      { pr: payload.pull_request.number },
      "edit without a base change: nothing to re-evaluate",
    );
    return;
  }
  if (payload.pull_request.state !== "open") return;
  await evaluatePullRequest(context, pullRequestInfo(payload.pull_request, payload.repository), settings);
}

/**
 * A closed pull request: a merge that touched agent configs is recorded in the CC8 change log; a PR closed
 * without merging changes nothing.
 */
export async function onPullRequestClosed(
  context: Context<"pull_request.closed">,
  settings: AppSettings,
): Promise<void> {
  const { payload } = context;
  const fields = { repo: payload.repository.full_name, pr: payload.pull_request.number };
  if (!payload.pull_request.merged) {
    context.log.info(fields, "pull request closed without merging");
    return;
  }
  const outcome = await recordMerge(
    context,
    pullRequestInfo(payload.pull_request, payload.repository),
    payload.pull_request,
    payload.repository,
    {
      appId: settings.appId,
      ...(settings.changelog ? { changelog: settings.changelog } : {}),
      ...(settings.gate?.now ? { now: settings.gate.now } : {}),
    },
  );
  context.log.info({ ...fields, ...outcome }, "merge recorded in the change log");
}
