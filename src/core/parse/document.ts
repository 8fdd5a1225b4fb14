import type { MessageSeverity, Position } from "../types.js";

export type Syntax = "json" | "jsonc" | "yaml" | "toml" | "markdown" | "text";

/** One JSON-pointer step: an object key or an array index. */
export type PointerSegment = string | number;

/** A problem found while reading a file, before the path is attached. */
export interface ParseMessage extends Position {
  severity: MessageSeverity;
  code: string;
  message: string;
}

/** Where an agent tool reads a file's structured data from, with a way back to source positions. */
export interface ParsedDocument {
  syntax: Syntax;
  /** The structured value, or undefined when the file (or its front matter) could not be read. */
  data: unknown;
  /** Syntax errors and parser warnings, positioned in the original file. */
  messages: ParseMessage[];
  /**
   * Position of the value (or, with `target: "key"`, the property name) at a JSON pointer. Falls back to the
   * nearest ancestor that exists, so a "missing key" message points at the object that lacks it.
   */
  locate(pointer: readonly PointerSegment[], target?: "key" | "value"): Position;
  /** Markdown only: the body after the front matter, and the 1-based line it starts on. */
  body?: { text: string; line: number };
  /** Markdown only: whether the file has a front matter block at all. */
  hasFrontMatter?: boolean;
}

/** Deepest nesting of arrays/objects the engine accepts; real agent configs stay under 15. */
export const MAX_NESTING_DEPTH = 100;

/** Decodes an Ajv/JSON-pointer string (`/a/b~1c/0`) into segments. */
export function decodePointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function encodePointer(segments: readonly PointerSegment[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/**
 * Depth of the deepest `[`/`{` nesting outside strings and comments, stopping early past `limit`.
 * Linear and allocation-free: it runs before any recursive parser sees hostile input. Strings and `//`
 * comments end at a line break as in jsonc-parser's scanner, which then goes on parsing brackets that a
 * longer skip would hide. `slashComments` is for JSON only: in YAML and TOML a slash-star is ordinary
 * text (`globs: src/*.ts`), and skipping to a comment end that never comes would hide the rest of the file.
 */
export function bracketDepth(
  text: string,
  limit: number,
  slashComments = true,
): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 /* \ */ && quote === 34) i++;
      else if (c === quote || c === 10 || c === 13) quote = 0;
      continue;
    }
    if (c === 34 /* " */) quote = 34;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
        if (max > limit) return { depth: max, offset: at };
      }
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (!slashComments || c !== 47 /* / */) continue;
    else if (text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    }
  }
  return { depth: max, offset: at };
}

/** The value at a pointer in parsed data, or undefined when the path does not exist (own keys only). */
export function valueAt(data: unknown, pointer: readonly PointerSegment[]): unknown {
  let v: unknown = data;
  for (const seg of pointer) {
    if (Array.isArray(v) && typeof seg === "number") v = v[seg];
    else if (isRecord(v) && typeof seg === "string" && Object.hasOwn(v, seg)) v = v[seg];
    else return undefined;
  }
  return v;
}

/** A parsed mapping (a JSON object, a YAML map, a TOML table), as opposed to a list or a scalar. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A parsed string value, or undefined for any other type. */
export function stringValue(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
