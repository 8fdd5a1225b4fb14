import type { RiskRule } from "../types.js";
import { pol001 } from "./policy/pol-001.js";
import { pol002 } from "./policy/pol-002.js";
import { pol003 } from "./policy/pol-003.js";
import { self001 } from "./policy/self-001.js";

/** The policy rules, one per file in `./policy/`. */
export const POLICY_RULES: RiskRule[] = [pol001, pol002, pol003, self001];
