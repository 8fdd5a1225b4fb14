import type { PointerSegment } from "../parse/document.js";
import { ruleById } from "../risk/catalog.js";
import { FINDING_SEVERITIES, type FindingSeverity } from "../types.js";
import type { Approvals, Changelog, Risk, Watch } from "./policy-file.generated.js";
import type { PolicyObject } from "./resolve.js";

/** What an org baseline may let a repository loosen on its own (`delegate:` in the baseline). */
export type Delegable = NonNullable<PolicyObject["delegate"]>[number];

/** Where the merge reports a repository key it ignored (or, for `duplicate-rule`, refused). */
export type MergeReport = (
  pointer: PointerSegment[],
  severity: "error" | "warning",
  code: string,
  message: string,
) => void;

export const LOOSENING = "baseline-loosening";

/**
 * Merges a repository policy into the org baseline so the result is never looser than the baseline: each
 * repository value the baseline does not allow is ignored and reported (docs/configuration.md, "Org
 * baseline", has the rules as a table). Both inputs are validated policies; the result is one too, with the
 * baseline's entries first wherever order matters.
 */
export function mergePolicies(
  base: PolicyObject,
  repo: PolicyObject,
  baseline: { label: string; path: string },
  report: MergeReport,
): PolicyObject {
  const { label } = baseline;
  const delegated = new Set<Delegable>(base.delegate ?? []);
  const ignored = (pointer: PointerSegment[], what: string) =>
    report(
      pointer,
      "warning",
      LOOSENING,
      `${what}: ignored, the org baseline in ${label} applies (a repository policy may only tighten it)`,
    );
  if (repo.delegate !== undefined) {
    report(
      ["delegate"],
      "warning",
      "delegate-outside-baseline",
      `\`delegate\` is ignored: only the org baseline in ${label} decides what a repository may loosen`,
    );
  }
  const out: PolicyObject = {
    ...(base.version !== undefined || repo.version !== undefined ? { version: 1 as const } : {}),
  };
  const watch = mergeWatch(base.watch ?? {}, repo.watch ?? {}, delegated.has("watch.exclude"), ignored);
  if (Object.keys(watch).length > 0) out.watch = watch;
  const formats = [...(base.formats ?? []), ...(repo.formats ?? [])];
  if (formats.length > 0) out.formats = formats;
  // The baseline's own `schemas` are refused when it is loaded; the repository's keep the built-in ones.
  if (repo.schemas !== undefined) out.schemas = repo.schemas;
  const risk = mergeRisk(base.risk ?? {}, repo.risk ?? {}, delegated, ignored);
  if (Object.keys(risk).length > 0) out.risk = risk;
  const approvals = mergeApprovals(base.approvals ?? {}, repo.approvals ?? {}, delegated, baseline, {
    ignored,
    report,
  });
  if (Object.keys(approvals).length > 0) out.approvals = approvals;
  const changelog = mergeChangelog(base.changelog ?? {}, repo.changelog ?? {}, ignored);
  if (Object.keys(changelog).length > 0) out.changelog = changelog;
  if (base.delegate !== undefined) out.delegate = base.delegate;
  return out;
}

type Ignored = (pointer: PointerSegment[], what: string) => void;

function mergeWatch(b: Watch, r: Watch, excludeDelegated: boolean, ignored: Ignored): Watch {
  const out: Watch = {};
  const at = (key: string) => ["watch", key];
  setIf(
    out,
    "defaults",
    trueWins(b.defaults, r.defaults, true, () => ignored(at("defaults"), "`watch.defaults: false`")),
  );
  setIf(
    out,
    "sniff",
    trueWins(b.sniff, r.sniff, true, () => ignored(at("sniff"), "`watch.sniff: false`")),
  );
  const include = [...(b.include ?? []), ...(r.include ?? [])];
  if (include.length > 0) out.include = include;
  const baseExclude = b.exclude ?? [];
  const extra = (r.exclude ?? []).filter((g) => !baseExclude.includes(g));
  if (extra.length > 0 && !excludeDelegated)
    ignored(
      at("exclude"),
      `\`watch.exclude\` ${quoteList(extra)} (the baseline does not delegate watch.exclude)`,
    );
  const exclude = excludeDelegated ? [...baseExclude, ...extra] : baseExclude;
  if (b.exclude !== undefined || exclude.length > 0) out.exclude = exclude;
  return out;
}

