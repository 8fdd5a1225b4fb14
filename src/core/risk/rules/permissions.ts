import type { RiskRule } from "../types.js";

/** The permissions rules, one per file in `./permissions/`. */
export const PERMISSIONS_RULES: RiskRule[] = [];
