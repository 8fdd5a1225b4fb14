import { countSummary, excerpt } from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import {
  blankInlineCode,
  HIDDEN_ATLAS,
  HIDDEN_OWASP,
  removedSignatures,
  scanAdded,
  textScope,
} from "./util.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** ESC written as an escape in a string: `\u001b`, `\u{1b}`, `\x1b`, `\033`, `\e`, followed by CSI `[` or OSC `]`. */
const LITERAL = /\\(?:u001b|u\{1b\}|x1b|033|e)(?=[[\]])/gi;

interface Hit {
  index: number;
  end: number;
  /** `ESC[8m`, `\u001b[8m`. */
  shown: string;
  meaning?: string;
}

/** Reads a CSI (`[` params intermediates final) or OSC (`]` … BEL/ST) sequence after an ESC at `at`. */
function sequence(text: string, at: number): { end: number; meaning: string } | undefined {
  const c = text[at];
  if (c === "[") {
    let i = at + 1;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x3f) i++;
    const params = text.slice(at + 1, i);
    while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
    const final = text[i];
    if (final === undefined || final < "@" || final > "~")
      return { end: i, meaning: "starts an incomplete control sequence" };
    return { end: i + 1, meaning: csiMeaning(params, final) };
  }
  if (c === "]") {
    let i = at + 1;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const n = text.slice(at + 1, i);
    const meaning =
      n === "8"
        ? "makes a terminal hyperlink whose target can differ from its text"
        : n === "52"
          ? "writes the clipboard"
          : n === "0" || n === "2"
            ? "changes the window title"
            : "sends an operating-system command";
    return { end: i, meaning };
  }
  return undefined;
}

function csiMeaning(params: string, final: string): string {
  if (final === "m") {
    const ps = params.split(";");
    if (ps.includes("8")) return "conceals the text that follows (SGR 8)";
    return "styles text (colours can hide it against the background)";
  }
  if ("ABCDEFGHfsu".includes(final)) return "moves the cursor (can overwrite what was shown)";
  if (final === "J" || final === "K") return "erases the screen or line";
  return "controls the terminal";
}

/** Raw control characters and ANSI sequences of a line, and escapes written as text where they count. */
function hits(text: string, literalsCount: (index: number, literal: string) => boolean): Hit[] {
  const out: Hit[] = [];
  if (CONTROL.test(text)) {
    CONTROLS.lastIndex = 0;
    for (let m = CONTROLS.exec(text); m !== null; m = CONTROLS.exec(text)) {
      const cp = m[0].charCodeAt(0);
      const seq =
        cp === 0x1b
          ? sequence(text, m.index + 1)
          : cp === 0x9b
            ? sequence(`[${text.slice(m.index + 1)}`, 0)
            : undefined;
      if (seq) {
        const end = cp === 0x1b ? seq.end : m.index + seq.end;
        const shown = `${cp === 0x1b ? "ESC" : "CSI"}${text.slice(m.index + 1, end)}`;
        out.push({ index: m.index, end, shown, meaning: seq.meaning });
        CONTROLS.lastIndex = Math.max(CONTROLS.lastIndex, end);
      } else out.push({ index: m.index, end: m.index + 1, shown: "" });
    }
  }
  if (text.includes("\\")) {
    LITERAL.lastIndex = 0;
    for (let m = LITERAL.exec(text); m !== null; m = LITERAL.exec(text)) {
      const at = m.index + m[0].length;
      const seq = sequence(text, at);
      if (!seq || !literalsCount(m.index, m[0])) continue;
      out.push({ index: m.index, end: seq.end, shown: text.slice(m.index, seq.end), meaning: seq.meaning });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

function signatureOf(text: string, found: readonly Hit[]): string {
  const from = Math.max(0, found[0]!.index - 16);
  const to = Math.min(text.length, found[found.length - 1]!.end + 16);
  return text.slice(from, to);
}

const prefilter = (t: string) =>
  CONTROL.test(t) || (t.includes("\\") && /\\(?:u001b|u\{1b\}|x1b|033|e)[[\]]/i.test(t));

/**
 * HID-004. Raw control characters count in every agent-config file (they have no use in config text).
 * Escapes written as text (`\u001b[`, `\x1b[`, `\033[`, `\e[`, `\u{1b}[`, CSI `[` or OSC `]`) count where
 * they are prompt or tool text: string values the model extractor collects as texts (JSON/YAML/TOML
 * decode them to a real ESC), tool-definition files, and markdown/plain-text prose outside code fences and
 * inline code. A shell command that prints colours (`statusLine` `printf '\033[32m'`) is not agent text.
 */
export const hid004: RiskRule = {
  id: "HID-004",
  title: "Control characters or ANSI escape sequences added",
  threat: "prompt-injection",
  severity: "high",
  trigger:
    "A changed line adds C0/C1 control characters (other than tab, line feed and carriage return) or ANSI escape sequences, raw or written as `\\u001b[`/`\\x1b[`/`\\033[` in prompt or tool text.",
  fix: "Remove the control characters and escape sequences; they can hide or rewrite text in terminals and tool UIs, so what a user approves is not what the agent read.",
  owasp: HIDDEN_OWASP,
  atlas: HIDDEN_ATLAS,
  textRule: true,
  check(file) {
    const scope = textScope(file);
    const before = removedSignatures(file, (text) => {
      // Removed lines: judged without scope (the base side's structure is not at hand line by line).
      if (!prefilter(text)) return undefined;
      const found = hits(text, () => true);
      return found.length === 0 ? undefined : signatureOf(text, found);
    });
    return scanAdded(file, prefilter, ({ line, text }): RawFinding[] => {
      let code: string | undefined;
      const literalsCount = (index: number, literal: string): boolean => {
        // Escapes written as text only become ESC where a string is decoded (JSON/YAML/TOML values) or
        // where the agent reads them as prose; code in a markdown body is shown, not decoded.
        if (scope.prose(line)) {
          if (scope.fenced(line)) return false;
          code ??= blankInlineCode(text);
          return code.slice(index, index + literal.length) === literal;
        }
        return scope.has(line, "\u001b") || scope.has(line, literal);
      };
      const found = hits(text, literalsCount);
      if (found.length === 0) return [];
      if (before.take(signatureOf(text, found))) return [];
      const raw: number[] = [];
      for (const h of found) {
        if (h.shown.startsWith("\\")) continue;
        for (let i = h.index; i < h.end; i++) {
          const c = text.charCodeAt(i);
          if (CONTROL.test(text[i]!)) raw.push(c);
        }
      }
      const seqs = found.filter((h) => h.meaning !== undefined);
      const parts: string[] = [];
      if (raw.length > 0)
        parts.push(`${raw.length} control character${raw.length === 1 ? "" : "s"} (${countSummary(raw)})`);
      if (seqs.length > 0) {
        const list = seqs
          .slice(0, 4)
          .map((h) => `\`${excerpt(h.shown, 0, 40)}\` ${h.meaning}`)
          .join("; ");
        parts.push(
          `ANSI escape sequence${seqs.length === 1 ? "" : "s"} ${list}${seqs.length > 4 ? "; …" : ""}`,
        );
      }
      return [
        {
          line,
          column: found[0]!.index + 1,
          message:
            `adds ${parts.join(" and ")}: terminals and tool UIs act on them, so what a user or reviewer ` +
            `sees differs from what the agent reads. As stored: "${excerpt(text, found[0]!.index, 120)}"`,
        },
      ];
    });
  },
};
