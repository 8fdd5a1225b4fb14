import type { PointerSegment } from "../../../parse/document.js";
import { reveal } from "../../reveal.js";
import type { FileContext } from "../../types.js";
import { isObject } from "../tools/util.js";

/** Helpers shared by the policy rules (not a rule: the group file lists the rules). */

export { canonical, isObject, type Obj, show } from "../tools/util.js";

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

/** The line of the key at a pointer (a block value starts on the line after its key), on one side. */
export function keyLine(
  file: FileContext,
  pointer: readonly PointerSegment[],
  side: "before" | "after",
): number {
  const s = file[side];
  return s ? s.doc.locate(pointer, "key").line : file.locate(pointer, side).line;
}

/** A string from the file for a message, unquoted: hidden characters revealed, cut at `max` characters. */
export function plain(s: string, max = 60): string {
  return reveal(s.length > max ? `${s.slice(0, max - 1)}…` : s);
}
