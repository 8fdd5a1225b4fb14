import type { RiskRule } from "../types.js";

/** The tools rules, one per file in `./tools/`. */
export const TOOLS_RULES: RiskRule[] = [];
