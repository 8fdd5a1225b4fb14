import { createHash } from "node:crypto";
import type { ApprovalResult } from "../approvals/types.js";
import type { Evaluation } from "../evaluate.js";
import { ruleById } from "../risk/catalog.js";
import type { Finding, FindingSeverity, ValidationMessage } from "../types.js";
import { applicableRules } from "./approvals.js";
import { cell, code, markdownReport, omittedReportItems } from "./markdown.js";
import { outcome, plural, type ReportContext, visible } from "./model.js";
import { clip, truncateMarkdown } from "./truncate.js";

export const CHECK_NAME = "agent-change-control";
/** GitHub: summary and text, each. */
export const MAX_OUTPUT_CHARS = 65_535;
/**
 * Room the summary leaves below MAX_OUTPUT_CHARS for what an adapter appends (the app's hidden fingerprint
 * comment, about 85 characters), so appending it never cuts the report a second time.
 */
export const SUMMARY_HEADROOM = 128;
/** GitHub: per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Our cap: each batch past the first is one more write (~1 s each under throttling). */
export const MAX_ANNOTATIONS = 250;
/** GitHub: a check run's title and an annotation's title. */
export const MAX_TITLE_CHARS = 255;
/**
 * GitHub allows 64 KiB for an annotation's message and raw details. Counted in UTF-16 code units, each of
 * which is at most 3 bytes of UTF-8, so this many always fit.
 */
export const MAX_ANNOTATION_CHARS = Math.floor((64 * 1024) / 3);
/** The gate fails on findings at or above this severity (unless an emergency is declared). */
export const GATE_FAIL_ON: FindingSeverity = "high";

export type Conclusion = "success" | "failure" | "neutral";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  title?: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunResult {
  conclusion: Conclusion;
  /** One line, ≤ MAX_TITLE_CHARS: "2 validation errors · risk high" / "No agent-config changes". */
  title: string;
  /** ≤ MAX_OUTPUT_CHARS. */
  summary: string;
  /** ≤ MAX_OUTPUT_CHARS. */
  text?: string;
  /** Already capped at MAX_ANNOTATIONS, in a stable order (failures first). */
  annotations: Annotation[];
  /** How many were left out by the cap (the summary says so too). */
  omittedAnnotations: number;
}

/** The context of the gate's report; its `failOn` is ignored: the gate always fails at GATE_FAIL_ON. */
export interface GateContext extends ReportContext {}

type Tool = { name: string; version: string };

/**
 * The gate's verdict on an evaluation: failure when any validation error exists or a finding is at or above
 * GATE_FAIL_ON, and — with the approval state — when an applicable approval rule is pending or an eligible
 * approver requested changes. A declared emergency overrides approvals and risk findings (title "Emergency
 * change"), never validation errors: a broken config is not an emergency fix. neutral when no agent-config
 * file changed and no approval rule applies; success otherwise. The summary is the reviewer's markdown
 * report, whose Pass/Fail line says the same.
 */
export function gateResult(ev: Evaluation, ctx: ReportContext, approvals?: ApprovalResult): CheckRunResult {
  const report = markdownReport(ev, { ...ctx, failOn: GATE_FAIL_ON }, approvals);
  const { result, reasons } = outcome(ev, GATE_FAIL_ON, approvals);
  const rulesApply = approvals !== undefined && applicableRules(approvals).length > 0;
  const conclusion: Conclusion =
    result === "fail" ? "failure" : ev.files.length === 0 && !rulesApply ? "neutral" : "success";
  const active = ev.findings.filter((f) => !f.suppressed).length;
  const emergency = approvals?.emergency !== undefined && conclusion === "success";
  const title =
    conclusion === "neutral"
      ? "No agent-config changes"
      : [
          ...(emergency ? ["Emergency change"] : []),
          ...(conclusion === "failure" ? reasons : [plural(ev.files.length, "agent-config file")]),
          `risk ${ev.risk}`,
          ...(conclusion === "success" && active > 0 ? [plural(active, "finding")] : []),
          ...(ev.warnings > 0 ? [plural(ev.warnings, "warning")] : []),
        ].join(" · ");
  // Only files that exist at the head can carry an annotation; the rest stay in the summary.
  const annotatable = new Set(ev.files.filter((f) => f.status !== "removed").map((f) => f.path));
  const all = [
    ...ev.validation.filter((m) => annotatable.has(m.path)).map(messageAnnotation),
    ...ev.findings.filter((f) => !f.suppressed && annotatable.has(f.path)).map(findingAnnotation),
  ];
  return withAnnotations(conclusion, title, report, all);
}

