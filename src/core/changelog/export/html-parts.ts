/** Markup helpers shared by report.html's parts: escaping, links, tables, definition lists. */
import { visible } from "../../report/model.js";

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
export function link(url: string, label: string = url): string {
  return /^https?:\/\/[^\s]+$/i.test(url) ? `<a href="${esc(url)}">${esc(label)}</a>` : esc(label);
}

export const dash = (s: string) => (s === "" ? "—" : esc(s));
export const short = (sha: string) =>
  sha.length > 12 ? `<code title="${esc(sha)}">${esc(sha.slice(0, 12))}</code>` : `<code>${dash(sha)}</code>`;

export function table(head: readonly string[], rows: readonly string[][], empty: string): string {
  if (rows.length === 0) return `<p class="none">${esc(empty)}</p>`;
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function dl(pairs: readonly [string, string][]): string {
  return `<dl>\n${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("\n")}\n</dl>`;
}

export const verdict = (v: string | undefined) =>
  v === "true" ? `<span class="ok">yes</span>` : v === "false" ? `<span class="bad">NO</span>` : "—";
