import { FINDING_SEVERITIES } from "../../../types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { defaultSeverity } from "./known-rules.js";
import { at, canonical, isObject, list, plain, show } from "./util.js";

/**
 * Words that say nothing about why a risk is acceptable. A reason made only of these ("false positive",
 * "temp", "known issue", "not an issue for now", "n/a", "ok") is vague; one word outside the list (a file,
 * a system, a ticket, an argument) makes it a reason.
 */
const FILLER = new Set(
  (
    "a an the this that it its is are be was will to for of in on as by per and or not no none nothing " +
    "temp temporary temporarily tmp fp fps false positive positives n na ok okay fine good safe wip todo tbd " +
    "fixme later soon now test tests testing ignore ignored ignoring suppress suppressed suppression " +
    "known issue issues accept accepted acceptable risk risks approved approve discussed discussion " +
    "needed required need needs noise noisy whatever misc fix fixed will expected intentional intended " +
    "legit legitimate valid works working bug bugs finding findings rule rules check checks just only " +
    "please do dont don t can cant can't we i our us you"
  ).split(" "),
);

/** Path globs that match every file: a suppression with one is not scoped to anything. */
const EVERYTHING = new Set(["**", "**/*", "*/**", "**/**"]);

/** Whether a reason says nothing (only filler words, or the suppressed rule's id). */
export function vagueReason(reason: string, rule?: string): boolean {
  const words = reason
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w !== "");
  if (words.length === 0) return true;
  const ruleWords = rule ? new Set(rule.toLowerCase().split("-")) : new Set<string>();
  return words.every((w) => FILLER.has(w) || ruleWords.has(w));
}

/** A real calendar date `YYYY-MM-DD` (the schema's pattern accepts `2026-02-31`). */
function validDate(s: unknown): boolean {
  if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const pol002: RiskRule = {
  id: "POL-002",
  title: "Suppression without a real reason, expiry or ticket",
  threat: "self-modification",
  severity: "medium",
  trigger:
    'A suppression is added or changed in the policy file whose reason is missing or vague (only words like "temp", "false positive", "n/a", "ok", "known issue"), whose expiry is missing or not a real date, that suppresses a critical rule without a ticket, or whose path matches every file.',
  fix: "Give the suppression a reason that says why the risk is acceptable, a real expiry date, a ticket for critical rules, and a path glob that names only the affected files.",
  owasp: ["LLM06"],
  atlas: ["AML.T0081"],
  check(file) {
    if (file.format.id !== "agent-change-control-policy" || !file.after) return [];
    const a = file.after.doc.data;
    const b = file.before?.doc.data;
    const known = new Set(list(at(b, "risk", "suppressions")).map((s) => canonical(s)));
    const rules = at(a, "risk", "rules");
    const out: RawFinding[] = [];
    list(at(a, "risk", "suppressions")).forEach((s, i) => {
      if (known.has(canonical(s)) || !isObject(s)) return;
      const rule = typeof s.rule === "string" ? s.rule : undefined;
      const problems: string[] = [];
      if (typeof s.reason !== "string" || s.reason.trim() === "") problems.push("has no reason");
      else if (vagueReason(s.reason, rule))
        problems.push(
          `gives the vague reason ${show(s.reason)}, which does not say why the risk is acceptable`,
        );
      if (s.expires === undefined) problems.push("has no expiry date");
      else if (!validDate(s.expires))
        problems.push(`has an expiry ${show(s.expires)} that is not a real date`);
      if (rule !== undefined && (typeof s.ticket !== "string" || s.ticket.trim() === "")) {
        const setting = isObject(rules) ? rules[rule] : undefined;
        const configured =
          typeof setting === "string" ? setting : isObject(setting) ? setting.severity : undefined;
        const severity =
          typeof configured === "string" && (FINDING_SEVERITIES as readonly string[]).includes(configured)
            ? configured
            : defaultSeverity(rule);
        if (severity === "critical")
          problems.push(`suppresses the critical rule ${plain(rule)} without a ticket`);
      }
      const paths = typeof s.path === "string" ? [s.path] : list(s.path);
      const everything = paths.find((p) => typeof p === "string" && EVERYTHING.has(p.trim()));
      if (everything !== undefined) problems.push(`applies to every file (path ${show(everything)})`);
      if (problems.length === 0) return;
      out.push({
        line: file.locate(["risk", "suppressions", i]).line,
        message: `suppression of ${rule === undefined ? "an unnamed rule" : plain(rule)} ${problems.join("; ")}. Accepted risks need a reason, an expiry and a scope that reviewers and auditors can check.`,
      });
    });
    return out;
  },
};
