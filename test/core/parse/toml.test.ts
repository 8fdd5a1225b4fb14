import { describe, expect, test } from "@jest/globals";
import { decodePointer } from "../../../src/core/parse/document.js";
import { parseText } from "../../../src/core/parse/index.js";
import { parseToml } from "../../../src/core/parse/toml.js";

const errors = (text: string) => parseToml(text).messages.map((m) => [m.line, m.column, m.severity, m.code]);

describe("parseToml: tables and keys", () => {
  const text = [
    'title = "x"',
    "",
    "[server]",
    'host = "h"',
    "port = 8080",
    "",
    "[server.tls]",
    'cert = "c"',
  ].join("\n");
  const doc = parseToml(text);

  test("reads the value without messages", () => {
    expect(doc.syntax).toBe("toml");
    expect(doc.messages).toEqual([]);
    expect(doc.data).toEqual({ title: "x", server: { host: "h", port: 8080, tls: { cert: "c" } } });
  });

  test("value and key positions", () => {
    expect(doc.locate(["title"])).toEqual({ line: 1, column: 9 });
    expect(doc.locate(["title"], "key")).toEqual({ line: 1, column: 1 });
    expect(doc.locate(["server", "port"])).toEqual({ line: 5, column: 8 });
    expect(doc.locate(["server", "port"], "key")).toEqual({ line: 5, column: 1 });
    expect(doc.locate(["server", "tls", "cert"])).toEqual({ line: 8, column: 8 });
  });

  test("a [table] is located at its name in the header", () => {
    expect(doc.locate(["server"])).toEqual({ line: 3, column: 2 });
    expect(doc.locate(["server", "tls"])).toEqual({ line: 7, column: 2 });
    expect(doc.locate(["server", "tls"], "key")).toEqual({ line: 7, column: 2 });
  });

  test("a missing key falls back to the nearest ancestor that exists", () => {
    expect(doc.locate(["server", "missing"])).toEqual({ line: 3, column: 2 });
    expect(doc.locate(["server", "tls", "cert", "deeper"])).toEqual({ line: 8, column: 1 });
    expect(doc.locate(["missing"])).toEqual({ line: 1, column: 1 });
  });

  test("a table known only from a sub-table header is located at that header", () => {
    const d = parseToml('x = 1\n\n[a.b]\nc = 2\n[ "q.r" . s ]\nt = 3\n');
    expect(d.data).toEqual({ x: 1, a: { b: { c: 2 } }, "q.r": { s: { t: 3 } } });
    expect(d.locate(["a"])).toEqual({ line: 3, column: 2 });
    expect(d.locate(["a", "b"])).toEqual({ line: 3, column: 2 });
    expect(d.locate(["q.r"])).toEqual({ line: 5, column: 3 });
    expect(d.locate(["q.r", "s", "t"])).toEqual({ line: 6, column: 5 });
  });

  test("an explicit [a] after [a.b] is located at its own header", () => {
    const d = parseToml("[a.b]\nc = 1\n[a]\nd = 2\n");
    expect(d.locate(["a"])).toEqual({ line: 3, column: 2 });
  });
});

describe("parseToml: arrays of tables", () => {
  test("[[array.of.tables]]: one index per occurrence", () => {
    const d = parseToml(
      ['name = "root"', "[[array.of.tables]]", "x = 1", "[[array.of.tables]]", "x = 2"].join("\n"),
    );
    expect(d.data).toEqual({ name: "root", array: { of: { tables: [{ x: 1 }, { x: 2 }] } } });
    expect(d.locate(["array", "of", "tables", 0])).toEqual({ line: 2, column: 3 });
    expect(d.locate(["array", "of", "tables", 1])).toEqual({ line: 4, column: 3 });
    expect(d.locate(["array", "of", "tables", 1, "x"])).toEqual({ line: 5, column: 5 });
    expect(d.locate(decodePointer("/array/of/tables/0/x"))).toEqual({ line: 3, column: 5 });
    expect(d.locate(["array", "of", "tables"])).toEqual({ line: 2, column: 3 });
    expect(d.locate(["array"])).toEqual({ line: 2, column: 3 });
    expect(d.locate(["array", "of", "tables", 2])).toEqual({ line: 2, column: 3 });
  });

  test("sub-tables and nested arrays of tables belong to the current element", () => {
    const text = [
      "[[fruits]]",
      'name = "apple"',
      "[fruits.physical]",
      'color = "red"',
      "[[fruits.varieties]]",
      'name = "red delicious"',
      "[[fruits.varieties]]",
      'name = "granny smith"',
      "[[fruits]]",
      'name = "banana"',
      "[[fruits.varieties]]",
      'name = "plantain"',
    ].join("\n");
    const d = parseToml(text);
    expect(d.data).toEqual({
      fruits: [
        {
          name: "apple",
          physical: { color: "red" },
          varieties: [{ name: "red delicious" }, { name: "granny smith" }],
        },
        { name: "banana", varieties: [{ name: "plantain" }] },
      ],
    });
    expect(d.locate(["fruits", 0, "physical"])).toEqual({ line: 3, column: 2 });
    expect(d.locate(["fruits", 0, "physical", "color"])).toEqual({ line: 4, column: 9 });
    expect(d.locate(["fruits", 0, "varieties", 1, "name"])).toEqual({ line: 8, column: 8 });
    expect(d.locate(["fruits", 1, "name"])).toEqual({ line: 10, column: 8 });
    expect(d.locate(["fruits", 1, "varieties", 0])).toEqual({ line: 11, column: 3 });
    expect(d.locate(["fruits", 1, "varieties", 0, "name"])).toEqual({ line: 12, column: 8 });
  });
});

