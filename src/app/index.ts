import type { ApplicationFunction, Context } from "probot";
import type { AppSettings } from "./evaluate-pr.js";
import { onCheckRunRerequested } from "./handlers/check-run.js";
import { onCheckSuite } from "./handlers/check-suite.js";
import { onIssueComment } from "./handlers/comment.js";
import { onPullRequest, onPullRequestClosed, PULL_REQUEST_ACTIONS } from "./handlers/pull-request.js";
import { onReview } from "./handlers/review.js";

export type { AppSettings } from "./evaluate-pr.js";

/**
 * The Probot app: routes events to thin handlers and nothing else. Every handler ends in the same gate
 * (src/app/gate.ts) the CLI's engine powers. Events sent by this app's own bot are ignored: nothing it
 * does can need a new evaluation.
 */
export function agentChangeControl(settings: AppSettings): ApplicationFunction {
  return (app) => {
    const own = (context: Context) => {
      const sender = (context.payload as { sender?: { type?: string; login?: string } }).sender;
      return sender?.type === "Bot" && sender.login !== undefined && sender.login === settings.botLogin;
    };
    app.on([...PULL_REQUEST_ACTIONS], async (context) => {
      if (!own(context)) await onPullRequest(context, settings);
    });
    app.on("pull_request.closed", async (context) => {
      if (!own(context)) await onPullRequestClosed(context, settings);
    });
    app.on("check_run.rerequested", async (context) => {
      if (!own(context)) await onCheckRunRerequested(context, settings);
    });
    app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => {
      if (!own(context)) await onCheckSuite(context, settings);
    });
    app.on(
      ["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"],
      async (context) => {
        if (!own(context)) await onReview(context, settings);
      },
    );
    app.on("issue_comment.created", async (context) => {
      if (!own(context)) await onIssueComment(context, settings);
    });
    app.on(["installation", "installation_repositories"], async (context) => {
      context.log.info(
        { action: context.payload.action, installation: context.payload.installation.id },
        "installation event",
      );
    });
  };
}
