import type { ApprovalResult } from "../approvals/types.js";
import type { Evaluation } from "../evaluate.js";
import { ruleById } from "../risk/catalog.js";
import type { DiffKind } from "../risk/semantic-diff.js";
import { FINDING_SEVERITIES, type FindingSeverity } from "../types.js";
import { type ApprovalsMode, approvalsMarkdown, emergencyBannerMarkdown } from "./approvals.js";
import { cell, code } from "./escape.js";
import { approvalReasons, plural, type ReportContext, shortSha, verdict } from "./model.js";

export { cell, code };

const SEVERITY_ICON: Record<FindingSeverity, string> = {
  critical: "🛑",
  high: "🔴",
  medium: "🟠",
  low: "🟡",
  info: "ℹ️",
};

const DIFF_KIND: Record<DiffKind, string> = {
  "mcp-server": "MCP server",
  tool: "tool",
  permission: "permission rule",
  hook: "hook",
  setting: "setting",
  model: "model setting",
  text: "instructions",
};

function baselineText(ctx: ReportContext): string {
  if (ctx.policy.baseline) return ` + org baseline ${code(ctx.policy.baseline)}`;
  if (ctx.policy.baselineNote) return ` · org baseline: none (${cell(ctx.policy.baselineNote)})`;
  return "";
}

