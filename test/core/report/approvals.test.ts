import { describe, expect, test } from "@jest/globals";
import type { IgnoredReason } from "../../../src/core/approvals/types.js";
import { IGNORED_REASON } from "../../../src/core/report/approvals.js";
import { jsonReport } from "../../../src/core/report/json.js";
import { markdownReport, omittedReportItems } from "../../../src/core/report/markdown.js";
import { outcome } from "../../../src/core/report/model.js";
import { textReport } from "../../../src/core/report/text.js";
import { approvalResult, CTX, evaluation, ruleResult, SAMPLE } from "./fixtures.js";

/** Splits a GFM table row into cells the way GitHub does: on pipes not escaped with a backslash. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The markdown with every code span removed: what is left is where an @name would notify someone. */
function outsideCodeSpans(md: string): string {
  return md.replace(/(`+)[\s\S]*?\1/g, "");
}
const MENTION = /(^|[^\w`])@[A-Za-z0-9]/m;

/** A valid, risk-free change of one MCP file: only approvals can fail it. */
const VALID = evaluation({ files: SAMPLE.files.slice(0, 1), risk: "medium" });
const HIGH = evaluation({
  files: SAMPLE.files.slice(0, 1),
  risk: "high",
  findings: [{ rule: "MCP-002", severity: "high", path: ".mcp.json", line: 3, message: "unpinned npx" }],
});

const THREE_RULES = approvalResult({
  rules: [
    ruleResult({
      name: "security review",
      because: "categories: mcp",
      status: "satisfied",
      counted: [{ login: "sec-lead", reviewId: 11 }],
    }),
    ruleResult({
      name: "two maintainers",
      because: "risk medium ≥ medium",
      required: 2,
      counted: [{ login: "maint-1", reviewId: 12 }],
      canApprove: { teams: ["acme/platform"], users: [], permission: "maintain", codeowners: true, apps: [] },
    }),
    ruleResult({ name: "prompt owners", because: "no prompt file changed", status: "not-applicable" }),
  ],
});

function tableRows(md: string, heading: string): string[][] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start).toBeGreaterThanOrEqual(0);
  // The heading, a blank line, then the table's rows.
  const rows: string[][] = [];
  for (let i = start + 2; lines[i]?.startsWith("|"); i++) rows.push(cells(lines[i]!));
  return rows;
}

