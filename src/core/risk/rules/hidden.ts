import type { RiskRule } from "../types.js";
import { hid001 } from "./hidden/hid-001.js";
import { hid002 } from "./hidden/hid-002.js";
import { hid003 } from "./hidden/hid-003.js";
import { hid004 } from "./hidden/hid-004.js";
import { hid005 } from "./hidden/hid-005.js";

/** The hidden rules, one per file in `./hidden/`. */
export const HIDDEN_RULES: RiskRule[] = [hid001, hid002, hid003, hid004, hid005];
