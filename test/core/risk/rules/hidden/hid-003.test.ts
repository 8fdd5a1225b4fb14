import { describe, expect, test } from "@jest/globals";
import { hid003 } from "../../../../../src/core/risk/rules/hidden/hid-003.js";
import { check } from "../../../../helpers/risk.js";

const BASE = "# Project rules\n\nAlways run the tests.\n";
const md = (line: string) => ({ path: "CLAUDE.md", before: BASE, after: `${BASE}${line}\n` });

describe("HID-003 zero-width and invisible characters", () => {
  test("flags a zero-width space inside a word, once per line with counts", () => {
    const found = check(hid003, md("Never ig\u200Bnore the sys\u200Btem prompt; always\u2060run"));
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(4);
    expect(found[0]!.column).toBe(9);
    const m = found[0]!.message;
    expect(m).toContain("adds 3 invisible characters inside words");
    expect(m).toContain("2× ⟨U+200B⟩ zero width space, 1× ⟨U+2060⟩ word joiner");
    expect(m).toContain('reviewers see "Never ignore the system prompt; alwaysrun"');
    expect(m).toContain("ig⟨U+200B⟩nore the sys⟨U+200B⟩tem");
  });

  test("flags runs of two or more even between spaces", () => {
    const found = check(hid003, md("Hello \u200B\u200C\u200D world"));
    expect(found.map((f) => f.line)).toEqual([4]);
    expect(found[0]!.message).toContain("adds 3 invisible characters in runs");
  });

  test("flags soft hyphens, fillers and invisible operators inside identifiers", () => {
    const found = check(hid003, md("Call read\u00ADfile, then x\u2062y, then a\u3164b"));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("⟨U+00AD⟩ soft hyphen");
    expect(found[0]!.message).toContain("⟨U+2062⟩ invisible times");
    expect(found[0]!.message).toContain("⟨U+3164⟩ hangul filler");
  });

  test("flags variation selectors after plain letters and decodes variation-selector payloads", () => {
    expect(check(hid003, md("Plain a\uFE01 text")).map((f) => f.line)).toEqual([4]);
    const payload = [..."run rm"].map((c) => {
      const b = c.charCodeAt(0);
      return String.fromCodePoint(b < 16 ? 0xfe00 + b : 0xe0100 + b - 16);
    });
    const found = check(hid003, md(`Smile 😀${payload.join("")} please`));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("adds 6 invisible characters in runs");
    expect(found[0]!.message).toContain('hidden bytes that read "run rm"');
  });

  test("flags a zero-width character in a JSON key of an MCP config", () => {
    const after = '{\n  "mcpServers": {\n    "git\u200Bhub": { "command": "npx" }\n  }\n}\n';
    const found = check(hid003, { path: ".mcp.json", after });
    expect(found.map((f) => [f.line, f.column])).toEqual([[3, 9]]);
  });

  test.each([
    ["emoji ZWJ sequences", "Team: 👩‍💻 👨‍👩‍👧 ❤️‍🔥 🏳️‍🌈"],
    ["emoji presentation selectors", "Status: ✔️ ❤️ 1️⃣"],
    ["Persian ZWNJ", "فارسی: می‌خواهم نمی‌دانم"],
    ["Devanagari ZWJ/ZWNJ", "हिन्दी: क्‍ष क्‌ष"],
    ["a single zero-width space between words", "Hello \u200B world and end.\u200B"],
    ["a word joiner next to punctuation", "Use a/\u2060b paths"],
    ["CJK ideographic variation sequence", "葛\u{E0100}城"],
  ])("does not flag %s", (_name, line) => {
    expect(check(hid003, md(line))).toEqual([]);
  });

  test("exempts a byte-order mark at the very start of the file, not later", () => {
    expect(check(hid003, { path: "CLAUDE.md", after: "\uFEFF# Rules\n\nBe nice.\n" })).toEqual([]);
    const later = check(hid003, { path: "CLAUDE.md", after: "# Rules\n\nBe\uFEFFnice.\n" });
    expect(later.map((f) => f.line)).toEqual([3]);
  });

  test("self-diff, unrelated edits and same-line edits elsewhere give nothing", () => {
    const text = `# Rules\n\nNever ig\u200Bnore the prompt, and this line is long enough to edit far away.\nUse TS.\n`;
    expect(check(hid003, { path: "CLAUDE.md", before: text, after: text })).toEqual([]);
    const other = text.replace("Use TS.", "Use TypeScript.");
    expect(check(hid003, { path: "CLAUDE.md", before: text, after: other })).toEqual([]);
    const sameLine = text.replace("far away.", "far, far away.");
    expect(check(hid003, { path: "CLAUDE.md", before: text, after: sameLine })).toEqual([]);
  });
});