/** An invalid policy (repo or org baseline): failure, summary lists file:line:column problems, annotations on them. */
export function policyErrorResult(
  messages: readonly ValidationMessage[],
  ctx: { tool: Tool; policyLabel: string },
): CheckRunResult {
  const errors = messages.filter((m) => m.severity === "error").length;
  const warnings = messages.length - errors;
  const out = [
    "## agent-change-control",
    "",
    `❌ **Fail**: the policy ${cell(ctx.policyLabel)} is invalid, so nothing was checked.`,
    "",
    "The policy is never read from the change under review: fix it where it was read from, then choose **Re-run** on the Checks tab (or push a commit).",
    "",
  ];
  if (messages.length > 0) {
    out.push(`### Validation: ${plural(errors, "error")}, ${plural(warnings, "warning")}`, "");
    out.push("| | Location | Message |", "| --- | --- | --- |");
    for (const m of messages) {
      out.push(
        `| ${m.severity === "error" ? "❌ error" : "⚠️ warning"} | ${code(`${m.path}:${m.line}:${m.column}`)} | ${cell(m.message)} |`,
      );
    }
    out.push("");
  }
  out.push(footer(ctx.tool));
  const title = `Invalid policy ${visible(ctx.policyLabel)}: ${plural(errors, "error")}`;
  return withAnnotations("failure", title, `${out.join("\n")}\n`, messages.map(messageAnnotation));
}

/**
 * Fail closed: evaluation could not complete. failure, says what went wrong (one short sentence, no stack,
 * no file contents), and how to re-run ("Re-run" on the Checks tab, or push a commit).
 */
export function failClosedResult(problem: { what: string; detail?: string }, tool: Tool): CheckRunResult {
  const detail = problem.detail === undefined ? "" : sentence(problem.detail);
  const summary = [
    "## agent-change-control",
    "",
    "❌ **Fail**: this change could not be evaluated, so the gate fails closed.",
    "",
    `**What went wrong:** ${sentence(problem.what)}${detail ? ` (${detail})` : ""}`,
    "",
    "To try again, choose **Re-run** on the Checks tab, or push a commit.",
    "",
    footer(tool),
    "",
  ].join("\n");
  return withAnnotations("failure", "Not checked: the evaluation could not complete", summary, []);
}

/**
 * Stable short hash of what would be sent (conclusion, title, summary, text, annotations): lets the app
 * skip re-publishing an identical result on a redelivered webhook. 40 hex digits.
 */
export function resultFingerprint(r: CheckRunResult): string {
  const annotations = r.annotations.map((a) => [
    a.path,
    a.start_line,
    a.end_line,
    a.start_column ?? null,
    a.end_column ?? null,
    a.annotation_level,
    a.title ?? null,
    a.message,
    a.raw_details ?? null,
  ]);
  const canonical = JSON.stringify([r.conclusion, r.title, r.summary, r.text ?? null, annotations]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 40);
}

const LEVEL_ORDER: readonly Annotation["annotation_level"][] = ["failure", "warning", "notice"];

