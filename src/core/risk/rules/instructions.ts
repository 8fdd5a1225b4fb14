import type { RiskRule } from "../types.js";

/** The instructions rules, one per file in `./instructions/`. */
export const INSTRUCTIONS_RULES: RiskRule[] = [];
