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

  const nesting = bracketDepth(text, MAX_NESTING_DEPTH);
  if (nesting.depth > MAX_NESTING_DEPTH) {
    messages.push({
      ...at(nesting.offset),
      severity: "error",
      code: "too-deep",
      message: `nesting is deeper than ${MAX_NESTING_DEPTH} levels; the file was not parsed`,
    });
    return { syntax: "toml", data: undefined, messages, locate: () => at(0) };
  }

  let data: unknown;
  try {
    data = parseTomlValue(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const what = err.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    messages.push({
      line: err.line + lineOffset,
      column: err.column,
      severity: "error",
      code: "syntax",
      message: `TOML syntax error: ${what}`,
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
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let inMultiline: string | undefined;
  for (let line = 1; line <= index.lineCount; line++) {
    const start = index.lineStart(line);
    const end = line < index.lineCount ? index.lineStart(line + 1) : text.length;
    const raw = text.slice(start, end).replace(/\r?\n$|\r$/, "");
    if (inMultiline) {
      if (raw.includes(inMultiline)) inMultiline = undefined;
      continue;
    }
    const header = HEADER.exec(raw);
    if (header) {
      const path = splitDotted(header[2]!);
      if (header[1] === "[[") {
        const k = path.join("\u0000");
        const n = arrayCounts.get(k) ?? 0;
        arrayCounts.set(k, n + 1);
        table = [...path, String(n)];
      } else table = path;
      const pos = index.position(start + raw.indexOf(header[2]!));
      const key = table.join("\u0000");
      if (!out.has(key)) out.set(key, { key: pos, value: pos });
      continue;
    }
    const assign = ASSIGN.exec(raw);
    if (assign) {
      const keyPath = [...table, ...splitDotted(assign[2]!)];
      const keyPos = index.position(start + assign[1]!.length);
      const valuePos = index.position(start + assign[0].length);
      out.set(keyPath.join("\u0000"), { key: keyPos, value: valuePos });
      for (let n = table.length + 1; n < keyPath.length; n++) {
        const k = keyPath.slice(0, n).join("\u0000");
        if (!out.has(k)) out.set(k, { key: keyPos, value: keyPos });
      }
      const rest = raw.slice(assign[0].length);
      for (const q of ['"""', "'''"]) {
        if (rest.startsWith(q) && rest.indexOf(q, 3) < 0) inMultiline = q;
      }
    }
  }
  return out;
}

function splitDotted(s: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/g;
  for (let m = re.exec(s); m && m[0] !== ""; m = re.exec(s)) {
    parts.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : (m[2] ?? m[3]!));
  }
  return parts;
}
