import { anyGlob, globMatcher } from "../formats/classify.js";
import type { ApprovalRule, ApproverSet } from "../policy/policy-file.generated.js";
import type { ResolvedPolicy } from "../policy/resolve.js";
import { RISK_TIERS } from "../types.js";
import { policyChangePaths } from "./change.js";
import type { ApprovalFacts, ChangeSummary } from "./types.js";

/** A rule as the engine applies it: the policy's, a built-in default, or the policy owners rule. */
export interface EffectiveRule {
  name: string;
  description?: string;
  origin: "policy" | "default" | "policy-owners";
  when: NonNullable<ApprovalRule["when"]>;
  count: number;
  /** The approver set (a rule without `from` means anyone with write access). */
  from: ApproverSet;
  oneFromEachTeam: string[];
  distinctFrom: string[];
  /**
   * `fallback`: the default that applies to an agent-config change only when no policy rule does (fail
   * closed); `tiered`: a default in force because the policy has no rules; `policy-change`: applies to changes
   * of the policy file, schemas it names and CODEOWNERS.
   */
  kind: "policy" | "fallback" | "tiered" | "policy-change";
}

/** Names use characters policy rule names cannot contain, so they never collide. */
export const DEFAULT_RULE = "any agent-config change (default)";
export const HIGH_RULE = "high risk (default)";
export const CRITICAL_RULE = "critical risk (default)";
export const POLICY_OWNERS_RULE = "policy owners (approvals.policy_owners)";

/** Who a rule without `from`, and the fallback default, accept. */
export const WRITE_ACCESS: ApproverSet = { permission: "write" };
export const ADMINS: ApproverSet = { permission: "admin" };

const base = { when: {}, oneFromEachTeam: [], distinctFrom: [] };

const anyChange: EffectiveRule = {
  ...base,
  name: DEFAULT_RULE,
  description:
    "Any agent-config change needs one approval from someone with write access other than the author.",
  origin: "default",
  count: 1,
  from: WRITE_ACCESS,
  kind: "tiered",
};

const TIERED: readonly EffectiveRule[] = [
  anyChange,
  {
    ...base,
    name: HIGH_RULE,
    description: "A high or critical risk change needs one approval from a maintainer or admin.",
    origin: "default",
    when: { risk_at_least: "high" },
    count: 1,
    from: { permission: "maintain" },
    kind: "tiered",
  },
  {
    ...base,
    name: CRITICAL_RULE,
    description:
      "A critical risk change needs a second approver with write access, distinct from the maintainer or admin.",
    origin: "default",
    when: { risk_at_least: "critical" },
    count: 1,
    from: WRITE_ACCESS,
    distinctFrom: [HIGH_RULE],
    kind: "tiered",
  },
];

/**
 * The rules in force, in order: the policy's rules (then the fallback default, which applies only when none
 * of them does), or — when the policy has no rules — the three tiered defaults; the policy owners rule last.
 */
export function effectiveRules(policy: ResolvedPolicy): EffectiveRule[] {
  const approvals = policy.raw.approvals ?? {};
  const own = (approvals.rules ?? []).map(
    (r): EffectiveRule => ({
      name: r.name,
      ...(r.description !== undefined ? { description: r.description } : {}),
      origin: "policy",
      when: r.when ?? {},
      count: r.requires.count,
      from: r.requires.from ?? WRITE_ACCESS,
      oneFromEachTeam: [...new Set(r.requires.one_from_each_team ?? [])],
      distinctFrom: (r.requires.distinct_from ?? []).filter((n) => n !== r.name),
      kind: "policy",
    }),
  );
  const defaults = own.length > 0 ? [{ ...anyChange, kind: "fallback" as const }] : TIERED;
  const owners: EffectiveRule = {
    ...base,
    name: POLICY_OWNERS_RULE,
    description: "Changes to the policy file, the schemas it names and CODEOWNERS need a policy owner.",
    origin: "policy-owners",
    count: 1,
    from: approvals.policy_owners ?? ADMINS,
    kind: "policy-change",
  };
  return [...own, ...defaults.map((d) => ({ ...d })), owners];
}

/** Whether a rule applies, why (or why not), and the paths it covers (for `codeowners: true`). */
export interface Applicability {
  applies: boolean;
  because: string;
  paths: string[];
}

type Context = Pick<ApprovalFacts, "baseRef" | "labels">;

/**
 * Decides which rules apply. A policy rule applies to an agent-config change when at least one changed file
 * passes all its file conditions (`categories`, `formats`, `paths` — the same file) and every change-level
 * condition holds (`risk_at_least`, `rules_found`, `target_branches`, `labels`; list conditions need one match).
 */
