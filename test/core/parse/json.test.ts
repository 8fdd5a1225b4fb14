import { describe, expect, test } from "@jest/globals";
import { decodePointer } from "../../../src/core/parse/document.js";
import { parseText } from "../../../src/core/parse/index.js";
import { parseJson } from "../../../src/core/parse/json.js";

const jsonc = (text: string) => parseJson(text, false);
const strict = (text: string) => parseJson(text, true);

describe("parseJson: values and locate", () => {
  const text = [
    "{",
    '  "name": "x",',
    '  "servers": [',
    '    { "cmd": "a" },',
    '    { "cmd": "b", "args": ["-v"] }',
    "  ]",
    "}",
  ].join("\n");
  const doc = jsonc(text);

  test("reads the value without messages", () => {
    expect(doc.messages).toEqual([]);
    expect(doc.data).toEqual({ name: "x", servers: [{ cmd: "a" }, { cmd: "b", args: ["-v"] }] });
    expect(doc.syntax).toBe("jsonc");
  });

  test("value and key positions", () => {
    expect(doc.locate(["name"])).toEqual({ line: 2, column: 11 });
    expect(doc.locate(["name"], "key")).toEqual({ line: 2, column: 3 });
    expect(doc.locate(["servers"])).toEqual({ line: 3, column: 14 });
    expect(doc.locate(["servers", 1])).toEqual({ line: 5, column: 5 });
    expect(doc.locate(["servers", 1, "args"])).toEqual({ line: 5, column: 27 });
    expect(doc.locate(["servers", 1, "args"], "key")).toEqual({ line: 5, column: 19 });
    expect(doc.locate(["servers", 1, "args", 0])).toEqual({ line: 5, column: 28 });
    expect(doc.locate([])).toEqual({ line: 1, column: 1 });
  });

  test("a missing step falls back to the nearest ancestor that exists", () => {
    expect(doc.locate(["servers", 5])).toEqual({ line: 3, column: 14 });
    expect(doc.locate(["servers", 0, "missing"])).toEqual({ line: 4, column: 5 });
    expect(doc.locate(["servers", 0, "missing"], "key")).toEqual({ line: 4, column: 5 });
    expect(doc.locate(["missing"], "key")).toEqual({ line: 1, column: 1 });
    expect(doc.locate(["name", "deeper"])).toEqual({ line: 2, column: 11 });
  });

  test("array indexes given as strings (from decodePointer) work", () => {
    expect(doc.locate(decodePointer("/servers/1/args/0"))).toEqual({ line: 5, column: 28 });
  });

  test("keys needing pointer escapes: a/b, c~d and the empty key", () => {
    const d = jsonc('{"a/b": {"c~d": 1}, "": 2}');
    expect(d.data).toEqual({ "a/b": { "c~d": 1 }, "": 2 });
    expect(d.locate(decodePointer("/a~1b/c~0d"))).toEqual({ line: 1, column: 17 });
    expect(d.locate(decodePointer("/a~1b/c~0d"), "key")).toEqual({ line: 1, column: 10 });
    expect(d.locate(decodePointer("/"))).toEqual({ line: 1, column: 25 });
  });

  test("escaped newlines in a string stay on one source line", () => {
    const d = jsonc('{"a": "x\\ny\\nz", "b": 2}');
    expect(d.data).toEqual({ a: "x\ny\nz", b: 2 });
    expect(d.locate(["b"])).toEqual({ line: 1, column: 23 });
  });

  test("a line continued after an escaped-newline string", () => {
    const d = jsonc('{"a": "line1\\nline2",\n  "b": true}');
    expect(d.locate(["b"])).toEqual({ line: 2, column: 8 });
  });

  test("tabs are one column", () => {
    const d = jsonc('{\n\t"a":\t1\n}');
    expect(d.locate(["a"])).toEqual({ line: 2, column: 7 });
  });

  test("columns count UTF-16 units: an astral character (emoji) is 2 columns", () => {
    const d = jsonc('{"😀": "😀", "k": 1}');
    expect(d.locate(["😀"], "key")).toEqual({ line: 1, column: 2 });
    expect(d.locate(["k"])).toEqual({ line: 1, column: 19 });
  });

  test("CRLF and lone CR line endings", () => {
    expect(jsonc('{\r\n  "a": 1,\r\n  "b": 2\r\n}').locate(["b"])).toEqual({ line: 3, column: 8 });
    expect(jsonc('{\r  "a": 1,\r  "b": 2\r}').locate(["b"])).toEqual({ line: 3, column: 8 });
  });

  test("lineOffset shifts every position", () => {
    const d = parseJson('{"a" 1}', false, 5);
    expect(d.messages).toEqual([expect.objectContaining({ line: 6, column: 6, code: "syntax" })]);
  });
});

