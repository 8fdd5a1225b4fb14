import { describe, expect, test } from "@jest/globals";
import { lineChanges, splitLines } from "../../../src/core/risk/context.js";

describe("lineChanges", () => {
  test("an added file: every line added; a removed file: every line removed", () => {
    expect(lineChanges(undefined, "a\nb\n")).toEqual({
      added: [
        { line: 1, text: "a" },
        { line: 2, text: "b" },
      ],
      removed: [],
    });
    expect(lineChanges("a\r\nb", undefined)).toEqual({
      added: [],
      removed: [
        { line: 1, text: "a" },
        { line: 2, text: "b" },
      ],
    });
  });

  test("identical texts: nothing changed", () => {
    expect(lineChanges("a\nb\nc\n", "a\nb\nc\n")).toEqual({ added: [], removed: [] });
  });

  test("an edit in the middle: head numbering for added lines, base numbering for removed ones", () => {
    const before = "one\ntwo\nthree\nfour\n";
    const after = "one\nTWO\nextra\nthree\nfour\n";
    expect(lineChanges(before, after)).toEqual({
      added: [
        { line: 2, text: "TWO" },
        { line: 3, text: "extra" },
      ],
      removed: [{ line: 2, text: "two" }],
    });
  });

  test("repeated lines at both ends are matched correctly after trimming the common head and tail", () => {
    expect(lineChanges("x\nx\nx\n", "x\nx\nx\nx\n")).toEqual({
      added: [{ line: 4, text: "x" }],
      removed: [],
    });
    expect(lineChanges("a\nb\na\n", "a\na\n")).toEqual({ added: [], removed: [{ line: 2, text: "b" }] });
  });

  test("a rewrite beyond the diff budget counts every line of the changed region (never fewer findings)", () => {
    const n = 12_000;
    const before = Array.from({ length: n }, (_, i) => `line ${i}`).join("\n");
    const after = Array.from({ length: n }, (_, i) => (i % 2 ? `changed ${i}` : `line ${i}`)).join("\n");
    const { added, removed } = lineChanges(before, after);
    // The first and last lines are unchanged and trimmed; everything between counts as changed.
    expect(added).toHaveLength(n - 1);
    expect(removed).toHaveLength(n - 1);
    expect(added.filter((l) => l.text.startsWith("changed"))).toHaveLength(n / 2);
  });

  test("splitLines counts CRLF, LF and lone CR as line ends; a final break adds no line", () => {
    expect(splitLines("a\r\nb\rc\nd\n")).toEqual(["a", "b", "c", "d"]);
    expect(splitLines("")).toEqual([]);
  });
});