describe("parseToml: dotted, quoted and inline keys", () => {
  test("dotted and quoted keys", () => {
    const text = [
      "a.b = 1",
      '"c.d".e = 2',
      'site."google.com" = true',
      "'lit\\eral' = 3",
      '"\\U0001F600" = 4',
      " spaced . key = 5",
    ].join("\n");
    const d = parseToml(text);
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({
      a: { b: 1 },
      "c.d": { e: 2 },
      site: { "google.com": true },
      "lit\\eral": 3,
      "😀": 4,
      spaced: { key: 5 },
    });
    expect(d.locate(["a", "b"])).toEqual({ line: 1, column: 7 });
    expect(d.locate(["a"])).toEqual({ line: 1, column: 1 });
    expect(d.locate(["c.d", "e"])).toEqual({ line: 2, column: 11 });
    expect(d.locate(["site", "google.com"])).toEqual({ line: 3, column: 21 });
    expect(d.locate(["lit\\eral"])).toEqual({ line: 4, column: 14 });
    expect(d.locate(["😀"])).toEqual({ line: 5, column: 16 });
    expect(d.locate(["spaced", "key"])).toEqual({ line: 6, column: 17 });
    expect(d.locate(["spaced", "key"], "key")).toEqual({ line: 6, column: 2 });
  });

  test("pointer-escaped keys (a/b, a~b)", () => {
    const d = parseToml('"a/b" = 1\n"a~b" = 2\n');
    expect(d.locate(decodePointer("/a~1b"))).toEqual({ line: 1, column: 9 });
    expect(d.locate(decodePointer("/a~0b"))).toEqual({ line: 2, column: 9 });
  });

  test("keys inside an inline table fall back to the key holding it", () => {
    const d = parseToml('[mcp]\nsrv = { command = "npx", args = ["-y", "pkg"], env = { K = "v" } }\n');
    expect(d.data).toEqual({ mcp: { srv: { command: "npx", args: ["-y", "pkg"], env: { K: "v" } } } });
    expect(d.locate(["mcp", "srv"])).toEqual({ line: 2, column: 7 });
    expect(d.locate(["mcp", "srv"], "key")).toEqual({ line: 2, column: 1 });
    expect(d.locate(["mcp", "srv", "args", 1])).toEqual({ line: 2, column: 1 });
    expect(d.locate(["mcp", "srv", "env", "K"])).toEqual({ line: 2, column: 1 });
  });
});

describe("parseToml: multi-line values", () => {
  test("lines inside \"\"\" and ''' strings are not keys or headers", () => {
    const text = [
      'a = """',
      "line",
      "[notatable]",
      "k = v",
      '"""',
      "b = 2",
      "c = '''x",
      "y'''",
      "d = 4",
    ].join("\n");
    const d = parseToml(text);
    expect(d.data).toEqual({ a: "line\n[notatable]\nk = v\n", b: 2, c: "x\ny", d: 4 });
    expect(d.locate(["a"])).toEqual({ line: 1, column: 5 });
    expect(d.locate(["b"])).toEqual({ line: 6, column: 5 });
    expect(d.locate(["d"])).toEqual({ line: 9, column: 5 });
    expect(d.locate(["k"])).toEqual({ line: 1, column: 1 });
  });

  test("lines inside a multi-line array are not keys or headers", () => {
    const text = [
      "matrix = [",
      "  [1, 2],",
      "  [3, 4]",
      "]",
      "servers = [",
      '  { name = "x" },',
      "]",
      "after = 1",
      "[t]",
      "k = 1",
    ].join("\n");
    const d = parseToml(text);
    expect(d.data).toEqual({
      matrix: [
        [1, 2],
        [3, 4],
      ],
      servers: [{ name: "x" }],
      after: 1,
      t: { k: 1 },
    });
    expect(d.locate(["after"])).toEqual({ line: 8, column: 9 });
    expect(d.locate(["t", "k"])).toEqual({ line: 10, column: 5 });
    expect(d.locate(["matrix", 1, 0])).toEqual({ line: 1, column: 1 });
    expect(d.locate(["servers"])).toEqual({ line: 5, column: 11 });
  });

  test("brackets in strings and comments of a multi-line array do not end it early", () => {
    const text = ["a = [", '  "]", # ]', "  ']',", "]", "b = 1"].join("\n");
    const d = parseToml(text);
    expect(d.data).toEqual({ a: ["]", "]"], b: 1 });
    expect(d.locate(["b"])).toEqual({ line: 5, column: 5 });
  });
});

