import { describe, expect, test } from "@jest/globals";
import { decodePointer } from "../../../src/core/parse/document.js";
import { parseText } from "../../../src/core/parse/index.js";
import { MAX_YAML_ALIASES, MAX_YAML_CHARS, parseYaml } from "../../../src/core/parse/yaml.js";

const codes = (text: string) => parseYaml(text).messages.map((m) => [m.line, m.column, m.severity, m.code]);

describe("parseYaml: values and locate", () => {
  const text = [
    "name: agent",
    "servers:",
    "  - cmd: a",
    "    args: [x, y]",
    "  - cmd: b",
    '"a/b": 1',
    "'a~b': 2",
  ].join("\n");
  const doc = parseYaml(text);

  test("reads the value without messages", () => {
    expect(doc.messages).toEqual([]);
    expect(doc.syntax).toBe("yaml");
    expect(doc.data).toEqual({
      name: "agent",
      servers: [{ cmd: "a", args: ["x", "y"] }, { cmd: "b" }],
      "a/b": 1,
      "a~b": 2,
    });
  });

  test("value and key positions", () => {
    expect(doc.locate(["name"])).toEqual({ line: 1, column: 7 });
    expect(doc.locate(["name"], "key")).toEqual({ line: 1, column: 1 });
    expect(doc.locate(["servers"])).toEqual({ line: 3, column: 3 });
    expect(doc.locate(["servers", 0, "cmd"])).toEqual({ line: 3, column: 10 });
    expect(doc.locate(["servers", 0, "cmd"], "key")).toEqual({ line: 3, column: 5 });
    expect(doc.locate(["servers", 0, "args", 1])).toEqual({ line: 4, column: 15 });
    expect(doc.locate(["servers", 1])).toEqual({ line: 5, column: 5 });
    expect(doc.locate([])).toEqual({ line: 1, column: 1 });
  });

  test("a missing step falls back to the nearest ancestor that exists", () => {
    expect(doc.locate(["servers", 2])).toEqual({ line: 3, column: 3 });
    expect(doc.locate(["servers", 1, "args"])).toEqual({ line: 5, column: 5 });
    expect(doc.locate(["missing"], "key")).toEqual({ line: 1, column: 1 });
    expect(doc.locate(["name", "deeper"])).toEqual({ line: 1, column: 7 });
    expect(doc.locate(decodePointer("/servers/0/args/1"))).toEqual({ line: 4, column: 15 });
  });

  test("quoted keys needing pointer escapes (a/b, a~b)", () => {
    expect(doc.locate(decodePointer("/a~1b"))).toEqual({ line: 6, column: 8 });
    expect(doc.locate(decodePointer("/a~1b"), "key")).toEqual({ line: 6, column: 1 });
    expect(doc.locate(decodePointer("/a~0b"))).toEqual({ line: 7, column: 8 });
  });

  test("an empty value is located where the value would be", () => {
    const d = parseYaml("a:\nb: 2\n");
    expect(d.data).toEqual({ a: null, b: 2 });
    expect(d.locate(["a"])).toEqual({ line: 1, column: 3 });
    expect(d.locate(["a"], "key")).toEqual({ line: 1, column: 1 });
  });

  test("lineOffset shifts every position", () => {
    expect(parseYaml("a: 1\nb: 2\n", 10).locate(["b"])).toEqual({ line: 12, column: 4 });
  });

  test("an empty or comment-only file is null without messages", () => {
    expect(parseYaml("")).toMatchObject({ data: null, messages: [] });
    expect(parseYaml("# nothing\n")).toMatchObject({ data: null, messages: [] });
  });
});

