import { readFileSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import { accessMatrix, type MatrixRow, matrixCsv, matrixMarkdown } from "../../src/core/access-matrix.js";
import {
  CODEOWNERS_PATHS,
  CRITICAL_RULE,
  DEFAULT_RULE,
  HIGH_RULE,
  POLICY_OWNERS_RULE,
} from "../../src/core/approvals/index.js";
import { policy } from "./approvals/helpers.js";

/** The `approvals` examples of docs/configuration.md (the YAML blocks under "### Examples"). */
function docExamples(): string[] {
  const doc = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("### Examples"), doc.indexOf("## `changelog`"));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const brief = (rows: MatrixRow[]) => rows.map((r) => [r.role, r.rule, r.principalKind, r.principal]);

describe("access matrix from the documented example policies", () => {
  const [first, second] = docExamples();

  test("the docs still hold both examples", () => {
    expect(first).toContain("security for tools and permissions");
    expect(second).toContain("mcp on release branches");
  });

  test("example 1: who approves which categories and tiers, and who owns the policy", () => {
    const rows = accessMatrix(policy(first));
    expect(brief(rows)).toEqual([
      ["approver", "security for tools and permissions", "team", "example-org/security"],
      ["approver", "prompt owners", "codeowners", "CODEOWNERS"],
      ["approver", "second approver for critical", "permission", "maintain"],
      ["approver", DEFAULT_RULE, "permission", "write"],
      ["policy-owner", POLICY_OWNERS_RULE, "team", "example-org/platform"],
      ["emergency-declarer", "approvals.emergency", "nobody", ""],
    ]);
    expect(rows[0]).toMatchObject({
      categories: ["tool", "mcp", "permissions"],
      riskTiers: ["none", "low", "medium", "high", "critical"],
    });
    expect(rows[2]).toMatchObject({
      riskTiers: ["critical"],
      notes: ["approvers distinct from rule(s) security for tools and permissions"],
    });
    expect(rows[3]!.notes).toEqual(["applies only when no policy rule applies to an agent-config change"]);
    expect(rows[4]!.paths).toEqual([".github/agent-change-control.yml", ...CODEOWNERS_PATHS]);
    expect(CODEOWNERS_PATHS).toContain(".github/CODEOWNERS");
  });

  test("example 2: both teams of a one-from-each-team rule, the branch condition and the declarers", () => {
    const rows = accessMatrix(policy(second));
    const mcp = rows.filter((r) => r.rule === "mcp on release branches");
    expect(mcp.map((r) => r.principal)).toEqual(["write", "example-org/security", "example-org/platform"]);
    expect(mcp[0]).toMatchObject({
      required: 2,
      categories: ["mcp"],
      targetBranches: ["release/*"],
      notes: ["one approver from each of example-org/security, example-org/platform"],
    });
    const declarers = rows.filter((r) => r.role === "emergency-declarer");
    expect(declarers).toEqual([
      expect.objectContaining({
        principalKind: "team",
        principal: "example-org/incident-commanders",
        labels: ["emergency"],
        notes: ["follow-up review due within 2 business day(s)"],
      }),
    ]);
    expect(rows.find((r) => r.role === "policy-owner")).toMatchObject({
      principalKind: "permission",
      principal: "admin",
    });
  });

  test("no policy: the tiered defaults, by risk tier", () => {
    const rows = accessMatrix(policy(undefined)).filter((r) => r.role === "approver");
    expect(rows.map((r) => [r.rule, r.principal, r.riskTiers.join(",")])).toEqual([
      [DEFAULT_RULE, "write", "none,low,medium,high,critical"],
      [HIGH_RULE, "maintain", "high,critical"],
      [CRITICAL_RULE, "write", "critical"],
    ]);
  });
});

describe("matrix output", () => {
  const rows = accessMatrix(
    policy(`
approvals:
  rules:
    - name: tools
      when: { paths: ["tools/**"], labels: ["agents"], rules_found: ["MCP-*"] }
      requires: { count: 1, from: { users: ["alice"], apps: ["release-bot"] } }
`),
  );

  test("CSV: a header, one CRLF line per row, empty conditions as any, permissions spelt out", () => {
    const csv = matrixCsv(rows);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "role,rule,origin,principal_kind,principal,required,categories,formats,paths,risk_tiers,target_branches,labels,findings,notes",
    );
    expect(lines[1]).toBe(
      "approver,tools,policy,user,alice,1,any,any,tools/**,none; low; medium; high; critical,any,agents,MCP-*,",
    );
    expect(lines[2]).toContain(",app,release-bot,");
    expect(csv).toContain(',permission,"write or higher (write, maintain, admin)",');
    expect(lines.filter((l) => l !== "").length).toBe(rows.length + 1);
    expect(matrixCsv(rows, { bom: true }).startsWith("\uFEFF")).toBe(true);
  });

  test("CSV cells are formula-safe", () => {
    const evil: MatrixRow = { ...rows[0]!, principal: '=HYPERLINK("x")' };
    expect(matrixCsv([evil])).toContain(`"'=HYPERLINK(""x"")"`);
  });

  test("Markdown: a table with the same rows, pipes escaped", () => {
    const md = matrixMarkdown([...rows, { ...rows[0]!, rule: "a|b" }]);
    const lines = md.trimEnd().split("\n");
    expect(lines).toHaveLength(rows.length + 3);
    expect(lines[1]).toMatch(/^\| --- \|/);
    expect(md).toContain("| a\\|b |");
    expect(md).toContain("write or higher (write, maintain, admin)");
  });
});
