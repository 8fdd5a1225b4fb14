import { covers, parseRuleText } from "../../../model/permission-rules.js";
import type { FindingSeverity } from "../../../types.js";
import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import {
  claudeGrantRisk,
  claudeToolNames,
  copilotGrantRisk,
  type GrantRisk,
  grantsAreApprovals,
  itemPointer,
  maxSeverity,
  PERM_ATLAS,
  PERM_OWASP,
  permSides,
  ruleComparison,
  show,
} from "./shared.js";

/** Whether grant `a` of a tool list covers grant `b` (Claude rule subsumption, or Copilot `x/*` and `*`). */
function grantCovers(formatId: string, a: string, b: string): boolean {
  if (claudeToolNames(formatId)) return covers(parseRuleText(a), parseRuleText(b));
  if (a === b || a === "*") return true;
  return a.endsWith("/*") && b.startsWith(a.slice(0, -1));
}

/** Formats whose missing tool list means "every tool" and is worth a finding on a new file. */
const INHERIT_FORMATS = new Set(["claude-agent", "copilot-agent", "copilot-chatmode"]);

/**
 * PERM-002: the allow list or a tool list grants more than before, decided by subsumption, not by text: a
 * new allow rule is reported only when no allow rule of the base already covered it (so reordering,
 * narrowing and rewording never fire). Covers Claude settings `permissions.allow`, subagent and Copilot
 * `tools` (availability: a removed list means every tool), command/skill `allowed-tools` (pre-approval).
 * Findings are graded by breadth: unrestricted tools, wildcards over interpreters, network or destructive
 * commands, whole MCP servers and unrestricted writes or fetches are high; scoped wildcards medium; one
 * exact command or path low; read-only tools that never prompt are not reported.
 */
export const perm002: RiskRule = {
  id: "PERM-002",
  title: "Allow list widened",
  threat: "privilege-escalation",
  severity: "high",
  trigger:
    "The change adds an allow rule, `allowed-tools` entry or agent tool that no rule of the base version already covered (e.g. bare `Bash`, `Bash(*)`, `Bash(curl:*)`, a whole MCP server `mcp__x`, `Write(**)`, unrestricted `WebFetch`), or removes an agent's `tools` list so it inherits every tool.",
  fix: "Grant the narrowest rule that does the job (an exact command such as `Bash(npm test)`, a path such as `Edit(./src/**)`, one MCP tool, `WebFetch(domain:…)`), and keep interpreters, network tools and destructive commands behind a prompt.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const out: RawFinding[] = [];

    // Allow rules (Claude settings).
    const cmp = ruleComparison(file);
    const bAllow = before.perms.rules.filter((r) => r.decision === "allow");
    for (const r of cmp.widenedAllow) {
      const risk = claudeGrantRisk(r.rule);
      if (!risk) continue;
      const replaced = bAllow.filter((y) => covers(r, y));
      out.push({
        ...file.locate(r.pointer),
        severity: risk.severity,
        message: `Allow rule ${show(r.rule)} added${
          replaced.length ? `, widening ${replaced.map((y) => show(y.rule)).join(", ")}` : ""
        }: Claude Code now allows ${risk.reason} without asking.`,
      });
    }

    out.push(...toolGrantFindings(file, before, after));
    return out;
  },
};

function toolGrantFindings(
  file: FileContext,
  before: ReturnType<typeof permSides>["before"],
  after: ReturnType<typeof permSides>["after"],
): RawFinding[] {
  const out: RawFinding[] = [];
  const id = file.format.id;
  if (!after.present) return out;
  const approvals = grantsAreApprovals(id);
  const bG = before.perms.toolGrants;
  const aG = after.perms.toolGrants;
  const what = id === "claude-agent" ? "subagent" : id.startsWith("copilot-") ? "agent" : "command";

  if (!approvals && aG === undefined) {
    if (file.before && bG !== undefined) {
      out.push({
        ...file.locate(bG.pointer, "before"),
        side: "before",
        message: `The ${what}'s \`tools\` list (${bG.tools.map((t) => show(t, 60)).join(", ") || "empty"}) was removed: without it the ${what} inherits every tool of the session — shell, file writes, web fetches and all MCP tools.`,
      });
    } else if (!file.before && INHERIT_FORMATS.has(id)) {
      out.push({
        ...file.locate([]),
        severity: "medium",
        message: `New ${what} without a \`tools\` list: it inherits every tool of the session — shell, file writes, web fetches and all MCP tools. List only the tools it needs.`,
      });
    }
    return out;
  }
  if (aG === undefined) return out;
  // Availability lists: a base without a list had every tool, so nothing in the head is new.
  if (!approvals && file.before && before.present && bG === undefined) return out;
  const base = bG?.tools ?? [];
  const added = aG.tools.filter((t) => !base.some((x) => grantCovers(id, x, t)));
  const byLine = new Map<number, { column: number; severity: FindingSeverity; items: string[] }>();
  for (const t of added) {
    const risk: GrantRisk | null = claudeToolNames(id)
      ? claudeGrantRisk(t, approvals ? "approval" : "availability")
      : copilotGrantRisk(t);
    if (!risk) continue;
    const pos = file.locate(itemPointer(after.data, aG.pointer, t));
    const entry = byLine.get(pos.line) ?? {
      column: pos.column,
      severity: "low" as FindingSeverity,
      items: [],
    };
    entry.severity = maxSeverity(entry.severity, risk.severity);
    entry.items.push(`${show(t, 80)} (${risk.reason})`);
    byLine.set(pos.line, entry);
  }
  const key = approvals ? "allowed-tools" : "tools";
  for (const [line, e] of byLine) {
    out.push({
      line,
      column: e.column,
      severity: e.severity,
      message: approvals
        ? `\`${key}\` now pre-approves ${e.items.join(", ")}: while this ${what} runs, Claude Code allows ${e.items.length > 1 ? "them" : "it"} without asking.`
        : `The ${what} can now use ${e.items.join(", ")} (its calls still need the usual approvals).`,
    });
  }
  return out;
}
