import { anyGlob } from "../formats/classify.js";
import type { ResolvedPolicy } from "../policy/resolve.js";
import {
  FINDING_SEVERITIES,
  type Finding,
  type FindingSeverity,
  RISK_TIERS,
  type RiskTier,
} from "../types.js";
import { RULES } from "./catalog.js";
import type { FileContext, RiskRule } from "./types.js";

type RuleSetting = "off" | FindingSeverity | { enabled?: boolean; severity?: FindingSeverity };

/** The rules in force under a policy, with the severity each reports at. */
export function activeRules(
  policy: ResolvedPolicy,
  rules: readonly RiskRule[] = RULES,
): { rule: RiskRule; severity: FindingSeverity }[] {
  const settings = (policy.risk.rules ?? {}) as Record<string, RuleSetting>;
  const out: { rule: RiskRule; severity: FindingSeverity }[] = [];
  for (const rule of rules) {
    const s = settings[rule.id];
    if (s === "off" || (typeof s === "object" && s.enabled === false)) continue;
    const severity = typeof s === "string" ? s : (s?.severity ?? rule.severity);
    out.push({ rule, severity });
  }
  return out;
}

/**
 * Runs every active rule on every changed file and applies the policy: per-rule severity, and suppressions
 * (rule id + path glob, until their expiry date). Suppressed findings are kept, marked, and do not count
 * towards the risk tier. A rule that throws becomes a finding of its own (high), never a silent pass.
 */
export function assessRisk(
  files: readonly FileContext[],
  policy: ResolvedPolicy,
  now?: Date,
  rules: readonly RiskRule[] = RULES,
): Finding[] {
  const active = activeRules(policy, rules);
  const today = now?.toISOString().slice(0, 10);
  const suppressions = (policy.risk.suppressions ?? []).map((s) => ({
    ...s,
    match: anyGlob(typeof s.path === "string" ? [s.path] : [...s.path]),
  }));
  const findings: Finding[] = [];
  for (const file of files) {
    for (const { rule, severity } of active) {
      let raw: ReturnType<RiskRule["check"]>;
      try {
        raw = rule.check(file);
      } catch (err) {
        raw = [
          {
            line: 1,
            severity: "high",
            message: `rule ${rule.id} could not evaluate this file (${err instanceof Error ? err.name : "error"}); treated as a finding so the change is reviewed`,
          },
        ];
      }
      for (const f of raw) {
        // A policy severity shifts the whole rule; a finding's own severity (a rule that grades its findings,
        // such as INS-001 in prompts vs tool text) moves relative to the rule's default.
        const shift = rank(severity) - rank(rule.severity);
        const finding: Finding = {
          rule: rule.id,
          severity: clamp(rank(f.severity ?? rule.severity) + shift),
          path: f.side === "before" && file.previousPath ? file.previousPath : file.path,
          line: f.line,
          ...(f.column !== undefined ? { column: f.column } : {}),
          message: f.message,
          title: rule.title,
          threat: rule.threat,
        };
        const s = suppressions.find(
          (x) => x.rule === rule.id && x.match(finding.path) && (today === undefined || x.expires >= today),
        );
        if (s)
          finding.suppressed = {
            reason: s.reason,
            expires: s.expires,
            ...(s.ticket ? { ticket: s.ticket } : {}),
          };
        findings.push(finding);
      }
    }
  }
  return findings.sort(
    (a, b) =>
      rank(b.severity) - rank(a.severity) || cmp(a.path, b.path) || a.line - b.line || cmp(a.rule, b.rule),
  );
}

/** Categories where any change at all needs a reviewer: the tier is at least medium. */
const REVIEW_CATEGORIES = new Set(["prompt", "tool", "mcp", "permissions", "policy"]);

/**
 * The change's risk tier: the highest unsuppressed finding severity (info does not count), at least
 * `medium` when a prompt, tool, MCP, permission or policy file changed at all, `none` when no agent config
 * changed.
 */
export function riskTier(findings: readonly Finding[], categories: readonly string[]): RiskTier {
  if (categories.length === 0) return "none";
  let tier = categories.some((c) => REVIEW_CATEGORIES.has(c)) ? RISK_TIERS.indexOf("medium") : 0;
  for (const f of findings) {
    if (f.suppressed) continue;
    tier = Math.max(tier, RISK_TIERS.indexOf(f.severity as RiskTier));
  }
  return RISK_TIERS[tier] ?? "none";
}

function rank(s: FindingSeverity): number {
  return FINDING_SEVERITIES.indexOf(s);
}

function clamp(n: number): FindingSeverity {
  return FINDING_SEVERITIES[Math.max(0, Math.min(FINDING_SEVERITIES.length - 1, n))]!;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
