import type { ApprovalResult, IgnoredReason, Permission, RuleResult } from "../approvals/types.js";
import { cell, code } from "./escape.js";
import { plural, visible } from "./model.js";

/**
 * How approvals enter a report. `enforced`: the gate's view (the app, `simulate`): pending rules fail the
 * verdict. `preview`: what the change will need (`check`, no reviews yet): shown, never failing.
 */
export type ApprovalsMode = "enforced" | "preview";

/** Why a review did not count, in words (after the login: "`carol`: the pull request's author"). */
export const IGNORED_REASON: Record<IgnoredReason, string> = {
  "stale-commit": "approved an earlier commit; a later push made the approval stale",
  author: "is the pull request's author (no self-approval)",
  pusher: "pushed commits to the pull request",
  committer: "authored or committed commits in the pull request",
  "co-author": "is named in a Co-authored-by trailer of a commit",
  bot: "is a bot or GitHub App that no applicable rule allowlists",
  requester: "asked the bot or coding agent that opened the pull request (that would be self-approval)",
  "not-in-approver-set": "is not among the approvers of any applicable rule (team, permission, CODEOWNERS)",
  "counted-for-distinct-rule": "already counted for a rule this one must be distinct from",
  "changes-requested": "requested changes",
  "not-approved": "did not approve (commented, or the review was dismissed)",
};

const ORIGIN: Record<RuleResult["origin"], string> = {
  policy: "",
  default: "built-in default",
  "policy-owners": "policy owners",
};

/** Rules that apply to the change (satisfied or pending). */
export function applicableRules(a: ApprovalResult): RuleResult[] {
  return a.rules.filter((r) => r.status !== "not-applicable");
}

/** Whether a report has anything to say about approvals (a change no rule applies to says nothing). */
export function hasApprovalNews(a: ApprovalResult): boolean {
  return (
    applicableRules(a).length > 0 ||
    a.ignored.length > 0 ||
    a.blockedBy.length > 0 ||
    a.refusedEmergencies.length > 0 ||
    a.emergency !== undefined
  );
}

/** The emergency banner (markdown, for the very top of a report), or nothing. */
export function emergencyBannerMarkdown(a: ApprovalResult): string[] {
  const e = a.emergency;
  if (!e) return [];
  return [
    `> 🚨 **Emergency change** declared by ${code(e.declarer)} at ${cell(e.declaredAt)}: ${cell(e.reason)}`,
    ">",
    `> Approvals and risk findings do not block this merge (validation errors still do). A follow-up review is due by **${cell(e.followUpDue)}**.`,
    "",
  ];
}

/** The "### Approvals" section (markdown lines, ending with a blank line), or nothing when there is no news. */
export function approvalsMarkdown(a: ApprovalResult, mode: ApprovalsMode): string[] {
  if (!hasApprovalNews(a)) return [];
  const out: string[] = [];
  const applicable = applicableRules(a);
  if (mode === "preview") {
    out.push(`### Approvals this change will need: ${plural(applicable.length, "rule")}`, "");
    if (applicable.length === 0) out.push("No approval rule applies to this change.", "");
  } else {
    const pending = applicable.filter((r) => r.status === "pending").length;
    const heading =
      applicable.length === 0
        ? "no rule applies"
        : pending === 0
          ? `${plural(applicable.length, "rule")} satisfied`
          : `${pending} of ${plural(applicable.length, "rule")} pending`;
    out.push(`### Approvals: ${heading}`, "");
  }
  const rows = mode === "preview" ? applicable : a.rules;
  if (rows.length > 0) {
    const who = mode === "preview" ? "Who can approve" : "Who can still approve";
    out.push(`| Rule | Status | Why it applies | Counted | ${who} |`);
    out.push("| --- | --- | --- | --- | --- |");
    for (const r of rows) {
      const origin = ORIGIN[r.origin] ? ` <sub>${ORIGIN[r.origin]}</sub>` : "";
      const counted = r.counted.map((c) => code(c.login)).join(", ");
      const canApprove = r.status === "pending" ? approverWords(r, code, cell).join("; ") : "";
      out.push(
        `| ${cell(r.name)}${origin} | ${statusWords(r, mode)} | ${cell(r.because)} | ${counted} | ${canApprove} |`,
      );
    }
    out.push("");
  }
  if (a.ignored.length > 0) {
    out.push("**Not counted:**", "");
    for (const i of a.ignored) out.push(`- ${code(i.login)} ${IGNORED_REASON[i.reason]}`);
    out.push("");
  }
  const blockers = [...new Set(a.blockedBy.map((b) => b.login))];
  if (blockers.length > 0) {
    out.push(
      `**Blocking:** changes requested by ${blockers.map(code).join(", ")}: the gate waits until ${blockers.length === 1 ? "they approve or their review is" : "each approves or their reviews are"} dismissed.`,
      "",
    );
  }
  for (const r of a.refusedEmergencies) {
    out.push(`⚠️ Emergency declaration by ${code(r.login)} refused: ${cell(r.why)}`, "");
  }
  return out;
}

