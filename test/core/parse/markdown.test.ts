import { describe, expect, test } from "@jest/globals";
import { parseText } from "../../../src/core/parse/index.js";
import { parseMarkdown } from "../../../src/core/parse/markdown.js";

const md = (lines: string[], eol = "\n") => lines.join(eol);

describe("parseMarkdown: no front matter", () => {
  test("the whole file is the body, from line 1", () => {
    const text = "# Title\n\ntext\n";
    expect(parseMarkdown(text)).toMatchObject({
      syntax: "markdown",
      data: undefined,
      messages: [],
      body: { text, line: 1 },
      hasFrontMatter: false,
    });
    expect(parseMarkdown(text).locate(["anything"])).toEqual({ line: 1, column: 1 });
  });

  test("'---' that is not the first line, or not alone on it, is not front matter", () => {
    expect(parseMarkdown("text\n---\na: 1\n---\n").hasFrontMatter).toBe(false);
    expect(parseMarkdown("----\na: 1\n----\n").hasFrontMatter).toBe(false);
    expect(parseMarkdown("--- a\nb: 1\n---\n").hasFrontMatter).toBe(false);
  });
});

describe("parseMarkdown: YAML front matter", () => {
  const lines = [
    "---",
    "name: reviewer",
    "description: Reviews code",
    "tools:",
    "  - Read",
    "  - Grep",
    "---",
    "# Body",
    "",
  ];

  test("data, positions in file lines, and the body after it", () => {
    const d = parseMarkdown(md(lines));
    expect(d.messages).toEqual([]);
    expect(d.hasFrontMatter).toBe(true);
    expect(d.data).toEqual({ name: "reviewer", description: "Reviews code", tools: ["Read", "Grep"] });
    expect(d.locate(["description"])).toEqual({ line: 3, column: 14 });
    expect(d.locate(["description"], "key")).toEqual({ line: 3, column: 1 });
    expect(d.locate(["tools", 1])).toEqual({ line: 6, column: 5 });
    expect(d.locate(["missing"])).toEqual({ line: 2, column: 1 });
    expect(d.body).toEqual({ text: "# Body\n", line: 8 });
  });

  test("CRLF front matter", () => {
    const d = parseMarkdown(md(lines, "\r\n"));
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ name: "reviewer", description: "Reviews code", tools: ["Read", "Grep"] });
    expect(d.locate(["description"])).toEqual({ line: 3, column: 14 });
    expect(d.locate(["tools", 1])).toEqual({ line: 6, column: 5 });
    expect(d.body).toEqual({ text: "# Body\r\n", line: 8 });
  });

  test("lone CR front matter", () => {
    const d = parseMarkdown(md(lines, "\r"));
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ name: "reviewer", description: "Reviews code", tools: ["Read", "Grep"] });
    expect(d.locate(["tools", 1])).toEqual({ line: 6, column: 5 });
    expect(d.body).toEqual({ text: "# Body\r", line: 8 });
  });

  test("a BOM given to parseText neither hides the front matter nor counts as a column", () => {
    const d = parseText(`\uFEFF${md(lines)}`, "markdown");
    expect(d.hasFrontMatter).toBe(true);
    expect(d.locate(["description"])).toEqual({ line: 3, column: 14 });
  });

  test("astral characters (emoji) count 2 columns, tabs 1", () => {
    const d = parseMarkdown("---\nname: 😀\nx: [😀, y]\nz:\t1\n---\n");
    expect(d.data).toEqual({ name: "😀", x: ["😀", "y"], z: 1 });
    expect(d.locate(["x", 1])).toEqual({ line: 3, column: 9 });
    expect(d.locate(["z"])).toEqual({ line: 4, column: 4 });
  });

  test("empty front matter is an empty object", () => {
    expect(parseMarkdown("---\n---\nbody")).toMatchObject({ data: {}, body: { text: "body", line: 3 } });
    expect(parseMarkdown("---\n# only a comment\n---\n").data).toEqual({});
  });

  test("'...' closes front matter too; so does a final '---' with no newline", () => {
    expect(parseMarkdown("---\na: 1\n...\nbody\n")).toMatchObject({ data: { a: 1 }, body: { line: 4 } });
    expect(parseMarkdown("---\na: 1\n---")).toMatchObject({ data: { a: 1 }, body: { text: "", line: 3 } });
  });

  test("a YAML warning is positioned on the file line", () => {
    const d = parseMarkdown("---\na: 1\nb: 2\na: 3\n---\n");
    expect(d.messages).toEqual([
      {
        line: 4,
        column: 1,
        severity: "warning",
        code: "duplicate-key",
        message: 'duplicate key "a" (first at line 2); tools disagree on which value wins',
      },
    ]);
  });

  test("a block scalar in front matter, and the body line after it", () => {
    const d = parseMarkdown(md(["---", "description: |", "  one", "  two", "model: x", "---", "", "Body"]));
    expect(d.data).toEqual({ description: "one\ntwo\n", model: "x" });
    expect(d.locate(["model"])).toEqual({ line: 5, column: 8 });
    expect(d.body).toEqual({ text: "\nBody", line: 7 });
  });
});

