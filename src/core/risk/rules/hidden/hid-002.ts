import { decodeTags, excerpt, groupRuns, hiddenChars, type InvisibleRun, label } from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { HIDDEN_ATLAS, HIDDEN_OWASP, removedSignatures, scanAdded } from "./util.js";

/** Tag characters are astral: their UTF-16 form starts with the high surrogate U+DB40. */
const prefilter = (t: string) => t.includes("\uDB40");

/**
 * Tag runs of a line: hidden runs that contain tag characters (other invisible characters between tags
 * do not split the hidden message). Tags of well-formed subdivision flags are not hidden characters.
 */
function tagRuns(text: string): InvisibleRun[] {
  return groupRuns(hiddenChars(text)).filter((r) => r.chars.some((c) => c.kind === "tag"));
}

function decoded(run: InvisibleRun): string {
  return decodeTags(run.chars.filter((c) => c.kind === "tag").map((c) => c.cp));
}

/** The hidden messages of a line: what an edit elsewhere on the line leaves unchanged. */
function signature(text: string): string | undefined {
  if (!prefilter(text)) return undefined;
  const runs = tagRuns(text);
  return runs.length === 0 ? undefined : runs.map((r) => r.chars.map((c) => label(c.cp)).join("")).join("|");
}

const MAX_SHOWN = 300;

export const hid002: RiskRule = {
  id: "HID-002",
  title: "Invisible Unicode tag characters added (ASCII smuggling)",
  threat: "prompt-injection",
  severity: "critical",
  trigger:
    "A changed line adds Unicode tag characters (U+E0000–U+E007F), which models read as ASCII text while editors and GitHub show nothing, outside a well-formed emoji subdivision flag.",
  fix: "Delete the tag characters (the decoded hidden text is in the finding) and find out how they got into the change; they have no legitimate use in agent configuration.",
  owasp: HIDDEN_OWASP,
  atlas: HIDDEN_ATLAS,
  textRule: true,
  check(file) {
    const before = removedSignatures(file, signature);
    return scanAdded(file, prefilter, ({ line, text }): RawFinding[] => {
      const runs = tagRuns(text);
      const sig = signature(text);
      if (runs.length === 0 || sig === undefined || before.take(sig)) return [];
      const count = runs.reduce((n, r) => n + r.chars.filter((c) => c.kind === "tag").length, 0);
      let hidden = runs
        .map(decoded)
        .filter((s) => s !== "")
        .join(" … ");
      if (hidden.length > MAX_SHOWN) hidden = `${hidden.slice(0, MAX_SHOWN)}…`;
      const first = runs[0]!;
      return [
        {
          line,
          column: first.start + 1,
          message:
            `adds ${count} invisible Unicode tag character${count === 1 ? "" : "s"} that models read as ASCII: ` +
            `hidden text: ${hidden === "" ? "(no printable ASCII)" : JSON.stringify(hidden)}. ` +
            `Editors and GitHub show only: "${visibleText(text, runs)}"`,
        },
      ];
    });
  },
};

/** The line as a reviewer sees it (hidden tag characters removed, other hidden characters revealed), cut short. */
function visibleText(text: string, runs: readonly InvisibleRun[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const r of runs) {
    for (const c of r.chars) {
      if (c.kind !== "tag") continue;
      parts.push(text.slice(at, c.index));
      at = c.end;
    }
  }
  parts.push(text.slice(at));
  return excerpt(parts.join(""), 0, 120);
}
