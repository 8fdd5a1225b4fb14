import type { ApprovalResult, RuleResult } from "../../../src/core/approvals/types.js";
import type { Evaluation } from "../../../src/core/evaluate.js";
import type { ReportContext } from "../../../src/core/report/model.js";
import type { Finding, ValidationMessage } from "../../../src/core/types.js";

export const CTX: ReportContext = {
  tool: { name: "agent-change-control", version: "0.1.0" },
  base: { ref: "merge-base", sha: "9fcbcb5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
  head: { ref: "HEAD", sha: "2d88df9bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
  policy: { path: ".github/agent-change-control.yml", ref: "merge-base" },
  failOn: "high",
};

export const DEFAULTS_CTX: ReportContext = { ...CTX, policy: { ref: "merge-base" } };

/** An evaluation as the engine returns it, with counts derived from the messages. */
export function evaluation(
  parts: Partial<Pick<Evaluation, "files" | "validation" | "findings" | "risk" | "diff">> = {},
): Evaluation {
  const validation: ValidationMessage[] = parts.validation ?? [];
  const findings: Finding[] = parts.findings ?? [];
  return {
    files: parts.files ?? [],
    validation,
    findings,
    diff: parts.diff ?? [],
    risk: parts.risk ?? "none",
    errors: validation.filter((m) => m.severity === "error").length,
    warnings: validation.filter((m) => m.severity === "warning").length,
  };
}

/** Two files (one renamed, one without a schema), an error and a warning. */
export const SAMPLE = evaluation({
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
      pointer: "/mcpServers/filesystem/args",
    },
    {
      path: ".mcp.json",
      line: 20,
      column: 5,
      severity: "warning",
      code: "unknown-key",
      message: 'unknown key "comand"; did you mean "command"?',
      pointer: "/mcpServers/x/comand",
    },
  ],
});

/** One approval rule's result, pending 0 of 1 from a team unless overridden. */
export function ruleResult(parts: Partial<RuleResult> & { name: string }): RuleResult {
  return {
    because: "categories: mcp",
    status: "pending",
    required: 1,
    counted: [],
    canApprove: { teams: ["acme/security"], users: [], codeowners: false, apps: [] },
    missingTeams: [],
    origin: "policy",
    ...parts,
  };
}

/** An approval state as the engine returns it; `approved` follows the rules and blocks unless given. */
export function approvalResult(parts: Partial<ApprovalResult> = {}): ApprovalResult {
  const rules = parts.rules ?? [];
  const blockedBy = parts.blockedBy ?? [];
  const approved =
    parts.emergency !== undefined || (rules.every((r) => r.status !== "pending") && blockedBy.length === 0);
  return {
    rules,
    ignored: [],
    blockedBy,
    refusedEmergencies: [],
    approved,
    requestReviews: { teams: [], users: [] },
    ...parts,
  };
}
