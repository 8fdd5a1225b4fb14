import type { RiskRule } from "../types.js";

/** The mcp rules, one per file in `./mcp/`. */
export const MCP_RULES: RiskRule[] = [];
