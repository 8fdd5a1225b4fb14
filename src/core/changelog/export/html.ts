/**
 * report.html: one self-contained page (inline CSS, no script, nothing loaded from anywhere) an auditor can open
 * or print. Order: summary (period, counts, verification result), exceptions, then one section per change —
 * who requested it, who approved which commit when, who merged it how, checks, files, findings, verdicts.
 * Every value from a record is escaped, and control and bidirectional-override characters are shown as \uXXXX so
 * that a title cannot hide or reorder text.
 */
import { visible } from "../../report/model.js";
import type { LogRecord } from "../types.js";
import {
  type ChangeView,
  changeView,
  exceptionsOf,
  isChange,
  postReviewView,
  recordRepository,
  recordTime,
  text,
  VERDICTS,
} from "./fields.js";
import { type ExportQuery, timeWindow } from "./select.js";
import type { ExportVerification } from "./verification.js";

export interface ReportInput {
  records: readonly LogRecord[];
  postReviews: ReadonlyMap<string, readonly LogRecord[]>;
  query: ExportQuery;
  verification: ExportVerification;
  generatedAt: string;
  tool: { name: string; version: string };
}

/** HTML text and attribute escaping (both quotes included), after making invisible characters visible. */
export function esc(value: string): string {
  return visible(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A link only for http(s) URLs; anything else (javascript:, data:…) is shown as text. */
function link(url: string, label: string = url): string {
  return /^https?:\/\/[^\s]+$/i.test(url) ? `<a href="${esc(url)}">${esc(label)}</a>` : esc(label);
}

const dash = (s: string) => (s === "" ? "—" : esc(s));
const short = (sha: string) =>
  sha.length > 12 ? `<code title="${esc(sha)}">${esc(sha.slice(0, 12))}</code>` : `<code>${dash(sha)}</code>`;

function table(head: readonly string[], rows: readonly string[][], empty: string): string {
  if (rows.length === 0) return `<p class="none">${esc(empty)}</p>`;
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function dl(pairs: readonly [string, string][]): string {
  return `<dl>\n${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("\n")}\n</dl>`;
}

const verdict = (v: string | undefined) =>
  v === "true" ? `<span class="ok">yes</span>` : v === "false" ? `<span class="bad">NO</span>` : "—";

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

function summary(input: ReportInput, changes: readonly ChangeView[], exceptionCount: number): string {
  const { query, verification: v } = input;
  const window = timeWindow(query);
  const bound = (ms: number, open: string) => (Number.isFinite(ms) ? esc(new Date(ms).toISOString()) : open);
  const byType = new Map<string, number>();
  for (const r of input.records) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const merged = changes.filter((c) => c.type === "change.merged");
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
  [
    "Changes",
    `${changes.length} (${merged.length} merged pull requests, ${changes.length - merged.length} direct pushes)`,
  ],
  ["Changes with exceptions", `${changes.filter((c) => c.exceptions.length > 0).length}`],
  ["Emergency changes", `${merged.filter((c) => c.changeClass === "emergency").length}`],
  ["Exceptions", `${exceptionCount}`],
  [
    "Records selected",
    [...byType]
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

function exceptionsSection(records: readonly LogRecord[]): { html: string; count: number } {
  const rows: string[][] = [];
  for (const r of records) {
    for (const e of exceptionsOf(r)) {
      const c = isChange(r) ? changeView(r) : undefined;
      const subject = c
        ? `${dash(c.repository)}${c.prNumber ? ` ${link(c.prUrl, `#${c.prNumber}`)}` : ""} <a href="#change-${esc(c.seq)}">detail</a>`
        : r.type === "change.post_review"
          ? `review of <code>${esc(postReviewView(r).refersTo)}</code>`
          : dash(recordRepository(r) ?? "");
      rows.push([
        esc(text(r.seq)),
        esc(r.type),
        subject,
        dash(recordTime(r) ?? ""),
        `<strong>${esc(e.code)}</strong>`,
        dash(e.detail),
      ]);
    }
  }
  const html = `<section id="exceptions">
<h2>Exceptions (${rows.length})</h2>
${table(["Seq", "Record", "Subject", "When", "Code", "Detail"], rows, "No exceptions among the selected records.")}
</section>`;
  return { html, count: rows.length };
}

function changeSection(c: ChangeView, reviews: readonly LogRecord[]): string {
  const heading =
    c.type === "change.merged"
      ? `${dash(c.repository)} ${link(c.prUrl, `#${c.prNumber}`)}: ${dash(c.title)}`
      : `${dash(c.repository)}: ${esc(c.mergeMethod)} to <code>${esc(c.mergeSha)}</code>`;
  const requested = dl([
    ["Author", dash(c.author)],
    ["Initiated by", dash(c.initiatedBy.join(", "))],
    ["Last pusher", dash(c.lastPusher)],
    ["Tickets", dash(c.tickets.join(", "))],
    ["Class / risk", `${dash(c.changeClass)} / ${dash(c.risk)}`],
    ...(c.emergency
      ? ([
          [
            "Emergency",
            `declared by ${dash(c.emergency.declaredBy)} at ${dash(c.emergency.declaredAt)}: ${dash(c.emergency.reason)}; review due by ${dash(c.emergency.reviewDueBy)}`,
          ],
        ] as [string, string][])
      : []),
  ]);
  const approvals = table(
    ["Approver", "Submitted at", "Reviewed commit", "Counted for"],
    c.approvals.map((a) => [
      dash(a.login),
      dash(a.submittedAt),
      short(a.commit),
      dash(a.countedFor.join(", ")),
    ]),
    "No counted approval.",
  );
  const others = c.otherReviews.length
    ? `<h4>Other reviews</h4>\n${table(
        ["Reviewer", "State", "Submitted at", "Commit", "Not counted because"],
        c.otherReviews.map((r) => [
          dash(r.login),
          dash(r.state),
          dash(r.submittedAt),
          short(r.commit),
          dash(r.notCountedBecause),
        ]),
        "",
      )}`
    : "";
  const rules = c.rules.length
    ? `<h4>Approval rules</h4>\n${table(
        ["Rule", "Status", "Required", "Counted", "Because"],
        c.rules.map((r) => [
          dash(r.name),
          dash(r.status),
          dash(r.required),
          dash(r.counted.join(", ")),
          dash(r.because),
        ]),
        "",
      )}`
    : "";
  const merged = dl([
    [c.type === "change.merged" ? "Merged by" : "Pushed by", dash(c.mergedBy)],
    [c.type === "change.merged" ? "Merged at" : "Pushed at", dash(c.mergedAt)],
    ["Method", `${dash(c.mergeMethod)}${c.mergeVia ? ` via ${esc(c.mergeVia)}` : ""}`],
    ["Base / head / merge", `${short(c.baseSha)} / ${short(c.headSha)} / ${short(c.mergeSha)}`],
  ]);
  const verdicts =
    c.type === "change.merged"
      ? table(
          ["Test", "Result"],
          VERDICTS.map((k) => [esc(k), verdict(c.verdicts[k])]),
          "",
        )
      : "";
  const follow = reviews.map(postReviewView);
  return `<article class="change${c.exceptions.length ? " exception" : ""}" id="change-${esc(c.seq)}">
<h3>${heading}</h3>
<p class="meta">Record <code>${esc(c.recordId)}</code>, seq ${esc(c.seq)}, leaf ${esc(c.leafIndex)}, hash <code>${esc(c.recordHash)}</code>, captured by ${dash(c.captureMode)} at ${dash(c.recordedAt)}</p>
<h4>Requested</h4>
${requested}
<h4>Approved</h4>
${approvals}
${others}
${rules}
<h4>${c.type === "change.merged" ? "Merged" : "Pushed"}</h4>
${merged}
<h4>Required checks</h4>
${table(
  ["Check", "Conclusion"],
  c.checks.map((k) => [dash(k.name), dash(k.conclusion)]),
  "No required checks recorded.",
)}
<h4>Files</h4>
${table(
  ["Path", "Status", "Blob before", "Blob after"],
  c.files.map((f) => [
    `<code>${esc(f.path)}</code>${f.previousPath ? ` (from <code>${esc(f.previousPath)}</code>)` : ""}`,
    dash(f.status),
    short(f.before),
    short(f.after),
  ]),
  "No in-scope files recorded.",
)}
<h4>Findings</h4>
${table(
  ["Rule", "Path"],
  c.findings.map((f) => [dash(f.rule), `<code>${esc(f.path)}</code>`]),
  "No findings.",
)}
${verdicts ? `<h4>Verdicts</h4>\n${verdicts}` : ""}
<h4>Exceptions</h4>
${table(
  ["Code", "Detail"],
  c.exceptions.map((e) => [`<strong>${esc(e.code)}</strong>`, dash(e.detail)]),
  "None.",
)}
${
  follow.length
    ? `<h4>Follow-up reviews</h4>\n${table(
        ["Reviewer", "Reviewed at", "Due by", "Outcome"],
        follow.map((f) => [dash(f.reviewer), dash(f.reviewedAt), dash(f.dueBy), dash(f.outcome)]),
        "",
      )}`
    : ""
}
</article>`;
}

export function reportHtml(input: ReportInput): string {
  const changes = input.records.filter(isChange).map(changeView);
  const exceptions = exceptionsSection(input.records);
  const window = timeWindow(input.query);
  const title = `Change log export ${Number.isFinite(window.from) ? new Date(window.from).toISOString().slice(0, 10) : "start"} to ${Number.isFinite(window.to) ? new Date(window.to).toISOString().slice(0, 10) : "end"}`;
  const details = changes
    .map((c) => changeSection(c, input.postReviews.get(c.recordId) ?? []))
    .join("\n")
    .replace(/\n{2,}/g, "\n");
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
${summary(input, changes, exceptions.count)}
${exceptions.html}
<section id="changes">
<h2>Changes (${changes.length})</h2>
${changes.length ? details : `<p class="none">No changes in the period.</p>`}
</section>
</body>
</html>
`;
}
