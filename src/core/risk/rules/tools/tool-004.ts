import { reveal } from "../../reveal.js";
import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import { canonical, resolve, sameTools, toolLine } from "./util.js";

/** Characters of unchanged text kept around the changed part of a description. */
const CONTEXT = 30;
/** Longest changed part shown (before revealing); longer ones are cut with `…`. */
const MAX_SHOWN = 240;

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The changed middle of two texts with a little context, as `"…old…"` and `"…new…"`, hidden characters
 * revealed and line breaks shown as `⏎`.
 */
export function changedSpan(before: string, after: string): { before: string; after: string } {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s))
    s++;
  // Never split a surrogate pair (tag characters and other astral code points are pairs).
  if (p > 0 && (isLow(before.charCodeAt(p)) || isLow(after.charCodeAt(p)))) p--;
  if (s > 0 && (isLow(before.charCodeAt(before.length - s)) || isLow(after.charCodeAt(after.length - s))))
    s--;
  let from = Math.max(0, p - CONTEXT);
  if (from > 0 && isLow(before.charCodeAt(from))) from--;
  const part = (t: string) => {
    let end = Math.min(t.length, t.length - s + CONTEXT);
    if (end < t.length && isLow(t.charCodeAt(end))) end++;
    let cut = false;
    if (end - from > MAX_SHOWN + 2 * CONTEXT) {
      end = from + MAX_SHOWN + 2 * CONTEXT;
      if (isLow(t.charCodeAt(end))) end++;
      cut = true;
    }
    const body = reveal(t.slice(from, end)).replace(/\r\n|\r|\n/g, "⏎");
    return `"${from > 0 ? "…" : ""}${body}${end < t.length || cut ? "…" : ""}"`;
  };
  return { before: part(before), after: part(after) };
}

/** Rule ids (HID-*, INS-*) the text rules report on a text, with one message each. */
function injectionHits(file: FileContext, text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text === "") return out;
  for (const f of file.scanText(text)) {
    if ((f.rule.startsWith("HID-") || f.rule.startsWith("INS-")) && !out.has(f.rule))
      out.set(f.rule, f.message);
  }
  return out;
}

export const tool004: RiskRule = {
  id: "TOOL-004",
  title: "Tool description changed under the same name and schema",
  threat: "prompt-injection",
  severity: "info",
  trigger:
    "An existing tool's description changes while its name and input schema stay the same (a rug pull made in review); high when the new description trips a hidden-content (HID) or instruction (INS) check that the old one did not.",
  fix: "Read the revealed before → after text: the model reads a tool's description as instructions. Keep descriptions to what the tool does; remove hidden characters and any instruction aimed at the model.",
  owasp: ["LLM01", "LLM03"],
  atlas: ["AML.T0109", "AML.T0104", "AML.T0051"],
  check(file) {
    const out: RawFinding[] = [];
    for (const { before, after } of sameTools(file)) {
      const was = before.description ?? "";
      const now = after.description ?? "";
      if (was === now || canonical(before.inputSchema) !== canonical(after.inputSchema)) continue;
      const span = changedSpan(was, now);
      let fresh: [string, string][];
      try {
        const oldHits = injectionHits(file, was);
        fresh = [...injectionHits(file, now)].filter(([rule]) => !oldHits.has(rule));
      } catch {
        // Fail closed: a text check that cannot read the new description cannot vouch for it.
        fresh = [["the text checks", "they could not evaluate the new description"]];
      }
      const data = file.after?.doc.data;
      const key = [["description"], ["function", "description"], ["Description"]].find(
        (k) => typeof resolve(data, [...after.pointer, ...k]) === "string",
      );
      const line = key ? file.locate([...after.pointer, ...key]).line : toolLine(file, after);
      const base = `tool "${reveal(after.name)}": description changed while its name and input schema stayed the same: ${span.before} → ${span.after}.`;
      out.push(
        fresh.length
          ? {
              line,
              severity: "high",
              message: `${base} The new text trips ${fresh.map(([rule, m]) => `${rule} (${m.length > 200 ? `${m.slice(0, 199)}…` : m})`).join("; ")}: the model reads this description as instructions.`,
            }
          : {
              line,
              message: `${base} The model reads tool descriptions as instructions; check the new text says only what the tool does.`,
            },
      );
    }
    return out;
  },
};
