import type { ApprovalResult } from "../approvals/types.js";
import type { Evaluation } from "../evaluate.js";
import { FINDING_SEVERITIES, type FindingSeverity } from "../types.js";

/** What a report says about where the change came from; adapters fill it in. */
export interface ReportContext {
  tool: { name: string; version: string };
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  /** Where the policy was read from; `path` undefined means built-in defaults (no policy file). */
  policy: {
    path?: string;
    ref: string;
    /** The org baseline merged in (e.g. `acme/.github`), or why none was (the app reads one; the CLI does not). */
    baseline?: string;
    baselineNote?: string;
  };
  /** Findings at or above this severity fail the check. */
  failOn: FindingSeverity;
}

export type Outcome = "pass" | "fail";

/** Why a report passes or fails, in parts, so each output can word them (markdown puts logins in code spans). */
export interface Verdict {
  result: Outcome;
  /** Validation errors: fail even in an emergency (a broken config is not an emergency fix). */
  validation: string[];
  /** Findings at or above the threshold (only without approvals: with them, risk picks the approval tier). */
  risk: string[];
  /** Applicable rules still waiting for approvals (overridden by an emergency). */
  pending: { name: string; counted: number; required: number }[];
  /** Eligible approvers whose latest review requests changes (overridden by an emergency). */
  blockedBy: string[];
  /** An emergency was declared: approvals do not fail the verdict. */
  emergency: boolean;
}

/**
 * The verdict in parts. Without approvals (the CLI's `check`): validation errors and findings at or above
 * `failOn`. With them (the gate, `simulate`): validation errors, applicable rules still pending and changes
 * requested by an eligible approver — risk findings no longer fail on their own, they decide which approvals
 * are required (a `high` change needs a maintainer, `critical` two people); a declared emergency overrides
 * approvals, never validation errors.
 */
export function verdict(ev: Evaluation, failOn: FindingSeverity, approvals?: ApprovalResult): Verdict {
  const validation = ev.errors > 0 ? [plural(ev.errors, "validation error")] : [];
  const threshold = FINDING_SEVERITIES.indexOf(failOn);
  const blocking = ev.findings.filter(
    (f) => !f.suppressed && FINDING_SEVERITIES.indexOf(f.severity) >= threshold,
  ).length;
  // With approvals the findings are judged through the approval tiers they trigger, not by themselves.
  const risk =
    blocking > 0 && approvals === undefined ? [`${plural(blocking, "finding")} at or above ${failOn}`] : [];
  const emergency = approvals?.emergency !== undefined;
  const pending =
    approvals?.rules
      .filter((r) => r.status === "pending")
      .map((r) => ({ name: r.name, counted: r.counted.length, required: r.required })) ?? [];
  const blockedBy = [...new Set(approvals?.blockedBy.map((b) => b.login) ?? [])];
  const approvalsFail = approvals !== undefined && !approvals.approved;
  const failing =
    validation.length > 0 || (!emergency && (risk.length > 0 || approvalsFail || blockedBy.length > 0));
  return { result: failing ? "fail" : "pass", validation, risk, pending, blockedBy, emergency };
}

/**
 * The verdict, and the reasons for it in words. With approvals the result also carries `overridden`: the
 * reasons an emergency set aside (empty without one).
 */
export function outcome(
  ev: Evaluation,
  failOn: FindingSeverity,
  approvals?: ApprovalResult,
): { result: Outcome; reasons: string[]; overridden?: string[] } {
  const v = verdict(ev, failOn, approvals);
  const set = [...v.risk, ...approvalReasons(v, approvals, visible, visible)];
  if (approvals === undefined) return { result: v.result, reasons: [...v.validation, ...v.risk] };
  return v.emergency
    ? { result: v.result, reasons: v.validation, overridden: set }
    : { result: v.result, reasons: [...v.validation, ...set], overridden: [] };
}

/**
 * The approval part of the reasons: "approvals pending: security review (0 of 1)", "changes requested by
 * alice". `login` and `name` word a login and a rule name for the output (markdown: code span, escaped).
 */
export function approvalReasons(
  v: Verdict,
  approvals: ApprovalResult | undefined,
  login: (s: string) => string,
  name: (s: string) => string,
): string[] {
  if (approvals === undefined) return [];
  const out: string[] = [];
  if (v.pending.length > 0) {
    out.push(
      `approvals pending: ${v.pending.map((p) => `${name(p.name)} (${p.counted} of ${p.required})`).join(", ")}`,
    );
  }
  if (v.blockedBy.length > 0) out.push(`changes requested by ${v.blockedBy.map(login).join(", ")}`);
  // Not approved for a reason the engine did not spell out as a pending rule or a block: say so, never pass.
  if (!approvals.approved && out.length === 0) out.push("approvals pending");
  return out;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/**
 * Control and bidirectional-override characters shown as `\uXXXX`. Paths and messages come from the change
 * under review: a file named with an escape sequence must not drive the reader's terminal (or fake a
 * verdict's colour), and one named with a right-to-left override must not read as a different path.
 */
export function visible(s: string): string {
  return s.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
