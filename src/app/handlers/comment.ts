import type { Context } from "probot";
import { type AppSettings, evaluatePullRequest } from "../evaluate-pr.js";
import { currentPullRequest } from "./fetch-pr.js";

/** The break-glass command, on a line of its own. Any other comment is skipped without a request. */
export const EMERGENCY_COMMAND = /^\s*\/agent-change-control\s+emergency\b/im;

export async function onIssueComment(
  context: Context<"issue_comment.created">,
  settings: AppSettings,
): Promise<void> {
  const { payload } = context;
  if (!payload.issue.pull_request || !EMERGENCY_COMMAND.test(payload.comment.body)) return;
  const pr = await currentPullRequest(context, payload.repository, payload.issue.number);
  if (pr) await evaluatePullRequest(context, pr, settings);
}
