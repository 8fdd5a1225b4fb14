import type { PointerSegment } from "../../../parse/document.js";
import { hiddenKind } from "../../reveal.js";
import type { ChangedLine, FileContext, Side } from "../../types.js";

/**
 * Shared reading of added text for the instruction rules (INS-*): added lines are normalised (smart quotes,
 * odd spaces, invisible characters removed so `ig⟨U+200B⟩nore` still reads as `ignore`) and consecutive
 * prose lines are joined into segments, so a phrase wrapped across two lines of a markdown paragraph is seen
 * whole. Structured lines (JSON/YAML/TOML keys, front matter) stay one segment each, with JSON `\n` escapes
 * turned into line breaks. Offsets in a segment map back to head lines and columns of the original text.
 */
export interface Segment {
  /** Normalised text; consecutive lines joined with `\n`. */
  text: string;
  lines: ChangedLine[];
  /** Offset in `text` where each line starts. */
  starts: number[];
  /** Per line: normalised column → original column, or null when the line was not changed by normalising. */
  maps: (number[] | null)[];
  /** Whether the segment is prose (markdown body, plain text, the inside of a multi-line YAML/TOML string). */
  prose: boolean;
  /** Prefilter literals found in the text, and the literal-set version they were found with. */
  hits?: number[];
  hitsVersion?: number;
}

/** Zero-width, bidi, soft hyphen, word joiners, fillers, variation selectors and tag characters (reveal.ts's classes). */
export function isInvisible(cp: number): boolean {
  const kind = hiddenKind(cp);
  return (
    kind !== undefined &&
    kind !== "control" &&
    kind !== "private-use" &&
    kind !== "unassigned" &&
    kind !== "surrogate"
  );
}
const REPLACE: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u201F": '"',
  "\u2033": '"',
  "\u00AB": '"',
  "\u00BB": '"',
  "\u00A0": " ",
  "\u2007": " ",
  "\u202F": " ",
  "\u3000": " ",
  "\t": " ",
  "\u2010": "-",
  "\u2011": "-",
};

/** Normalises one line for matching; `map[i]` is the original index of normalised character `i`. */
export function normalizeLine(text: string, jsonEscapes: boolean): { text: string; map: number[] | null } {
  // Fast path: printable ASCII without escapes or tabs needs nothing.
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x7f || code === 9 || (code === 92 && jsonEscapes)) {
      plain = false;
      break;
    }
  }
  if (plain) return { text, map: null };
  let out = "";
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      if (!isInvisible(text.codePointAt(i)!)) {
        out += c + text[i + 1];
        map.push(i, i + 1);
      }
      i++;
      continue;
    }
    if (code >= 0xad && isInvisible(code)) continue;
    if (jsonEscapes && code === 92 && i + 1 < text.length) {
      const n = text[i + 1];
      if (n === "n" || n === "r" || n === "t" || n === '"' || n === "\\") {
        // `\n` inside a JSON string is a line break the model sees; `\"` a quote. Same length, same offsets.
        out += n === '"' ? ' "' : n === "\\" ? " \\" : n === "t" ? "  " : " \n";
        map.push(i, i + 1);
        i++;
        continue;
      }
    }
    out += REPLACE[c] ?? c;
    map.push(i);
  }
  return { text: out, map };
}

/** A line that starts a new markdown block (list item, heading, quote, table row, fence, HTML tag). */
const BLOCK_START = /^\s*(?:[-*+]\s|\d{1,3}[.)]\s|#{1,6}(?:\s|$)|>|\||```|~~~|<\/?[A-Za-z!])/;
const BLANK = /^\s*$/;
const STRUCTURED = new Set(["json", "jsonc", "yaml", "toml"]);

const cache = new WeakMap<FileContext, Segment[]>();

/** The added lines of a file as segments (cached per file context). */
export function addedSegments(file: FileContext): Segment[] {
  let segs = cache.get(file);
  if (!segs) {
    segs = buildSegments(file.added, proseTest(file, "after"), jsonLike(file, "after"));
    cache.set(file, segs);
  }
  return segs;
}

