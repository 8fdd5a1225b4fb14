import type { RiskRule } from "../types.js";

/** The secrets rules, one per file in `./secrets/`. */
export const SECRETS_RULES: RiskRule[] = [];
