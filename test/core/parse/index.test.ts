import { describe, expect, test } from "@jest/globals";
import { parseText, syntaxFromPath } from "../../../src/core/parse/index.js";

describe("syntaxFromPath", () => {
  test.each([
    ["settings.json", "json"],
    [".vscode/settings.JSONC", "jsonc"],
    ["a.yaml", "yaml"],
    ["dir/b.YML", "yaml"],
    ["c.toml", "toml"],
    ["CLAUDE.md", "markdown"],
    [".cursor/rules/x.mdc", "markdown"],
    ["doc.markdown", "markdown"],
    ["p.prompty", "markdown"],
    ["AGENTS", "text"],
    ["notes.txt", "text"],
    ["json", "text"],
  ])("%s is %s", (path, syntax) => {
    expect(syntaxFromPath(path)).toBe(syntax);
  });
});

describe("parseText", () => {
  test("text is all body, no data", () => {
    const d = parseText("anything: [", "text");
    expect(d).toMatchObject({
      syntax: "text",
      data: undefined,
      messages: [],
      body: { text: "anything: [", line: 1 },
    });
    expect(d.locate(["x"])).toEqual({ line: 1, column: 1 });
  });

  test.each([
    ["json", '{"a": 1}', { line: 1, column: 7 }],
    ["jsonc", '{"a": 1}', { line: 1, column: 7 }],
    ["yaml", "a: 1", { line: 1, column: 4 }],
    ["toml", "a = 1", { line: 1, column: 5 }],
    ["markdown", "---\na: 1\n---\n", { line: 2, column: 4 }],
  ] as const)("%s: a leading BOM is dropped, not an error and not a column", (syntax, text, at) => {
    const d = parseText(`\uFEFF${text}`, syntax);
    expect(d.messages).toEqual([]);
    expect(d.data).toEqual({ a: 1 });
    expect(d.locate(["a"])).toEqual(at);
  });

  test("the text syntax drops the BOM from the body", () => {
    expect(parseText("\uFEFFhello", "text").body).toEqual({ text: "hello", line: 1 });
  });
});