function sideOf(file: FileContext, side: "after" | "before"): Side | undefined {
  return side === "after" ? file.after : file.before;
}

function syntaxOf(file: FileContext, side: "after" | "before"): string {
  return sideOf(file, side)?.doc.syntax ?? (file.format.syntax === "auto" ? "json" : file.format.syntax);
}

function jsonLike(file: FileContext, side: "after" | "before"): boolean {
  const s = syntaxOf(file, side);
  return s === "json" || s === "jsonc" || s === "yaml" || s === "toml";
}

/** Which lines of a side are prose. */
function proseTest(file: FileContext, side: "after" | "before"): (line: number) => boolean {
  const syntax = syntaxOf(file, side);
  const s = sideOf(file, side);
  if (syntax === "text") return () => true;
  if (syntax === "markdown") {
    const bodyLine = s?.doc.body?.line ?? 1;
    return (line) => line >= bodyLine;
  }
  if (!STRUCTURED.has(syntax) || !s) return () => false;
  // Inside a multi-line YAML/TOML string value (block scalar): the lines after the key line are prose.
  const inner = new Set<number>();
  if (syntax === "yaml" || syntax === "toml") {
    for (const r of textRanges(file, side)) for (let l = r.start + 1; l <= r.end; l++) inner.add(l);
  }
  return (line) => inner.has(line);
}