/** The reviewer's view, as shown in a PR comment and the check run summary. */
export function markdownReport(
  ev: Evaluation,
  ctx: ReportContext,
  approvals?: ApprovalResult,
  mode: ApprovalsMode = "enforced",
): string {
  // A preview (`check`: what the change will need) is shown but never decides the verdict.
  const enforced = mode === "enforced" ? approvals : undefined;
  const v = verdict(ev, ctx.failOn, enforced);
  const result = v.result;
  const reasons = [
    ...v.validation,
    ...(v.emergency ? [] : [...v.risk, ...approvalReasons(v, enforced, code, cell)]),
  ];
  const out: string[] = [];
  out.push("## agent-change-control");
  out.push("");
  if (enforced) out.push(...emergencyBannerMarkdown(enforced));
  out.push(
    `${result === "pass" ? "✅ **Pass**" : "❌ **Fail**"}${reasons.length ? `: ${reasons.join("; ")}` : ""} · risk **${ev.risk}** · ${plural(ev.files.length, "agent-config file")} · ${plural(ev.errors, "error")} · ${plural(ev.warnings, "warning")}`,
  );
  out.push("");
  out.push(
    `<sub>${cell(ctx.base.ref)} \`${shortSha(ctx.base.sha)}\` → ${cell(ctx.head.ref)} \`${shortSha(ctx.head.sha)}\` · policy: ${ctx.policy.path ? `${code(ctx.policy.path)} at ${cell(ctx.policy.ref)}` : "built-in defaults"}${baselineText(ctx)}</sub>`,
  );
  out.push("");
  if (approvals) out.push(...approvalsMarkdown(approvals, mode));
  if (ev.files.length === 0) {
    out.push("No agent-config files changed.");
    return `${out.join("\n")}\n`;
  }
  out.push("### Changed agent configs");
  out.push("");
  out.push("| File | Status | Format | Category |");
  out.push("| --- | --- | --- | --- |");
  for (const f of ev.files) {
    const name = f.previousPath ? `${code(f.previousPath)} → ${code(f.path)}` : code(f.path);
    out.push(`| ${name} | ${f.status} | ${code(f.format)} | ${f.category} |`);
  }
  out.push("");
  if (ev.validation.length > 0) {
    out.push(`### Validation: ${plural(ev.errors, "error")}, ${plural(ev.warnings, "warning")}`);
    out.push("");
    out.push("| | Location | Message |");
    out.push("| --- | --- | --- |");
    for (const m of ev.validation) {
      out.push(
        `| ${m.severity === "error" ? "❌ error" : "⚠️ warning"} | ${code(`${m.path}:${m.line}:${m.column}`)} | ${cell(m.message)} |`,
      );
    }
    out.push("");
  } else {
    out.push("### Validation: all files valid");
    out.push("");
  }
  if (ev.diff.length > 0) {
    out.push("### What the change does");
    out.push("");
    out.push("| | What | Where | Detail |");
    out.push("| --- | --- | --- | --- |");
    for (const d of ev.diff) {
      const sign = d.change === "added" ? "➕ added" : d.change === "removed" ? "➖ removed" : "✏️ changed";
      out.push(
        `| ${sign} | ${DIFF_KIND[d.kind]} ${code(d.name)} | ${code(`${d.path}:${d.line}`)} | ${d.detail ? cell(d.detail) : ""} |`,
      );
    }
    out.push("");
  }
  const active = ev.findings.filter((f) => !f.suppressed);
  const suppressed = ev.findings.filter((f) => f.suppressed);
  if (active.length > 0) {
    out.push(`### Risk findings: ${active.length}`);
    out.push("");
    for (const severity of [...FINDING_SEVERITIES].reverse()) {
      const group = active.filter((f) => f.severity === severity);
      if (group.length === 0) continue;
      out.push(`**${SEVERITY_ICON[severity]} ${severity}** (${group.length})`);
      out.push("");
      out.push("| Rule | Location | Finding | How to fix |");
      out.push("| --- | --- | --- | --- |");
      for (const f of group) {
        const meta = ruleById(f.rule);
        out.push(
          `| ${code(f.rule)} ${cell(f.title ?? meta?.title ?? "")} | ${code(`${f.path}:${f.line}`)} | ${cell(f.message)} | ${cell(meta?.fix ?? "")} |`,
        );
      }
      out.push("");
    }
  } else if (ev.files.length > 0) {
    out.push("### Risk findings: none");
    out.push("");
  }
  if (suppressed.length > 0) {
    out.push(
      `<details><summary>${plural(suppressed.length, "suppressed finding")} (accepted in the policy)</summary>`,
    );
    out.push("");
    out.push("| Rule | Location | Finding | Reason | Expires |");
    out.push("| --- | --- | --- | --- | --- |");
    for (const f of suppressed) {
      out.push(
        `| ${code(f.rule)} | ${code(`${f.path}:${f.line}`)} | ${cell(f.message)} | ${cell(f.suppressed!.reason)} | ${f.suppressed!.expires} |`,
      );
    }
    out.push("");
    out.push("</details>");
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

/** The report's sections whose table rows are counted when a cut-off report says what it left out. */
const SECTION_ITEMS: readonly (readonly [heading: string, noun: string])[] = [
  ["### Approvals", "approval rule"],
  ["### Changed agent configs", "changed file"],
  ["### Validation", "validation message"],
  ["### What the change does", "change"],
  ["### Risk findings", "finding"],
  ["<details><summary>", "suppressed finding"],
];
/** The order those counts are listed in: what a reviewer most needs to know is missing first. */
const ITEM_ORDER = [
  "approval rule",
  "finding",
  "validation message",
  "change",
  "suppressed finding",
  "changed file",
];

/**
 * For `truncateMarkdown`: what the lines cut from the end of a `markdownReport` held, in words ("38
 * findings, 12 validation messages"). The omitted lines are a suffix of the report's lines; each table row
 * in them counts for the section it is in.
 */
export function omittedReportItems(report: string): (omitted: string[]) => string {
  const lines = report.split("\n");
  if (report.endsWith("\n")) lines.pop();
  const isSeparator = (l: string | undefined) => l !== undefined && /^\|(?: *:?-{3,}:? *\|)+$/.test(l);
  return (omitted) => {
    const counts = new Map<string, number>();
    let section: string | undefined;
    const start = lines.length - omitted.length;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const heading = SECTION_ITEMS.find(([h]) => line.startsWith(h));
      if (heading) section = heading[1];
      else if (line.startsWith("## ")) section = undefined;
      if (i < start || !section || !line.startsWith("|")) continue;
      if (isSeparator(line) || isSeparator(lines[i + 1])) continue;
      counts.set(section, (counts.get(section) ?? 0) + 1);
    }
    return ITEM_ORDER.filter((noun) => counts.has(noun))
      .map((noun) => plural(counts.get(noun)!, noun))
      .join(", ");
  };
}
