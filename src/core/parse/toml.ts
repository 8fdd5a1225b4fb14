import { parse as parseTomlValue, TomlError } from "smol-toml";
import type { Position } from "../types.js";
import { bracketDepth, MAX_NESTING_DEPTH, type ParsedDocument, type ParseMessage } from "./document.js";
import { LineIndex } from "./source.js";

/**
 * Reads TOML with smol-toml. smol-toml gives no positions for values, so a small line scanner maps table
 * headers (`[a.b]`, `[[a]]`) and `key = value` lines to JSON pointers; inline tables and arrays resolve to
 * the line of the key that holds them.
 */
export function parseToml(text: string, lineOffset = 0): ParsedDocument {
  const index = new LineIndex(text, lineOffset);
  const at = (offset: number) => index.position(offset);
  const messages: ParseMessage[] = [];

  const tooDeep = `nesting is deeper than ${MAX_NESTING_DEPTH} levels; the file was not parsed`;
  const nesting = bracketDepth(text, MAX_NESTING_DEPTH, false);
  if (nesting.depth > MAX_NESTING_DEPTH) {
    messages.push({ ...at(nesting.offset), severity: "error", code: "too-deep", message: tooDeep });
    return { syntax: "toml", data: undefined, messages, locate: () => at(0) };
  }

  let data: unknown;
  try {
    // The bracket scan cannot tell a `[` in a comment or string from a real one; smol-toml's own limit can.
    data = parseTomlValue(text, { maxDepth: MAX_NESTING_DEPTH });
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const what = err.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    const deep = /excessively nested/.test(what);
    messages.push({
      line: err.line + lineOffset,
      column: err.column,
      severity: "error",
      code: deep ? "too-deep" : "syntax",
      message: deep ? tooDeep : `TOML syntax error: ${what}`,
    });
    return { syntax: "toml", data: undefined, messages, locate: () => at(0) };
  }

  let keys: Map<string, { key: Position; value: Position }> | undefined;
  return {
    syntax: "toml",
    data,
    messages,
    locate(pointer, target = "value") {
      keys ??= scanKeys(text, index);
      for (let n = pointer.length; n > 0; n--) {
        const hit = keys.get(pointer.slice(0, n).map(String).join("\u0000"));
        if (hit)
          return n === pointer.length && target === "key"
            ? hit.key
            : n === pointer.length
              ? hit.value
              : hit.key;
      }
      return at(0);
    },
  };
}

const HEADER = /^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$/;
const ASSIGN =
  /^(\s*)((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=\s*/;

function scanKeys(text: string, index: LineIndex): Map<string, { key: Position; value: Position }> {
  const out = new Map<string, { key: Position; value: Position }>();
  const addIfNew = (path: readonly string[], key: Position, value: Position) => {
    const k = path.join("\u0000");
    if (!out.has(k)) out.set(k, { key, value });
  };
  /** Occurrences so far of each array of tables, by its resolved path (`fruits\u00001\u0000varieties`). */
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let inMultiline: string | undefined;
  /** Brackets still open from a multi-line array or inline table, whose lines are not keys or headers. */
  let open = 0;
  for (let line = 1; line <= index.lineCount; line++) {
    const start = index.lineStart(line);
    const end = line < index.lineCount ? index.lineStart(line + 1) : text.length;
    const raw = text.slice(start, end).replace(/\r?\n$|\r$/, "");
    if (inMultiline) {
      if (raw.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    if (open > 0) {
      open += bracketBalance(raw);
      continue;
    }
    const header = HEADER.exec(raw);
    if (header) {
      // A header names the current element of every array of tables on its path: after `[[fruits]]` twice,
      // `[fruits.physical]` is /fruits/1/physical, and `[[fruits.varieties]]` counts per fruit.
      const names = splitDotted(header[2]!);
      const isArray = header[1] === "[[";
      table = [];
      names.forEach((name, i) => {
        table.push(name);
        const k = table.join("\u0000");
        const n = arrayCounts.get(k);
        if (isArray && i === names.length - 1) {
          arrayCounts.set(k, (n ?? 0) + 1);
          table.push(String(n ?? 0));
        } else if (n !== undefined) table.push(String(n - 1));
      });
      const pos = index.position(start + raw.indexOf(header[2]!));
      out.set(table.join("\u0000"), { key: pos, value: pos });
      for (let n = 1; n < table.length; n++) addIfNew(table.slice(0, n), pos, pos);
      continue;
    }
    const assign = ASSIGN.exec(raw);
    if (assign) {
      const keyPath = [...table, ...splitDotted(assign[2]!)];
      const keyPos = index.position(start + assign[1]!.length);
      const valuePos = index.position(start + assign[0].length);
      out.set(keyPath.join("\u0000"), { key: keyPos, value: valuePos });
      for (let n = table.length + 1; n < keyPath.length; n++) addIfNew(keyPath.slice(0, n), keyPos, keyPos);
      const rest = raw.slice(assign[0].length);
      for (const q of ['"""', "'''"]) {
        if (rest.startsWith(q) && rest.indexOf(q, 3) < 0) inMultiline = q;
      }
      if (rest.startsWith("[") || rest.startsWith("{")) open = bracketBalance(rest);
    }
  }
  return out;
}

/** `[`/`{` minus `]`/`}` on one line of TOML, outside strings and comments. */
function bracketBalance(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "#") break;
    if (c === '"' || c === "'") {
      for (i++; i < line.length && line[i] !== c; i++) if (c === '"' && line[i] === "\\") i++;
    } else if (c === "[" || c === "{") n++;
    else if (c === "]" || c === "}") n--;
  }
  return n;
}

function splitDotted(s: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/g;
  for (let m = re.exec(s); m && m[0] !== ""; m = re.exec(s)) {
    parts.push(m[1] !== undefined ? unescapeBasic(m[1]) : (m[2] ?? m[3]!));
  }
  return parts;
}

const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\u001b",
  '"': '"',
  "\\": "\\",
};

/** A TOML basic string's escapes, including `\UXXXXXXXX`, on which JSON.parse threw. */
function unescapeBasic(s: string): string {
  return s.replace(
    /\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(.))/g,
    (whole, u?: string, U?: string, x?: string, c?: string) => {
      const hex = u ?? U ?? x;
      if (hex) {
        const cp = Number.parseInt(hex, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      return ESCAPES[c!] ?? whole;
    },
  );
}