type RuleSetting = "off" | FindingSeverity | { enabled?: boolean; severity?: FindingSeverity };

/**
 * How strict a rule setting is, on one scale: off (0) below every severity (1 + its rank). Unset in the
 * baseline means the built-in default; an unknown rule id has no default, so only what is written counts.
 */
function strictness(s: RuleSetting | undefined, id: string): number {
  const fallback = ruleById(id)?.severity;
  if (s === undefined) return fallback === undefined ? 0 : 1 + FINDING_SEVERITIES.indexOf(fallback);
  if (s === "off" || (typeof s === "object" && s.enabled === false)) return 0;
  const severity = typeof s === "string" ? s : (s.severity ?? fallback);
  return severity === undefined ? 1 : 1 + FINDING_SEVERITIES.indexOf(severity);
}

function mergeRisk(b: Risk, r: Risk, delegated: ReadonlySet<Delegable>, ignored: Ignored): Risk {
  const out: Risk = {};
  const bRules = (b.rules ?? {}) as Record<string, RuleSetting>;
  const rRules = (r.rules ?? {}) as Record<string, RuleSetting>;
  const rules: Record<string, RuleSetting> = { ...bRules };
  for (const [id, setting] of Object.entries(rRules)) {
    if (strictness(setting, id) >= strictness(bRules[id], id)) rules[id] = setting;
    else
      ignored(
        ["risk", "rules", id],
        `\`risk.rules.${id}: ${describe(setting)}\` disables or lowers the rule`,
      );
  }
  if (Object.keys(rules).length > 0) out.rules = rules as Risk["rules"];

  const suppressions = [...(b.suppressions ?? [])];
  if ((r.suppressions ?? []).length > 0) {
    if (delegated.has("risk.suppressions")) suppressions.push(...(r.suppressions ?? []));
    else
      ignored(
        ["risk", "suppressions"],
        `\`risk.suppressions\` (${r.suppressions!.map((s) => s.rule).join(", ")}) (the baseline does not delegate risk.suppressions)`,
      );
  }
  if (suppressions.length > 0 || b.suppressions !== undefined) out.suppressions = suppressions;

  // An empty list means "no allowlist": a repository that adds one where the baseline has none tightens.
  const bHosts = b.allowed_mcp_hosts ?? [];
  const rHosts = r.allowed_mcp_hosts ?? [];
  let hosts = bHosts;
  if (bHosts.length === 0 || delegated.has("risk.allowed_mcp_hosts")) hosts = unique([...bHosts, ...rHosts]);
  else if (rHosts.length > 0 && !sameSet(bHosts, rHosts))
    ignored(
      ["risk", "allowed_mcp_hosts"],
      "`risk.allowed_mcp_hosts` (the baseline sets the allowed MCP hosts and does not delegate them)",
    );
  if (hosts.length > 0 || b.allowed_mcp_hosts !== undefined) out.allowed_mcp_hosts = hosts;
  return out;
}