describe("parseToml: comments, line endings, tabs, unicode", () => {
  test("comments are ignored; '#' in a string is text", () => {
    const d = parseToml(
      ["# comment [not.a.table]", "a = 1 # trailing", "[t] # table comment", 'b = "#not"'].join("\n"),
    );
    expect(d.data).toEqual({ a: 1, t: { b: "#not" } });
    expect(d.locate(["t"])).toEqual({ line: 3, column: 2 });
    expect(d.locate(["t", "b"])).toEqual({ line: 4, column: 5 });
    expect(d.locate(["not"])).toEqual({ line: 1, column: 1 });
  });

  test("CRLF line endings", () => {
    const d = parseToml("a = 1\r\n[t]\r\nb = 2\r\n");
    expect(d.locate(["t", "b"])).toEqual({ line: 3, column: 5 });
    expect(errors("a = 1\r\nb = tru\r\n")).toEqual([[2, 5, "error", "syntax"]]);
  });

  test("a lone CR is not a TOML line end: an error at the CR", () => {
    expect(errors("a = 1\rb = 2\r")).toEqual([[1, 6, "error", "syntax"]]);
  });

  test("tabs are one column", () => {
    const d = parseToml("[t]\n\tk\t=\t1\n");
    expect(d.locate(["t", "k"])).toEqual({ line: 2, column: 6 });
    expect(d.locate(["t", "k"], "key")).toEqual({ line: 2, column: 2 });
    expect(errors("a = 1\n\tb = nope\n")).toEqual([[2, 6, "error", "syntax"]]);
  });

  test("columns count UTF-16 units: an astral character (emoji) is 2 columns", () => {
    const d = parseToml('e = "😀"\nk = ["😀", 1]\n');
    expect(d.data).toEqual({ e: "😀", k: ["😀", 1] });
    expect(errors('x = ["😀", nope]')).toEqual([[1, 12, "error", "syntax"]]);
  });

  test("a BOM given to parseText is not a column", () => {
    expect(parseText("\uFEFFa = nope\n", "toml").messages).toEqual([
      expect.objectContaining({ line: 1, column: 5, code: "syntax" }),
    ]);
  });
});

describe("parseToml: syntax errors point at the offending token", () => {
  test("invalid value: at the value", () => {
    const d = parseToml("a = 1\nb = nope\n");
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      { line: 2, column: 5, severity: "error", code: "syntax", message: "TOML syntax error: invalid value" },
    ]);
  });

  test("invalid value inside an array: at the extra comma", () => {
    expect(errors("a = 1\nb = [1, 2,, 3]\n")).toEqual([[2, 11, "error", "syntax"]]);
  });

  test("invalid number: at the offending character", () => {
    expect(errors("[t]\nx = 'ok'\ny = 1.2.3\n")).toEqual([[3, 8, "error", "syntax"]]);
  });

  test("a redefined key is an error at the second definition", () => {
    expect(errors("a = 1\na = 2\n")).toEqual([[2, 1, "error", "syntax"]]);
  });

  test("messages have no source excerpt", () => {
    const [m] = parseToml("a = 1\nb = nope\n").messages;
    expect(m?.message).not.toContain("\n");
  });
});

describe("parseToml: nesting limit", () => {
  test("10,000 '[' is a too-deep error at the 101st bracket, without throwing", () => {
    const d = parseToml(`a = ${"[".repeat(10_000)}`);
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 1,
        column: 105,
        severity: "error",
        code: "too-deep",
        message: "nesting is deeper than 100 levels; the file was not parsed",
      },
    ]);
  });

  test("100 levels are accepted, 101 are not", () => {
    expect(parseToml(`a = ${"[".repeat(100)}${"]".repeat(100)}`).messages).toEqual([]);
    expect(errors(`a = ${"[".repeat(101)}${"]".repeat(101)}`)).toEqual([[1, 105, "error", "too-deep"]]);
  });

  test("a quote in a comment does not hide the brackets after it", () => {
    expect(errors(`# "\na = ${"[".repeat(150)}${"]".repeat(150)}`)).toEqual([[2, 105, "error", "too-deep"]]);
  });

  test("nesting the bracket scan misreads (a '\"' in a literal string) is still too-deep", () => {
    expect(errors(`a = ['"', ${"[".repeat(150)}${"]".repeat(150)}]`)).toEqual([
      [1, 110, "error", "too-deep"],
    ]);
  });
});