describe("parseJson: comments and trailing commas", () => {
  const text = [
    "// header comment",
    "{",
    "  /* block",
    "     comment */",
    '  "a": 1, // trailing',
    '  "b": [1, 2,],',
    "}",
  ].join("\n");

  test("jsonc accepts them silently", () => {
    const d = jsonc(text);
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ a: 1, b: [1, 2] });
    expect(d.locate(["a"])).toEqual({ line: 5, column: 8 });
    expect(d.locate(["b", 1])).toEqual({ line: 6, column: 12 });
  });

  test("strict JSON reads them but warns at each comment and trailing comma", () => {
    const d = strict(text);
    expect(d.syntax).toBe("json");
    expect(d.data).toEqual({ a: 1, b: [1, 2] });
    expect(d.messages.map((m) => [m.line, m.column, m.severity, m.code])).toEqual([
      [1, 1, "warning", "not-strict-json"],
      [3, 3, "warning", "not-strict-json"],
      [5, 11, "warning", "not-strict-json"],
      [6, 13, "warning", "not-strict-json"],
      [6, 15, "warning", "not-strict-json"],
    ]);
    expect(d.messages[0]!.message).toContain("comment");
    expect(d.messages[3]!.message).toContain("trailing comma");
  });

  test("a comment between the trailing comma and the bracket is still a trailing comma", () => {
    const d = strict("[1, // last\n]");
    const found = d.messages.map((m) => [m.line, m.column, m.message.slice(0, 14)] as const);
    expect(found.sort((x, y) => x[1] - y[1])).toEqual([
      [1, 3, "trailing comma"],
      [1, 5, "comment in a J"],
    ]);
  });

  test("comment-like text inside strings is not a comment", () => {
    const d = strict('{"url": "http://x/*y*/", "s": "a,]"}');
    expect(d.messages).toEqual([]);
  });

  test("at most 20 strict-JSON warnings", () => {
    const d = strict(`${"// c\n".repeat(30)}{}`);
    expect(d.messages).toHaveLength(20);
    expect(d.messages[19]).toMatchObject({ line: 20, column: 1 });
  });

  test("parseText reads .json strictly by default, and leniently with strictJson: false or jsonc", () => {
    expect(parseText("{} // x", "json").messages).toHaveLength(1);
    expect(parseText("{} // x", "json", { strictJson: false }).messages).toEqual([]);
    expect(parseText("{} // x", "jsonc").messages).toEqual([]);
  });

  test("strict warnings are not added on top of syntax errors", () => {
    const d = strict('// c\n{"a" 1}');
    expect(d.messages.map((m) => m.code)).toEqual(["syntax"]);
  });
});

