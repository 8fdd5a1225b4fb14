/**
 * report.html's per-record markup: the detail section of one change (who requested it, who approved which commit
 * when, who merged it how, checks, files, findings, verdicts) and the exception-table rows of one record.
 */
import type { LogRecord } from "../types.js";
import {
  type ChangeView,
  changeView,
  exceptionsOf,
  isChange,
  type PostReviewView,
  postReviewView,
  recordRepository,
  recordTime,
  text,
  VERDICTS,
} from "./fields.js";
import { dash, dl, esc, link, short, table, verdict } from "./html-parts.js";

/**
 * The exceptions table's rows for one record (cells as markup), one per exception. `linked`: the change has a
 * detail section in the report, so the row links to it.
 */
export function exceptionRowsHtml(r: LogRecord, linked: boolean): string[][] {
  const exceptions = exceptionsOf(r);
  if (exceptions.length === 0) return [];
  const c = isChange(r) ? changeView(r) : undefined;
  const subject = c
    ? `${dash(c.repository)}${c.prNumber ? ` ${link(c.prUrl, `#${c.prNumber}`)}` : ""}${linked ? ` <a href="#change-${esc(c.seq)}">detail</a>` : ""}`
    : r.type === "change.post_review"
      ? `review of <code>${esc(postReviewView(r).refersTo)}</code>`
      : dash(recordRepository(r) ?? "");
  return exceptions.map((e) => [
    esc(text(r.seq)),
    esc(r.type),
    subject,
    dash(recordTime(r) ?? ""),
    `<strong>${esc(e.code)}</strong>`,
    dash(e.detail),
  ]);
}

/** The detail section of one change, with its follow-up reviews; no blank lines inside. */
export function changeDetailHtml(record: LogRecord, follow: readonly PostReviewView[]): string {
  return changeSection(changeView(record), follow).replace(/\n{2,}/g, "\n");
}

function changeSection(c: ChangeView, follow: readonly PostReviewView[]): string {
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
