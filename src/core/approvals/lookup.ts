import type { ResolvedPolicy } from "../policy/resolve.js";
import { Directory } from "./approver-set.js";
import { emergencyCommands, emergencySettings } from "./emergency.js";
import { isBot, loginKey } from "./identity.js";
import { reviewerStates } from "./reviews.js";
import { applicability, effectiveRules } from "./rules.js";
import type { ApprovalFacts, ChangeSummary, LookupNeeds } from "./types.js";

/**
 * The team memberships and repository permissions `evaluateApprovals` will ask about, so an adapter looks up
 * exactly these (live, per evaluation): every human with a decisive review against the teams and permissions
 * of the applicable rules (CODEOWNERS teams of their paths included), and the authors of emergency commands
 * against the declarers. The author is never asked about: the author never counts.
 */
export function lookupNeeds(
  policy: ResolvedPolicy,
  change: ChangeSummary,
  facts: Omit<ApprovalFacts, "teams" | "permissions">,
): LookupNeeds {
  const dir = new Directory({ teams: {}, permissions: {}, codeowners: facts.codeowners });
  const rules = effectiveRules(policy);
  const apply = applicability(rules, policy, change, facts);
  const author = loginKey(facts.author.login);
  const reviewers = [
    ...new Set(
      reviewerStates(facts.reviews)
        .filter((r) => r.decisive !== undefined && !isBot(r.actor) && loginKey(r.actor.login) !== author)
        .map((r) => r.actor.login),
    ),
  ];
  const teams = new Map<string, Set<string>>();
  const ask = (team: string, logins: readonly string[]) => {
    const set = teams.get(team) ?? new Set<string>();
    for (const l of logins) set.add(l);
    teams.set(team, set);
  };
  const permissions = new Set<string>();
  rules.forEach((r, i) => {
    const ap = apply[i]!;
    if (!ap.applies || reviewers.length === 0) return;
    for (const t of [...(r.from.teams ?? []), ...r.oneFromEachTeam]) ask(t, reviewers);
    if (r.from.codeowners) for (const t of dir.ownerTeams(ap.paths)) ask(t, reviewers);
    if (r.from.permission !== undefined) for (const l of reviewers) permissions.add(l);
  });
  const settings = emergencySettings(policy);
  if (settings.enabled) {
    const declarers = [
      ...new Set(
        emergencyCommands(facts.comments)
          .map((c) => c.comment.author)
          .filter((a) => !isBot(a))
          .map((a) => a.login),
      ),
    ];
    if (declarers.length > 0) {
      for (const t of settings.declarers.teams ?? []) ask(t, declarers);
      if (settings.declarers.codeowners) {
        const every = [...new Set([...change.changedPaths, ...change.files.map((f) => f.path)])];
        for (const t of dir.ownerTeams(every)) ask(t, declarers);
      }
      if (settings.declarers.permission !== undefined) for (const l of declarers) permissions.add(l);
    }
  }
  return {
    teams: [...teams]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([team, logins]) => ({ team, logins: [...logins].sort() })),
    permissionsFor: [...permissions].sort(),
  };
}
