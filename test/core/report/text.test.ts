import { describe, expect, test } from "@jest/globals";
import { textReport } from "../../../src/core/report/text.js";
import { CTX, DEFAULTS_CTX, evaluation, SAMPLE } from "./fixtures.js";

const ESC = "\u001b";

/** Control and bidi-override characters other than the line breaks, as code points. */
function controlCharacters(s: string): number[] {
  return [...s]
    .map((ch) => ch.codePointAt(0)!)
    .filter((c) => (c < 0x20 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e));
}

describe("text report", () => {
  test("without colour: no ANSI escape at all", () => {
    const out = textReport(SAMPLE, CTX, false);
    expect(out).not.toContain(ESC);
    expect(out).toContain("Result: FAIL (1 validation error)");
  });

  test("with colour: bold title, red errors, yellow warnings, red FAIL", () => {
    const out = textReport(SAMPLE, CTX, true);
    expect(out).toContain(`${ESC}[1magent-change-control${ESC}[0m`);
    expect(out).toContain(`${ESC}[31merror  ${ESC}[0m`);
    expect(out).toContain(`${ESC}[33mwarning${ESC}[0m`);
    expect(out).toContain(`Result: ${ESC}[31mFAIL${ESC}[0m (1 validation error)`);
    expect(textReport(evaluation({ files: SAMPLE.files }), CTX, true)).toContain(
      `Result: ${ESC}[32mPASS${ESC}[0m`,
    );
  });

  test("the whole report, aligned", () => {
    expect(textReport(SAMPLE, CTX, false)).toBe(
      [
        "agent-change-control merge-base (9fcbcb5) → HEAD (2d88df9)",
        "policy: .github/agent-change-control.yml at merge-base",
        "",
        "Agent-config files changed: 2",
        "  STATUS    PATH                             FORMAT       CATEGORY",
        "  modified  .mcp.json                        mcp-project  mcp",
        "  renamed   prompts/old.txt → prompts/a.txt  text         prompt",
        "",
        "Validation: 1 error, 1 warning",
        '  .mcp.json:14:15  error    mcpServers.filesystem.args must be an array, not the string "-y …"',
        '  .mcp.json:20:5   warning  unknown key "comand"; did you mean "command"?',
        "",
        "Risk: none",
        "Result: FAIL (1 validation error)",
        "",
      ].join("\n"),
    );
  });

  test("no files; built-in defaults", () => {
    const out = textReport(evaluation(), DEFAULTS_CTX, false);
    expect(out).toContain("policy: built-in defaults (no policy file at merge-base)");
    expect(out).toContain("No agent-config files changed.");
    expect(out).toContain("Result: PASS");
  });

  test("control characters in paths and messages cannot reach the terminal, even without colour", () => {
    const hostile = evaluation({
      files: [
        {
          path: `x${ESC}[2J.mcp.json`,
          status: "added",
          format: "mcp-project",
          category: "mcp",
          matchedBy: "path",
        },
      ],
      validation: [
        {
          path: `x${ESC}[2J.mcp.json`,
          line: 1,
          column: 1,
          severity: "warning",
          code: "unknown-key",
          message: `unknown key "a${ESC}[32mPASS"\u202e`,
        },
      ],
    });
    for (const color of [false, true]) {
      const out = textReport(hostile, CTX, color);
      // Only the report's own colour codes may remain.
      expect(controlCharacters(out.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), ""))).toEqual([]);
      expect(out).toContain("x\\u001b[2J.mcp.json");
      expect(out).toContain('unknown key "a\\u001b[32mPASS"\\u202e');
    }
  });
});
