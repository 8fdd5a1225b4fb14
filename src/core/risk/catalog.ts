import { HIDDEN_RULES } from "./rules/hidden.js";
import { INSTRUCTIONS_RULES } from "./rules/instructions.js";
import { MCP_RULES } from "./rules/mcp.js";
import { PERMISSIONS_RULES } from "./rules/permissions.js";
import { POLICY_RULES } from "./rules/policy.js";
import { SECRETS_RULES } from "./rules/secrets.js";
import { TOOLS_RULES } from "./rules/tools.js";
import type { RiskRule } from "./types.js";

/** Every risk rule, in catalogue order (docs/risk-checks.md is generated from this list). */
export const RULES: readonly RiskRule[] = [
  ...HIDDEN_RULES,
  ...INSTRUCTIONS_RULES,
  ...TOOLS_RULES,
  ...MCP_RULES,
  ...PERMISSIONS_RULES,
  ...SECRETS_RULES,
  ...POLICY_RULES,
];

export function ruleById(id: string): RiskRule | undefined {
  return RULES.find((r) => r.id === id);
}
