import { countSummary, excerpt, hiddenChars } from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { HIDDEN_ATLAS, HIDDEN_OWASP, removedSignatures, scanAdded } from "./util.js";

/** LRE, RLE, PDF, LRO, RLO and the isolates LRI, RLI, FSI, PDI. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

function bidiChars(text: string) {
  return hiddenChars(text).filter((c) => c.kind === "bidi-control");
}

/** What the line hides: the bidi controls and the text between and around them (an edit elsewhere keeps it). */
function signature(text: string): string | undefined {
  if (!BIDI.test(text)) return undefined;
  const chars = bidiChars(text);
  if (chars.length === 0) return undefined;
  const from = Math.max(0, chars[0]!.index - 16);
  const to = Math.min(text.length, chars[chars.length - 1]!.end + 16);
  return text.slice(from, to);
}

export const hid001: RiskRule = {
  id: "HID-001",
  title: "Bidirectional control characters added",
  threat: "prompt-injection",
  severity: "critical",
  trigger:
    "A changed line adds Unicode bidirectional embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069) to an agent-config file.",
  fix: "Retype the line without the bidi control characters; if right-to-left text genuinely needs them, write it without explicit overrides or suppress this rule for the file with a reason.",
  owasp: HIDDEN_OWASP,
  atlas: HIDDEN_ATLAS,
  textRule: true,
  check(file) {
    const before = removedSignatures(file, signature);
    return scanAdded(
      file,
      (t) => BIDI.test(t),
      ({ line, text }): RawFinding[] => {
        const chars = bidiChars(text);
        const sig = signature(text);
        if (chars.length === 0 || sig === undefined || before.take(sig)) return [];
        const first = chars[0]!;
        const n = chars.length;
        return [
          {
            line,
            column: first.index + 1,
            message:
              `adds ${n} bidirectional control character${n === 1 ? "" : "s"} (${countSummary(chars.map((c) => c.cp))}): ` +
              "editors and GitHub display this line reordered while the agent reads it in stored order (Trojan Source). " +
              `As the agent reads it: "${excerpt(text, first.index, 160)}"`,
          },
        ];
      },
    );
  },
};