function mergeApprovals(
  b: Approvals,
  r: Approvals,
  delegated: ReadonlySet<Delegable>,
  baseline: { label: string; path: string },
  { ignored, report }: { ignored: Ignored; report: MergeReport },
): Approvals {
  const out: Approvals = {};
  const at = (key: string) => ["approvals", key];
  const baseNames = new Set((b.rules ?? []).map((x) => x.name));
  r.rules?.forEach((rule, i) => {
    if (baseNames.has(rule.name))
      report(
        ["approvals", "rules", i, "name"],
        "error",
        "duplicate-rule",
        `approval rule name "${rule.name}" is also used by the org baseline ${baseline.label}:${baseline.path}; rename the rule here (both rules apply, so each needs its own name)`,
      );
  });
  const rules = [...(b.rules ?? []), ...(r.rules ?? [])];
  if (rules.length > 0) out.rules = rules;
  setIf(
    out,
    "policy_owners",
    baselineFirst(b.policy_owners, r.policy_owners, () =>
      ignored(at("policy_owners"), "`approvals.policy_owners`"),
    ),
  );
  // `always` (the default) is the stricter: an approval counts only for the commit it reviewed.
  const content = r.invalidate_on_push === "content" && b.invalidate_on_push !== "content";
  if (content) ignored(at("invalidate_on_push"), "`approvals.invalidate_on_push: content`");
  setIf(
    out,
    "invalidate_on_push",
    content ? b.invalidate_on_push : (r.invalidate_on_push ?? b.invalidate_on_push),
  );
  // Counting committers lets more people approve, so `false` (the default) is the stricter value.
  setIf(
    out,
    "count_committers",
    falseWins(b.count_committers, r.count_committers, () =>
      ignored(at("count_committers"), "`approvals.count_committers: true`"),
    ),
  );
  setIf(out, "request_reviews", r.request_reviews ?? b.request_reviews);
  setIf(out, "show_approver_names", r.show_approver_names ?? b.show_approver_names);
  if (r.emergency !== undefined && delegated.has("approvals.emergency"))
    out.emergency = { ...b.emergency, ...r.emergency };
  else {
    if (r.emergency !== undefined && !sameJson(r.emergency, b.emergency))
      ignored(at("emergency"), "`approvals.emergency` (the baseline does not delegate approvals.emergency)");
    setIf(out, "emergency", b.emergency);
  }
  return out;
}

function mergeChangelog(b: Changelog, r: Changelog, ignored: Ignored): Changelog {
  const out: Changelog = {};
  const at = (key: string) => ["changelog", key];
  setIf(
    out,
    "enabled",
    trueWins(b.enabled, r.enabled, true, () => ignored(at("enabled"), "`changelog.enabled: false`")),
  );
  for (const key of ["repository", "branch", "ticket_pattern"] as const)
    setIf(
      out,
      key,
      baselineFirst(b[key], r[key], () => ignored(at(key), `\`changelog.${key}: ${r[key]}\``)),
    );
  for (const key of ["checkpoint_every", "heartbeat_hours"] as const) {
    const bv = b[key];
    const rv = r[key];
    if (bv !== undefined && rv !== undefined && rv > bv)
      ignored(at(key), `\`changelog.${key}: ${rv}\` (more than the baseline's ${bv})`);
    setIf(out, key, bv === undefined ? rv : rv === undefined ? bv : Math.min(bv, rv));
  }
  return out;
}

/** A boolean where `true` is the stricter value; unset in the baseline means `whenUnset`. */
function trueWins(
  b: boolean | undefined,
  r: boolean | undefined,
  whenUnset: boolean,
  onIgnored: () => void,
): boolean | undefined {
  if (r === undefined) return b;
  if (r || !(b ?? whenUnset)) return r;
  onIgnored();
  return b;
}

/** A boolean where `false` (also the default) is the stricter value. */
function falseWins(
  b: boolean | undefined,
  r: boolean | undefined,
  onIgnored: () => void,
): boolean | undefined {
  if (r === undefined) return b;
  if (!r || b === true) return r;
  onIgnored();
  return b;
}

/** The baseline's value when it sets one (a different repository value is reported), else the repository's. */
function baselineFirst<T>(b: T | undefined, r: T | undefined, onIgnored: () => void): T | undefined {
  if (b === undefined) return r;
  if (r !== undefined && !sameJson(b, r)) onIgnored();
  return b;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function describe(s: RuleSetting): string {
  return typeof s === "string" ? s : JSON.stringify(s).replace(/"/g, "");
}

function quoteList(xs: readonly string[]): string {
  return xs.map((x) => `"${x}"`).join(", ");
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
