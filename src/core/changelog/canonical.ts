/**
 * RFC 8785 (JCS) canonical JSON for change-log records, via the `canonicalize` package (by the RFC's author).
 * Records are stricter than JSON: numbers must be safe integers (no floats, no NaN/Infinity), strings must be
 * well-formed UTF-16, and only plain data is allowed (null, booleans, strings, integers, arrays, plain
 * objects). `undefined` object members are omitted, as JSON.stringify does; anything else throws a
 * CanonicalJsonError naming the JSON pointer of the offending value.
 */
import canonicalize from "canonicalize";

/** With the u flag a surrogate pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Surrogate}/u;

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(`${message} at ${pointer || "/"}`);
    this.name = "CanonicalJsonError";
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

const MAX_DEPTH = 200;

/** Throws CanonicalJsonError unless `value` is plain, integer-only JSON data (nesting up to MAX_DEPTH). */
export function assertRecordData(value: unknown): void {
  check(value, "", new Set<object>());
}

function check(v: unknown, pointer: string, onPath: Set<object>): void {
  switch (typeof v) {
    case "string":
      if (LONE_SURROGATE.test(v)) throw new CanonicalJsonError("lone surrogate in string", pointer);
      return;
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(v)) throw new CanonicalJsonError(`non-finite number ${v}`, pointer);
      if (!Number.isSafeInteger(v)) {
        throw new CanonicalJsonError(
          `number ${v} is not a safe integer (records allow integers only)`,
          pointer,
        );
      }
      return;
    case "object": {
      if (v === null) return;
      if (onPath.has(v)) throw new CanonicalJsonError("circular reference", pointer);
      if (onPath.size >= MAX_DEPTH) throw new CanonicalJsonError(`nested deeper than ${MAX_DEPTH}`, pointer);
      onPath.add(v);
      if (Array.isArray(v)) {
        v.forEach((child, i) => {
          if (child === undefined) throw new CanonicalJsonError("undefined array element", `${pointer}/${i}`);
          check(child, `${pointer}/${i}`, onPath);
        });
      } else {
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
          throw new CanonicalJsonError(
            `not a plain object (${proto?.constructor?.name ?? "unknown"})`,
            pointer,
          );
        }
        for (const [k, child] of Object.entries(v)) {
          if (LONE_SURROGATE.test(k)) throw new CanonicalJsonError("lone surrogate in key", pointer);
          if (child !== undefined) check(child, `${pointer}/${escapePointer(k)}`, onPath);
        }
      }
      onPath.delete(v);
      return;
    }
    default:
      throw new CanonicalJsonError(`${typeof v} is not JSON`, pointer);
  }
}

/** RFC 8785 serialisation of record data (see assertRecordData for what is rejected). */
export function canonicalJson(value: unknown): string {
  assertRecordData(value);
  const out = canonicalize(value);
  if (out === undefined) throw new CanonicalJsonError("value has no JSON representation", "");
  return out;
}

/** Total keys of all objects when every object's keys are strictly ascending and no key looks like an array
 * index (V8 enumerates those first, so their source order is unknown), and every number is a safe integer; else -1. */
function sortedKeyCount(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) return -1;
    } else if (typeof v === "object" && v !== null) {
      if (Array.isArray(v)) {
        for (const c of v) stack.push(c);
      } else {
        let prev: string | undefined;
        for (const k in v) {
          const c0 = k.charCodeAt(0);
          if ((c0 >= 48 && c0 <= 57) || (prev !== undefined && !(prev < k))) return -1;
          prev = k;
          count += 1;
          stack.push((v as Record<string, unknown>)[k]);
        }
      }
    }
  }
  return count;
}

/** The allowed two-character escapes: \" \\ \b \f \n \r \t. */
const SHORT_ESCAPES = new Set([34, 92, 98, 102, 110, 114, 116]);

/**
 * Lexical scan of a JSON text (already accepted by JSON.parse): no whitespace outside strings, escapes exactly as
 * RFC 8785 writes them (the short forms, and \u00xx in lowercase for the other controls only: so no lone
 * surrogate), integers in shortest form. Returns the number of object keys and the offset of the top-level member
 * `topKey` (-1 if absent), or null when not canonical.
 */
function scan(line: string, topKey: string): { keys: number; at: number } | null {
  const n = line.length;
  const wanted = JSON.stringify(topKey);
  let keys = 0;
  let depth = 0;
  let at = -1;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      const start = i;
      i += 1;
      for (;;) {
        if (i >= n) return null;
        const d = line.charCodeAt(i);
        if (d === 34) break;
        if (d === 92) {
          const e = line.charCodeAt(i + 1);
          if (e === 117) {
            const hex = line.slice(i + 2, i + 6);
            const code = /^00[01][0-9a-f]$/.test(hex) ? Number.parseInt(hex, 16) : -1;
            if (code < 0 || code === 8 || code === 9 || code === 10 || code === 12 || code === 13)
              return null;
            i += 6;
            continue;
          }
          if (!SHORT_ESCAPES.has(e)) return null;
          i += 2;
          continue;
        }
        i += 1;
      }
      i += 1;
      if (line.charCodeAt(i) === 58) {
        keys += 1;
        if (depth === 1 && i - start === wanted.length && line.startsWith(wanted, start)) at = start;
      }
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = c === 45 ? i + 1 : i;
      if (line.charCodeAt(j) === 48) {
        if (c === 45) return null; // -0
        j += 1;
      } else {
        while (line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j += 1;
      }
      const t = line.charCodeAt(j);
      if (t === 46 || t === 101 || t === 69) return null;
      i = j;
      continue;
    }
    if (c === 123 || c === 91) depth += 1;
    else if (c === 125 || c === 93) depth -= 1;
    else if (c === 32 || c === 9 || c === 10 || c === 13) return null;
    i += 1;
  }
  return { keys, at };
}

/**
 * Whether `line` is exactly the canonical serialisation of `parsed` (= JSON.parse(line)) under the record rules,
 * and where its top-level `topKey` member starts (-1: absent or not located). Fast path: a lexical scan plus a
 * key-order walk of the parsed value (together they pin the text down byte for byte); anything unusual (such as
 * array-index-like keys) falls back to a full re-serialisation.
 */
export function canonicalLineInfo(
  line: string,
  parsed: unknown,
  topKey = "record_hash",
): { canonical: boolean; at: number } {
  const lex = scan(line, topKey);
  if (lex !== null && lex.keys === sortedKeyCount(parsed)) return { canonical: true, at: lex.at };
  try {
    const canonical = canonicalJson(parsed) === line;
    return { canonical, at: canonical && lex !== null ? lex.at : -1 };
  } catch {
    return { canonical: false, at: -1 };
  }
}

/** Whether `line` is exactly the canonical serialisation of `parsed` (= JSON.parse(line)). */
export function isCanonicalLine(line: string, parsed: unknown): boolean {
  return canonicalLineInfo(line, parsed).canonical;
}
