import type { RawFinding, RiskRule } from "../../types.js";
import { findSecrets, looksRandomSecret, redact, secretAssignments, shannonEntropy } from "./detect.js";

/**
 * SEC-002: a secret-looking key (`api_key`, `token`, `password`, `Authorization: Bearer …`) given a long,
 * high-entropy literal value on an added line, and JWTs anywhere on added lines. Values of a known format
 * are SEC-001's; placeholders and values already in the base version are skipped.
 */
export const sec002: RiskRule = {
  id: "SEC-002",
  title: "Generic secret added",
  threat: "secret-exposure",
  severity: "medium",
  trigger:
    "An added line assigns a long, high-entropy literal (≥ 16 characters, ≥ 3.5 bits/character) to a secret-looking key such as `api_key`, `token`, `password` or `Authorization: Bearer`, or contains a JSON Web Token.",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the `${VAR}` syntax is shown to the author, not interpolated
  fix: "If the value is a real credential, remove it, rotate it, and reference it through an environment variable or secret store (`${VAR}`); if it is not, replace it with an obvious placeholder or suppress the finding with a reason.",
  owasp: ["LLM02", "LLM07"],
  atlas: ["AML.T0083", "AML.T0055"],
  textRule: true,
  check(file) {
    const out: RawFinding[] = [];
    const base = file.before?.text;
    for (const { line, text } of file.added) {
      const hits = findSecrets(text);
      const known = hits.filter((h) => h.confidence === "known-format");
      const reported: [number, number][] = [];
      for (const a of secretAssignments(text)) {
        const end = a.start + a.value.length;
        if (!looksRandomSecret(a.value)) continue;
        if (known.some((h) => h.start < end && h.end > a.start)) continue; // SEC-001 reports it
        if (base?.includes(a.value)) continue;
        reported.push([a.start, end]);
        const bare = a.value.replace(/^(?:bearer|basic|token|bot)\s+/i, "");
        const bits = shannonEntropy(bare).toFixed(1);
        out.push({
          line,
          column: a.start + 1,
          message: `Added a literal value for "${a.name}" that looks like a secret (${redact(bare)}, ${bits} bits/char): written into the file, it is readable by anyone with repository access and by agents that load it.`,
        });
      }
      for (const h of hits) {
        if (h.confidence !== "generic") continue;
        if (reported.some(([s, e]) => h.start < e && h.end > s)) continue;
        if (base?.includes(text.slice(h.start, h.end))) continue;
        out.push({
          line,
          column: h.start + 1,
          message: `Added a ${h.kind} ${h.fingerprint}: a bearer credential that grants whatever its claims allow until it expires.`,
        });
      }
    }
    return out;
  },
};
