import type { ResolvedPolicy } from "../policy/resolve.js";
import { Directory, inSet } from "./approver-set.js";
import { emergencySettings, judgeEmergency } from "./emergency.js";
import { disqualifier, isBot, loginKey } from "./identity.js";
import { maximumMatching } from "./matching.js";
import { type ReviewerState, reviewerStates } from "./reviews.js";
import { type Applicability, applicability, type EffectiveRule, effectiveRules } from "./rules.js";
import type {
  Actor,
  ApprovalFacts,
  ApprovalResult,
  ChangeSummary,
  IgnoredReason,
  Review,
  RuleResult,
} from "./types.js";

export interface ApprovalInput {
  /** The policy in force: the default branch's (merged with the org baseline), never the pull request's. */
  policy: ResolvedPolicy;
  change: ChangeSummary;
  facts: ApprovalFacts;
  /** Not used for any decision yet (emergency due dates come from the comment's time); kept for callers. */
  now: Date;
}

/** A slot one approver fills: `team` slots of `one_from_each_team` take a member of that team. */
interface Slot {
  rule: number;
  team?: string;
}

/**
 * Decides which approval rules apply to a change and whether the pull request's reviews satisfy them. Pure:
 * the same input gives the same output whatever order reviews, comments and commits arrive in.
 */
export function evaluateApprovals(input: ApprovalInput): ApprovalResult {
  const { policy, change, facts } = input;
  const a = policy.raw.approvals ?? {};
  const countCommitters = a.count_committers ?? false;
  const keepOnContent = a.invalidate_on_push === "content";
  const dir = new Directory(facts);
  const rules = effectiveRules(policy);
  const apply = applicability(rules, policy, change, facts);
  const reviewers = reviewerStates(facts.reviews);

  const validCommit = (commitId: string) =>
    commitId === facts.headSha || (keepOnContent && facts.contentIdenticalCommits.includes(commitId));
  const disq = new Map(reviewers.map((r) => [r, disqualifier(r.actor.login, facts, countCommitters)]));
  /** In the rule's approver set (any slot), whatever the review says. */
  const ruleSet = (rule: EffectiveRule, ap: Applicability, actor: Actor) =>
    inSet(actor, rule.from, ap.paths, dir) ||
    (!isBot(actor) && rule.oneFromEachTeam.some((t) => dir.isMember(actor.login, t)));
  const slotEligible = (rule: EffectiveRule, ap: Applicability, slot: Slot, actor: Actor) =>
    slot.team !== undefined
      ? !isBot(actor) && dir.isMember(actor.login, slot.team)
      : ruleSet(rule, ap, actor);

  /**
   * The approval that counts for a reviewer whose standing is "approved": the latest of their current approvals
   * that is of the commit under review (or a content-identical one), else their latest approval (stale).
   */
  const approvalOf = (r: ReviewerState): Review | undefined =>
    r.decisive?.state !== "APPROVED"
      ? undefined
      : ([...r.approvals].reverse().find((a) => validCommit(a.commitId)) ?? r.decisive);
  // Who may count at all: an approval of the commit under review (or a content-identical one), not disqualified.
  const candidates = reviewers.filter(
    (r) => approvalOf(r) !== undefined && validCommit(approvalOf(r)!.commitId) && disq.get(r) === undefined,
  );

  const applicable = rules.map((_, i) => i).filter((i) => apply[i]!.applies);
  const slots: Slot[] = applicable.flatMap((i) => slotsOf(rules[i]!, i));
  const counted = new Map<number, ReviewerState[]>(applicable.map((i) => [i, []]));
  const filled = new Map<number, Set<string>>(applicable.map((i) => [i, new Set()]));
  const slotCount = new Map<number, number>(applicable.map((i) => [i, 0]));
  const componentOf = components(rules, applicable);

  for (const members of new Set(componentOf.values())) {
    const compSlots = slots.filter((s) => members.includes(s.rule));
    const eligible = compSlots.map((s) =>
      candidates.flatMap((c, p) => (slotEligible(rules[s.rule]!, apply[s.rule]!, s, c.actor) ? [p] : [])),
    );
    const personOf = maximumMatching(eligible, candidates.length);
    const used = new Set<number>();
    compSlots.forEach((s, j) => {
      slotCount.set(s.rule, slotCount.get(s.rule)! + 1);
      const p = personOf[j]!;
      if (p < 0) return;
      used.add(p);
      counted.get(s.rule)!.push(candidates[p]!);
      filled.get(s.rule)!.add(s.team ?? `#${j}`);
    });
    // Eligible approvers the matching did not need still count (once per linked group): the record shows them.
    candidates.forEach((c, p) => {
      if (used.has(p)) return;
      const r = members.find((i) => ruleSet(rules[i]!, apply[i]!, c.actor));
      if (r !== undefined) counted.get(r)!.push(c);
    });
  }

  const countedLogins = new Set([...counted.values()].flat().map((r) => loginKey(r.actor.login)));
  const inAnyApplicable = (actor: Actor) => applicable.some((i) => ruleSet(rules[i]!, apply[i]!, actor));
  const reasonFor = (r: ReviewerState, i?: number): IgnoredReason => {
    const d = r.decisive;
    if (d === undefined || d.state === "DISMISSED") return "not-approved";
    if (d.state === "CHANGES_REQUESTED") return "changes-requested";
    const q = disq.get(r);
    if (q !== undefined) return q;
    if (isBot(r.actor) && !inAnyApplicable(r.actor)) return "bot";
    if (!validCommit(approvalOf(r)!.commitId)) return "stale-commit";
    if (i !== undefined && countedLogins.has(loginKey(r.actor.login))) return "counted-for-distinct-rule";
    return "not-in-approver-set";
  };

  const blockedBy = reviewers
    .filter(
      (r) =>
        r.decisive?.state === "CHANGES_REQUESTED" && disq.get(r) === undefined && inAnyApplicable(r.actor),
    )
    .map((r) => ({ login: r.actor.login, reviewId: r.decisive!.id }));
  const ignored = reviewers
    .filter((r) => !countedLogins.has(loginKey(r.actor.login)))
    .map((r) => ({ login: r.actor.login, reviewId: (r.decisive ?? r.latest).id, reason: reasonFor(r) }));

  const showNames = a.show_approver_names === true;
  const author = loginKey(facts.author.login);
  const results: RuleResult[] = rules.map((rule, i) => {
    const ap = apply[i]!;
    const teams = [...new Set([...(rule.from.teams ?? []), ...rule.oneFromEachTeam])];
    const base = {
      name: rule.name,
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      because: ap.because,
      canApprove: {
        teams,
        users: showNames
          ? (rule.from.users ?? []).filter((u) => loginKey(u) !== author && !/\[bot\]$/i.test(u))
          : [],
        ...(rule.from.permission !== undefined ? { permission: rule.from.permission } : {}),
        codeowners: rule.from.codeowners === true,
        apps: [...(rule.from.apps ?? [])],
      },
      origin: rule.origin,
      ...(rule.distinctFrom.length > 0 ? { distinctFrom: [...rule.distinctFrom] } : {}),
    };
    if (!ap.applies)
      return { ...base, status: "not-applicable", required: requiredOf(rule), counted: [], missingTeams: [] };
    const mine = counted.get(i)!;
    const mineKeys = new Set(mine.map((r) => loginKey(r.actor.login)));
    const required = slotCount.get(i)!;
    const satisfied = filled.get(i)!.size === required;
    return {
      ...base,
      status: satisfied ? "satisfied" : "pending",
      required,
      counted: mine.map((r) => ({ login: r.actor.login, reviewId: approvalOf(r)!.id })),
      missingTeams: rule.oneFromEachTeam.filter((t) => !filled.get(i)!.has(t)),
      notCounted: reviewers
        .filter(
          (r) =>
            !mineKeys.has(loginKey(r.actor.login)) && r.decisive !== undefined && ruleSet(rule, ap, r.actor),
        )
        .map((r) => ({ login: r.actor.login, reviewId: r.decisive!.id, reason: reasonFor(r, i) })),
    };
  });

  const declarers = emergencySettings(policy).declarers;
  const everyPath = [...new Set([...change.changedPaths, ...change.files.map((f) => f.path)])];
  const { emergency, refused } = judgeEmergency(policy, facts, (c) =>
    inSet(c.author, declarers, everyPath, dir),
  );
  const allSatisfied = results.every((r) => r.status !== "pending");
  return {
    rules: results,
    ignored,
    blockedBy,
    refusedEmergencies: refused,
    ...(emergency ? { emergency } : {}),
    approved: emergency !== undefined || (allSatisfied && blockedBy.length === 0),
    requestReviews:
      a.request_reviews === false
        ? { teams: [], users: [] }
        : reviewRequests(rules, results, facts, countCommitters),
  };
}

