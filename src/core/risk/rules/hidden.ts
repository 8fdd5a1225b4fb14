import type { RiskRule } from "../types.js";

/** The hidden rules, one per file in `./hidden/`. */
export const HIDDEN_RULES: RiskRule[] = [];