describe("parseYaml: multi-line strings", () => {
  const text = [
    "a: |",
    "  line1",
    "  line2",
    "b: >-",
    "  folded",
    "  text",
    "c: 3",
    "d: 'quoted",
    "  across'",
    "e: 5",
  ].join("\n");

  test("block scalars keep their lines; the keys after them are on the right line", () => {
    const d = parseYaml(text);
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ a: "line1\nline2\n", b: "folded text", c: 3, d: "quoted across", e: 5 });
    expect(d.locate(["a"])).toEqual({ line: 1, column: 4 });
    expect(d.locate(["b"])).toEqual({ line: 4, column: 4 });
    expect(d.locate(["c"])).toEqual({ line: 7, column: 4 });
    expect(d.locate(["c"], "key")).toEqual({ line: 7, column: 1 });
    expect(d.locate(["d"])).toEqual({ line: 8, column: 4 });
    expect(d.locate(["e"])).toEqual({ line: 10, column: 4 });
  });

  test("an error after a block scalar is on the right line", () => {
    const d = parseYaml("a: |\n  x\n  y\nb: [1, 2\nc: 3\n");
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 5, column: 1, severity: "error", code: "syntax" }),
    ]);
  });
});

describe("parseYaml: comments, tabs, unicode, line endings", () => {
  test("comments are ignored; '#' inside quotes is text", () => {
    const d = parseYaml(
      ["# leading", "a: 1 # trailing", "# between", "b:", "  # inside", '  c: "x # not a comment"'].join(
        "\n",
      ),
    );
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ a: 1, b: { c: "x # not a comment" } });
    expect(d.locate(["a"])).toEqual({ line: 2, column: 4 });
    expect(d.locate(["b", "c"])).toEqual({ line: 6, column: 6 });
  });

  test("a tab after the colon is one column", () => {
    const d = parseYaml("k:\t\tv\n");
    expect(d.data).toEqual({ k: "v" });
    expect(d.locate(["k"])).toEqual({ line: 1, column: 5 });
  });

  test("tab indentation is an error at the tab", () => {
    expect(codes("a:\n\tb: 1\n")).toEqual([[2, 1, "error", "syntax"]]);
  });

  test("columns count UTF-16 units: an astral character (emoji) is 2 columns", () => {
    const d = parseYaml('k: "😀😀"\nx: [😀, y]\n');
    expect(d.data).toEqual({ k: "😀😀", x: ["😀", "y"] });
    expect(d.locate(["x", 1])).toEqual({ line: 2, column: 9 });
  });

  test("CRLF line endings", () => {
    const d = parseYaml("a: 1\r\nb:\r\n  c: x\r\n");
    expect(d.data).toEqual({ a: 1, b: { c: "x" } });
    expect(d.locate(["b", "c"])).toEqual({ line: 3, column: 6 });
    expect(codes("a: 1\r\nb: [1, 2\r\nc: 3\r\n")).toEqual([[3, 1, "error", "syntax"]]);
  });

  test("lone CR line endings, which YAML allows", () => {
    const d = parseYaml("a: 1\rb:\r  c: x\r");
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ a: 1, b: { c: "x" } });
    expect(d.locate(["b", "c"])).toEqual({ line: 3, column: 6 });
    expect(codes("a: 1\rb: [1, 2\rc: 3\r")).toEqual([[3, 1, "error", "syntax"]]);
  });

  test("a BOM given to parseText is not a column", () => {
    expect(parseText("\uFEFFa: 1\n", "yaml").locate(["a"])).toEqual({ line: 1, column: 4 });
  });
});

describe("parseYaml: syntax errors point at the offending token", () => {
  test("bad indentation: at the misaligned key", () => {
    const d = parseYaml("a:\n  b: 1\n c: 2\n");
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 3,
        column: 2,
        severity: "error",
        code: "syntax",
        message: "YAML syntax error: All mapping items must start at the same column",
      },
    ]);
  });

  test("unclosed flow sequence: where the block resumes", () => {
    expect(parseYaml("a: [1, 2\nb: 3\n").messages).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        code: "syntax",
        message: expect.stringContaining("end with a ]"),
      }),
    ]);
  });

  test("unclosed flow map", () => {
    expect(parseYaml("x: 1\na: {k: 1\n").messages).toEqual([
      expect.objectContaining({ line: 3, column: 1, message: expect.stringContaining("end with a }") }),
    ]);
  });

  test("messages carry no 'at line' suffix or source excerpt", () => {
    for (const m of parseYaml("a:\n  b: 1\n c: 2\n").messages) {
      expect(m.message).not.toMatch(/at line|\n/);
    }
  });
});

