import { plural } from "./model.js";

/** Where the full report can be had when the one sent to GitHub had to be cut. */
const FULL_REPORT_HINT = "run `agent-change-control check --format markdown` locally for the full report";

/**
 * Cuts markdown at a line boundary so the result (plus the note) fits `limit` UTF-16 code units — never
 * inside a surrogate pair, closes an open `<details>` (and an open code fence), and appends a note saying
 * what was left out (`… 412 more lines not shown (38 findings, 12 validation messages); run …`).
 * Returns the input if it fits.
 *
 * `what` is given the lines left out, as `md.split("\n")` gives them (without the empty string after a
 * final newline), always a suffix of that list, and says in words what they held ("" for nothing to add).
 */
export function truncateMarkdown(md: string, limit: number, what?: (omitted: string[]) => string): string {
  if (md.length <= limit) return md;
  const lines = md.split("\n");
  if (md.endsWith("\n")) lines.pop();
  // The longest prefix of whole lines that could fit before any note.
  let kept = 0;
  for (let used = 0; kept < lines.length && used + lines[kept]!.length + 1 <= limit; kept++) {
    used += lines[kept]!.length + 1;
  }
  for (;;) {
    const out = render(lines, kept, what);
    if (out.length <= limit) return out;
    if (kept === 0) return clip(out, limit, "");
    // Drop as many more lines as the overflow needs (the note may grow as it counts more: loop again).
    let over = out.length - limit;
    while (kept > 0 && over > 0) over -= lines[--kept]!.length + 1;
  }
}

/** The first `kept` lines, closed where they were left open, then the note about the rest. */
function render(lines: readonly string[], kept: number, what?: (omitted: string[]) => string): string {
  const head = lines.slice(0, kept);
  while (head.length > 0 && head[head.length - 1]!.trim() === "") head.pop();
  const omitted = lines.slice(kept);
  const described = what ? what(omitted) : "";
  const note = `… ${plural(omitted.length, "more line")} not shown${described ? ` (${described})` : ""}; ${FULL_REPORT_HINT}`;
  const parts = head.length > 0 ? [head.join("\n")] : [];
  parts.push(...closers(head));
  parts.push(note);
  return `${parts.join("\n\n")}\n`;
}

/** What the kept lines leave open, innermost first: a code fence, then each unclosed `<details>`. */
function closers(lines: readonly string[]): string[] {
  let fence: string | undefined;
  let details = 0;
  for (const line of lines) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
        fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    details += (line.match(/<details\b/gi) ?? []).length;
    details = Math.max(0, details - (line.match(/<\/details\s*>/gi) ?? []).length);
  }
  return [...(fence ? [fence] : []), ...Array.from({ length: details }, () => "</details>")];
}

/**
 * At most `max` UTF-16 code units of `s`, cut at a code point boundary (never between the halves of a
 * surrogate pair); `mark` ends a string that was cut and counts towards `max`.
 */
export function clip(s: string, max: number, mark = "…"): string {
  if (s.length <= max) return s;
  if (max < mark.length) return "";
  let end = max - mark.length;
  const c = s.charCodeAt(end - 1);
  if (end > 0 && c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end) + mark;
}
