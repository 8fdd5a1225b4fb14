import type { RawFinding, RiskRule } from "../../types.js";
import { findSecrets } from "./detect.js";
import { addedBlocks, positionIn } from "./lines.js";

/**
 * SEC-001: a credential of a known provider format (structural anchors: prefix, marker, length) on an added
 * line. Credentials already present in the base version of the file are not re-reported.
 */
export const sec001: RiskRule = {
  id: "SEC-001",
  title: "Credential of a known format added",
  threat: "secret-exposure",
  severity: "critical",
  trigger:
    "An added line contains a credential in a known provider format (OpenAI, Anthropic, GitHub, AWS, Google, Slack, Stripe, Groq, xAI, OpenRouter, Hugging Face, private keys…).",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the `${VAR}` syntax is shown to the author, not interpolated
  fix: "Remove the credential and revoke it at the provider now (it stays in the Git history), then reference it through an environment variable or secret store (`${VAR}`) instead of writing it into the file.",
  owasp: ["LLM02", "LLM07"],
  atlas: ["AML.T0083", "AML.T0055"],
  textRule: true,
  check(file) {
    const out: RawFinding[] = [];
    const base = file.before?.text;
    for (const block of addedBlocks(file.added)) {
      for (const hit of findSecrets(block.text)) {
        if (hit.confidence !== "known-format") continue;
        if (base?.includes(block.text.slice(hit.start, hit.end))) continue; // already in the base version
        const { line, column } = positionIn(block, hit.start);
        out.push({
          line,
          column,
          message: `Added ${hit.kind} ${hit.fingerprint} in plain text: anyone who can read the repository, and any agent that loads this file into its context, can use it.`,
        });
      }
    }
    return out;
  },
};
