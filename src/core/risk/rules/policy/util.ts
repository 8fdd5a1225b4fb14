import { isObject } from "../tools/util.js";

/** Helpers shared by the policy rules (not a rule: the group file lists the rules). */

export { canonical, isObject, type Obj } from "../tools/util.js";

/** The value under a path of object keys, or undefined when any step is missing or not an object. */
export function at(data: unknown, ...keys: string[]): unknown {
  let v = data;
  for (const k of keys) {
    if (!isObject(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/** The value as a list (a non-list is an empty one). */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
