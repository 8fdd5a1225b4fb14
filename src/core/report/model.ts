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

/** The verdict, and the reasons for it in words. */
export function outcome(ev: Evaluation, failOn: FindingSeverity): { result: Outcome; reasons: string[] } {
  const reasons: string[] = [];
  if (ev.errors > 0) reasons.push(`${ev.errors} validation error${ev.errors === 1 ? "" : "s"}`);
  const threshold = FINDING_SEVERITIES.indexOf(failOn);
  const blocking = ev.findings.filter(
    (f) => !f.suppressed && FINDING_SEVERITIES.indexOf(f.severity) >= threshold,
  ).length;
  if (blocking > 0) reasons.push(`${blocking} finding${blocking === 1 ? "" : "s"} at or above ${failOn}`);
  return { result: reasons.length > 0 ? "fail" : "pass", reasons };
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
