import { describe, expect, test } from "@jest/globals";
import { cell, code, markdownReport } from "../../../src/core/report/markdown.js";
import { CTX, DEFAULTS_CTX, evaluation, SAMPLE } from "./fixtures.js";

/** Splits a GFM table row into cells the way GitHub does: on pipes not escaped with a backslash. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe("markdown report", () => {
  test("verdict, context line and tables", () => {
    const md = markdownReport(SAMPLE, CTX);
    const lines = md.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "## agent-change-control",
      "",
      "❌ **Fail**: 1 validation error · risk **none** · 2 agent-config files · 1 error · 1 warning",
      "",
      "<sub>merge-base `9fcbcb5` → HEAD `2d88df9` · policy: `.github/agent-change-control.yml` at merge-base</sub>",
    ]);
    expect(md).toContain("| `prompts/old.txt` → `prompts/a.txt` | renamed | `text` | prompt |");
    expect(md).toContain("### Validation: 1 error, 1 warning");
    expect(md).toContain(
      '| ❌ error | `.mcp.json:14:15` | mcpServers.filesystem.args must be an array, not the string "-y …" |',
    );
    expect(md.endsWith("\n")).toBe(true);
  });

  test("passing, no files, built-in defaults", () => {
    const md = markdownReport(evaluation(), DEFAULTS_CTX);
    expect(md).toContain("✅ **Pass** · risk **none** · 0 agent-config files · 0 errors · 0 warnings");
    expect(md).toContain("policy: built-in defaults");
    expect(md).toContain("No agent-config files changed.");
    expect(md).not.toContain("| --- |");
  });

  test("all files valid; findings table", () => {
    const md = markdownReport(
      evaluation({
        files: SAMPLE.files,
        risk: "high",
        findings: [
          { rule: "MCP-001", severity: "high", path: ".mcp.json", line: 3, message: "npx | unpinned" },
        ],
      }),
      CTX,
    );
    expect(md).toContain("### Validation: all files valid");
    expect(md).toContain("### Risk findings: 1");
    expect(md).toContain("**🔴 high** (1)");
    // Rule id and title, location, the finding (escaped), and the rule's fix from the catalogue.
    expect(md).toContain("| `MCP-001` New MCP server | `.mcp.json:3` | npx \\| unpinned | Confirm");
    expect(md).toContain("❌ **Fail**: 1 finding at or above high · risk **high**");
  });

  test("pipes and backticks in messages and paths cannot break the table or open code spans", () => {
    const path = "we|ird/`odd``/.mcp.json";
    const md = markdownReport(
      evaluation({
        files: [{ path, status: "added", format: "mcp-project", category: "mcp", matchedBy: "path" }],
        validation: [
          {
            path,
            line: 2,
            column: 3,
            severity: "error",
            code: "schema",
            message: 'value "a | b" has a `stray backtick and **bold** [link](https://x) <img src=x>\nnext',
          },
        ],
      }),
      CTX,
    );
    const fileRow = md.split("\n").find((l) => l.includes("| added |"))!;
    expect(cells(fileRow)).toEqual(["``` we\\|ird/`odd``/.mcp.json ```", "added", "`mcp-project`", "mcp"]);
    const messageRow = md.split("\n").find((l) => l.startsWith("| ❌ error"))!;
    expect(cells(messageRow)).toEqual([
      "❌ error",
      "``` we\\|ird/`odd``/.mcp.json:2:3 ```",
      'value "a \\| b" has a \\`stray backtick and \\*\\*bold\\*\\* \\[link\\](https://x) &lt;img src=x> next',
    ]);
  });

  test("cell() escapes markdown, HTML, pipes and newlines; code() picks a fence longer than any backtick run", () => {
    expect(cell("a|b")).toBe("a\\|b");
    expect(cell("`x`")).toBe("\\`x\\`");
    expect(cell("a\\b")).toBe("a\\\\b");
    expect(cell("<script>&amp;")).toBe("&lt;script>&amp;amp;");
    expect(cell("snake_case *x* ~~y~~")).toBe("snake\\_case \\*x\\* \\~\\~y\\~\\~");
    expect(cell("one\r\ntwo\nthree")).toBe("one two three");
    expect(cell("esc\u001b")).toBe("esc\\\\u001b");
    expect(code("plain")).toBe("`plain`");
    expect(code("a`b")).toBe("`` a`b ``");
    expect(code("a``b`")).toBe("``` a``b` ```");
    expect(code("a|b<c>\\d")).toBe("`a\\|b<c>\\d`");
  });
});

describe("mentions", () => {
  test("an @user or @org/team in a message from the change is shown as code, so it notifies nobody", () => {
    expect(cell("ask @octocat and @acme/security-team, not me@example.com")).toBe(
      "ask `@octocat` and `@acme/security-team`, not me@example.com",
    );
  });
});
