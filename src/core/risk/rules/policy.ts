import type { RiskRule } from "../types.js";

/** The policy rules, one per file in `./policy/`. */
export const POLICY_RULES: RiskRule[] = [];