describe("parseYaml: duplicate keys", () => {
  test("a warning at the duplicate naming the first occurrence's line; the last value wins", () => {
    const d = parseYaml(["x:", "  a: 1", "  b:", "    a: 2", "  a: 3"].join("\n"));
    expect(d.messages).toEqual([
      {
        line: 5,
        column: 3,
        severity: "warning",
        code: "duplicate-key",
        message: 'duplicate key "a" (first at line 2); tools disagree on which value wins',
      },
    ]);
    expect(d.data).toEqual({ x: { a: 3, b: { a: 2 } } });
    expect(d.locate(["x", "a"])).toEqual({ line: 5, column: 6 });
  });

  test("quoted and plain spellings of one key are duplicates", () => {
    const d = parseYaml('a: 1\nb: 2\n"a": 3\n');
    expect(d.messages).toEqual([
      expect.objectContaining({
        line: 3,
        column: 1,
        code: "duplicate-key",
        message: expect.stringContaining("line 1"),
      }),
    ]);
  });
});

describe("parseYaml: duplicate keys, more", () => {
  test("one warning per repeat, per map, in file order", () => {
    const d = parseYaml(["a: 1", "m:", "  x: 1", "  x: 2", "a: 2", "b: 1", "b: 2", "b: 3"].join("\n"));
    expect(d.messages.map((m) => [m.line, m.column, m.code, m.message.slice(0, 35)])).toEqual([
      [4, 3, "duplicate-key", 'duplicate key "x" (first at line 3)'],
      [5, 1, "duplicate-key", 'duplicate key "a" (first at line 1)'],
      [7, 1, "duplicate-key", 'duplicate key "b" (first at line 6)'],
      [8, 1, "duplicate-key", 'duplicate key "b" (first at line 6)'],
    ]);
  });

  test("keys that become the same data key are duplicates (1 and '1')", () => {
    const d = parseYaml("1: a\n'1': b\n");
    expect(d.data).toEqual({ "1": "b" });
    expect(d.messages).toEqual([expect.objectContaining({ line: 2, column: 1, code: "duplicate-key" })]);
  });

  test("duplicates are still reported next to a syntax error", () => {
    const d = parseYaml("a: 1\na: 2\nb: [1\n");
    expect(d.messages.map((m) => [m.line, m.column, m.code])).toEqual([
      [4, 1, "syntax"],
      [2, 1, "duplicate-key"],
    ]);
  });

  test("a map with 10,000 keys: the one duplicate is found, with the first occurrence's line", () => {
    // Linear-time duplicate detection is measured in bench/validate (the hostile-file table), not here.
    const text = Array.from({ length: 10_000 }, (_, i) => `k${i}: ${i}`).join("\n");
    const d = parseYaml(`${text}\nk7: again\n`);
    expect(d.messages).toEqual([
      expect.objectContaining({
        line: 10_001,
        code: "duplicate-key",
        message: expect.stringContaining("line 8"),
      }),
    ]);
  });

  test("YAML over MAX_YAML_CHARS is refused as too large, before parsing", () => {
    const d = parseYaml(`a: "${"x".repeat(MAX_YAML_CHARS)}"\n`);
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 1, column: 1, severity: "error", code: "too-large" }),
    ]);
    expect(parseYaml(`a: "${"x".repeat(MAX_YAML_CHARS - 20)}"\n`).messages).toEqual([]);
  });
});

describe("parseYaml: unknown tags", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's !Sub syntax, not a template
  const SUB = "${AWS::StackName}-logs";

  test("CloudFormation !Ref, !Sub, !GetAtt, !Join are read as untagged, with no messages", () => {
    const text = [
      "Resources:",
      "  Bucket:",
      "    Type: AWS::S3::Bucket",
      "    Properties:",
      `      BucketName: !Sub "${SUB}"`,
      "      Arn: !GetAtt Role.Arn",
      "      Ref: !Ref Param",
      "      List: !GetAtt [Role, Arn]",
      "      Joined: !Join",
      '        - ""',
      "        - - a",
      "          - b",
    ].join("\n");
    const d = parseYaml(text);
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({
      Resources: {
        Bucket: {
          Type: "AWS::S3::Bucket",
          Properties: {
            BucketName: SUB,
            Arn: "Role.Arn",
            Ref: "Param",
            List: ["Role", "Arn"],
            Joined: ["", ["a", "b"]],
          },
        },
      },
    });
    expect(d.locate(["Resources", "Bucket", "Properties", "List", 1])).toEqual({ line: 8, column: 28 });
    expect(d.locate(["Resources", "Bucket", "Properties", "Joined", 1, 0])).toEqual({ line: 11, column: 13 });
  });
});

