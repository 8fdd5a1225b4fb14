import { describe, expect, test } from "@jest/globals";
import { JSON_REPORT_VERSION, jsonReport } from "../../../src/core/report/json.js";
import { outcome } from "../../../src/core/report/model.js";
import { CTX, DEFAULTS_CTX, evaluation, SAMPLE } from "./fixtures.js";

describe("json report: the documented contract (docs/cli.md)", () => {
  test("every field, exactly", () => {
    const report = jsonReport(SAMPLE, CTX);
    expect(report).toStrictEqual({
      reportVersion: 1,
      tool: { name: "agent-change-control", version: "0.1.0" },
      base: { ref: "merge-base", sha: "9fcbcb5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
      head: { ref: "HEAD", sha: "2d88df9bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
      policy: { path: ".github/agent-change-control.yml", ref: "merge-base" },
      result: "fail",
      reasons: ["1 validation error"],
      risk: "none",
      failOn: "high",
      summary: { files: 2, errors: 1, warnings: 1, findings: 0, suppressed: 0 },
      files: [
        {
          path: ".mcp.json",
          status: "modified",
          format: "mcp-project",
          category: "mcp",
          matchedBy: "path",
          schema: "builtin:mcp-project",
        },
        {
          path: "prompts/a.txt",
          previousPath: "prompts/old.txt",
          status: "renamed",
          format: "text",
          category: "prompt",
          matchedBy: "policy",
          schema: null,
        },
      ],
      validation: [
        {
          path: ".mcp.json",
          line: 14,
          column: 15,
          severity: "error",
          code: "schema",
          message: 'mcpServers.filesystem.args must be an array, not the string "-y …"',
        },
        {
          path: ".mcp.json",
          line: 20,
          column: 5,
          severity: "warning",
          code: "unknown-key",
          message: 'unknown key "comand"; did you mean "command"?',
        },
      ],
      findings: [],
      diff: [],
    });
    expect(JSON_REPORT_VERSION).toBe(1);
  });

  test("top-level keys in the documented order; survives JSON.stringify unchanged", () => {
    const report = jsonReport(SAMPLE, CTX);
    expect(Object.keys(report)).toEqual([
      "reportVersion",
      "tool",
      "base",
      "head",
      "policy",
      "result",
      "reasons",
      "risk",
      "failOn",
      "summary",
      "files",
      "validation",
      "findings",
      "diff",
    ]);
    expect(JSON.parse(JSON.stringify(report))).toStrictEqual(report);
  });

  test("no policy file: policy.path is null; a clean change passes with no reasons", () => {
    const report = jsonReport(evaluation(), DEFAULTS_CTX);
    expect(report.policy).toStrictEqual({ path: null, ref: "merge-base" });
    expect([report.result, report.reasons]).toStrictEqual(["pass", []]);
    expect(report.summary).toStrictEqual({ files: 0, errors: 0, warnings: 0, findings: 0, suppressed: 0 });
  });

  test("findings: rule, severity, path, line, column, message, title, threat, suppressed", () => {
    const ev = evaluation({
      risk: "high",
      findings: [
        {
          rule: "MCP-001",
          severity: "high",
          path: ".mcp.json",
          line: 3,
          column: 7,
          message: "npx -y unpinned",
        },
      ],
    });
    const report = jsonReport(ev, CTX);
    expect(report.findings).toStrictEqual([
      {
        rule: "MCP-001",
        severity: "high",
        path: ".mcp.json",
        line: 3,
        column: 7,
        message: "npx -y unpinned",
        title: null,
        threat: null,
        suppressed: null,
      },
    ]);
    expect([report.result, report.reasons, report.risk]).toStrictEqual([
      "fail",
      ["1 finding at or above high"],
      "high",
    ]);
  });
});

describe("fail reasons", () => {
  const finding = (severity: "info" | "low" | "medium" | "high" | "critical") => ({
    rule: "X-001",
    severity,
    path: "a",
    line: 1,
    message: "m",
  });
  const error = { path: "a", line: 1, column: 1, severity: "error" as const, code: "schema", message: "m" };
  const warning = { ...error, severity: "warning" as const };

  test.each([
    ["nothing", {}, "high", "pass", []],
    ["warnings only", { validation: [warning, warning] }, "high", "pass", []],
    ["one error", { validation: [error, warning] }, "high", "fail", ["1 validation error"]],
    ["two errors", { validation: [error, error] }, "critical", "fail", ["2 validation errors"]],
    ["a finding below the threshold", { findings: [finding("medium")] }, "high", "pass", []],
    [
      "findings at and above",
      { findings: [finding("high"), finding("critical"), finding("low")] },
      "high",
      "fail",
      ["2 findings at or above high"],
    ],
    [
      "info counts at fail-on info",
      { findings: [finding("info")] },
      "info",
      "fail",
      ["1 finding at or above info"],
    ],
    [
      "errors and findings",
      { validation: [error], findings: [finding("critical")] },
      "critical",
      "fail",
      ["1 validation error", "1 finding at or above critical"],
    ],
  ] as const)("%s", (_what, parts, failOn, result, reasons) => {
    expect(outcome(evaluation(parts as Parameters<typeof evaluation>[0]), failOn)).toStrictEqual({
      result,
      reasons: [...reasons],
    });
  });
});

describe("suppressed findings", () => {
  test("are reported with their reason, and count towards neither the summary, the result nor --fail-on", () => {
    const suppressed = { reason: "pinned by our internal mirror", expires: "2027-01-01", ticket: "SEC-1" };
    const ev = evaluation({
      risk: "medium",
      findings: [
        { rule: "MCP-002", severity: "high", path: ".mcp.json", line: 3, message: "unpinned", suppressed },
      ],
    });
    const report = jsonReport(ev, CTX);
    expect(report.findings[0]!.suppressed).toStrictEqual(suppressed);
    expect(report.summary).toMatchObject({ findings: 0, suppressed: 1 });
    expect([report.result, report.reasons]).toStrictEqual(["pass", []]);
  });
});
