import type { RiskRule } from "../../types.js";
import { plain } from "./util.js";

export const pol003: RiskRule = {
  id: "POL-003",
  title: "Changed agent config does not parse or validate",
  threat: "privilege-escalation",
  severity: "high",
  trigger:
    "The head version of a changed (added, edited or renamed) agent-config file has validation errors (syntax or schema): an agent tool may ignore it, fall back to defaults or read it differently than the checks did, so the gate fails closed.",
  fix: "Fix the validation errors listed for the file; the risk checks can only vouch for a file that parses and matches its schema.",
  owasp: ["LLM06"],
  atlas: ["AML.T0081"],
  check(file) {
    // An unchanged file (a self-diff) changes nothing; any real edit of a broken file fails closed.
    if (!file.after || file.before?.text === file.after.text) return [];
    const errors = file.validationErrors.filter((e) => e.severity === "error");
    if (errors.length === 0) return [];
    let first = errors[0]!;
    for (const e of errors)
      if (e.line < first.line || (e.line === first.line && e.column < first.column)) first = e;
    const n = errors.length;
    return [
      {
        line: first.line,
        column: first.column,
        message: `the changed file has ${n} validation error${n === 1 ? "" : "s"} (first: ${plain(first.message, 200)}): what an agent tool makes of it cannot be checked, so the change is treated as high risk until it validates.`,
      },
    ];
  },
};