describe("parseYaml: multiple documents", () => {
  test("a warning at the second document; only the first is read", () => {
    const d = parseYaml("a: 1\n---\nb: 2\n---\nc: 3\n");
    expect(d.data).toEqual({ a: 1 });
    expect(d.messages).toEqual([
      {
        line: 2,
        column: 1,
        severity: "warning",
        code: "multi-document",
        message: "the file holds 3 YAML documents; only the first is checked",
      },
    ]);
  });

  test("a single document with a start marker is not multi-document", () => {
    expect(parseYaml("---\na: 1\n").messages).toEqual([]);
  });
});

describe("parseYaml: aliases", () => {
  test("ordinary anchors and aliases are read; locate stops at the alias", () => {
    const d = parseYaml("base: &base {x: 1}\nother: *base\n");
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ base: { x: 1 }, other: { x: 1 } });
    expect(d.locate(["other"])).toEqual({ line: 2, column: 8 });
    expect(d.locate(["other", "x"])).toEqual({ line: 2, column: 8 });
  });

  test("billion laughs is an alias-bomb error at the first alias", () => {
    const text = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    ].join("\n");
    const d = parseYaml(text);
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 2,
        column: 8,
        severity: "error",
        code: "alias-bomb",
        message: `YAML aliases expand more than ${MAX_YAML_ALIASES} times (an alias bomb); the file was not read`,
      },
    ]);
  });

  test("an alias with no anchor (an unquoted glob) is a syntax error at the alias, not an alias bomb", () => {
    const d = parseYaml("name: x\nglobs: **/*.ts\n");
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 2,
        column: 8,
        severity: "error",
        code: "syntax",
        message: 'YAML syntax error: alias "**/*.ts" has no anchor (&) before it',
      },
    ]);
  });

  test("the unresolved alias is found after resolved ones", () => {
    const d = parseYaml("a: &a 1\nb: *a\nc: *nope\n");
    expect(d.messages).toEqual([expect.objectContaining({ line: 3, column: 4, code: "syntax" })]);
  });
});

describe("parseYaml: nesting limit", () => {
  const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;

  test("10,000 '[' is a too-deep error at the 101st bracket, without throwing", () => {
    const d = parseYaml(`x: ${deep}`);
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      {
        line: 1,
        column: 104,
        severity: "error",
        code: "too-deep",
        message: "nesting is deeper than 100 levels; the file was not parsed",
      },
    ]);
  });

  test("100 levels are accepted", () => {
    expect(parseYaml(`x: ${"[".repeat(100)}${"]".repeat(100)}`).messages).toEqual([]);
  });

  test("'/*' in a plain scalar does not hide the brackets after it", () => {
    expect(codes(`globs: src/*.ts\nx: ${deep}`)).toEqual([[2, 104, "error", "too-deep"]]);
  });

  test("a quote in a comment does not hide the brackets on the next lines", () => {
    expect(codes(`a: 1 # say "hi\nb: ${deep}`)).toEqual([[2, 104, "error", "too-deep"]]);
  });

  test("deep block nesting the bracket scan cannot see is too-deep, not a crash", () => {
    const d = parseYaml(`${"- ".repeat(20_000)}x\n`);
    expect(d.data).toBeUndefined();
    expect(d.messages.map((m) => [m.line, m.severity, m.code, m.message])).toEqual([
      [1, "error", "too-deep", "nesting is deeper than 100 levels; the file was not parsed"],
    ]);
  });
});
