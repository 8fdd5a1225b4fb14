import type { Evaluation } from "../evaluate.js";
import { outcome, plural, type ReportContext, shortSha, visible } from "./model.js";

/**
 * Escapes text for a GitHub-flavoured markdown table cell: shown as written, without markup, HTML or a cell
 * break. Messages and paths come from the change under review, so nothing in them may render as markdown.
 */
export function cell(s: string): string {
  return visible(s.replace(/\r?\n/g, " "))
    .replace(/&/g, "&amp;")
    .replace(/[\\`*_[\]~]/g, "\\$&")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;");
}

/**
 * Inline code in a table cell that survives any backticks in the content: the fence is one backtick longer
 * than the longest run inside. Code spans show backslashes and entities literally, so only the cell
 * delimiter is escaped (GFM removes that backslash before the span is read).
 */
export function code(s: string): string {
  const text = visible(s.replace(/\r?\n/g, " ")).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The reviewer's view, as shown in a PR comment and the check run summary. */
export function markdownReport(ev: Evaluation, ctx: ReportContext): string {
  const { result, reasons } = outcome(ev, ctx.failOn);
  const out: string[] = [];
  out.push("## agent-change-control");
  out.push("");
  out.push(
    `${result === "pass" ? "✅ **Pass**" : "❌ **Fail**"}${reasons.length ? `: ${reasons.join("; ")}` : ""} · risk **${ev.risk}** · ${plural(ev.files.length, "agent-config file")} · ${plural(ev.errors, "error")} · ${plural(ev.warnings, "warning")}`,
  );
  out.push("");
  out.push(
    `<sub>${cell(ctx.base.ref)} \`${shortSha(ctx.base.sha)}\` → ${cell(ctx.head.ref)} \`${shortSha(ctx.head.sha)}\` · policy: ${ctx.policy.path ? `${code(ctx.policy.path)} at ${cell(ctx.policy.ref)}` : "built-in defaults"}</sub>`,
  );
  out.push("");
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
  if (ev.findings.length > 0) {
    out.push(`### Findings: ${ev.findings.length}`);
    out.push("");
    out.push("| Severity | Rule | Location | Message |");
    out.push("| --- | --- | --- | --- |");
    for (const f of ev.findings) {
      out.push(`| ${f.severity} | ${f.rule} | ${code(`${f.path}:${f.line}`)} | ${cell(f.message)} |`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
