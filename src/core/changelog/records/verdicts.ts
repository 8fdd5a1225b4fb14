/**
 * The auditor's per-change tests, precomputed from the facts at merge, and the exceptions they raise. Each
 * verdict is re-performable from the record's own fields (approvals, rules, checks, merged_at, head_sha).
 */
import type { Review } from "../../approvals/types.js";
import type { MergedFacts, MergedVerdicts, RecordException } from "./types.js";

/** Check conclusions GitHub treats as passing for a required check. */
export const PASSING_CONCLUSIONS: ReadonlySet<string> = new Set(["success", "neutral", "skipped"]);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const at = (iso: string) => Date.parse(iso);

/** Reviews counted by the applicable rules, once each, in the order GitHub returned them. */
export function countedReviews(facts: MergedFacts): Review[] {
  const ids = new Set(
    facts.approvals.rules
      .filter((r) => r.status !== "not-applicable")
      .flatMap((r) => r.counted.map((c) => c.reviewId)),
  );
  return facts.approval_facts.reviews.filter((r) => ids.has(r.id));
}

export function mergedVerdicts(facts: MergedFacts): MergedVerdicts {
  const counted = countedReviews(facts);
  const byId = new Map(counted.map((r) => [r.id, r]));
  const mergedAt = at(facts.pr.merged_at);
  const beforeMerge = (id: number) => {
    const r = byId.get(id);
    return r !== undefined && at(r.submittedAt) <= mergedAt;
  };
  const applicable = facts.approvals.rules.filter((r) => r.status !== "not-applicable");
  const finalCommits = new Set([facts.pr.head_sha, ...facts.approval_facts.contentIdenticalCommits]);
  const logins = counted.map((r) => r.user.login);
  const pushers = [...facts.approval_facts.pushers, ...(lastPusher(facts) ? [lastPusher(facts)!] : [])];
  return {
    approved_before_merge:
      applicable.length > 0 &&
      applicable.every(
        (r) =>
          r.status === "satisfied" && r.counted.filter((c) => beforeMerge(c.reviewId)).length >= r.required,
      ),
    approval_on_final_commit: counted.length > 0 && counted.every((r) => finalCommits.has(r.commitId)),
    author_not_approver: !logins.some((l) => same(l, facts.pr.author.login)),
    initiator_not_approver: !logins.some((l) => facts.approval_facts.requesters.some((q) => same(l, q))),
    pusher_not_sole_approver: logins.length === 0 || logins.some((l) => !pushers.some((p) => same(l, p))),
    checks_passed: facts.required_checks.every(
      (c) => c.conclusion !== null && PASSING_CONCLUSIONS.has(c.conclusion),
    ),
    gate_passed: facts.gate_passing_at_merge,
    emergency: facts.approvals.emergency !== undefined,
  };
}

/** The pusher of the head commit: the adapter's answer, else the last account GitHub reported pushing. */
export function lastPusher(facts: MergedFacts): string | undefined {
  return facts.last_pusher ?? facts.approval_facts.pushers.at(-1);
}

/** The exceptions a merged change raises, in a fixed order (the order of EXCEPTION_CODES). */
export function mergedExceptions(facts: MergedFacts, v: MergedVerdicts): RecordException[] {
  const out: RecordException[] = [];
  const counted = countedReviews(facts);
  const mergedAt = at(facts.pr.merged_at);
  const emergency = facts.approvals.emergency;
  const pending = facts.approvals.rules.filter((r) => r.status === "pending").map((r) => r.name);
  if (!v.approved_before_merge && emergency === undefined) {
    if (!counted.some((r) => at(r.submittedAt) <= mergedAt))
      out.push({ code: "NO_APPROVAL", detail: "Merged without a qualifying approval." });
    else
      out.push({
        code: "INSUFFICIENT_APPROVAL",
        detail: `Merged before every approval rule was met (pending: ${pending.join(", ") || "none"}).`,
      });
  }
  const late = counted.filter((r) => at(r.submittedAt) > mergedAt);
  if (late.length > 0)
    out.push({
      code: "APPROVAL_AFTER_MERGE",
      detail: `Approved after the merge by ${late.map((r) => `${r.user.login} at ${r.submittedAt}`).join(", ")}.`,
    });
  const staleIgnored = facts.approvals.ignored.filter((i) => i.reason === "stale-commit");
  if (
    (counted.length > 0 && !v.approval_on_final_commit) ||
    (!v.approved_before_merge && staleIgnored.length > 0)
  ) {
    const who = [
      ...counted.filter((r) => r.commitId !== facts.pr.head_sha).map((r) => r.user.login),
      ...staleIgnored.map((i) => i.login),
    ];
    out.push({
      code: "STALE_APPROVAL",
      detail: `Approval of an earlier commit than the merged head ${facts.pr.head_sha} (${[...new Set(who)].join(", ")}).`,
    });
  }
  // Approvals the engine refused (author, initiator, pusher) matter when nothing else approved the change.
  const refused = (reasons: readonly string[]) =>
    v.approved_before_merge ? [] : facts.approvals.ignored.filter((i) => reasons.includes(i.reason));
  const selfRefused = refused(["author", "requester"]);
  if (!v.author_not_approver || !v.initiator_not_approver || selfRefused.length > 0)
    out.push({
      code: "SELF_APPROVAL",
      detail: !v.author_not_approver
        ? `The author ${facts.pr.author.login} counted as an approver.`
        : !v.initiator_not_approver
          ? "A human who initiated this bot or agent pull request counted as an approver."
          : `Only the author or initiator approved (${selfRefused.map((i) => i.login).join(", ")}; not counted).`,
    });
  const pusherRefused = refused(["pusher", "committer"]);
  if (!v.pusher_not_sole_approver || pusherRefused.length > 0)
    out.push({
      code: "PUSHER_SOLE_APPROVER",
      detail: !v.pusher_not_sole_approver
        ? "The only counted approvers pushed commits to the pull request."
        : `Approved only by accounts that pushed to it (${pusherRefused.map((i) => i.login).join(", ")}; not counted).`,
    });
  if (facts.approvals.blockedBy.length > 0)
    out.push({
      code: "CHANGES_REQUESTED",
      detail: `Merged while changes were requested by ${facts.approvals.blockedBy.map((b) => b.login).join(", ")}.`,
    });
  if (!v.checks_passed) {
    const failing = facts.required_checks.filter(
      (c) => c.conclusion === null || !PASSING_CONCLUSIONS.has(c.conclusion),
    );
    out.push({
      code: "CHECKS_FAILED",
      detail: `Required checks not passing at merge: ${failing.map((c) => `${c.name} (${c.conclusion ?? "not completed"})`).join(", ")}.`,
    });
  }
  if (!v.gate_passed)
    out.push({
      code: "GATE_FAILING_AT_MERGE",
      detail: "Merged while the agent-change-control check was not passing (a bypass of the gate).",
    });
  if (emergency !== undefined)
    out.push({
      code: "EMERGENCY_PENDING_REVIEW",
      detail: `Emergency declared by ${emergency.declarer} (${emergency.reason}); follow-up review due by ${emergency.followUpDue}.`,
    });
  // Not captured when it merged: the webhook path missed it and reconcile recovered it from GitHub later.
  if (facts.capture_mode === "reconcile")
    out.push({
      code: "CAPTURED_BY_RECONCILE",
      detail: `PR #${facts.pr.number} merged at ${facts.pr.merged_at} without a record; recovered later by reconcile from GitHub's API and judged under the policy in force just before the merge.`,
    });
  return out;
}