export function applicability(
  rules: readonly EffectiveRule[],
  policy: ResolvedPolicy,
  change: ChangeSummary,
  facts: Context,
): Applicability[] {
  const agentPaths = change.files.flatMap((f) => [
    f.path,
    ...(f.previousPath !== undefined ? [f.previousPath] : []),
  ]);
  const out = rules.map((r): Applicability => {
    if (r.kind === "policy-change") {
      const changed = policyChangePaths(policy, change);
      return changed.length > 0
        ? {
            applies: true,
            because: `changes ${changed.map((c) => `${c.path} (${c.what})`).join(", ")}`,
            paths: changed.map((c) => c.path),
          }
        : { applies: false, because: "the policy file, its schemas and CODEOWNERS are unchanged", paths: [] };
    }
    if (change.files.length === 0)
      return { applies: false, because: "no agent-config file changed", paths: [] };
    if (r.kind === "fallback") return { applies: true, because: "", paths: agentPaths };
    return whenHolds(r, change, facts);
  });
  // The fallback default applies only when no policy rule does.
  const anyPolicy = rules.some((r, i) => r.kind === "policy" && out[i]!.applies);
  rules.forEach((r, i) => {
    if (r.kind !== "fallback" || change.files.length === 0) return;
    out[i] = anyPolicy
      ? { applies: false, because: "a policy rule applies to this change", paths: [] }
      : {
          applies: true,
          because: "no policy rule applies to this agent-config change, so the default does (fail closed)",
          paths: agentPaths,
        };
  });
  return out;
}

function whenHolds(r: EffectiveRule, change: ChangeSummary, facts: Context): Applicability {
  const w = r.when;
  const reasons: string[] = [];
  const no = (because: string): Applicability => ({ applies: false, because, paths: [] });

  const pathMatch =
    w.paths !== undefined ? anyGlob(typeof w.paths === "string" ? [w.paths] : w.paths) : undefined;
  const files = change.files.filter(
    (f) =>
      (w.categories === undefined || (w.categories as string[]).includes(f.category)) &&
      (w.formats === undefined || (w.formats as string[]).includes(f.format)) &&
      (pathMatch === undefined ||
        pathMatch(f.path) ||
        (f.previousPath !== undefined && pathMatch(f.previousPath))),
  );
  const fileConditions = [
    w.categories && `categories ${w.categories.join(", ")}`,
    w.formats && `formats ${w.formats.join(", ")}`,
    w.paths && `paths ${[w.paths].flat().join(", ")}`,
  ].filter((x): x is string => typeof x === "string");
  if (files.length === 0) return no(`no changed agent-config file matches ${fileConditions.join(" and ")}`);
  if (fileConditions.length > 0)
    reasons.push(
      `${files.map((f) => `${f.path} (${f.category})`).join(", ")} matches ${fileConditions.join(" and ")}`,
    );
  else reasons.push("any agent-config change");

  if (w.risk_at_least !== undefined) {
    const held = RISK_TIERS.indexOf(change.risk) >= RISK_TIERS.indexOf(w.risk_at_least);
    const text = `risk ${change.risk} ${held ? "≥" : "<"} ${w.risk_at_least}`;
    if (!held) return no(text);
    reasons.push(text);
  }
  if (w.rules_found !== undefined) {
    const found = change.rulesFound.filter((id) => w.rules_found!.some((p) => ruleIdMatches(p, id)));
    if (found.length === 0) return no(`no finding of ${w.rules_found.join(", ")}`);
    reasons.push(`findings ${found.join(", ")}`);
  }
  if (w.target_branches !== undefined) {
    const globs = typeof w.target_branches === "string" ? [w.target_branches] : w.target_branches;
    const held = globs.some((g) => globMatcher(g)(facts.baseRef));
    const text = `target branch ${facts.baseRef} ${held ? "matches" : "does not match"} ${globs.join(", ")}`;
    if (!held) return no(text);
    reasons.push(text);
  }
  if (w.labels !== undefined) {
    const on = w.labels.filter((l) => facts.labels.includes(l));
    if (on.length === 0) return no(`none of the labels ${w.labels.join(", ")} is on the pull request`);
    reasons.push(`label ${on.join(", ")}`);
  }
  return {
    applies: true,
    because: reasons.join("; "),
    paths: files.flatMap((f) => [f.path, ...(f.previousPath !== undefined ? [f.previousPath] : [])]),
  };
}

/** `INS-*` matches every INS rule; otherwise ids match exactly. */
function ruleIdMatches(pattern: string, id: string): boolean {
  return pattern.endsWith("-*") ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}
