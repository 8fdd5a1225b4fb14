import { parse as parseYamlValue } from "yaml";
import type { Position } from "../types.js";
import type { ParsedDocument, ParseMessage, PointerSegment } from "./document.js";
import { LineIndex } from "./source.js";
import { parseYaml } from "./yaml.js";

const OPEN = /^---[ \t]*(\r\n|\n|\r)/;
const CLOSE = /(^|\r\n|\n|\r)(---|\.\.\.)[ \t]*(\r\n|\n|\r|$)/;
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?$/;
/** A line of a YAML block under an empty `key:`: indented, or a `- item` at the key's own indentation. */
const BLOCK_LINE = /^(?:[ \t]|-(?:[ \t]|$))/;

/**
 * Reads a markdown file with optional YAML front matter. Front matter that is not strict YAML (Cursor's
 * unquoted `globs: **\/*`, Claude agent descriptions with `Context:` lines) is common and tolerated by
 * the tools that read it, so it becomes a warning and the front matter is read line by line: a line that
 * starts with one of `knownKeys` begins a key, every other line continues the previous value.
 */
export function parseMarkdown(text: string, knownKeys?: ReadonlySet<string>): ParsedDocument {
  const index = new LineIndex(text);
  const at = (offset: number) => index.position(offset);
  const open = OPEN.exec(text);
  if (!open) {
    return {
      syntax: "markdown",
      data: undefined,
      messages: [],
      locate: () => ({ line: 1, column: 1 }),
      body: { text, line: 1 },
      hasFrontMatter: false,
    };
  }
  const fmStart = open[0].length;
  const close = CLOSE.exec(text.slice(fmStart));
  if (!close) {
    return {
      syntax: "markdown",
      data: undefined,
      messages: [
        {
          line: 1,
          column: 1,
          severity: "error",
          code: "syntax",
          message: "front matter starts with '---' but is never closed by a '---' line",
        },
      ],
      locate: () => ({ line: 1, column: 1 }),
      body: { text, line: 1 },
      hasFrontMatter: true,
    };
  }
  const fmText = text.slice(fmStart, fmStart + close.index + close[1]!.length);
  const bodyStart = fmStart + close.index + close[0].length;
  const fmLine = 2;
  const body = { text: text.slice(bodyStart), line: at(bodyStart).line };

  const yaml = parseYaml(fmText, fmLine - 1);
  const syntaxErrors = yaml.messages.filter((m) => m.severity === "error");
  if (syntaxErrors.length === 0) {
    const data = yaml.data === null || yaml.data === undefined ? {} : yaml.data;
    return { ...yaml, syntax: "markdown", data, body, hasFrontMatter: true };
  }
  // Hostile front matter is not a lenient-YAML habit: the tools' YAML parsers fail on it too.
  if (syntaxErrors.some((m) => m.code === "too-deep" || m.code === "alias-bomb")) {
    return { ...yaml, syntax: "markdown", data: undefined, body, hasFrontMatter: true };
  }

  const first = syntaxErrors[0]!;
  const lenient = readLeniently(fmText, fmLine, knownKeys);
  const warning: ParseMessage = {
    line: first.line,
    column: first.column,
    severity: "warning",
    code: "front-matter-not-yaml",
    message: `front matter is not valid YAML (${first.message.replace(/^YAML syntax error: /, "")}); agent tools read it leniently, so its keys were read line by line and checked`,
  };
  return {
    syntax: "markdown",
    data: lenient.data,
    // The strict parse's own warnings (duplicate keys…) describe a reading no tool uses: drop them.
    messages: [warning],
    locate: (pointer: readonly PointerSegment[]) => {
      const key = pointer[0];
      return (key !== undefined && lenient.positions.get(String(key))) || { line: fmLine, column: 1 };
    },
    body,
    hasFrontMatter: true,
  };
}

function readLeniently(
  fm: string,
  firstLine: number,
  knownKeys?: ReadonlySet<string>,
): { data: Record<string, unknown>; positions: Map<string, Position> } {
  const data: Record<string, unknown> = {};
  const positions = new Map<string, Position>();
  const raw: { key: string; lines: string[] }[] = [];
  const lines = fm.split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    const m = KEY_LINE.exec(line);
    const key = m?.[1];
    if (key && (!knownKeys || knownKeys.has(key) || raw.length === 0)) {
      raw.push({ key, lines: [m[2] ?? ""] });
      positions.set(key, { line: firstLine + i, column: 1 });
    } else if (raw.length > 0) raw[raw.length - 1]!.lines.push(line);
  });
  for (const { key, lines: valueLines } of raw) {
    data[key] = readValue(valueLines);
  }
  return { data, positions };
}

/**
 * A one-line value, or an indented block under an empty `key:`, that parses as YAML on its own keeps its
 * type (`[a, b]`, `true`, a list); anything else, such as prose continued over several lines, is its text.
 */
function readValue(all: string[]): unknown {
  const lines = [...all];
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const joined = lines.join("\n");
  // lines[0] is what follows `key:` on its own line.
  const block =
    lines[0]?.trim() === "" && lines.every((l, i) => i === 0 || l.trim() === "" || BLOCK_LINE.test(l));
  if (lines.length > 1 && !block) return joined.trim();
  try {
    // logLevel "error" mutes warnings (unknown tags) but still throws on errors; "silent" would return
    // best-effort data for text that is not YAML (`[Read` → ["Read"]).
    const v = parseYamlValue(joined, {
      strict: true,
      uniqueKeys: false,
      maxAliasCount: 0,
      logLevel: "error",
    });
    // On its key's line, `a: b` is prose (`description: Use when: asked`): YAML forbids a mapping there.
    if (
      !block &&
      typeof v === "object" &&
      v !== null &&
      !Array.isArray(v) &&
      !joined.trimStart().startsWith("{")
    ) {
      return joined.trim();
    }
    return v ?? (joined.trim() === "" ? null : joined.trim());
  } catch {
    return joined.trim();
  }
}
