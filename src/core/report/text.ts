import type { ApprovalResult } from "../approvals/types.js";
import type { Evaluation } from "../evaluate.js";
import { type ApprovalsMode, approvalsText, hasApprovalNews } from "./approvals.js";
import { outcome, plural, type ReportContext, shortSha, visible } from "./model.js";

const ANSI = { red: "31", yellow: "33", green: "32", dim: "2", bold: "1", cyan: "36" } as const;

/** The report for a terminal: aligned columns, colour only when asked (a TTY), no stack traces. */
export function textReport(
  ev: Evaluation,
  ctx: ReportContext,
  color: boolean,
  approvals?: ApprovalResult,
  mode: ApprovalsMode = "enforced",
): string {
  const c = (code: keyof typeof ANSI, s: string) => (color ? `\u001b[${ANSI[code]}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  lines.push(
    `${c("bold", "agent-change-control")} ${visible(ctx.base.ref)} (${visible(shortSha(ctx.base.sha))}) → ${visible(ctx.head.ref)} (${visible(shortSha(ctx.head.sha))})`,
  );
  lines.push(
    c(
      "dim",
      `policy: ${ctx.policy.path ? `${visible(ctx.policy.path)} at ${visible(ctx.policy.ref)}` : `built-in defaults (no policy file at ${visible(ctx.policy.ref)})`}`,
    ),
  );
  lines.push("");
  if (ev.files.length === 0) {
    lines.push("No agent-config files changed.");
  } else {
    lines.push(c("bold", `Agent-config files changed: ${ev.files.length}`));
    const rows = ev.files.map((f) => [
      f.status,
      visible(f.previousPath ? `${f.previousPath} → ${f.path}` : f.path),
      visible(f.format),
      f.category,
    ]);
    lines.push(
      ...table([["STATUS", "PATH", "FORMAT", "CATEGORY"], ...rows]).map(
        (l, i) => `  ${i === 0 ? c("dim", l) : l}`,
      ),
    );
  }
  lines.push("");
  if (ev.validation.length > 0) {
    lines.push(c("bold", `Validation: ${plural(ev.errors, "error")}, ${plural(ev.warnings, "warning")}`));
    const locs = ev.validation.map((m) => `${visible(m.path)}:${m.line}:${m.column}`);
    const width = Math.max(...locs.map((l) => l.length));
    ev.validation.forEach((m, i) => {
      const sev = m.severity === "error" ? c("red", "error  ") : c("yellow", "warning");
      lines.push(`  ${locs[i]!.padEnd(width)}  ${sev}  ${visible(m.message)}`);
    });
  } else if (ev.files.length > 0) {
    lines.push(`Validation: ${c("green", "all files valid")}`);
  }
  if (ev.diff.length > 0) {
    lines.push("");
    lines.push(c("bold", "What the change does:"));
    for (const d of ev.diff) {
      const sign =
        d.change === "added" ? c("green", "+") : d.change === "removed" ? c("red", "-") : c("yellow", "~");
      lines.push(
        `  ${sign} ${d.kind} ${visible(d.name)}  ${c("dim", `${visible(d.path)}:${d.line}`)}${d.detail ? `  ${visible(d.detail)}` : ""}`,
      );
    }
  }
  const active = ev.findings.filter((f) => !f.suppressed);
  const suppressed = ev.findings.length - active.length;
  if (active.length > 0) {
    lines.push("");
    lines.push(
      c(
        "bold",
        `Risk findings: ${active.length}${suppressed ? ` (+${suppressed} suppressed by the policy)` : ""}`,
      ),
    );
    const locs = active.map((f) => `${visible(f.path)}:${f.line}`);
    const width = Math.max(...locs.map((l) => l.length));
    active.forEach((f, i) => {
      const sev =
        f.severity === "critical" || f.severity === "high"
          ? c("red", f.severity.padEnd(8))
          : c("yellow", f.severity.padEnd(8));
      lines.push(`  ${locs[i]!.padEnd(width)}  ${sev}  ${f.rule}  ${visible(f.message)}`);
    });
  } else if (suppressed > 0) {
    lines.push("");
    lines.push(`Risk findings: none (${suppressed} suppressed by the policy)`);
  }
  if (approvals && hasApprovalNews(approvals)) {
    const section = approvalsText(approvals, mode);
    lines.push("");
    lines.push(c("bold", section.heading));
    lines.push(...section.lines.map((l) => `  ${l.startsWith("EMERGENCY") ? c("red", l) : l}`));
  }
  lines.push("");
  // A preview (`check`: what the change will need) is shown but never decides the result.
  const { result, reasons } = outcome(ev, ctx.failOn, mode === "enforced" ? approvals : undefined);
  if (mode === "enforced" && approvals?.emergency) {
    lines.push(
      c(
        "red",
        `Emergency change: approvals and risk findings do not block (follow-up review due ${visible(approvals.emergency.followUpDue)})`,
      ),
    );
  }
  lines.push(`Risk: ${ev.risk}`);
  lines.push(
    result === "pass"
      ? `Result: ${c("green", "PASS")}`
      : `Result: ${c("red", "FAIL")} (${reasons.join("; ")})`,
  );
  // Sections that print nothing would leave runs of blank lines: keep at most one.
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
