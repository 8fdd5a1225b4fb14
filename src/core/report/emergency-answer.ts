import type { ApprovalResult } from "../approvals/types.js";
import { cell } from "./markdown.js";

/**
 * The answer to an emergency declaration the gate refused: why, in one sentence, under a hidden marker naming
 * the comment, so a re-evaluation never answers the same comment twice.
 */
export function emergencyAnswerMarker(commentId: number): string {
  return `<!-- agent-change-control:emergency-refused:${commentId} -->`;
}

export function emergencyRefusal(
  refused: ApprovalResult["refusedEmergencies"][number],
  marker: string,
): string {
  return [
    marker,
    `⛔ **Emergency not declared** (comment ${refused.commentId} by ${cell(`@${refused.login}`)}): ${cell(refused.why)}`,
    "",
    "The gate still requires the approvals listed in the agent-change-control check. Who may declare an emergency is set by `approvals.emergency.declarers` in the policy on the default branch.",
    "",
  ].join("\n");
}
