import { reveal } from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { isObject, resolve, sameTools, show, toolLine } from "./util.js";

/**
 * MCP tool annotations and the value that tells a client the tool is safe. The specification's defaults
 * for a missing hint are the unsafe ones (readOnlyHint false, destructiveHint true, openWorldHint true),
 * so removing a favourable hint is as much a loosening as flipping it.
 */
const SAFE: readonly { hint: string; safe: boolean; meaning: string }[] = [
  { hint: "readOnlyHint", safe: true, meaning: "the tool may now modify its environment" },
  { hint: "destructiveHint", safe: false, meaning: "the tool may now perform destructive updates" },
  { hint: "openWorldHint", safe: false, meaning: "the tool may now reach external systems" },
  // Bedrock function `RequireConfirmation: ENABLED`, as the extractor records it.
  { hint: "requireConfirmation", safe: true, meaning: "the agent no longer asks the user before calling it" },
];

export const tool003: RiskRule = {
  id: "TOOL-003",
  title: "Tool annotations made less safe",
  threat: "tool-misuse",
  severity: "medium",
  trigger:
    "An existing tool's annotations change from safe to unsafe: readOnlyHint true → false or removed, destructiveHint false → true or removed, openWorldHint false → true or removed.",
  fix: "Check that the tool really gained the capability (clients use these hints to decide whether to ask before calling it); if so, make sure the agent's permissions require confirmation for it.",
  owasp: ["LLM06"],
  atlas: ["AML.T0053", "AML.T0101"],
  check(file) {
    const out: RawFinding[] = [];
    for (const { before, after } of sameTools(file)) {
      const b = before.annotations ?? {};
      const a = after.annotations ?? {};
      for (const { hint, safe, meaning } of SAFE) {
        if (b[hint] !== safe || a[hint] === safe) continue;
        const removed = !(hint in a);
        // Point at the hint when it is still there, else at the annotations object, else at the tool.
        const data = file.after?.doc.data;
        const annPointer = [...after.pointer, "annotations"];
        const hintPointer =
          hint === "requireConfirmation" ? [...after.pointer, "RequireConfirmation"] : [...annPointer, hint];
        const line =
          resolve(data, hintPointer) !== undefined
            ? file.locate(hintPointer).line
            : isObject(resolve(data, annPointer))
              ? file.locate(annPointer).line
              : toolLine(file, after);
        out.push({
          line,
          message: `tool "${reveal(after.name)}": ${hint} ${removed ? `${safe} was removed (absent means ${!safe})` : `changed from ${safe} to ${show(a[hint])}`}: ${meaning}. Clients use these hints to decide whether to ask before calling the tool.`,
        });
      }
    }
    return out;
  },
};
