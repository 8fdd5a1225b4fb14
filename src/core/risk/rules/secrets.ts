import type { RiskRule } from "../types.js";
import { mcp006 } from "./secrets/mcp-006.js";
import { mcp007 } from "./secrets/mcp-007.js";
import { sec001 } from "./secrets/sec-001.js";
import { sec002 } from "./secrets/sec-002.js";

/** The secrets rules, one per file in `./secrets/`. */
export const SECRETS_RULES: RiskRule[] = [sec001, sec002, mcp006, mcp007];
