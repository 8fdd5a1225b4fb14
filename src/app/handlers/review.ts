import type { Context } from "probot";
import { type AppSettings, evaluatePullRequest } from "../evaluate-pr.js";
import { currentPullRequest } from "./fetch-pr.js";

/**
 * A review submitted or dismissed can change who counts. Skipped without a request: a plain comment review
 * (comments never count and do not withdraw an earlier decision) and an edited review (editing changes the
 * text, never the state).
 */
export async function onReview(
  context: Context<
    "pull_request_review.submitted" | "pull_request_review.dismissed" | "pull_request_review.edited"
  >,
  settings: AppSettings,
): Promise<void> {
  const { payload } = context;
  const state = payload.review.state.toLowerCase();
  if (payload.action === "edited" || (payload.action === "submitted" && state === "commented")) {
    context.log.debug(
      { pr: payload.pull_request.number, action: payload.action, state },
      "review cannot change the result",
    );
    return;
  }
  const pr = await currentPullRequest(context, payload.repository, payload.pull_request.number);
  if (pr) await evaluatePullRequest(context, pr, settings);
}
