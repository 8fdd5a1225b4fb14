import type { ApprovalResult } from "../approvals/types.js";
import type { Evaluation } from "../evaluate.js";
import { GATE_FAIL_ON } from "./check-run.js";
import { cell, markdownReport, omittedReportItems } from "./markdown.js";
import type { ReportContext } from "./model.js";
import { truncateMarkdown } from "./truncate.js";

/** The first line of the app's one comment per pull request; the app finds the comment to update by it. */
export const STICKY_MARKER = "<!-- agent-change-control:sticky -->";
/** GitHub: an issue comment's body. */
export const MAX_COMMENT_CHARS = 65_536;

type Tool = { name: string; version: string };

/**
 * The sticky comment: marker first line, then the reviewer's view (the same markdown report as the CLI's
 * `check --format markdown`, judged as the gate judges: failing at GATE_FAIL_ON), then a footer naming the
 * head commit it was computed for. With the approval state it shows the approvals section as the check run
 * does (logins in code spans: the comment never notifies anyone). ≤ MAX_COMMENT_CHARS.
 */
export function stickyCommentBody(ev: Evaluation, ctx: ReportContext, approvals?: ApprovalResult): string {
  const report = markdownReport(ev, { ...ctx, failOn: GATE_FAIL_ON }, approvals);
  return withFrame(report, ctx.tool, ctx.head.sha, omittedReportItems(report));
}

/** The sticky comment when the evaluation failed: what went wrong, and how to run it again. */
export function stickyCommentForError(what: string, ctx: { tool: Tool; headSha: string }): string {
  const first = what.split(/\r?\n/, 1)[0]!.trim().slice(0, 300);
  const body = [
    "## agent-change-control",
    "",
    `❌ **Not checked**: ${cell(first)}`,
    "",
    "The check fails closed until this change can be evaluated. To try again, choose **Re-run** on the Checks tab, or push a commit.",
    "",
  ].join("\n");
  return withFrame(body, ctx.tool, ctx.headSha);
}

/** Whether a comment is the sticky one (its first line is the marker). */
export function hasStickyMarker(body: string): boolean {
  return body
    .replace(/^\uFEFF/, "")
    .trimStart()
    .startsWith(STICKY_MARKER);
}

/** Marker, body cut to what the limit leaves, footer. */
function withFrame(body: string, tool: Tool, sha: string, what?: (omitted: string[]) => string): string {
  const foot = `\n---\n<sub>For commit ${commit(sha)} · ${cell(tool.name)} ${cell(tool.version)} · updated on every push</sub>\n`;
  const head = `${STICKY_MARKER}\n`;
  const room = MAX_COMMENT_CHARS - head.length - foot.length;
  return `${head}${truncateMarkdown(body, room, what)}${foot}`;
}

/** A full hex SHA, which GitHub links to the commit; anything else escaped as text. */
function commit(sha: string): string {
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(sha) ? sha : cell(sha);
}
