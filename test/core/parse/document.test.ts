import { describe, expect, test } from "@jest/globals";
import {
  bracketDepth,
  decodePointer,
  encodePointer,
  MAX_NESTING_DEPTH,
} from "../../../src/core/parse/document.js";

describe("decodePointer / encodePointer", () => {
  test("root and the empty key", () => {
    expect(decodePointer("")).toEqual([]);
    expect(decodePointer("/")).toEqual([""]);
    expect(encodePointer([])).toBe("");
    expect(encodePointer([""])).toBe("/");
  });

  test("~1 is '/', ~0 is '~', and ~01 is the literal '~1'", () => {
    expect(decodePointer("/a~1b/c~0d/0")).toEqual(["a/b", "c~d", "0"]);
    expect(decodePointer("/a~01b")).toEqual(["a~1b"]);
    expect(decodePointer("/~0~1")).toEqual(["~/"]);
  });

  test("encoding escapes '~' before '/' and round-trips", () => {
    const segments = ["a/b", "c~d", "a~1b", "x"];
    expect(encodePointer(["a/b", "c~d", 0])).toBe("/a~1b/c~0d/0");
    expect(encodePointer(["a~1b"])).toBe("/a~01b");
    expect(decodePointer(encodePointer(segments))).toEqual(segments);
  });
});

describe("bracketDepth", () => {
  test("counts nesting and the offset of the deepest bracket", () => {
    expect(bracketDepth("[[]]\n[[[", 100)).toEqual({ depth: 3, offset: 7 });
    expect(bracketDepth("[[]\n[[[", 100)).toEqual({ depth: 4, offset: 6 });
    expect(bracketDepth('{"a": [{}]}', 100)).toEqual({ depth: 3, offset: 7 });
    expect(bracketDepth("", 100)).toEqual({ depth: 0, offset: 0 });
  });

  test("stops at the first bracket past the limit", () => {
    expect(bracketDepth("[[[[[[", 2)).toEqual({ depth: 3, offset: 2 });
    expect(bracketDepth("[".repeat(10_000), MAX_NESTING_DEPTH)).toEqual({ depth: 101, offset: 100 });
  });

  test("stray closing brackets do not go below zero", () => {
    expect(bracketDepth("]]][[", 100).depth).toBe(2);
  });

  test("ignores brackets in strings, including after an escaped quote", () => {
    expect(bracketDepth('["[[[["]', 100).depth).toBe(1);
    expect(bracketDepth('{"a\\"[[[": [1]}', 100).depth).toBe(2);
  });

  test("ignores brackets in // and /* */ comments", () => {
    expect(bracketDepth("[// [[[\n]", 100).depth).toBe(1);
    expect(bracketDepth("[/* [[[ */]", 100).depth).toBe(1);
  });

  test("a string ends at a line break, as jsonc-parser's scanner ends it", () => {
    expect(bracketDepth('"x\n[[', 100)).toEqual({ depth: 2, offset: 4 });
    expect(bracketDepth('"x\r[[', 100)).toEqual({ depth: 2, offset: 4 });
  });

  test("a // comment ends at a lone CR too", () => {
    expect(bracketDepth("// c\r[[", 100)).toEqual({ depth: 2, offset: 6 });
  });

  test("without slashComments (YAML, TOML), '/*' is text and does not hide what follows", () => {
    const text = "globs: src/*.ts\nx: [[";
    expect(bracketDepth(text, 100).depth).toBe(0);
    expect(bracketDepth(text, 100, false)).toEqual({ depth: 2, offset: 20 });
    expect(bracketDepth("u: http://x\n[[", 100, false).depth).toBe(2);
  });
});