/** Caps and orders the annotations, and fits the summary (saying what the cap left out). */
function withAnnotations(
  conclusion: Conclusion,
  title: string,
  report: string,
  all: readonly Annotation[],
): CheckRunResult {
  // A stable sort: within a level, validation messages (by position) before findings (most severe first).
  const sorted = [...all].sort(
    (a, b) => LEVEL_ORDER.indexOf(a.annotation_level) - LEVEL_ORDER.indexOf(b.annotation_level),
  );
  const annotations = sorted.slice(0, MAX_ANNOTATIONS);
  const omitted = sorted.length - annotations.length;
  let capNote = "";
  const room = MAX_OUTPUT_CHARS - SUMMARY_HEADROOM;
  if (omitted > 0) {
    capNote = `\n${plural(omitted, "more problem")} not annotated: at most ${MAX_ANNOTATIONS} annotations are shown, the most severe first`;
    const listed = `${capNote}; the report above lists every one.\n`;
    capNote = report.length + listed.length <= room ? listed : `${capNote}.\n`;
  }
  const summary = truncateMarkdown(report, room - capNote.length, omittedReportItems(report)) + capNote;
  return {
    conclusion,
    title: oneLine(title, MAX_TITLE_CHARS),
    summary,
    annotations,
    omittedAnnotations: omitted,
  };
}

function messageAnnotation(m: ValidationMessage): Annotation {
  const level = m.severity === "error" ? "failure" : "warning";
  return {
    ...position(m.path, m.line, m.column),
    annotation_level: level,
    title: oneLine(`Validation ${m.severity} (${m.code})`, MAX_TITLE_CHARS),
    message: clip(multiLine(m.message), MAX_ANNOTATION_CHARS) || "(no message)",
  };
}

const FINDING_LEVEL: Record<FindingSeverity, Annotation["annotation_level"]> = {
  critical: "failure",
  high: "failure",
  medium: "warning",
  low: "notice",
  info: "notice",
};

function findingAnnotation(f: Finding): Annotation {
  const meta = ruleById(f.rule);
  const ruleTitle = f.title ?? meta?.title;
  const details = [
    ...(f.threat ? [`Threat: ${f.threat}`] : []),
    ...(meta?.fix ? [`How to fix: ${meta.fix}`] : []),
  ].join("\n");
  return {
    ...position(f.path, f.line, f.column),
    annotation_level: FINDING_LEVEL[f.severity],
    title: oneLine(`${f.rule}${ruleTitle ? ` ${ruleTitle}` : ""}`, MAX_TITLE_CHARS),
    message: clip(multiLine(f.message), MAX_ANNOTATION_CHARS) || "(no message)",
    ...(details ? { raw_details: clip(multiLine(details), MAX_ANNOTATION_CHARS) } : {}),
  };
}

/** One line: lines below 1 become 1; a column only on a one-line annotation (GitHub's rule), at least 1. */
function position(path: string, line: number, column?: number) {
  const l = Number.isFinite(line) && line >= 1 ? Math.floor(line) : 1;
  const c = column !== undefined && Number.isFinite(column) ? Math.max(1, Math.floor(column)) : undefined;
  return { path, start_line: l, end_line: l, ...(c !== undefined ? { start_column: c, end_column: c } : {}) };
}

/** Text from the change, flattened to one visible line of at most `max` characters. */
function oneLine(s: string, max: number): string {
  return clip(visible(s.replace(/\s*\r?\n\s*/g, " ")), max);
}

/** Plain text from the change with its line breaks kept and every other control character escaped. */
function multiLine(s: string): string {
  return s.split(/\r?\n/).map(visible).join("\n");
}

/** The first line of an error description, escaped for markdown and kept short: no stack, no contents. */
function sentence(s: string): string {
  const first = s.split(/\r?\n/, 1)[0]!.trim();
  return cell(clip(first, 300));
}

function footer(tool: Tool): string {
  return `<sub>${cell(tool.name)} ${cell(tool.version)}</sub>`;
}