describe("parseJson: syntax errors point at the offending token", () => {
  test("missing comma: at the next property", () => {
    const d = jsonc('{\n  "a": 1\n  "b": 2\n}\n');
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 3,
        column: 3,
        severity: "error",
        code: "syntax",
        message: 'JSON syntax error: expected \',\' between items near ""b""',
      },
    ]);
  });

  test("missing comma in a CRLF file", () => {
    const d = jsonc('{\r\n  "a": 1\r\n  "b": 2\r\n}\r\n');
    expect(d.messages).toEqual([expect.objectContaining({ line: 3, column: 3, code: "syntax" })]);
  });

  test("missing comma after an astral character", () => {
    const d = jsonc('{"😀": 1 "k": 2}');
    expect(d.messages).toEqual([expect.objectContaining({ line: 1, column: 10, code: "syntax" })]);
  });

  test("missing colon after a tab", () => {
    const d = jsonc('{\n\t"a": 1,\n\t"b" 2\n}');
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 3, column: 6, message: expect.stringContaining("expected ':'") }),
    ]);
  });

  test("unterminated string: at its opening quote", () => {
    const d = jsonc('{\n  "a": "abc\n}\n');
    expect(d.messages).toEqual([
      expect.objectContaining({
        line: 2,
        column: 8,
        severity: "error",
        message: expect.stringContaining("unterminated string"),
      }),
    ]);
  });

  test("content after the value", () => {
    const d = jsonc('{"a": 1}\n x');
    expect(d.messages).toEqual([expect.objectContaining({ line: 2, column: 2, code: "syntax" })]);
  });

  test("empty and blank files", () => {
    expect(jsonc("").messages).toEqual([
      expect.objectContaining({ line: 1, column: 1, message: "JSON syntax error: expected a value" }),
    ]);
    expect(jsonc("  \n").messages).toEqual([expect.objectContaining({ line: 2, column: 1 })]);
  });

  test("locate still answers on a file with errors", () => {
    const d = jsonc('{"a": 1,\n "b": [1 2]}');
    expect(d.data).toBeUndefined();
    expect(d.locate(["b"])).toEqual({ line: 2, column: 7 });
  });
});

describe("parseJson: duplicate keys", () => {
  const text = ["{", '  "a": 1,', '  "b": {"a": 0},', '  "a": 2', "}"].join("\n");

  test("a warning at the duplicate that names the first occurrence's line; the last value wins", () => {
    const d = strict(text);
    expect(d.messages).toEqual([
      {
        line: 4,
        column: 3,
        severity: "warning",
        code: "duplicate-key",
        message: 'duplicate key "a" (first at line 2); tools disagree on which value wins',
      },
    ]);
    expect(d.data).toEqual({ a: 2, b: { a: 0 } });
    expect(d.locate(["a"])).toEqual({ line: 4, column: 8 });
  });

  test("the same key in different objects is not a duplicate", () => {
    expect(jsonc('{"x": {"a": 1}, "y": {"a": 2}, "a": [{"a": 1}, {"a": 2}]}').messages).toEqual([]);
  });
});

describe("parseJson: nesting limit", () => {
  test("10,000 '[' is a too-deep error at the 101st bracket, without throwing", () => {
    const d = jsonc("[".repeat(10_000));
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 1,
        column: 101,
        severity: "error",
        code: "too-deep",
        message: "nesting is deeper than 100 levels; the file was not parsed",
      },
    ]);
    expect(d.locate(["a"])).toEqual({ line: 1, column: 1 });
  });

  test("100 levels are accepted, 101 are not", () => {
    const d = strict(`${"[".repeat(100)}${"]".repeat(100)}`);
    expect(d.messages).toEqual([]);
    expect(strict(`${"[".repeat(101)}${"]".repeat(101)}`).messages).toEqual([
      expect.objectContaining({ code: "too-deep", line: 1, column: 101 }),
    ]);
  });

  test("objects and arrays both count, positioned on their own line", () => {
    const d = jsonc(`{"a":\n${"[".repeat(200)}`);
    expect(d.messages).toEqual([expect.objectContaining({ code: "too-deep", line: 2, column: 100 })]);
  });

  test("brackets after a // comment ended by a lone CR are counted", () => {
    const d = jsonc(`// c\r${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    expect(d.messages).toEqual([expect.objectContaining({ code: "too-deep", line: 2, column: 101 })]);
  });

  test("brackets after a string left open at a line break are counted", () => {
    const d = jsonc(`["x\n${"[".repeat(10_000)}`);
    expect(d.messages).toEqual([expect.objectContaining({ code: "too-deep", line: 2, column: 100 })]);
  });

  test("nesting through error recovery (`[},` repeated) is too-deep, not a crash", () => {
    const d = jsonc("[},".repeat(50_000));
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([expect.objectContaining({ code: "too-deep", line: 1, column: 1 })]);
  });
});