/** What a rule needs: `count` approvers, and at least one per `one_from_each_team` team. */
function requiredOf(rule: EffectiveRule): number {
  return Math.max(rule.count, rule.oneFromEachTeam.length);
}

function slotsOf(rule: EffectiveRule, i: number): Slot[] {
  const teamSlots = rule.oneFromEachTeam.map((team) => ({ rule: i, team }));
  const rest = Array.from({ length: requiredOf(rule) - teamSlots.length }, () => ({ rule: i }));
  return [...teamSlots, ...rest];
}

/** Applicable rules linked by `distinct_from`, transitively: each group must be satisfied by disjoint people. */
function components(rules: readonly EffectiveRule[], applicable: readonly number[]): Map<number, number[]> {
  const parent = new Map(applicable.map((i) => [i, i]));
  const find = (i: number): number => {
    const p = parent.get(i)!;
    return p === i ? i : find(p);
  };
  const byName = new Map(applicable.map((i) => [rules[i]!.name, i]));
  for (const i of applicable) {
    for (const other of rules[i]!.distinctFrom) {
      const j = byName.get(other);
      if (j !== undefined) parent.set(find(i), find(j));
    }
  }
  const groups = new Map<number, number[]>();
  for (const i of applicable) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return new Map(applicable.map((i) => [i, groups.get(find(i))!]));
}

/**
 * Reviews to request for pending rules: their teams (all of them, or the missing ones for
 * `one_from_each_team`) and listed users — never the author, anyone who may not approve, or anyone who
 * already left a decisive review.
 */
function reviewRequests(
  rules: readonly EffectiveRule[],
  results: readonly RuleResult[],
  facts: ApprovalFacts,
  countCommitters: boolean,
): { teams: string[]; users: string[] } {
  const reviewed = new Set(
    reviewerStates(facts.reviews)
      .filter((r) => r.decisive !== undefined)
      .map((r) => loginKey(r.actor.login)),
  );
  const teams = new Set<string>();
  const users = new Map<string, string>();
  results.forEach((res, i) => {
    if (res.status !== "pending") return;
    const rule = rules[i]!;
    for (const t of rule.from.teams ?? []) teams.add(t);
    for (const t of res.missingTeams) teams.add(t);
    for (const u of rule.from.users ?? []) {
      const k = loginKey(u);
      if (/\[bot\]$/i.test(u) || reviewed.has(k) || disqualifier(u, facts, countCommitters) !== undefined)
        continue;
      users.set(k, u);
    }
  });
  return { teams: [...teams].sort(), users: [...users.values()].sort() };
}
