import type { RiskRule } from "../types.js";
import { mcp001 } from "./mcp/mcp-001.js";
import { mcp002 } from "./mcp/mcp-002.js";
import { mcp003 } from "./mcp/mcp-003.js";
import { mcp004 } from "./mcp/mcp-004.js";
import { mcp005 } from "./mcp/mcp-005.js";
import { mcp008 } from "./mcp/mcp-008.js";
import { mcp009 } from "./mcp/mcp-009.js";

/**
 * The mcp rules, one per file in `./mcp/` (MCP-006 and MCP-007, secrets in server entries, are in the
 * secrets group).
 */
export const MCP_RULES: RiskRule[] = [mcp001, mcp002, mcp003, mcp004, mcp005, mcp008, mcp009];