function buildSegments(
  lines: readonly ChangedLine[],
  isProse: (line: number) => boolean,
  structured: boolean,
): Segment[] {
  const segs: Segment[] = [];
  let cur: Segment | undefined;
  let prevLine = -2;
  let prevText = "";
  for (const l of lines) {
    const prose = isProse(l.line);
    const norm = normalizeLine(l.text, structured && !prose);
    const join =
      cur !== undefined &&
      prose &&
      cur.prose &&
      l.line === prevLine + 1 &&
      !BLANK.test(prevText) &&
      !BLANK.test(norm.text) &&
      !BLOCK_START.test(norm.text) &&
      !/^\s*(?:#{1,6}\s|```|~~~)/.test(prevText);
    if (join && cur) {
      cur.starts.push(cur.text.length + 1);
      cur.text += `\n${norm.text}`;
      cur.lines.push(l);
      cur.maps.push(norm.map);
    } else {
      cur = { text: norm.text, lines: [l], starts: [0], maps: [norm.map], prose };
      segs.push(cur);
    }
    prevLine = l.line;
    prevText = norm.text;
  }
  return segs;
}

function lineIndex(seg: Segment, offset: number): number {
  let lo = 0;
  let hi = seg.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((seg.starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Head (or base) line and 1-based column of the original text at a segment offset. */
export function positionAt(seg: Segment, offset: number): { line: number; column: number } {
  const i = lineIndex(seg, offset);
  const col = offset - (seg.starts[i] ?? 0);
  const map = seg.maps[i];
  const orig = map ? (map[Math.min(col, map.length - 1)] ?? col) : col;
  return { line: seg.lines[i]?.line ?? 1, column: Math.max(0, orig) + 1 };
}

/** The original text between two segment offsets (lines joined with a space), for quoting. */
export function originalSlice(seg: Segment, start: number, end: number): string {
  const a = lineIndex(seg, start);
  const b = lineIndex(seg, Math.max(start, end - 1));
  const parts: string[] = [];
  for (let i = a; i <= b; i++) {
    const line = seg.lines[i]!;
    const s0 = seg.starts[i] ?? 0;
    const len = (seg.starts[i + 1] ?? seg.text.length + 1) - 1 - s0;
    const from = Math.max(0, start - s0);
    const to = Math.min(len, end - s0);
    const map = seg.maps[i];
    if (!map) {
      parts.push(line.text.slice(from, to));
      continue;
    }
    const o1 = from < map.length ? map[from]! : line.text.length;
    const o2 = to <= 0 ? o1 : to - 1 < map.length ? map[to - 1]! + 1 : line.text.length;
    parts.push(line.text.slice(o1, Math.max(o1, o2)));
  }
  return parts.join(" ");
}

/** Long runs of key-like characters with letters and digits (API keys, tokens): only their first 4 shown. */
const SECRET_LIKE = /[A-Za-z0-9_+/=-]{24,}/g;

/** Hides credential-looking tokens in quoted text: messages never print a secret. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_LIKE, (t) =>
    /[0-9]/.test(t) && /[A-Za-z]/.test(t) ? `${t.slice(0, 4)}…[redacted]` : t,
  );
}

/** Escapes invisible and control characters as `⟨U+XXXX⟩`, collapses whitespace, truncates, wraps in quotes. */
export function quote(text: string, max = 100): string {
  let out = "";
  let n = 0;
  for (const ch of redactSecrets(text.replace(/\s+/g, " ").trim())) {
    const cp = ch.codePointAt(0)!;
    const invisible =
      cp < 0x20 ||
      (cp >= 0x7f && cp <= 0x9f) ||
      isInvisible(cp) ||
      (cp >= 0xe000 && cp <= 0xf8ff) ||
      cp >= 0xf0000;
    const piece = invisible ? `⟨U+${cp.toString(16).toUpperCase().padStart(4, "0")}⟩` : ch;
    if (n + 1 > max) {
      out += "…";
      break;
    }
    out += piece;
    n++;
  }
  return `“${out}”`;
}

/**
 * Start and end offsets of the sentence around an offset: split at `.!?;` + space, at blank lines, at a line
 * that starts a new statement, and between the cells of a table row.
 */
export function sentenceAt(text: string, offset: number): { start: number; end: number } {
  // Cells of a markdown table row are separate statements.
  const table = /^\s*\|/.test(text);
  const stop = (i: number) => {
    const c = text[i];
    if (table && c === "|" && text[i - 1] !== "\\") return true;
    if (c === "." || c === "!" || c === "?" || c === ";") {
      const n = text[i + 1];
      return (
        n === undefined ||
        n === " " ||
        n === "\n" ||
        n === '"' ||
        n === "'" ||
        n === "`" ||
        n === "*" ||
        n === ")"
      );
    }
    if (c === "\n") {
      // A blank line (possibly from JSON `\n\n` escapes, which normalise to " \n \n"), or a line that starts
      // with a capital letter after a line that does not end in a word: a new statement, not a wrapped sentence.
      let j = i + 1;
      while (text[j] === " ") j++;
      const n = text[j];
      if (n === "\n") return true;
      let k = i - 1;
      while (k >= 0 && text[k] === " ") k--;
      // Wrapped prose ends its line with a word; "**…fetch**" then "Errors are…" are two statements.
      return n !== undefined && /[A-Z]/.test(n) && !/[\p{L}\p{N},(\-–—&]/u.test(text[k] ?? ",");
    }
    return false;
  };
  let start = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0 && offset - i <= 600; i--) {
    if (stop(i)) {
      start = i + 1;
      break;
    }
    if (offset - i === 600) start = i;
  }
  let end = text.length;
  for (let i = offset; i < text.length; i++) {
    if (stop(i)) {
      end = i + 1;
      break;
    }
    if (i - offset >= 600) {
      end = i;
      break;
    }
  }
  return { start, end };
}

const NEGATION =
  /\b(?:never|not|no|don'?t|doesn'?t|dont|mustn'?t|shouldn'?t|cannot|can'?t|won'?t|avoid|without|refuse|forbid(?:den)?|prohibit(?:ed)?|disallow(?:ed)?|den(?:y|ied)|block(?:ed)?)\b(?!\s+(?:hesitate|forget|fail|stop|only|just|need\s+to\s+ask)\b)/i;
const KEY_PREFIX = /^\s*(?:- )?["']?[\w.$-]{1,60}["']?\s*[:=]\s*["'|>-]*/;
const NEGATED_SENTENCE =
  /^[\s\-*+>#\d.)"'`(]*(?:\*\*)?(?:never|do\s+not|don'?t|avoid|must\s+not|should\s+not|under\s+no\s+circumstances)\b(?!\s+(?:hesitate|forget|fail|stop)\b)/i;

/**
 * Whether the text before `offset` in its sentence negates the action there: a negation in the same clause
 * (after the last comma), or a sentence that opens with "never/do not/avoid…". "Never read .env" is a
 * guardrail, not an instruction.
 */
export function isNegated(text: string, offset: number): boolean {
  const { start } = sentenceAt(text, offset);
  // A structured line's key (`"description": "`, `instructions: >`) is not part of the sentence.
  const before = text.slice(start, offset).replace(KEY_PREFIX, "");
  if (NEGATED_SENTENCE.test(before)) return true;
  const lastBreak = Math.max(before.lastIndexOf(","), before.lastIndexOf(":"), before.lastIndexOf("("));
  const clause = before.slice(lastBreak + 1);
  return NEGATION.test(clause);
}

const CHECK_QUESTION =
  /^[\s\-*+>#\d.)"'`([\]]*(?:\*\*)?(?:did|does|has|have|had|is|are|was|were|am|will|should|would|do)\b/i;

/**
 * Whether the offset sits in a yes/no self-check question ("Did I remove features without telling the
 * user?"): a checklist item, not a directive. Requests ("Can you read …?") are not exempt.
 */
export function inCheckQuestion(text: string, offset: number): boolean {
  const { start, end } = sentenceAt(text, offset);
  const sentence = text.slice(start, end).trimEnd();
  return sentence.endsWith("?") && CHECK_QUESTION.test(sentence);
}

const DEFENSIVE =
  /\b(?:inject\w*|jailbreak\w*|attack\w*|malicious|untrusted|suspicious|adversarial|phrases?|patterns?|such\s+as|e\.g\.|for\s+example|like|detect\w*|flag\w*|refuse|reject\w*|block\w*|never\s+(?:follow|obey|comply)|(?:do\s+not|don'?t)\s+(?:follow|obey|comply)|treat\w*|red[- ]?team\w*|payloads?|examples?|warn\w*)\b/i;
const QUOTE_CHARS = new Set(['"', "'", "`"]);

/**
 * Whether a match is quoted as an example in defensive prose: it sits inside quotes/backticks and the sentence
 * talks about attacks, injections, phrases to refuse or examples ("Treat text like “ignore previous
 * instructions” as an injection attempt").
 */
export function quotedExample(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && i >= start - 3 && text[i] === " ") i--;
  const open = text[i];
  if (open === undefined || !QUOTE_CHARS.has(open)) return false;
  const rel = text.slice(end, end + 201).indexOf(open);
  if (rel < 0) return false;
  const close = end + rel;
  const s = sentenceAt(text, start);
  const sentence = text.slice(s.start, i) + text.slice(close + 1, Math.max(s.end, close + 1));
  return DEFENSIVE.test(sentence);
}

export interface TextRange {
  start: number;
  end: number;
  kind: string;
}

const rangeCache = new WeakMap<Side, TextRange[]>();

/** Lines covered by the text fields (descriptions, prompts, system messages) of a side's model. */
export function textRanges(file: FileContext, side: "after" | "before"): TextRange[] {
  const s = sideOf(file, side);
  if (!s) return [];
  let ranges = rangeCache.get(s);
  if (ranges) return ranges;
  ranges = [];
  const json = s.doc.syntax === "json" || s.doc.syntax === "jsonc";
  const add = (pointer: readonly PointerSegment[], text: string, kind: string, line?: number) => {
    if (typeof text !== "string") return;
    let start: number;
    try {
      start = line ?? s.doc.locate(pointer).line;
    } catch {
      return;
    }
    let nl = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) nl++;
    // JSON strings sit on one line; a multi-line YAML/TOML block starts on the line after its indicator.
    const end = json || nl === 0 ? start : start + nl + (text.endsWith("\n") ? 0 : 1);
    ranges!.push({ start, end: pointer.length === 0 ? start + nl : end, kind });
  };
  for (const t of s.model.texts) add(t.pointer, t.text, t.kind, t.pointer.length === 0 ? t.line : undefined);
  for (const tool of s.model.tools.values()) {
    if (typeof tool.description === "string")
      add([...tool.pointer, "description"], tool.description, "description");
  }
  rangeCache.set(s, ranges);
  return ranges;
}

const descriptionLines = new WeakMap<Side, Set<number>>();

/** Whether a head line is inside a description (tool or server text) of the file's model. */
export function inDescription(file: FileContext, line: number): boolean {
  const s = file.after;
  if (!s) return false;
  let lines = descriptionLines.get(s);
  if (!lines) {
    lines = new Set();
    for (const r of textRanges(file, "after"))
      if (r.kind === "description") for (let l = r.start; l <= r.end; l++) lines.add(l);
    descriptionLines.set(s, lines);
  }
  return lines.has(line);
}

/**
 * Tool text: a tool-definition file, text rescanned from a tool/MCP file (`scanText`), or a description line in
 * an MCP config. What an agent reads there comes from a third party and is read on every call.
 */
export function isToolText(file: FileContext, line: number): boolean {
  if (file.category === "tool") return true;
  if (file.category !== "mcp" && file.format.id !== "mcp-tool-manifest") return false;
  if (file.after?.doc.syntax === "text" && file.format.syntax !== "text") return true;
  return inDescription(file, line);
}

/** All head lines inside markdown code fences (``` or ~~~), computed from the whole head text. */
export function fencedLines(file: FileContext): Set<number> {
  const out = new Set<number>();
  const text = file.after?.text;
  if (!text || file.after?.doc.syntax !== "markdown") return out;
  let fence: string | undefined;
  let n = 0;
  for (const line of text.split(/\r\n|\n|\r/)) {
    n++;
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (m) {
      const mark = m[1]!;
      if (fence === undefined) fence = mark[0]!.repeat(mark.length);
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
      out.add(n);
      continue;
    }
    if (fence !== undefined) out.add(n);
  }
  return out;
}

/**
 * The prefilter literals of every rule, found in one pass over a file's added text (Aho-Corasick): a regex
 * whose first token is an alternation is tried at every position, and a separate `includes` per literal per
 * rule rescans the text dozens of times; this reads each character once per file.
 */
class LiteralSet {
  private next: Map<number, number>[] = [new Map()];
  private fail: number[] = [0];
  private out: number[][] = [[]];
  private index = new Map<string, number>();
  readonly words: string[] = [];
  private built = true;
  private dense = new Int32Array(128);
  private hasOut = new Uint8Array(1);
  private seen = new Uint8Array(0);
  version = 0;

  /** Registers literals (lower case); returns their indexes. */
  ids(words: readonly string[]): number[] {
    return words.map((w) => {
      let id = this.index.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.words.push(w);
        this.index.set(w, id);
        let state = 0;
        for (let i = 0; i < w.length; i++) {
          const c = w.charCodeAt(i);
          let to = this.next[state]!.get(c);
          if (to === undefined) {
            to = this.next.length;
            this.next.push(new Map());
            this.fail.push(0);
            this.out.push([]);
            this.next[state]!.set(c, to);
          }
          state = to;
        }
        this.out[state]!.push(id);
        this.built = false;
        this.version++;
      }
      return id;
    });
  }

  private build(): void {
    // Breadth-first failure links; outputs of the failure state are merged in.
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) {
      this.fail[to] = 0;
      queue.push(to);
    }
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      for (const [c, to] of this.next[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const g = this.next[f]!.get(c);
        this.fail[to] = g !== undefined && g !== to ? g : 0;
        this.out[to] = [...new Set([...this.out[to]!, ...this.out[this.fail[to]!]!])];
        queue.push(to);
      }
    }
    // Dense transition table for ASCII (goto + failure links folded in): one array read per character.
    const n = this.next.length;
    this.dense = new Int32Array(n * 128);
    this.hasOut = new Uint8Array(n);
    for (let q = -1; q < queue.length; q++) {
      const state = q < 0 ? 0 : queue[q]!;
      if (this.out[state]!.length > 0) this.hasOut[state] = 1;
      for (let c = 0; c < 128; c++) {
        const to = this.next[state]!.get(c);
        this.dense[state * 128 + c] = to ?? (state === 0 ? 0 : this.dense[this.fail[state]! * 128 + c]!);
      }
    }
    this.built = true;
  }

  /** Indexes of the registered literals that occur in the text (lower-cased as it is read). */
  scan(text: string): number[] {
    if (!this.built) this.build();
    if (this.seen.length < this.words.length) this.seen = new Uint8Array(this.words.length);
    const found = this.seen;
    const ids: number[] = [];
    const dense = this.dense;
    const hasOut = this.hasOut;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      if (c < 128) state = dense[state * 128 + c]!;
      else {
        c = text[i]!.toLowerCase().charCodeAt(0);
        while (state !== 0 && !this.next[state]!.has(c)) state = this.fail[state]!;
        state = this.next[state]!.get(c) ?? 0;
      }
      if (hasOut[state] === 1)
        for (const id of this.out[state]!)
          if (found[id] === 0) {
            found[id] = 1;
            ids.push(id);
          }
    }
    for (const id of ids) found[id] = 0;
    return ids;
  }
}

const LITERALS = new LiteralSet();
const literalIds = new WeakMap<readonly string[], Set<number>>();

/** Whether the segment contains one of the literals, lower case (found once per segment by the shared automaton). */
export function has(seg: Segment, need: readonly string[]): boolean {
  let ids = literalIds.get(need);
  if (!ids) {
    ids = new Set(LITERALS.ids(need));
    literalIds.set(need, ids);
  }
  if (seg.hits === undefined || seg.hitsVersion !== LITERALS.version) {
    seg.hits = LITERALS.scan(seg.text);
    seg.hitsVersion = LITERALS.version;
  }
  for (const id of seg.hits) if (ids.has(id)) return true;
  return false;
}

/**
 * Runs a global regex over every segment that contains one of the `need` literals (lower case), calling `fn`
 * for each match (the regex must have the `g` flag). Each segment is read once by an automaton over all the
 * rules' literals; a regex only runs where one of its literals occurs (most segments contain none).
 */
export function eachMatch(
  segs: readonly Segment[],
  re: RegExp,
  fn: (seg: Segment, m: RegExpExecArray) => void,
  need?: readonly string[],
): void {
  for (const seg of segs) {
    if (need && !has(seg, need)) continue;
    re.lastIndex = 0;
    let m: RegExpExecArray | null = re.exec(seg.text);
    while (m !== null) {
      fn(seg, m);
      if (m[0].length === 0) re.lastIndex++;
      m = re.exec(seg.text);
    }
  }
}

/** Redacts a URL for a message: no credentials, query values other than placeholders shown as `…`. */
export function showUrl(url: string): string {
  let u = url.replace(/^(https?:\/\/)[^/@\s]*@/i, "$1");
  const q = u.indexOf("?");
  if (q >= 0) {
    const query = u
      .slice(q + 1)
      .split("&")
      .map((p) => {
        const eq = p.indexOf("=");
        if (eq < 0) return p.length > 24 ? "…" : p;
        const v = p.slice(eq + 1);
        return `${p.slice(0, eq)}=${PLACEHOLDER.test(v) ? v.slice(0, 40) : "…"}`;
      })
      .join("&");
    u = `${u.slice(0, q)}?${query}`;
  }
  u = redactSecrets(u);
  return u.length > 120 ? `${u.slice(0, 119)}…` : u;
}

/** A templated value: `{{x}}`, `${x}`, `{x}`, `<x>`, `$X`, `%s`, `[DATA]`. */
export const PLACEHOLDER =
  /\{\{|\$\{|\{[A-Za-z_][\w.]*\}|<[A-Za-z_][\w .-]*>|\$[A-Za-z_]\w*|%s|\[[A-Z][A-Z_]+\]/;
