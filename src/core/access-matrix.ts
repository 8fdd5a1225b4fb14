/**
 * The CC6 access-control matrix, derived from the policy in force: who may approve which agent-config changes
 * (categories, formats, paths, risk tiers, target branches, labels, findings), who owns the policy and who may
 * declare an emergency. One row per principal and role. Pure: the same policy always gives the same rows.
 */
import { emergencySettings } from "./approvals/emergency.js";
import { CODEOWNERS_PATHS, type EffectiveRule, effectiveRules } from "./approvals/index.js";
import { csvFile } from "./changelog/export/csv-format.js";
import type { ApproverSet } from "./policy/policy-file.generated.js";
import type { ResolvedPolicy } from "./policy/resolve.js";
import { RISK_TIERS, type RiskTier } from "./types.js";

export type MatrixRole = "approver" | "policy-owner" | "emergency-declarer";
export type PrincipalKind = "user" | "team" | "permission" | "codeowners" | "app" | "nobody";

export interface MatrixRow {
  role: MatrixRole;
  /** The approval rule (its name), or `approvals.emergency` for declarers. */
  rule: string;
  origin: EffectiveRule["origin"] | "emergency";
  principalKind: PrincipalKind;
  /** A login, `org/team`, the least permission (`write` = write, maintain or admin), `CODEOWNERS`, an app. */
  principal: string;
  /** Approvals the rule needs (0 for declarers). */
  required: number;
  /** Conditions on the change; empty lists mean "any". */
  categories: string[];
  formats: string[];
  paths: string[];
  riskTiers: RiskTier[];
  targetBranches: string[];
  labels: string[];
  findings: string[];
  /** How the rule combines approvers, and anything else an auditor should know about the row. */
  notes: string[];
}

const PERMISSION_LADDER = ["triage", "write", "maintain", "admin"] as const;

/** Principals of an approver set, in a fixed order: users, teams, permission, CODEOWNERS, apps. */
function principals(set: ApproverSet): { kind: PrincipalKind; name: string }[] {
  return [
    ...(set.users ?? []).map((name) => ({ kind: "user" as const, name })),
    ...(set.teams ?? []).map((name) => ({ kind: "team" as const, name })),
    ...(set.permission !== undefined ? [{ kind: "permission" as const, name: set.permission }] : []),
    ...(set.codeowners === true ? [{ kind: "codeowners" as const, name: "CODEOWNERS" }] : []),
    ...(set.apps ?? []).map((name) => ({ kind: "app" as const, name })),
  ];
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : [...v];

function tiersFrom(least: RiskTier | undefined): RiskTier[] {
  return least === undefined ? [...RISK_TIERS] : RISK_TIERS.slice(RISK_TIERS.indexOf(least));
}

function ruleNotes(r: EffectiveRule): string[] {
  const notes: string[] = [];
  if (r.kind === "fallback") notes.push("applies only when no policy rule applies to an agent-config change");
  if (r.oneFromEachTeam.length > 0) notes.push(`one approver from each of ${r.oneFromEachTeam.join(", ")}`);
  if (r.distinctFrom.length > 0) notes.push(`approvers distinct from rule(s) ${r.distinctFrom.join(", ")}`);
  return notes;
}

export function accessMatrix(policy: ResolvedPolicy): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const r of effectiveRules(policy)) {
    const w = r.when;
    const owners = r.kind === "policy-change";
    const base = {
      role: owners ? ("policy-owner" as const) : ("approver" as const),
      rule: r.name,
      origin: r.origin,
      required: r.count,
      categories: owners ? [] : list(w.categories as string[] | undefined),
      formats: owners ? [] : list(w.formats as string[] | undefined),
      paths: owners ? policyPaths(policy) : list(w.paths),
      riskTiers: owners ? [...RISK_TIERS] : tiersFrom(w.risk_at_least),
      targetBranches: list(w.target_branches),
      labels: list(w.labels),
      findings: list(w.rules_found),
      notes: ruleNotes(r),
    };
    const who = [
      ...principals(r.from),
      ...r.oneFromEachTeam
        .filter((t) => !(r.from.teams ?? []).includes(t))
        .map((name) => ({ kind: "team" as const, name })),
    ];
    for (const p of who)
      rows.push({ ...base, principalKind: p.kind, principal: p.name, notes: [...base.notes] });
  }
  const e = emergencySettings(policy);
  const emergency = {
    role: "emergency-declarer" as const,
    rule: "approvals.emergency",
    origin: "emergency" as const,
    required: 0,
    categories: [],
    formats: [],
    paths: [],
    riskTiers: [...RISK_TIERS],
    targetBranches: [],
    labels: e.label !== undefined ? [e.label] : [],
  };
  if (!e.enabled)
    rows.push({
      ...emergency,
      principalKind: "nobody",
      principal: "",
      findings: [],
      notes: ["emergency changes are disabled"],
    });
  else
    for (const p of principals(e.declarers))
      rows.push({
        ...emergency,
        principalKind: p.kind,
        principal: p.name,
        findings: [],
        notes: [`follow-up review due within ${e.days} business day(s)`],
      });
  return rows;
}

/** What policy owners approve: the policy file, the schemas it names and CODEOWNERS. */
function policyPaths(policy: ResolvedPolicy): string[] {
  return [
    ...(policy.path !== undefined ? [policy.path] : []),
    ...[...policy.schemaFiles].sort(),
    ...CODEOWNERS_PATHS,
  ];
}

/** "write" → "write or higher (write, maintain, admin)". */
function principalText(row: MatrixRow): string {
  if (row.principalKind === "permission") {
    const i = PERMISSION_LADDER.indexOf(row.principal as (typeof PERMISSION_LADDER)[number]);
    const levels = i >= 0 ? PERMISSION_LADDER.slice(i) : [row.principal];
    return `${row.principal} or higher (${levels.join(", ")})`;
  }
  if (row.principalKind === "codeowners") return "CODEOWNERS of the touched paths";
  if (row.principalKind === "nobody") return "nobody";
  return row.principal;
}

export const MATRIX_COLUMNS = [
  "role",
  "rule",
  "origin",
  "principal_kind",
  "principal",
  "required",
  "categories",
  "formats",
  "paths",
  "risk_tiers",
  "target_branches",
  "labels",
  "findings",
  "notes",
] as const;

function cells(row: MatrixRow, any: string): string[] {
  const join = (xs: readonly string[]) => (xs.length > 0 ? xs.join("; ") : any);
  return [
    row.role,
    row.rule,
    row.origin,
    row.principalKind,
    principalText(row),
    String(row.required),
    join(row.categories),
    join(row.formats),
    join(row.paths),
    join(row.riskTiers),
    join(row.targetBranches),
    join(row.labels),
    join(row.findings),
    row.notes.join("; "),
  ];
}

/** RFC 4180 CSV (CRLF, formula-injection-safe cells); an empty condition is written as `any`. */
export function matrixCsv(rows: readonly MatrixRow[], options: { bom?: boolean } = {}): string {
  return csvFile(
    MATRIX_COLUMNS,
    rows.map((r) => cells(r, "any")),
    options,
  );
}

const mdCell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** A Markdown table with the same columns. */
export function matrixMarkdown(rows: readonly MatrixRow[]): string {
  const header = `| ${MATRIX_COLUMNS.join(" | ")} |`;
  const rule = `| ${MATRIX_COLUMNS.map(() => "---").join(" | ")} |`;
  const body = rows.map((r) => `| ${cells(r, "any").map(mdCell).join(" | ")} |`);
  return `${[header, rule, ...body].join("\n")}\n`;
}
