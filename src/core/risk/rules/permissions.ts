import type { RiskRule } from "../types.js";
import { perm001 } from "./permissions/perm-001.js";
import { perm002 } from "./permissions/perm-002.js";
import { perm003 } from "./permissions/perm-003.js";
import { perm004 } from "./permissions/perm-004.js";
import { perm005 } from "./permissions/perm-005.js";
import { perm006 } from "./permissions/perm-006.js";
import { perm007 } from "./permissions/perm-007.js";
import { perm008 } from "./permissions/perm-008.js";
import { perm009 } from "./permissions/perm-009.js";
import { perm010 } from "./permissions/perm-010.js";

/** The permissions rules, one per file in `./permissions/`. */
export const PERMISSIONS_RULES: RiskRule[] = [
  perm001,
  perm002,
  perm003,
  perm004,
  perm005,
  perm006,
  perm007,
  perm008,
  perm009,
  perm010,
];