describe("approvals in the markdown report", () => {
  test("a table after the verdict: status, why it applies, who counted and who can still approve", () => {
    const md = markdownReport(VALID, CTX, THREE_RULES);
    const lines = md.split("\n");
    expect(lines[2]).toBe(
      "❌ **Fail**: approvals pending: two maintainers (1 of 2) · risk **medium** · 1 agent-config file · 0 errors · 0 warnings",
    );
    // Near the top: right after the context line, before the changed files.
    expect(md.indexOf("### Approvals: 1 of 2 rules pending")).toBeGreaterThan(md.indexOf("<sub>"));
    expect(md.indexOf("### Approvals")).toBeLessThan(md.indexOf("### Changed agent configs"));
    expect(tableRows(md, "### Approvals")).toEqual([
      ["Rule", "Status", "Why it applies", "Counted", "Who can still approve"],
      ["---", "---", "---", "---", "---"],
      ["security review", "✅ satisfied", "categories: mcp", "`sec-lead`", ""],
      [
        "two maintainers",
        "⏳ pending 1 of 2",
        "risk medium ≥ medium",
        "`maint-1`",
        "team `acme/platform`; anyone with maintain or higher permission; the CODEOWNERS of the touched files",
      ],
      ["prompt owners", "➖ not applicable", "no prompt file changed", "", ""],
    ]);
  });

  test("all rules satisfied: Pass, and the heading says so", () => {
    const a = approvalResult({
      rules: [ruleResult({ name: "r", status: "satisfied", counted: [{ login: "x", reviewId: 1 }] })],
    });
    const md = markdownReport(VALID, CTX, a);
    expect(md).toContain("✅ **Pass** · risk **medium**");
    expect(md).toContain("### Approvals: 1 rule satisfied");
  });

  test("built-in default and policy-owner rules are marked as such", () => {
    const a = approvalResult({
      rules: [
        ruleResult({ name: "any agent-config change", origin: "default" }),
        ruleResult({ name: "policy owners", origin: "policy-owners" }),
      ],
    });
    const rows = tableRows(markdownReport(VALID, CTX, a), "### Approvals");
    expect(rows[2]![0]).toBe("any agent-config change <sub>built-in default</sub>");
    expect(rows[3]![0]).toBe("policy owners <sub>policy owners</sub>");
  });

  test("teams always; individual users only when the engine lists them; missing teams of one_from_each_team", () => {
    const withUsers = approvalResult({
      rules: [
        ruleResult({
          name: "each team",
          required: 2,
          canApprove: {
            teams: ["acme/a", "acme/b", "acme/c"],
            users: ["dana"],
            codeowners: false,
            apps: ["renovate"],
          },
          missingTeams: ["acme/b", "acme/c"],
        }),
      ],
    });
    const row = tableRows(markdownReport(VALID, CTX, withUsers), "### Approvals")[2]!;
    expect(row[4]).toBe("one each from `acme/b`, `acme/c`; team `acme/a`; user `dana`; app `renovate`");
    const teamsOnly = approvalResult({ rules: [ruleResult({ name: "sec" })] });
    const row2 = tableRows(markdownReport(VALID, CTX, teamsOnly), "### Approvals")[2]!;
    expect(row2[4]).toBe("team `acme/security`");
  });

  test("reviews not counted: login in a code span and the reason in words, for every reason", () => {
    const reasons = Object.keys(IGNORED_REASON) as IgnoredReason[];
    const a = approvalResult({
      rules: [ruleResult({ name: "sec" })],
      ignored: reasons.map((reason, i) => ({ login: `user-${i}`, reviewId: 100 + i, reason })),
    });
    const md = markdownReport(VALID, CTX, a);
    expect(md).toContain("**Not counted:**");
    reasons.forEach((reason, i) => {
      expect(md).toContain(`- \`user-${i}\` ${IGNORED_REASON[reason]}`);
    });
    // Every reason has its own words.
    expect(new Set(Object.values(IGNORED_REASON)).size).toBe(reasons.length);
    expect(IGNORED_REASON["stale-commit"]).toMatch(/earlier commit/);
    expect(IGNORED_REASON.author).toMatch(/author/);
    expect(IGNORED_REASON.bot).toMatch(/bot/);
    expect(IGNORED_REASON["not-in-approver-set"]).toMatch(/team/);
  });

  test("changes requested block the gate, naming who in code spans", () => {
    const a = approvalResult({
      rules: [ruleResult({ name: "sec", status: "satisfied", counted: [{ login: "a", reviewId: 1 }] })],
      blockedBy: [
        { login: "erin", reviewId: 7 },
        { login: "frank", reviewId: 8 },
      ],
    });
    expect(a.approved).toBe(false);
    const md = markdownReport(VALID, CTX, a);
    expect(md.split("\n")[2]).toBe(
      "❌ **Fail**: changes requested by `erin`, `frank` · risk **medium** · 1 agent-config file · 0 errors · 0 warnings",
    );
    expect(md).toContain("**Blocking:** changes requested by `erin`, `frank`");
  });

  test("an emergency: banner at the very top, Pass despite pending approvals and a high finding", () => {
    const a = approvalResult({
      rules: [ruleResult({ name: "sec" })],
      emergency: {
        declarer: "ic-oncall",
        reason: "prod outage | rollback *now*",
        commentId: 42,
        declaredAt: "2025-06-06T10:00:00Z",
        followUpDue: "2025-06-10",
      },
    });
    const md = markdownReport(HIGH, CTX, a);
    const lines = md.split("\n");
    expect(lines[0]).toBe("## agent-change-control");
    expect(lines[2]).toBe(
      "> 🚨 **Emergency change** declared by `ic-oncall` at 2025-06-06T10:00:00Z: prod outage \\| rollback \\*now\\*",
    );
    expect(md).toContain("A follow-up review is due by **2025-06-10**.");
    expect(md).toContain("✅ **Pass** · risk **high**");
    expect(md).not.toContain("approvals pending");
    expect(outcome(HIGH, "high", a)).toStrictEqual({
      result: "pass",
      reasons: [],
      overridden: ["approvals pending: sec (0 of 1)"],
    });
  });

  test("an emergency never overrides validation errors", () => {
    const a = approvalResult({
      emergency: {
        declarer: "ic",
        reason: "outage",
        commentId: 1,
        declaredAt: "2025-06-06T10:00:00Z",
        followUpDue: "2025-06-10",
      },
    });
    const md = markdownReport(SAMPLE, CTX, a);
    expect(md).toContain("❌ **Fail**: 1 validation error ·");
    expect(outcome(SAMPLE, "high", a).result).toBe("fail");
  });

  test("refused emergency declarations: one line each, with why", () => {
    const a = approvalResult({
      rules: [ruleResult({ name: "sec" })],
      refusedEmergencies: [
        { commentId: 5, login: "mallory", why: "only `acme/ic` may declare <b>an</b> emergency" },
      ],
    });
    const md = markdownReport(VALID, CTX, a);
    expect(md).toContain(
      "⚠️ Emergency declaration by `mallory` refused: only \\`acme/ic\\` may declare &lt;b>an&lt;/b> emergency",
    );
    expect(md).not.toContain("🚨");
  });

  test("nothing from a login, rule or reason renders as markup or notifies anyone", () => {
    const a = approvalResult({
      rules: [
        ruleResult({
          name: "ping @acme/security | <script>",
          because: "labels: @everyone [x](http://e)",
          counted: [{ login: "we`ird", reviewId: 1 }],
          canApprove: { teams: ["acme/sec|rity"], users: ["@bob"], codeowners: false, apps: [] },
        }),
      ],
      ignored: [{ login: "@carol", reviewId: 2, reason: "author" }],
      blockedBy: [{ login: "@dave", reviewId: 3 }],
      refusedEmergencies: [{ commentId: 4, login: "@eve", why: "cc @security-team" }],
      emergency: undefined,
    });
    const md = markdownReport(VALID, CTX, a);
    expect(outsideCodeSpans(md)).not.toMatch(MENTION);
    expect(md).not.toContain("<script>");
    // The link's brackets are escaped: it shows as text.
    expect(md).not.toMatch(/(?<!\\)\]\(http/);
    expect(md).toContain("\\[x\\](http://e)");
    const row = tableRows(md, "### Approvals")[2]!;
    expect(row).toHaveLength(5);
    expect(row[0]).toBe("ping `@acme/security` \\| &lt;script>");
    expect(row[3]).toBe("`` we`ird ``");
    expect(md).toContain("- `@carol` is the pull request's author");
    // Logins are never written as @mentions, only as code spans.
    for (const login of ["@bob", "@dave", "@eve"]) expect(md).toContain(`\`${login}\``);
  });

  test("a preview shows what the change will need and never fails the verdict", () => {
    const a = approvalResult({
      rules: [
        ruleResult({ name: "sec", because: "categories: mcp" }),
        ruleResult({ name: "prompt owners", status: "not-applicable", because: "no prompt file changed" }),
      ],
    });
    const md = markdownReport(VALID, CTX, a, "preview");
    expect(md).toContain("✅ **Pass** · risk **medium**");
    expect(md).toContain("### Approvals this change will need: 1 rule");
    expect(tableRows(md, "### Approvals")).toEqual([
      ["Rule", "Status", "Why it applies", "Counted", "Who can approve"],
      ["---", "---", "---", "---", "---"],
      ["sec", "needs 1", "categories: mcp", "", "team `acme/security`"],
    ]);
    expect(md).not.toContain("prompt owners");
  });

  test("without news (no rule applies, no reviews) there is no section; the rest of the report is unchanged", () => {
    const a = approvalResult({ rules: [ruleResult({ name: "p", status: "not-applicable" })] });
    expect(markdownReport(SAMPLE, CTX, a)).toBe(markdownReport(SAMPLE, CTX));
    const md = markdownReport(SAMPLE, CTX, THREE_RULES);
    const without = markdownReport(SAMPLE, CTX).split("\n");
    // Every line of the report without approvals is still there, except the verdict line.
    const withLines = new Set(md.split("\n"));
    expect(without.filter((l) => !withLines.has(l))).toEqual([without[2]]);
  });

  test("a cut-off report counts the approval rules it left out", () => {
    const md = markdownReport(VALID, CTX, THREE_RULES);
    const lines = md.split("\n");
    lines.pop();
    const from = lines.findIndex((l) => l.startsWith("| two maintainers"));
    expect(omittedReportItems(md)(lines.slice(from))).toMatch(/^2 approval rules, /);
  });
});

