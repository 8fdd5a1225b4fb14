/**
 * Hidden code points: what reviewers cannot see but agents read. `reveal` turns text into what a reviewer
 * should be shown, `hiddenChars`/`invisibleRuns` say where the hidden code points are, for the HID rules,
 * reports and TOOL-004.
 *
 * Display convention: every hidden code point becomes `⟨U+XXXX⟩` (4 to 6 uppercase hex digits), tag
 * characters included (`⟨U+E0069⟩`; HID-002 decodes tag runs to ASCII in its own message). Tab, line feed
 * and carriage return are ordinary text and stay as they are.
 *
 * Hidden: C0/C1 controls and DEL, every Default_Ignorable_Code_Point (zero-width, bidi controls and marks,
 * invisible operators, fillers, variation selectors, tags…), U+2028/U+2029, the interlinear annotation
 * characters U+FFF9–U+FFFB, private-use and unassigned code points (noncharacters included) and lone
 * surrogates. Left visible, because they belong to a sequence that renders as one visible unit:
 * - U+FE0E/U+FE0F after an emoji (❤️, keycaps 1️⃣);
 * - U+200D between emoji (👩‍💻, ❤️‍🔥);
 * - tag characters of a well-formed subdivision flag: U+1F3F4, 3–7 tag letters/digits, U+E007F (🏴󠁧󠁢󠁳󠁣󠁴󠁿);
 * - variation selectors after a CJK ideograph (ideographic variation sequences);
 * - U+200C/U+200D between letters of scripts that need them (Arabic, Persian, Hebrew, Indic…);
 * - the implicit marks U+200E/U+200F/U+061C in text that contains right-to-left letters.
 * Everything else (accented and non-Latin letters, emoji, CJK, ordinary spaces) is left untouched.
 */

export type HiddenKind =
  /** U+202A–U+202E, U+2066–U+2069: reorder what is displayed (Trojan Source). */
  | "bidi-control"
  /** U+200E, U+200F, U+061C: implicit direction marks. */
  | "bidi-mark"
  /** U+E0000–U+E007F: invisible copies of ASCII (ASCII smuggling). */
  | "tag"
  /** U+200B–U+200D, U+2060, U+FEFF. */
  | "zero-width"
  /** U+FE00–U+FE0F, U+E0100–U+E01EF. */
  | "variation-selector"
  /** Other invisible format characters: soft hyphen, CGJ, invisible operators, fillers, U+2028/9… */
  | "invisible-format"
  /** C0 controls other than tab/LF/CR, DEL, C1 controls. */
  | "control"
  | "private-use"
  /** Unassigned code points and noncharacters. */
  | "unassigned"
  /** A UTF-16 surrogate without its pair. */
  | "surrogate";

export interface HiddenChar {
  /** UTF-16 offset of the code point in the text, and the offset just after it. */
  index: number;
  end: number;
  cp: number;
  kind: HiddenKind;
}

/** Consecutive hidden code points (legitimate sequence members excluded, see the module comment). */
export interface InvisibleRun {
  start: number;
  end: number;
  chars: HiddenChar[];
}

/** Any code point that may be hidden, before context exemptions. One native scan answers "nothing here". */
const CANDIDATE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFFF9-\uFFFB\p{Default_Ignorable_Code_Point}\p{Co}\p{Cn}\p{Cs}]/u;
const CANDIDATES = new RegExp(CANDIDATE.source, "gu");
/** Anything but printable ASCII, tab and line breaks: most config text fails this cheap test. */
const NOT_PLAIN = /[^\t\n\r\x20-\x7E]/;
const UNASSIGNED = /^\p{Cn}$/u;
const PRIVATE_USE = /^\p{Co}$/u;
const EMOJI = /^\p{Emoji}$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
const IDEOGRAPHIC = /^\p{Ideographic}$/u;
/** Scripts whose shaping uses ZWJ/ZWNJ between letters (joining and Indic scripts, Hebrew). */
const JOINING_SCRIPT =
  /^[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Nko}\p{scx=Mongolian}\p{scx=Hebrew}\p{scx=Thaana}\p{scx=Mandaic}\p{scx=Adlam}\p{scx=Hanifi_Rohingya}\p{scx=Manichaean}\p{scx=Psalter_Pahlavi}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Tibetan}\p{scx=Myanmar}\p{scx=Khmer}]$/u;
/** Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, RTL historic scripts). */
const RTL_LETTER =
  /(?=[\p{L}\p{M}])[\u0591-\u05F4\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0700-\u074F\u0750-\u077F\u0780-\u07B1\u07C0-\u07FA\u0800-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
const WORD = /^[\p{L}\p{N}\p{M}_]$/u;

/** Context-free class of a code point, or undefined when it is visible text. */
export function hiddenKind(cp: number): HiddenKind | undefined {
  if (cp < 0x20) return cp === 9 || cp === 10 || cp === 13 ? undefined : "control";
  if (cp < 0x7f) return undefined;
  if (cp <= 0x9f) return "control";
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return "bidi-control";
  if (cp === 0x200e || cp === 0x200f || cp === 0x061c) return "bidi-mark";
  if (cp >= 0xe0000 && cp <= 0xe007f) return "tag";
  if ((cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff) return "zero-width";
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return "variation-selector";
  if (cp >= 0xd800 && cp <= 0xdfff) return "surrogate";
  const ch = String.fromCodePoint(cp);
  if (!CANDIDATE.test(ch)) return undefined;
  if (PRIVATE_USE.test(ch)) return "private-use";
  if (UNASSIGNED.test(ch)) return "unassigned";
  return "invisible-format";
}

/** True when the text may contain a hidden code point (no context exemptions): the fast path. */
export function mayHaveHidden(text: string): boolean {
  return NOT_PLAIN.test(text) && CANDIDATE.test(text);
}

/** Every hidden code point of the text, in order, minus members of legitimate visible sequences. */
export function hiddenChars(text: string): HiddenChar[] {
  const out: HiddenChar[] = [];
  if (!mayHaveHidden(text)) return out;
  let rtl: boolean | undefined;
  /** Tag characters up to this offset belong to a well-formed flag. */
  let flagEnd = -1;
  CANDIDATES.lastIndex = 0;
  for (let m = CANDIDATES.exec(text); m !== null; m = CANDIDATES.exec(text)) {
    const index = m.index;
    const end = CANDIDATES.lastIndex;
    const cp = text.codePointAt(index)!;
    // A lone surrogate: codePointAt gives the surrogate itself.
    const kind = hiddenKind(cp);
    if (!kind) continue;
    if (index < flagEnd) continue;
    if (kind === "tag") {
      const flag = flagSequenceEnd(text, index);
      if (flag > 0) {
        flagEnd = flag;
        continue;
      }
    } else if (kind === "variation-selector") {
      const base = cpBefore(text, index);
      if (base !== undefined && hiddenKind(base) === undefined) {
        const b = String.fromCodePoint(base);
        if ((cp === 0xfe0e || cp === 0xfe0f) && EMOJI.test(b)) continue;
        if (IDEOGRAPHIC.test(b)) continue;
      }
    } else if (cp === 0x200d || cp === 0x200c) {
      const prev = cpBefore(text, index);
      const next = text.codePointAt(end);
      if (cp === 0x200d && emojiJoin(prev, next)) continue;
      if (scriptJoin(prev, next)) continue;
    } else if (kind === "bidi-mark") {
      // Lone surrogates are themselves revealed, so they must not count as right-to-left context.
      rtl ??= RTL_LETTER.test((text as unknown as { toWellFormed(): string }).toWellFormed());
      if (rtl) continue;
    }
    out.push({ index, end, cp, kind });
  }
  return out;
}

/** Hidden code points grouped into runs of adjacent ones. */
export function invisibleRuns(text: string): InvisibleRun[] {
  return groupRuns(hiddenChars(text));
}

/** Groups adjacent hidden characters (each one starts where the previous ended) into runs. */
export function groupRuns(chars: readonly HiddenChar[]): InvisibleRun[] {
  const runs: InvisibleRun[] = [];
  let cur: InvisibleRun | undefined;
  for (const c of chars) {
    if (cur && cur.end === c.index) {
      cur.chars.push(c);
      cur.end = c.end;
    } else {
      cur = { start: c.index, end: c.end, chars: [c] };
      runs.push(cur);
    }
  }
  return runs;
}

/** The text with every hidden code point shown as `⟨U+XXXX⟩`; text without any is returned as is. */
export function reveal(text: string): string {
  const chars = hiddenChars(text);
  if (chars.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const c of chars) {
    if (c.index > at) parts.push(text.slice(at, c.index));
    parts.push(label(c.cp));
    at = c.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts.join("");
}

/** `⟨U+200B⟩`. */
export function label(cp: number): string {
  return `⟨U+${cp.toString(16).toUpperCase().padStart(4, "0")}⟩`;
}

const NAMES: Record<number, string> = {
  0: "null",
  7: "bell",
  8: "backspace",
  11: "vertical tab",
  12: "form feed",
  27: "escape",
  127: "delete",
  133: "next line",
  155: "control sequence introducer",
  173: "soft hyphen",
  847: "combining grapheme joiner",
  1564: "arabic letter mark",
  4447: "hangul choseong filler",
  4448: "hangul jungseong filler",
  6158: "mongolian vowel separator",
  8203: "zero width space",
  8204: "zero width non-joiner",
  8205: "zero width joiner",
  8206: "left-to-right mark",
  8207: "right-to-left mark",
  8232: "line separator",
  8233: "paragraph separator",
  8234: "left-to-right embedding",
  8235: "right-to-left embedding",
  8236: "pop directional formatting",
  8237: "left-to-right override",
  8238: "right-to-left override",
  8288: "word joiner",
  8289: "function application",
  8290: "invisible times",
  8291: "invisible separator",
  8292: "invisible plus",
  8294: "left-to-right isolate",
  8295: "right-to-left isolate",
  8296: "first strong isolate",
  8297: "pop directional isolate",
  8298: "inhibit symmetric swapping",
  8299: "activate symmetric swapping",
  8300: "inhibit arabic form shaping",
  8301: "activate arabic form shaping",
  8302: "national digit shapes",
  8303: "nominal digit shapes",
  12644: "hangul filler",
  65279: "zero width no-break space",
  65440: "halfwidth hangul filler",
  917505: "language tag",
  917631: "cancel tag",
};

/** A short lowercase name for messages: `zero width space`, `variation selector-17`, `tag 'a'`. */
export function charName(cp: number): string {
  const known = NAMES[cp];
  if (known) return known;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return `variation selector-${cp - 0xfe00 + 1}`;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `variation selector-${cp - 0xe0100 + 17}`;
  if (cp >= 0xe0020 && cp <= 0xe007e) return `tag '${String.fromCharCode(cp - 0xe0000)}'`;
  switch (hiddenKind(cp)) {
    case "control":
      return "control character";
    case "private-use":
      return "private-use character";
    case "unassigned":
      return "unassigned code point";
    case "surrogate":
      return "lone surrogate";
    default:
      return "invisible character";
  }
}

/** `⟨U+200B⟩ zero width space`. */
export function describe(cp: number): string {
  return `${label(cp)} ${charName(cp)}`;
}

/**
 * Counts of each code point, most frequent first, as `2× ⟨U+200B⟩ zero width space, 1× ⟨U+200D⟩ zero width
 * joiner`; at most `max` entries, then `and N other kinds`.
 */
export function countSummary(cps: readonly number[], max = 6): string {
  const counts = new Map<number, number>();
  for (const cp of cps) counts.set(cp, (counts.get(cp) ?? 0) + 1);
  const entries = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const shown = entries.slice(0, max).map(([cp, n]) => `${n}× ${describe(cp)}`);
  const rest = entries.length - max;
  if (rest > 0) shown.push(`and ${rest} other kind${rest === 1 ? "" : "s"}`);
  return shown.join(", ");
}

/** Tag characters U+E0020–U+E007E as the ASCII they shadow; other tag characters are dropped. */
export function decodeTags(cps: readonly number[]): string {
  let s = "";
  for (const cp of cps) if (cp >= 0xe0020 && cp <= 0xe007e) s += String.fromCharCode(cp - 0xe0000);
  return s;
}

/**
 * A revealed one-line excerpt of `text` around offset `at`: at most `width` characters of the original
 * (before revealing), `…` where cut, line breaks and tabs shown as spaces; the revealed result is capped at
 * three times `width`.
 */
export function excerpt(text: string, at = 0, width = 120): string {
  let start = Math.max(0, Math.min(at, text.length) - Math.floor(width / 3));
  let end = Math.min(text.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  // Do not split a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  let s = reveal(text.slice(start, end)).replace(/[\t\n\r]+/g, " ");
  const cap = width * 3;
  let cut = end < text.length;
  if (s.length > cap) {
    s = s.slice(0, cap);
    cut = true;
  }
  return `${start > 0 ? "…" : ""}${s}${cut ? "…" : ""}`;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Code point that ends just before `index` (pairs are read whole). */
export function cpBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const c = text.charCodeAt(index - 1);
  if (isLowSurrogate(c) && index >= 2) {
    const h = text.charCodeAt(index - 2);
    if (h >= 0xd800 && h <= 0xdbff) return text.codePointAt(index - 2);
  }
  return c;
}

/** Whether a code point is a letter, digit, mark or `_` (and not itself hidden). */
export function isWordCp(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  if (cp < 0x80) {
    return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;
  }
  return hiddenKind(cp) === undefined && WORD.test(String.fromCodePoint(cp));
}

/** If a tag run starting at `index` completes a well-formed subdivision flag, the offset after it; else 0. */
function flagSequenceEnd(text: string, index: number): number {
  if (cpBefore(text, index) !== 0x1f3f4) return 0;
  let spec = "";
  let i = index;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (cp === 0xe007f) {
      return /^(?:[a-z]{2}|[0-9]{3})[a-z0-9]{1,4}$/.test(spec) ? i + 2 : 0;
    }
    const isTagAlnum = (cp >= 0xe0061 && cp <= 0xe007a) || (cp >= 0xe0030 && cp <= 0xe0039);
    if (!isTagAlnum || spec.length >= 7) return 0;
    spec += String.fromCharCode(cp - 0xe0000);
    i += 2;
  }
  return 0;
}

function emojiJoin(prev: number | undefined, next: number | undefined): boolean {
  if (prev === undefined || next === undefined) return false;
  const prevOk =
    prev === 0xfe0f || (prev >= 0x1f3fb && prev <= 0x1f3ff) || PICTOGRAPHIC.test(String.fromCodePoint(prev));
  return prevOk && PICTOGRAPHIC.test(String.fromCodePoint(next));
}

/** ZWJ/ZWNJ between letters of a script that needs them (or at the edge of such a word). */
function scriptJoin(prev: number | undefined, next: number | undefined): boolean {
  const p =
    prev !== undefined && hiddenKind(prev) === undefined && JOINING_SCRIPT.test(String.fromCodePoint(prev));
  const n =
    next !== undefined && hiddenKind(next) === undefined && JOINING_SCRIPT.test(String.fromCodePoint(next));
  if (p && n) return true;
  if (p) return !isWordCp(next);
  if (n) return !isWordCp(prev);
  return false;
}