describe("parseMarkdown: unclosed front matter", () => {
  test("an error on line 1; the whole file stays the body", () => {
    const text = "---\nname: x\n# Body\n";
    const d = parseMarkdown(text);
    expect(d.data).toBeUndefined();
    expect(d.hasFrontMatter).toBe(true);
    expect(d.body).toEqual({ text, line: 1 });
    expect(d.messages).toEqual([
      {
        line: 1,
        column: 1,
        severity: "error",
        code: "syntax",
        message: "front matter starts with '---' but is never closed by a '---' line",
      },
    ]);
  });
});

describe("parseMarkdown: front matter that is not strict YAML", () => {
  const cursorKeys = new Set(["description", "globs", "alwaysApply"]);

  test("Cursor rule with unquoted globs: one warning, lenient data keeping types", () => {
    const text = md([
      "---",
      "description: Rules for TS",
      "globs: **/*.ts, src/**/*.tsx",
      "alwaysApply: false",
      "---",
      "body",
    ]);
    const d = parseMarkdown(text, cursorKeys);
    expect(d.messages).toEqual([
      {
        line: 3,
        column: 15, // `*/*.ts` is read as an alias, which a ',' cannot continue
        severity: "warning",
        code: "front-matter-not-yaml",
        message: expect.stringMatching(
          /^front matter is not valid YAML \(.+\); agent tools read it leniently/,
        ),
      },
    ]);
    expect(d.data).toEqual({
      description: "Rules for TS",
      globs: "**/*.ts, src/**/*.tsx",
      alwaysApply: false,
    });
    expect(d.locate(["globs"])).toEqual({ line: 3, column: 1 });
    expect(d.locate(["alwaysApply"])).toEqual({ line: 4, column: 1 });
    expect(d.locate(["missing"])).toEqual({ line: 2, column: 1 });
    expect(d.body).toEqual({ text: "body", line: 6 });
    expect(d.hasFrontMatter).toBe(true);
  });

  test("Claude agent with prose over several lines: known keys start keys, other lines continue", () => {
    const keys = new Set(["name", "description", "tools", "model", "enabled"]);
    const text = md([
      "---",
      "name: code-reviewer",
      "description: Use this agent when the user asks for a review.",
      "  Context: the user just wrote code",
      "Example: not a key",
      "tools: [Read, Grep, Glob]",
      "model: sonnet",
      "enabled: true",
      "---",
      "You are a reviewer.",
    ]);
    const d = parseMarkdown(text, keys);
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 3, column: 14, code: "front-matter-not-yaml" }),
    ]);
    expect(d.data).toEqual({
      name: "code-reviewer",
      description:
        "Use this agent when the user asks for a review.\n  Context: the user just wrote code\nExample: not a key",
      tools: ["Read", "Grep", "Glob"],
      model: "sonnet",
      enabled: true,
    });
    expect(d.locate(["tools"])).toEqual({ line: 6, column: 1 });
    expect(d.locate(["tools", 0])).toEqual({ line: 6, column: 1 });
    expect(d.locate(["enabled"])).toEqual({ line: 8, column: 1 });
    expect(d.body).toEqual({ text: "You are a reviewer.", line: 10 });
  });

  test("an indented list or block under an empty key keeps its type", () => {
    const text = md([
      "---",
      "description: a: b",
      "tools:",
      "  - Read",
      "  - Grep",
      "flat:",
      "- x",
      "- y",
      "env:",
      "  A: 1",
      "empty:",
      "---",
    ]);
    const d = parseMarkdown(text);
    expect(d.messages.map((m) => m.code)).toEqual(["front-matter-not-yaml"]);
    expect(d.data).toEqual({
      description: "a: b",
      tools: ["Read", "Grep"],
      flat: ["x", "y"],
      env: { A: 1 },
      empty: null,
    });
  });

  test("prose under an empty key stays text", () => {
    const d = parseMarkdown(
      md(["---", "description:", "Some prose here", "and: more", "x: a: b", "---"]),
      new Set(["description", "x"]),
    );
    expect(d.data).toEqual({ description: "Some prose here\nand: more", x: "a: b" });
  });

  test("without knownKeys every key line starts a key; a value that is not YAML is its text", () => {
    const d = parseMarkdown(md(["---", "name: x", "tools: [Read", "other: y", "---", "body"]));
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 4, column: 1, code: "front-matter-not-yaml" }),
    ]);
    expect(d.data).toEqual({ name: "x", tools: "[Read", other: "y" });
    expect(d.locate(["other"])).toEqual({ line: 4, column: 1 });
  });

  test("an unknown first key still starts a key", () => {
    const d = parseMarkdown(md(["---", "foo: 1", "description: x: y", "---"]), new Set(["description"]));
    expect(d.data).toEqual({ foo: 1, description: "x: y" });
    expect(d.locate(["foo"])).toEqual({ line: 2, column: 1 });
    expect(d.locate(["description"])).toEqual({ line: 3, column: 1 });
  });

  test("CRLF front matter read leniently keeps file lines and strips the CRs", () => {
    const text = md(
      ["---", "description: Rules", "globs: **/*.ts", "alwaysApply: true", "---", "body"],
      "\r\n",
    );
    const d = parseMarkdown(text, cursorKeys);
    expect(d.messages).toEqual([
      expect.objectContaining({
        line: 3,
        column: 8,
        code: "front-matter-not-yaml",
        message: expect.stringContaining('alias "**/*.ts" has no anchor'),
      }),
    ]);
    expect(d.data).toEqual({ description: "Rules", globs: "**/*.ts", alwaysApply: true });
    expect(d.locate(["alwaysApply"])).toEqual({ line: 4, column: 1 });
    expect(d.body).toEqual({ text: "body", line: 6 });
  });
});

describe("parseMarkdown: hostile front matter stays an error", () => {
  test("10,000 '[' is too-deep at its file position, not read leniently", () => {
    const d = parseMarkdown(`---\nx: ${"[".repeat(10_000)}\n---\nbody\n`);
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 2, column: 104, severity: "error", code: "too-deep" }),
    ]);
    expect(d.body).toEqual({ text: "body\n", line: 4 });
  });

  test("an alias bomb is an alias-bomb error at the first alias", () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
    ] as const) {
      rows.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    const d = parseMarkdown(md(["---", ...rows, "---", "body"]));
    expect(d.data).toBeUndefined();
    expect(d.messages).toEqual([
      expect.objectContaining({ line: 3, column: 8, severity: "error", code: "alias-bomb" }),
    ]);
  });
});
