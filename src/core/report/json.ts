import type { ApprovalResult } from "../approvals/types.js";
import type { Evaluation } from "../evaluate.js";
import { type ApprovalsMode, approvalsJson } from "./approvals.js";
import { outcome, type ReportContext } from "./model.js";

/** Version of the `--format json` contract (docs/cli.md). Additive changes keep it; breaking ones bump it. */
export const JSON_REPORT_VERSION = 1;

/**
 * The machine-readable report: a documented, stable contract (docs/cli.md). `approvals` is an additive field,
 * present only when the approval state (or, for `check`, a preview of it) is given.
 */
export function jsonReport(
  ev: Evaluation,
  ctx: ReportContext,
  approvals?: ApprovalResult,
  mode: ApprovalsMode = "enforced",
) {
  // A preview (`check`: what the change will need) is reported but never decides the result.
  const { result, reasons } = outcome(ev, ctx.failOn, mode === "enforced" ? approvals : undefined);
  return {
    reportVersion: JSON_REPORT_VERSION,
    tool: ctx.tool,
    base: ctx.base,
    head: ctx.head,
    policy: { path: ctx.policy.path ?? null, ref: ctx.policy.ref },
    result,
    reasons,
    risk: ev.risk,
    failOn: ctx.failOn,
    summary: {
      files: ev.files.length,
      errors: ev.errors,
      warnings: ev.warnings,
      findings: ev.findings.filter((f) => !f.suppressed).length,
      suppressed: ev.findings.filter((f) => f.suppressed).length,
    },
    files: ev.files.map((f) => ({
      path: f.path,
      ...(f.previousPath !== undefined ? { previousPath: f.previousPath } : {}),
      status: f.status,
      format: f.format,
      category: f.category,
      matchedBy: f.matchedBy,
      schema: f.schema ?? null,
    })),
    validation: ev.validation.map((m) => ({
      path: m.path,
      line: m.line,
      column: m.column,
      severity: m.severity,
      code: m.code,
      message: m.message,
    })),
    findings: ev.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      path: f.path,
      line: f.line,
      ...(f.column !== undefined ? { column: f.column } : {}),
      message: f.message,
      title: f.title ?? null,
      threat: f.threat ?? null,
      suppressed: f.suppressed ?? null,
    })),
    diff: ev.diff.map((d) => ({ ...d })),
    ...(approvals ? { approvals: approvalsJson(approvals, mode) } : {}),
  };
}