describe("approvals in the text and JSON reports", () => {
  test("text: a short section, and the result line gives the approval reasons", () => {
    const a = approvalResult({
      ...THREE_RULES,
      ignored: [{ login: "carol", reviewId: 3, reason: "stale-commit" }],
      blockedBy: [{ login: "erin", reviewId: 4 }],
      approved: false,
    });
    const text = textReport(VALID, CTX, false, a);
    expect(text).toContain("Approvals: 1 of 2 rules pending\n");
    expect(text).toContain("  satisfied       security review  (categories: mcp)\n");
    expect(text).toContain("                  counted: sec-lead\n");
    expect(text).toContain("  pending 1 of 2  two maintainers  (risk medium ≥ medium)\n");
    expect(text).toContain(
      "                  can approve: team acme/platform; anyone with maintain or higher permission; the CODEOWNERS of the touched files\n",
    );
    expect(text).toContain(`  not counted: carol ${IGNORED_REASON["stale-commit"]}\n`);
    expect(text).toContain("  blocking: changes requested by erin\n");
    expect(text).toContain(
      "Result: FAIL (approvals pending: two maintainers (1 of 2); changes requested by erin)\n",
    );
  });

  test("text: control characters in a login are shown, not executed", () => {
    const a = approvalResult({
      rules: [ruleResult({ name: "r" })],
      blockedBy: [{ login: "x\u001b[2Jy", reviewId: 1 }],
    });
    const text = textReport(VALID, CTX, false, a);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("changes requested by x\\u001b[2Jy");
  });

  test("text preview: what is needed, PASS", () => {
    const text = textReport(
      VALID,
      CTX,
      false,
      approvalResult({ rules: [ruleResult({ name: "sec" })] }),
      "preview",
    );
    expect(text).toContain(
      "Approvals this change will need: 1 rule\n  needs 1         sec  (categories: mcp)\n",
    );
    expect(text).toContain("can approve: team acme/security");
    expect(text).toContain("Result: PASS\n");
  });

  test("JSON: an additive approvals field; result and reasons agree with it", () => {
    const a = approvalResult({
      ...THREE_RULES,
      ignored: [{ login: "carol", reviewId: 3, reason: "author" }],
      approved: false,
    });
    const report = jsonReport(VALID, CTX, a);
    const plain = jsonReport(VALID, CTX);
    expect(plain).not.toHaveProperty("approvals");
    const { approvals, result, reasons, ...rest } = report;
    expect({ ...rest, result: plain.result, reasons: plain.reasons }).toEqual(plain);
    expect([result, reasons]).toEqual(["fail", ["approvals pending: two maintainers (1 of 2)"]]);
    expect(approvals).toEqual({
      mode: "enforced",
      approved: false,
      rules: [
        expect.objectContaining({
          name: "security review",
          status: "satisfied",
          counted: [{ login: "sec-lead", reviewId: 11 }],
        }),
        {
          name: "two maintainers",
          description: null,
          origin: "policy",
          status: "pending",
          because: "risk medium ≥ medium",
          required: 2,
          counted: [{ login: "maint-1", reviewId: 12 }],
          canApprove: {
            teams: ["acme/platform"],
            users: [],
            permission: "maintain",
            codeowners: true,
            apps: [],
          },
          missingTeams: [],
        },
        expect.objectContaining({
          name: "prompt owners",
          status: "not-applicable",
          canApprove: expect.objectContaining({ permission: null }),
        }),
      ],
      ignored: [{ login: "carol", reviewId: 3, reason: "author", why: IGNORED_REASON.author }],
      blockedBy: [],
      refusedEmergencies: [],
      emergency: null,
      requestReviews: { teams: [], users: [] },
    });
  });

  test("JSON preview: mode preview, and the result ignores pending rules", () => {
    const report = jsonReport(
      VALID,
      CTX,
      approvalResult({ rules: [ruleResult({ name: "sec" })] }),
      "preview",
    );
    expect(report.result).toBe("pass");
    expect(report.approvals).toMatchObject({ mode: "preview", approved: false });
  });
});
