import { describe, expect, test } from "@jest/globals";
import {
  charName,
  countSummary,
  decodeTags,
  excerpt,
  hiddenChars,
  hiddenKind,
  invisibleRuns,
  label,
  mayHaveHidden,
  reveal,
} from "../../../src/core/risk/reveal.js";

const tags = (s: string) => [...s].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join("");

describe("reveal", () => {
  test.each([
    ["ASCII", "Run `npm test` before committing.\tDone."],
    ["accented and non-Latin letters", "Café naïve Straße — Ελληνικά русский"],
    ["CJK", "日本語のテキスト、中文文本，한국어 텍스트"],
    ["emoji with VS16 and keycaps", "❤️ ☺️ 1️⃣ #️⃣ ✔︎"],
    ["emoji ZWJ sequences", "👩‍💻 👨‍👩‍👧‍👦 ❤️‍🔥 🏳️‍🌈 👩🏽‍🚀"],
    ["subdivision flags", "🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁷󠁬󠁳󠁿"],
    ["Persian ZWNJ", "می‌خواهم"],
    ["Hindi ZWJ/ZWNJ after virama", "क्‍ष क्‌ष"],
    ["Hebrew with RLM", "שלום\u200F עולם"],
    ["ideographic variation sequence", "葛\u{E0100}"],
    ["line breaks", "a\nb\r\nc"],
  ])("leaves %s untouched", (_name, text) => {
    expect(reveal(text)).toBe(text);
    expect(hiddenChars(text)).toEqual([]);
  });

  test("shows zero-width, bidi, control and format characters as code points", () => {
    expect(reveal("ig\u200Bnore")).toBe("ig⟨U+200B⟩nore");
    expect(reveal("a\u202Eb\u2066c\u2069")).toBe("a⟨U+202E⟩b⟨U+2066⟩c⟨U+2069⟩");
    expect(reveal("x\u0000y\u001b[8mz\u007f\u0085")).toBe("x⟨U+0000⟩y⟨U+001B⟩[8mz⟨U+007F⟩⟨U+0085⟩");
    expect(reveal("soft\u00ADhyphen\u2060wj\uFEFFbom")).toBe("soft⟨U+00AD⟩hyphen⟨U+2060⟩wj⟨U+FEFF⟩bom");
    expect(reveal("\u3164\u115F\uFFA0\u034F\u180E\u2062")).toBe(
      "⟨U+3164⟩⟨U+115F⟩⟨U+FFA0⟩⟨U+034F⟩⟨U+180E⟩⟨U+2062⟩",
    );
    expect(reveal("a\u2028b")).toBe("a⟨U+2028⟩b");
  });

  test("shows tag characters one by one, outside well-formed flags", () => {
    expect(reveal(`hi${tags("ab")}`)).toBe("hi⟨U+E0061⟩⟨U+E0062⟩");
    // A flag-like sequence that is too long to be a subdivision carries a message.
    const fake = `\u{1F3F4}${tags("ignoreall")}\u{E007F}`;
    expect(reveal(fake)).toContain("⟨U+E0069⟩⟨U+E0067⟩");
    expect(reveal(fake)).toContain("⟨U+E007F⟩");
    // Tags after a well-formed flag are not part of it.
    expect(reveal(`🏴󠁧󠁢󠁳󠁣󠁴󠁿${tags("x")}`)).toBe("🏴󠁧󠁢󠁳󠁣󠁴󠁿⟨U+E0078⟩");
  });

  test("shows variation selectors after letters and in runs, not after emoji", () => {
    expect(reveal("a\uFE0F")).toBe("a⟨U+FE0F⟩");
    expect(reveal("😀\uFE0F\uFE0F")).toBe("😀\uFE0F⟨U+FE0F⟩");
    expect(reveal("😀\u{E0100}\u{E0101}")).toBe("😀⟨U+E0100⟩⟨U+E0101⟩");
  });

  test("shows ZWJ/ZWNJ between Latin letters and ZWJ next to non-emoji", () => {
    expect(reveal("a\u200Db")).toBe("a⟨U+200D⟩b");
    expect(reveal("a\u200Cb")).toBe("a⟨U+200C⟩b");
    expect(reveal("👍\u200D!")).toBe("👍⟨U+200D⟩!");
  });

  test("shows direction marks in text without right-to-left letters", () => {
    expect(reveal("left\u200Eright")).toBe("left⟨U+200E⟩right");
  });

  test("shows private-use, unassigned and lone surrogates", () => {
    expect(reveal("\uE000 \u{F0000} \u0378 \uFFFF \uD800x")).toBe(
      "⟨U+E000⟩ ⟨U+F0000⟩ ⟨U+0378⟩ ⟨U+FFFF⟩ ⟨U+D800⟩x",
    );
  });

  test("long text is revealed completely (speed: bench/rules)", () => {
    const plain = "The quick brown fox jumps over the lazy dog. ".repeat(25_000);
    const hidden = "a\u200Bb\u{E0041}c 😀\uFE0F ".repeat(50_000);
    expect(reveal(plain)).toBe(plain);
    const r = reveal(hidden);
    expect(r.length).toBeGreaterThan(hidden.length);
  });
});

