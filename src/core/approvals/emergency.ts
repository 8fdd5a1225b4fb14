import type { ApproverSet } from "../policy/policy-file.generated.js";
import type { ResolvedPolicy } from "../policy/resolve.js";
import { ADMINS } from "./rules.js";
import type { ApprovalFacts, Emergency, IssueComment } from "./types.js";

/** The break-glass command, alone on a line of a pull request comment. */
const COMMAND = /^[ \t]*\/agent-change-control[ \t]+emergency(?:[ \t]+(.*))?$/m;

export const DEFAULT_REVIEW_DAYS = 2;

/** The emergency settings with defaults applied (disabled unless the policy enables it). */
export function emergencySettings(policy: ResolvedPolicy): {
  enabled: boolean;
  declarers: ApproverSet;
  label?: string;
  days: number;
} {
  const e = policy.raw.approvals?.emergency ?? {};
  return {
    enabled: e.enabled ?? false,
    declarers: e.declarers ?? ADMINS,
    ...(e.label !== undefined ? { label: e.label } : {}),
    days: e.review_within_business_days ?? DEFAULT_REVIEW_DAYS,
  };
}

/** The comments holding an emergency command, oldest first, with the reason given (possibly empty). */
export function emergencyCommands(
  comments: readonly IssueComment[],
): { comment: IssueComment; reason: string }[] {
  return [...comments]
    .sort((a, b) => cmp(a.createdAt, b.createdAt) || a.id - b.id)
    .flatMap((comment) => {
      const m = COMMAND.exec(comment.body);
      return m ? [{ comment, reason: (m[1] ?? "").trim() }] : [];
    });
}

/**
 * Judges the emergency commands: the oldest valid one declares the emergency; every other command that is
 * not valid is refused with one sentence saying why. `mayDeclare` says whether a login is in the declarers set.
 */
export function judgeEmergency(
  policy: ResolvedPolicy,
  facts: Pick<ApprovalFacts, "comments" | "labels">,
  mayDeclare: (comment: IssueComment) => boolean,
): { emergency?: Emergency; refused: { commentId: number; login: string; why: string }[] } {
  const settings = emergencySettings(policy);
  const refused: { commentId: number; login: string; why: string }[] = [];
  let emergency: Emergency | undefined;
  for (const { comment, reason } of emergencyCommands(facts.comments)) {
    const login = comment.author.login;
    let why: string | undefined;
    if (!settings.enabled)
      why = "Emergency changes are not enabled in this repository's policy (approvals.emergency).";
    else if (settings.label !== undefined && !facts.labels.includes(settings.label))
      why = `An emergency needs the label "${settings.label}" on the pull request.`;
    else if (reason === "") why = "An emergency needs a reason after the command.";
    else if (!mayDeclare(comment))
      why = `${login} is not allowed to declare an emergency (approvals.emergency.declarers).`;
    if (why !== undefined) refused.push({ commentId: comment.id, login, why });
    else
      emergency ??= {
        declarer: login,
        reason,
        commentId: comment.id,
        declaredAt: comment.createdAt,
        followUpDue: addBusinessDays(new Date(comment.createdAt), settings.days),
      };
  }
  return { ...(emergency ? { emergency } : {}), refused };
}

/**
 * The ISO date (UTC) `days` business days after `from`, skipping Saturdays and Sundays (public holidays are
 * not known). A declaration on a Friday with 2 days is due on Tuesday.
 */
export function addBusinessDays(from: Date, days: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
