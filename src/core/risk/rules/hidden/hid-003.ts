import {
  countSummary,
  cpBefore,
  excerpt,
  groupRuns,
  type HiddenChar,
  hiddenChars,
  isWordCp,
  mayHaveHidden,
} from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { HIDDEN_ATLAS, HIDDEN_OWASP, removedSignatures, scanAdded } from "./util.js";

/** Zero-width and invisible format characters HID-003 judges (bidi controls, tags and controls have rules of their own). */
const KINDS = new Set(["zero-width", "invisible-format", "variation-selector", "bidi-mark"]);

/**
 * The zero-width/invisible characters of a line that hide something: inside a word or identifier (letters or
 * digits on both sides), in runs of two or more, or a variation selector that does not follow an emoji or a
 * CJK ideograph. Emoji ZWJ sequences, ZWJ/ZWNJ in scripts that need them and RTL marks in RTL text are not
 * hidden characters at all (see reveal.ts); a byte-order mark at the start of the file is exempt.
 */
function flagged(text: string, firstLine: boolean): { chars: HiddenChar[]; inWord: boolean; run: boolean } {
  const result = { chars: [] as HiddenChar[], inWord: false, run: false };
  if (!mayHaveHidden(text)) return result;
  let all = hiddenChars(text);
  if (firstLine && all[0]?.index === 0 && all[0].cp === 0xfeff) all = all.slice(1);
  for (const run of groupRuns(all)) {
    const z = run.chars.filter((c) => KINDS.has(c.kind));
    if (z.length === 0) continue;
    const inWord = isWordCp(cpBefore(text, run.start)) && isWordCp(text.codePointAt(run.end));
    const isRun = z.length >= 2;
    if (inWord || isRun || z.some((c) => c.kind === "variation-selector")) {
      result.chars.push(...z);
      result.inWord ||= inWord;
      result.run ||= isRun;
    }
  }
  return result;
}

/** The flagged characters with the text around them: an edit elsewhere on the line keeps it. */
function signatureOf(text: string, chars: readonly HiddenChar[]): string {
  const from = Math.max(0, chars[0]!.index - 16);
  const to = Math.min(text.length, chars[chars.length - 1]!.end + 16);
  return text.slice(from, to);
}

function signature(text: string): string | undefined {
  // A BOM opening a removed line is exempt as it is on an added first line.
  const { chars } = flagged(text, true);
  return chars.length === 0 ? undefined : signatureOf(text, chars);
}

/** The text without the given characters, as a reviewer sees it. */
function without(text: string, chars: readonly HiddenChar[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const c of chars) {
    parts.push(text.slice(at, c.index));
    at = c.end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/** Variation selectors as bytes (VS1–16 → 0–15, VS17–256 → 16–255), the "emoji smuggling" encoding. */
function variationBytes(chars: readonly HiddenChar[]): string | undefined {
  const bytes: number[] = [];
  for (const c of chars) {
    if (c.cp >= 0xfe00 && c.cp <= 0xfe0f) bytes.push(c.cp - 0xfe00);
    else if (c.cp >= 0xe0100 && c.cp <= 0xe01ef) bytes.push(c.cp - 0xe0100 + 16);
  }
  if (bytes.length < 4) return undefined;
  const s = new TextDecoder("utf-8").decode(new Uint8Array(bytes));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point
  const bad = (s.match(/[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFFFD]/g) ?? []).length;
  return bad <= s.length * 0.2 ? s : undefined;
}

export const hid003: RiskRule = {
  id: "HID-003",
  title: "Zero-width or invisible characters added inside words or in runs",
  threat: "prompt-injection",
  severity: "high",
  trigger:
    "A changed line adds zero-width or invisible format characters (ZWSP, ZWJ/ZWNJ, word joiner, BOM, invisible operators, soft hyphen, fillers, variation selectors…) inside a word or identifier, in runs of two or more, or variation selectors after a base that is not an emoji or CJK ideograph.",
  fix: "Retype the affected words without the invisible characters (the finding shows where they are); they split keywords and names so that what reviewers and filters read differs from what the agent reads.",
  owasp: HIDDEN_OWASP,
  atlas: HIDDEN_ATLAS,
  textRule: true,
  check(file) {
    const before = removedSignatures(file, signature);
    return scanAdded(file, mayHaveHidden, ({ line, text }): RawFinding[] => {
      const { chars, inWord, run } = flagged(text, line === 1);
      if (chars.length === 0) return [];
      if (before.take(signatureOf(text, chars))) return [];
      const n = chars.length;
      const where = [inWord ? "inside words" : "", run ? "in runs" : ""].filter(Boolean).join(" and ");
      const vs = variationBytes(chars);
      return [
        {
          line,
          column: chars[0]!.index + 1,
          message:
            `adds ${n} invisible character${n === 1 ? "" : "s"}${where ? ` ${where}` : ""} (${countSummary(chars.map((c) => c.cp))}): ` +
            `reviewers see "${excerpt(without(text, chars), chars[0]!.index, 120)}" ` +
            `while the agent reads "${excerpt(text, chars[0]!.index, 120)}"` +
            (vs !== undefined
              ? `; the variation selectors encode hidden bytes that read "${excerpt(vs, 0, 200)}"`
              : ""),
        },
      ];
    });
  },
};
