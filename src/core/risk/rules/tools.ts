import type { RiskRule } from "../types.js";
import { tool001 } from "./tools/tool-001.js";
import { tool002 } from "./tools/tool-002.js";
import { tool003 } from "./tools/tool-003.js";
import { tool004 } from "./tools/tool-004.js";

/** The tools rules, one per file in `./tools/`. */
export const TOOLS_RULES: RiskRule[] = [tool001, tool002, tool003, tool004];