describe("helpers", () => {
  test("hiddenKind classifies code points", () => {
    expect(hiddenKind(0x41)).toBeUndefined();
    expect(hiddenKind(0x09)).toBeUndefined();
    expect(hiddenKind(0x1b)).toBe("control");
    expect(hiddenKind(0x9b)).toBe("control");
    expect(hiddenKind(0x202e)).toBe("bidi-control");
    expect(hiddenKind(0x200f)).toBe("bidi-mark");
    expect(hiddenKind(0xe0041)).toBe("tag");
    expect(hiddenKind(0x200b)).toBe("zero-width");
    expect(hiddenKind(0xfe0f)).toBe("variation-selector");
    expect(hiddenKind(0xe0100)).toBe("variation-selector");
    expect(hiddenKind(0x00ad)).toBe("invisible-format");
    expect(hiddenKind(0xe000)).toBe("private-use");
    expect(hiddenKind(0x0378)).toBe("unassigned");
    expect(hiddenKind(0xd800)).toBe("surrogate");
    expect(hiddenKind(0x1f600)).toBeUndefined();
    expect(hiddenKind(0x00a0)).toBeUndefined();
  });

  test("mayHaveHidden is the fast pre-check", () => {
    expect(mayHaveHidden("plain text é 日本")).toBe(false);
    expect(mayHaveHidden("a\u200Bb")).toBe(true);
  });

  test("hiddenChars gives offsets and kinds; invisibleRuns groups adjacent ones", () => {
    const text = `x\u200B\u200Cy${tags("hi")}z`;
    expect(hiddenChars(text).map((c) => [c.index, c.end, c.kind])).toEqual([
      [1, 2, "zero-width"],
      [2, 3, "zero-width"],
      [4, 6, "tag"],
      [6, 8, "tag"],
    ]);
    expect(invisibleRuns(text).map((r) => [r.start, r.end, r.chars.length])).toEqual([
      [1, 3, 2],
      [4, 8, 2],
    ]);
  });

  test("decodeTags maps tag characters to ASCII", () => {
    const cps = [...tags("Ignore all!")].map((c) => c.codePointAt(0)!);
    expect(decodeTags([...cps, 0xe007f])).toBe("Ignore all!");
  });

  test("labels, names and counts", () => {
    expect(label(0x200b)).toBe("⟨U+200B⟩");
    expect(label(0x1b)).toBe("⟨U+001B⟩");
    expect(label(0xe0041)).toBe("⟨U+E0041⟩");
    expect(charName(0x202e)).toBe("right-to-left override");
    expect(charName(0xfe0f)).toBe("variation selector-16");
    expect(charName(0xe0100)).toBe("variation selector-17");
    expect(charName(0xe0041)).toBe("tag 'A'");
    expect(countSummary([0x200b, 0x200d, 0x200b])).toBe(
      "2× ⟨U+200B⟩ zero width space, 1× ⟨U+200D⟩ zero width joiner",
    );
  });

  test("excerpt cuts around an offset and reveals", () => {
    const text = `${"a".repeat(200)}\u200B${"b".repeat(200)}`;
    const e = excerpt(text, 200, 60);
    expect(e.startsWith("…")).toBe(true);
    expect(e.endsWith("…")).toBe(true);
    expect(e).toContain("a⟨U+200B⟩b");
    expect(excerpt("short\nline", 0, 60)).toBe("short line");
  });
  test("a direction mark is exempt only next to assigned right-to-left letters (fast-check counterexample)", () => {
    // U+1E95A lies in the Adlam block but is unassigned: it is revealed, so it gives the mark no RTL context.
    expect(reveal("\u{1E95A}\u200E")).toBe("⟨U+1E95A⟩⟨U+200E⟩");
    expect(hiddenChars(reveal("\u{1E95A}\u200E"))).toEqual([]);
    expect(reveal("שלום\u200Eabc")).toBe("שלום\u200Eabc");
  });
});
