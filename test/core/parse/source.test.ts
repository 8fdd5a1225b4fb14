import { describe, expect, test } from "@jest/globals";
import { BOM, LineIndex, stripBom } from "../../../src/core/parse/source.js";

describe("LineIndex.position", () => {
  test("LF lines: 1-based line and column, the newline itself is the last column of its line", () => {
    const index = new LineIndex("ab\ncd");
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.position(1)).toEqual({ line: 1, column: 2 });
    expect(index.position(2)).toEqual({ line: 1, column: 3 });
    expect(index.position(3)).toEqual({ line: 2, column: 1 });
    expect(index.position(4)).toEqual({ line: 2, column: 2 });
    expect(index.position(5)).toEqual({ line: 2, column: 3 });
    expect(index.lineCount).toBe(2);
  });

  test("CRLF ends one line, not two", () => {
    const index = new LineIndex("a\r\nb\r\nc");
    expect(index.lineCount).toBe(3);
    expect(index.position(1)).toEqual({ line: 1, column: 2 }); // the \r
    expect(index.position(2)).toEqual({ line: 1, column: 3 }); // the \n
    expect(index.position(3)).toEqual({ line: 2, column: 1 });
    expect(index.position(6)).toEqual({ line: 3, column: 1 });
  });

  test("a lone CR ends a line", () => {
    const index = new LineIndex("a\rb\rc");
    expect(index.lineCount).toBe(3);
    expect(index.position(2)).toEqual({ line: 2, column: 1 });
    expect(index.position(4)).toEqual({ line: 3, column: 1 });
  });

  test("mixed CRLF, lone CR and LF", () => {
    // lines: "a" (CRLF), "" (CR), "b" (LF), "c"
    const index = new LineIndex("a\r\n\rb\nc");
    expect(index.lineCount).toBe(4);
    expect(index.position(3)).toEqual({ line: 2, column: 1 });
    expect(index.position(4)).toEqual({ line: 3, column: 1 });
    expect(index.position(6)).toEqual({ line: 4, column: 1 });
  });

  test("CR followed by CRLF is two line ends", () => {
    const index = new LineIndex("\r\r\nx");
    expect(index.lineCount).toBe(3);
    expect(index.position(3)).toEqual({ line: 3, column: 1 });
  });

  test("a tab is one column", () => {
    expect(new LineIndex("\t\tx").position(2)).toEqual({ line: 1, column: 3 });
  });

  test("columns count UTF-16 code units: an astral character (emoji) is 2 columns", () => {
    const text = "😀x\n😀😀y";
    const index = new LineIndex(text);
    expect(index.position(text.indexOf("x"))).toEqual({ line: 1, column: 3 });
    expect(index.position(text.indexOf("y"))).toEqual({ line: 2, column: 5 });
  });

  test("a BMP non-ASCII character (é, 中) is 1 column", () => {
    const text = "é中x";
    expect(new LineIndex(text).position(text.indexOf("x"))).toEqual({ line: 1, column: 3 });
  });

  test("offsets are clamped to the text", () => {
    const index = new LineIndex("ab\ncd");
    expect(index.position(-5)).toEqual({ line: 1, column: 1 });
    expect(index.position(999)).toEqual({ line: 2, column: 3 });
  });

  test("empty text is one line", () => {
    const index = new LineIndex("");
    expect(index.lineCount).toBe(1);
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
  });

  test("a trailing newline starts an (empty) last line", () => {
    const index = new LineIndex("a\n");
    expect(index.lineCount).toBe(2);
    expect(index.position(2)).toEqual({ line: 2, column: 1 });
  });

  test("lineOffset shifts lines but not columns", () => {
    const index = new LineIndex("a\n  b", 4);
    expect(index.position(0)).toEqual({ line: 5, column: 1 });
    expect(index.position(4)).toEqual({ line: 6, column: 3 });
  });
});

describe("LineIndex.lineStart", () => {
  test("offset of each line start, ignoring lineOffset, clamped to existing lines", () => {
    const index = new LineIndex("ab\r\ncd\ref", 10);
    expect(index.lineStart(1)).toBe(0);
    expect(index.lineStart(2)).toBe(4);
    expect(index.lineStart(3)).toBe(7);
    expect(index.lineStart(0)).toBe(0);
    expect(index.lineStart(99)).toBe(7);
  });
});

describe("stripBom", () => {
  test("removes one leading BOM only", () => {
    expect(BOM).toBe("\uFEFF");
    expect(stripBom("\uFEFFa")).toBe("a");
    expect(stripBom("\uFEFF\uFEFFa")).toBe("\uFEFFa");
    expect(stripBom("a\uFEFF")).toBe("a\uFEFF");
    expect(stripBom("")).toBe("");
  });
});