/** The approvals section of the text report (no colour codes: the caller colours the heading). */
export function approvalsText(a: ApprovalResult, mode: ApprovalsMode): { heading: string; lines: string[] } {
  const applicable = applicableRules(a);
  const pending = applicable.filter((r) => r.status === "pending").length;
  const heading =
    mode === "preview"
      ? `Approvals this change will need: ${plural(applicable.length, "rule")}`
      : `Approvals: ${applicable.length === 0 ? "no rule applies" : pending === 0 ? `${plural(applicable.length, "rule")} satisfied` : `${pending} of ${plural(applicable.length, "rule")} pending`}`;
  const lines: string[] = [];
  if (a.emergency) {
    const e = a.emergency;
    lines.push(
      `EMERGENCY declared by ${visible(e.declarer)}: ${visible(e.reason)} (follow-up review due ${visible(e.followUpDue)})`,
    );
  }
  const rules = mode === "preview" ? applicable : a.rules;
  const plain = (s: string) => visible(s);
  for (const r of rules) {
    const status =
      mode === "preview"
        ? `needs ${r.required}`
        : r.status === "satisfied"
          ? "satisfied"
          : r.status === "pending"
            ? `pending ${r.counted.length} of ${r.required}`
            : "not applicable";
    lines.push(`${status.padEnd(14)}  ${visible(r.name)}  (${visible(r.because)})`);
    if (r.counted.length > 0)
      lines.push(`${"".padEnd(16)}counted: ${r.counted.map((c) => visible(c.login)).join(", ")}`);
    const who = r.status === "pending" ? approverWords(r, plain, plain) : [];
    if (who.length > 0) lines.push(`${"".padEnd(16)}can approve: ${who.join("; ")}`);
  }
  for (const i of a.ignored) lines.push(`not counted: ${visible(i.login)} ${IGNORED_REASON[i.reason]}`);
  const blockers = [...new Set(a.blockedBy.map((b) => visible(b.login)))];
  if (blockers.length > 0) lines.push(`blocking: changes requested by ${blockers.join(", ")}`);
  for (const r of a.refusedEmergencies) {
    lines.push(`emergency declaration by ${visible(r.login)} refused: ${visible(r.why)}`);
  }
  return { heading, lines };
}

/** The `approvals` field of the JSON report (docs/cli.md). */
export type ApprovalsJson = ReturnType<typeof approvalsJson>;

/** The `approvals` field of the JSON report (docs/cli.md). */
export function approvalsJson(a: ApprovalResult, mode: ApprovalsMode) {
  return {
    mode,
    approved: a.approved,
    rules: a.rules.map((r) => ({
      name: r.name,
      description: r.description ?? null,
      origin: r.origin,
      status: r.status,
      because: r.because,
      required: r.required,
      counted: r.counted.map((c) => ({ login: c.login, reviewId: c.reviewId })),
      canApprove: {
        teams: [...r.canApprove.teams],
        users: [...r.canApprove.users],
        permission: r.canApprove.permission ?? null,
        codeowners: r.canApprove.codeowners,
        apps: [...r.canApprove.apps],
      },
      missingTeams: [...r.missingTeams],
    })),
    ignored: a.ignored.map((i) => ({
      login: i.login,
      reviewId: i.reviewId,
      reason: i.reason,
      why: IGNORED_REASON[i.reason],
    })),
    blockedBy: a.blockedBy.map((b) => ({ login: b.login, reviewId: b.reviewId })),
    refusedEmergencies: a.refusedEmergencies.map((r) => ({ ...r })),
    emergency: a.emergency ? { ...a.emergency } : null,
    requestReviews: { teams: [...a.requestReviews.teams], users: [...a.requestReviews.users] },
  };
}

function statusWords(r: RuleResult, mode: ApprovalsMode): string {
  if (mode === "preview") return `needs ${r.required}`;
  if (r.status === "satisfied") return "✅ satisfied";
  if (r.status === "pending") return `⏳ pending ${r.counted.length} of ${r.required}`;
  return "➖ not applicable";
}

const PERMISSION_WORDS: Record<Permission, string> = {
  none: "anyone",
  read: "read",
  triage: "triage",
  write: "write",
  maintain: "maintain",
  admin: "admin",
};

/**
 * Who can (still) approve a rule, in words: teams always, users only when the engine listed them (the
 * policy's `show_approver_names`), a minimum permission, CODEOWNERS, allowlisted apps, and for
 * `one_from_each_team` the teams still without an approver. `name` words a login or team, `text` escapes prose.
 */
function approverWords(r: RuleResult, name: (s: string) => string, text: (s: string) => string): string[] {
  const c = r.canApprove;
  const out: string[] = [];
  if (r.missingTeams.length > 0) out.push(`one each from ${r.missingTeams.map(name).join(", ")}`);
  const teams = c.teams.filter((t) => !r.missingTeams.includes(t));
  if (teams.length > 0) out.push(`${teams.length === 1 ? "team" : "teams"} ${teams.map(name).join(", ")}`);
  if (c.users.length > 0)
    out.push(`${c.users.length === 1 ? "user" : "users"} ${c.users.map(name).join(", ")}`);
  if (c.permission !== undefined && c.permission !== "none") {
    const p = c.permission === "admin" ? "admin" : `${PERMISSION_WORDS[c.permission]} or higher`;
    out.push(text(`anyone with ${p} permission`));
  }
  if (c.codeowners) out.push(text("the CODEOWNERS of the touched files"));
  if (c.apps.length > 0) out.push(`${c.apps.length === 1 ? "app" : "apps"} ${c.apps.map(name).join(", ")}`);
  return out;
}
