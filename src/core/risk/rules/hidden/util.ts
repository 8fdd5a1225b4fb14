import { splitLines } from "../../context.js";
import type { ChangedLine, FileContext } from "../../types.js";
import { blobTexts } from "./blobs.js";

/** OWASP LLM01 (prompt injection); ATLAS AML.T0051 (LLM prompt injection), AML.T0068 (prompt obfuscation). */
export const HIDDEN_OWASP = ["LLM01"];
export const HIDDEN_ATLAS = ["AML.T0051", "AML.T0068"];

/** Most findings one HID rule reports per file: a pathological file still gives a readable report. */
export const MAX_FINDINGS = 100;

/**
 * Signatures of what a rule would report on the removed lines, as a multiset: a finding on an added line
 * whose signature is still in it describes content that was already there (the line was edited
 * elsewhere, or moved), and is not reported again. Each removed signature answers one added line.
 */
export function removedSignatures(
  file: FileContext,
  signature: (text: string) => string | readonly string[] | undefined,
): { take(sig: string): boolean } {
  let counts: Map<string, number> | undefined;
  return {
    take(sig: string): boolean {
      if (!counts) {
        counts = new Map();
        for (const r of file.removed) {
          if (typeof r.text !== "string") continue;
          const s = signature(r.text);
          if (s === undefined) continue;
          for (const x of typeof s === "string" ? [s] : s) counts.set(x, (counts.get(x) ?? 0) + 1);
        }
      }
      const n = counts.get(sig) ?? 0;
      if (n === 0) return false;
      counts.set(sig, n - 1);
      return true;
    },
  };
}

/** Runs `each` on the added lines that pass `prefilter`, stopping at MAX_FINDINGS results. */
export function scanAdded<T>(
  file: FileContext,
  prefilter: (text: string) => boolean,
  each: (line: ChangedLine) => T[],
): T[] {
  const out: T[] = [];
  for (const l of file.added) {
    if (typeof l.text !== "string" || !prefilter(l.text)) continue;
    for (const f of each(l)) {
      out.push(f);
      if (out.length >= MAX_FINDINGS) return out;
    }
  }
  return out;
}

/** Where in a file the text is that an agent reads as prompt or tool text. */
export interface TextScope {
  /**
   * Whether `fragment`, found on head line `line`, is prompt or tool text: anything in a tool-definition
   * file, the body of a markdown or plain-text prompt, and in structured files (and front matter) the string
   * values the model extractor collects as texts (descriptions, instructions, system prompts…). A structured
   * file that did not parse counts as text throughout (fail closed).
   */
  has(line: number, fragment: string): boolean;
  /**
   * `has` for an encoded run found by the blob tokenizer: a set lookup against the runs of the text fields,
   * so files with thousands of blobs stay linear.
   */
  hasToken(line: number, token: string): boolean;
  /** Whether head line `line` is in a fenced code block of a markdown or plain-text body. */
  fenced(line: number): boolean;
  /** Whether line `line` is in a markdown/plain-text body (not front matter, not a structured file). */
  prose(line: number): boolean;
}

export function textScope(file: FileContext): TextScope {
  const after = file.after;
  const doc = after?.doc;
  const syntax = doc?.syntax;
  const bodyLine =
    syntax === "text"
      ? 1
      : syntax === "markdown"
        ? (doc?.body?.line ?? (doc?.data === undefined ? 1 : 0))
        : 0;
  const prose = (line: number) => bodyLine > 0 && line >= bodyLine;
  let fences: Set<number> | undefined;
  let tokens: Set<string> | undefined;
  const memo = new Map<string, boolean>();
  const everywhere = (line: number) =>
    !after || file.category === "tool" || prose(line) || doc?.data === undefined;
  return {
    has(line, fragment) {
      if (everywhere(line)) return true;
      let known = memo.get(fragment);
      if (known === undefined) {
        known = after!.model.texts.some((t) => typeof t.text === "string" && t.text.includes(fragment));
        memo.set(fragment, known);
      }
      return known;
    },
    hasToken(line, token) {
      if (everywhere(line)) return true;
      tokens ??= new Set(
        after!.model.texts.flatMap((t) => (typeof t.text === "string" ? blobTexts(t.text) : [])),
      );
      return tokens.has(token);
    },
    fenced(line) {
      if (!after || !prose(line)) return false;
      fences ??= fencedLines(after.text, bodyLine);
      return fences.has(line);
    },
    prose,
  };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Line numbers (from `firstLine` on) inside fenced code blocks, fence lines included. */
function fencedLines(text: string, firstLine: number): Set<number> {
  const out = new Set<number>();
  const lines = splitLines(text);
  let open: string | undefined;
  for (let i = firstLine - 1; i < lines.length; i++) {
    const l = lines[i]!;
    const m = FENCE.exec(l);
    if (open) {
      out.add(i + 1);
      if (m && m[1]![0] === open[0] && m[1]!.length >= open.length && l.trim() === m[1]) open = undefined;
    } else if (m) {
      open = m[1]!;
      out.add(i + 1);
    }
  }
  return out;
}

/**
 * Blanks inline code spans of a markdown line (a run of N backticks up to the next run of exactly N) with
 * spaces, keeping offsets. Linear: each run is paired with the next run of its length found from the end.
 */
export function blankInlineCode(line: string): string {
  if (!line.includes("`")) return line;
  const runs: { start: number; len: number }[] = [];
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) !== 96) {
      i++;
      continue;
    }
    let j = i;
    while (j < line.length && line.charCodeAt(j) === 96) j++;
    runs.push({ start: i, len: j - i });
    i = j;
  }
  const nextSame: number[] = new Array(runs.length).fill(-1);
  const lastByLen = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const r = runs[k]!;
    nextSame[k] = lastByLen.get(r.len) ?? -1;
    lastByLen.set(r.len, k);
  }
  const chars = line.split("");
  for (let k = 0; k < runs.length; k++) {
    const close = nextSame[k]!;
    if (close < 0) continue;
    const from = runs[k]!.start;
    const to = runs[close]!.start + runs[close]!.len;
    for (let x = from; x < to; x++) chars[x] = " ";
    k = close;
  }
  return chars.join("");
}
