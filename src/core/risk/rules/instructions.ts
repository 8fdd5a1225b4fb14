import type { RiskRule } from "../types.js";
import { ins001 } from "./instructions/ins-001.js";
import { ins002 } from "./instructions/ins-002.js";
import { ins003 } from "./instructions/ins-003.js";
import { ins004 } from "./instructions/ins-004.js";
import { ins005 } from "./instructions/ins-005.js";
import { ins006 } from "./instructions/ins-006.js";
import { ins007 } from "./instructions/ins-007.js";

/** The instructions rules, one per file in `./instructions/`. */
export const INSTRUCTIONS_RULES: RiskRule[] = [ins001, ins002, ins003, ins004, ins005, ins006, ins007];
