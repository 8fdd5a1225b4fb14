import type { FindingSeverity } from "../../../types.js";
import type { RiskRule } from "../../types.js";
import { HIDDEN_RULES } from "../hidden.js";
import { INSTRUCTIONS_RULES } from "../instructions.js";
import { MCP_RULES } from "../mcp.js";
import { PERMISSIONS_RULES } from "../permissions.js";
import { SECRETS_RULES } from "../secrets.js";
import { TOOLS_RULES } from "../tools.js";

/**
 * Default severities of the policy group's own rules. POL-001 and POL-002 need every rule's default
 * severity, but importing the catalog (or `../policy.js`) from here would make an import cycle through
 * this very group; the other groups are imported directly and this group is listed by hand (a test checks
 * the list against `POLICY_RULES`). A group added to the catalog must be added to `groups()` too.
 */
export const POLICY_GROUP_SEVERITIES: Readonly<Record<string, FindingSeverity>> = {
  "POL-001": "high",
  "POL-002": "medium",
  "POL-003": "high",
  "SELF-001": "critical",
};

function groups(): readonly (readonly RiskRule[])[] {
  return [HIDDEN_RULES, INSTRUCTIONS_RULES, TOOLS_RULES, MCP_RULES, PERMISSIONS_RULES, SECRETS_RULES];
}

/** A rule's default severity, or undefined for an id no rule has (a setting for it changes nothing). */
export function defaultSeverity(id: string): FindingSeverity | undefined {
  if (Object.hasOwn(POLICY_GROUP_SEVERITIES, id)) return POLICY_GROUP_SEVERITIES[id];
  for (const group of groups()) {
    const rule = group.find((r) => r.id === id);
    if (rule) return rule.severity;
  }
  return undefined;
}
