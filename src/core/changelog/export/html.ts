/**
 * report.html: one self-contained page (inline CSS, no script, nothing loaded from anywhere) an auditor can open
 * or print. Order: summary (period, counts, verification result), exceptions, then one section per change
 * (html-change.ts). Every value from a record is escaped, and control and bidirectional-override characters are
 * shown as \uXXXX so that a title cannot hide or reorder text.
 *
 * The page is written in three parts so that an export can stream it: `reportStart` (everything up to the
 * changes, from the tally of the first reading of the log), one `changeDetailHtml` per detailed change, and
 * `reportEnd`. The exception list and the change details are capped (tally.ts); a sentence says so, and where
 * the rest are.
 */
import type { LogRecord } from "../types.js";
import { isChange, list, type PostReviewView, postReviewView } from "./fields.js";
import { changeDetailHtml } from "./html-change.js";
import { dash, dl, esc, table } from "./html-parts.js";
import { type ExportQuery, timeWindow } from "./select.js";
import { detailed, ExportTally, MAX_HTML_CHANGES, MAX_HTML_EXCEPTIONS } from "./tally.js";
import type { ExportVerification } from "./verification.js";

export { esc } from "./html-parts.js";
export { MAX_HTML_CHANGES, MAX_HTML_EXCEPTIONS } from "./tally.js";

/** What the page says about the export itself. */
export interface ReportMeta {
  query: ExportQuery;
  verification: ExportVerification;
  generatedAt: string;
  tool: { name: string; version: string };
}

export interface ReportInput extends ReportMeta {
  records: readonly LogRecord[];
  postReviews: ReadonlyMap<string, readonly LogRecord[]>;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #111; background: #fff; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 0 0 .5rem; }
h4 { font-size: .95rem; margin: 1rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .3rem 0 .8rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .9em; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.ok { color: #0a5d1a; font-weight: 600; }
.bad { color: #a00000; font-weight: 700; }
.none { font-style: italic; }
.change { border: 1px solid #999; padding: .8rem 1rem; margin: 1rem 0; }
.change.exception { border-left: 6px solid #a00000; }
.meta { color: #444; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .85em; overflow-wrap: anywhere; }
  #exceptions, #changes { break-before: page; page-break-before: always; }
  .change { break-before: page; page-break-before: always; border: none; padding: 0; }
  tr, dt, dd, pre { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
}
`;

function summary(input: ReportMeta, t: ExportTally): string {
  const { query, verification: v } = input;
  const window = timeWindow(query);
  const bound = (ms: number, open: string) => (Number.isFinite(ms) ? esc(new Date(ms).toISOString()) : open);
  const status = v.valid ? `<span class="ok">VALID</span>` : `<span class="bad">INVALID</span>`;
  return `<section id="summary">
<h2>Summary</h2>
${dl([
  ["Period", `${bound(window.from, "start of log")} to ${bound(window.to, "end of log")} (inclusive)`],
  [
    "Requested",
    `--since ${dash(query.since ?? "")} --until ${dash(query.until ?? "")} --repository ${dash(query.repository ?? "")}`,
  ],
  ["Log", `${dash(v.origin ?? "")}, ${v.logSize} records`],
  [
    "Verification",
    `${status}${v.checkpoint ? ` against checkpoint of size ${v.checkpoint.size}, root <code>${esc(v.checkpoint.root)}</code>${v.checkpoint.time ? ` (${esc(v.checkpoint.time)})` : ""}` : " (no checkpoint)"}`,
  ],
  ["Changes", `${t.changes} (${t.merged} merged pull requests, ${t.changes - t.merged} direct pushes)`],
  ["Changes with exceptions", `${t.changesWithExceptions}`],
  ["Emergency changes", `${t.emergency}`],
  ["Exceptions", `${t.exceptions}`],
  [
    "Records selected",
    [...t.byType]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([t, n]) => `${esc(t)}: ${n}`)
      .join(", ") || "none",
  ],
  ["Generated", `${esc(input.generatedAt)} by ${esc(input.tool.name)} ${esc(input.tool.version)}`],
])}
<h4>Verification report</h4>
<pre>${esc(v.text.replace(/\n$/, ""))}</pre>
</section>`;
}

function exceptionsSection(t: ExportTally): string {
  const rest = t.exceptions - t.exceptionRows.length;
  const note =
    rest > 0
      ? `<p class="meta"><strong>Only the first ${t.exceptionRows.length} of the ${t.exceptions} exceptions are listed here (at most ${MAX_HTML_EXCEPTIONS}); the other ${rest} are in exceptions.csv, which lists every exception.</strong></p>\n`
      : "";
  return `<section id="exceptions">
<h2>Exceptions (${t.exceptions})</h2>
${note}${table(["Seq", "Record", "Subject", "When", "Code", "Detail"], t.exceptionRows, "No exceptions among the selected records.")}
</section>`;
}

/** How many changes report.html details, of `t.changes`. */
export function detailedChanges(t: ExportTally): number {
  return Math.min(t.changes, MAX_HTML_CHANGES);
}

/** The page up to the first change detail: head, summary, exceptions and the changes heading. */
export function reportStart(input: ReportMeta, t: ExportTally): string {
  const window = timeWindow(input.query);
  const title = `Change log export ${Number.isFinite(window.from) ? new Date(window.from).toISOString().slice(0, 10) : "start"} to ${Number.isFinite(window.to) ? new Date(window.to).toISOString().slice(0, 10) : "end"}`;
  const shown = detailedChanges(t);
  const note =
    shown < t.changes
      ? `<p class="meta"><strong>Only ${shown} of the ${t.changes} changes are detailed here (at most ${MAX_HTML_CHANGES}: changes with exceptions first, then the others, in log order); the other ${t.changes - shown} are in population.csv, which lists every change, and their records in records.jsonl.</strong></p>\n`
      : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">CC8.1 change population and evidence from the agent-change-control log. Times are UTC.</p>
</header>
${summary(input, t)}
${exceptionsSection(t)}
<section id="changes">
<h2>Changes (${t.changes})</h2>
${note}${t.changes ? "" : `<p class="none">No changes in the period.</p>`}`;
}

/** The page after the last change detail. */
export function reportEnd(): string {
  return `
</section>
</body>
</html>
`;
}

/**
 * Chooses, in log order, the changes report.html details (see `detailed`) and joins their sections. Feed it
 * every selected record in log order, after the tally has seen them all.
 */
export class ChangeDetails {
  private withExceptions = 0;
  private without = 0;
  private written = 0;

  constructor(private readonly tally: ExportTally) {}

  /** The markup to append for this record: "" unless it is a detailed change. */
  next(record: LogRecord, follow: () => readonly PostReviewView[]): string {
    if (!isChange(record)) return "";
    const hasExceptions = list(record.exceptions).length > 0;
    const ordinal = hasExceptions ? this.withExceptions++ : this.without++;
    if (!detailed(hasExceptions, ordinal, this.tally.changesWithExceptions)) return "";
    return `${this.written++ === 0 ? "" : "\n"}${changeDetailHtml(record, follow())}`;
  }
}

/** The whole page for records already in memory (selected, in log order). */
export function reportHtml(input: ReportInput): string {
  const tally = new ExportTally();
  for (const r of input.records) tally.add(r);
  const details = new ChangeDetails(tally);
  let html = reportStart(input, tally);
  for (const r of input.records)
    html += details.next(r, () => (input.postReviews.get(r.record_id) ?? []).map(postReviewView));
  return html + reportEnd();
}
