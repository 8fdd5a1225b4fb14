import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../../src/core/evaluate.js";
import { defaultPolicy } from "../../../src/core/policy/resolve.js";
import { gateResult } from "../../../src/core/report/check-run.js";
import {
  hasStickyMarker,
  MAX_COMMENT_CHARS,
  STICKY_MARKER,
  stickyCommentBody,
  stickyCommentForError,
} from "../../../src/core/report/comment.js";
import { markdownReport } from "../../../src/core/report/markdown.js";
import type { FileChange } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { approvalResult, CTX, ruleResult } from "./fixtures.js";

function added(path: string, text: string): FileChange {
  const data = new TextEncoder().encode(text);
  return { path, status: "added", after: { size: data.length, data } };
}
const evaluate = (...changes: FileChange[]) =>
  evaluateChange({ changes, policy: defaultPolicy(), schemas: builtinSchemas() });
const mcp = (servers: string[]) =>
  `{\n  "mcpServers": {\n${servers.map((s, i) => `    "s${i}": ${s}`).join(",\n")}\n  }\n}\n`;
const PINNED = '{ "command": "gh", "args": ["mcp"] }';
const UNPINNED = (i: number) => `{ "command": "npx", "args": ["-y", "pkg${i}"] }`;
const FOOTER = `\n---\n<sub>For commit ${CTX.head.sha} · agent-change-control 0.1.0 · updated on every push</sub>\n`;

describe("sticky comment", () => {
  test("marker first, then the CLI's markdown report, then a footer naming the head commit", () => {
    const ev = evaluate(added(".mcp.json", mcp([PINNED, UNPINNED(1)])));
    const body = stickyCommentBody(ev, CTX);
    expect(body).toBe(`${STICKY_MARKER}\n${markdownReport(ev, CTX)}${FOOTER}`);
    expect(body.split("\n")[0]).toBe(STICKY_MARKER);
    expect(hasStickyMarker(body)).toBe(true);
  });

  test("its Pass/Fail line is the gate's, whatever failOn the context carries", () => {
    const ev = evaluate(added(".mcp.json", mcp([PINNED])));
    expect(ev.risk).toBe("medium");
    // With failOn "info" the CLI would fail this change; the gate (and so the comment) passes it.
    expect(markdownReport(ev, { ...CTX, failOn: "info" })).toContain("❌ **Fail**");
    const body = stickyCommentBody(ev, { ...CTX, failOn: "info" });
    expect(body).toContain("✅ **Pass**");
    expect(gateResult(ev, { ...CTX, failOn: "info" }).conclusion).toBe("success");
  });

  test("with the approval state: the gate's report with its approvals section, and nobody is @mentioned", () => {
    const ev = evaluate(added(".mcp.json", mcp([PINNED])));
    const approvals = approvalResult({
      rules: [
        ruleResult({
          name: "security review",
          counted: [],
          canApprove: { teams: ["acme/security"], users: ["octocat"], codeowners: false, apps: [] },
        }),
      ],
      ignored: [{ login: "octocat", reviewId: 3, reason: "author" }],
      blockedBy: [{ login: "hubot", reviewId: 4 }],
    });
    const body = stickyCommentBody(ev, { ...CTX, failOn: "info" }, approvals);
    expect(body).toBe(`${STICKY_MARKER}\n${markdownReport(ev, CTX, approvals)}${FOOTER}`);
    expect(body).toContain(
      "❌ **Fail**: approvals pending: security review (0 of 1); changes requested by `hubot`",
    );
    expect(body).toContain("| security review | ⏳ pending 0 of 1 |");
    expect(body).toContain("- `octocat` is the pull request's author");
    expect(body).toContain("team `acme/security`; user `octocat`");
    // Outside code spans no login or team is preceded by @ (which would notify them).
    const prose = body.replace(/(`+)[\s\S]*?\1/g, "");
    expect(prose).not.toMatch(/@[A-Za-z0-9]/);
    // Without the approval state the comment is exactly what it was.
    expect(stickyCommentBody(ev, CTX)).toBe(`${STICKY_MARKER}\n${markdownReport(ev, CTX)}${FOOTER}`);
  });

  test(`a very long report is cut to ${MAX_COMMENT_CHARS} characters, keeping the marker and the footer`, () => {
    const ev = evaluate(added(".mcp.json", mcp(Array.from({ length: 400 }, (_, i) => UNPINNED(i)))));
    expect(markdownReport(ev, CTX).length).toBeGreaterThan(MAX_COMMENT_CHARS);
    const body = stickyCommentBody(ev, CTX);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.startsWith(`${STICKY_MARKER}\n## agent-change-control\n`)).toBe(true);
    expect(body.endsWith(FOOTER)).toBe(true);
    expect(body).toMatch(/\n\n… \d+ more lines not shown \(\d+ findings\); run `agent-change-control check/);
  });

  test("a head SHA that is not hex is shown escaped, not linked", () => {
    const body = stickyCommentBody(evaluate(), { ...CTX, head: { ref: "x", sha: "<b>@octocat" } });
    expect(body).toContain("For commit &lt;b>`@octocat` ·");
  });
});

describe("sticky comment for an error", () => {
  test("says what went wrong on one escaped line, and how to run the check again", () => {
    const body = stickyCommentForError("GitHub answered 502 for `a|b*.json`\n    at fetch (x.js:1:1)", {
      tool: CTX.tool,
      headSha: CTX.head.sha,
    });
    expect(body).toBe(
      [
        STICKY_MARKER,
        "## agent-change-control",
        "",
        "❌ **Not checked**: GitHub answered 502 for \\`a\\|b\\*.json\\`",
        "",
        "The check fails closed until this change can be evaluated. To try again, choose **Re-run** on the Checks tab, or push a commit.",
        "",
      ].join("\n") + FOOTER,
    );
    expect(hasStickyMarker(body)).toBe(true);
  });
});

describe("hasStickyMarker", () => {
  test("only a body whose first line is the marker", () => {
    expect(hasStickyMarker(`${STICKY_MARKER}\nhello`)).toBe(true);
    expect(hasStickyMarker(`\uFEFF${STICKY_MARKER}\r\nhello`)).toBe(true);
    expect(hasStickyMarker("hello")).toBe(false);
    expect(hasStickyMarker(`> quoting the bot: ${STICKY_MARKER}`)).toBe(false);
    expect(hasStickyMarker("<!-- agent-change-control -->")).toBe(false);
  });
});
