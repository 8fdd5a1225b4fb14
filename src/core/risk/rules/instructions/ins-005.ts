import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import {
  addedSegments,
  eachMatch,
  isNegated,
  originalSlice,
  positionAt,
  quote,
  quotedExample,
  type Segment,
  sentenceAt,
  showUrl,
} from "./text.js";

/**
 * What executes its standard input: shells always; interpreters only without a script of their own
 * (`| python3 -m json.tool` reads data, `| python3` or `| python3 -` runs the download).
 */
const SHELLS = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:(?:(?:ba|z|da|k|c|tc|fi|a)?sh|pwsh|powershell|iex|invoke-expression|source)\b|(?:python[\d.]*|node|deno|bun|perl|ruby|php)(?=\s*(?:-(?:\s|$)|$|[;&)\`'"|])))`;

/** Download-and-execute constructs. */
const PIPE_TO_SHELL: RegExp[] = [
  new RegExp(
    // An escaped `\|` (markdown tables, quoted shell) is a literal bar, not a pipe.
    String.raw`\b(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^|\n]{0,300}(?<!\\)\|\s*${SHELLS}`,
    "gi",
  ),
  /\b(?:(?:ba|z)?sh|source|\.)\s+<\(\s*(?:curl|wget)\b/gi,
  /\b(?:(?:ba|z)?sh\s+-c|eval)\s+["']?\$\(\s*(?:curl|wget)\b/gi,
  /\biex\s*\(?\s*(?:\(?\s*new-object\s+(?:system\.)?net\.webclient\s*\)?\s*\.downloadstring|\(?\s*(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b)/gi,
  /\b(?:invoke-expression)\s*\(?\s*\(?\s*(?:iwr|irm|invoke-webrequest|invoke-restmethod|new-object\s+(?:system\.)?net\.webclient)/gi,
];

/** "load/fetch/follow the rules/instructions from <url>". */
const REMOTE_RULES =
  /(?<![\w/-])(?:load|fetch|follow|download|pull|import|obey|apply|retrieve|execute|run)(?:s|ed|ing)?\b(?![/-])[^.]{0,60}?\b(?:rules|instructions|directives|system\s+prompt|prompts?|commands|orders|playbook|script)\b[^.]{0,30}?\b(?:from|at|in|on|via)\s+[<(`"']*https?:\/\//gi;
const DOC_POINTER =
  /\b(?:documented|described|explained|listed|outlined|detailed|see|cf\.?|reference|docs?|documentation)\b[^.]{0,20}$/i;
/** "fetch <url> and follow its instructions". */
const FETCH_THEN_FOLLOW =
  /\b(?:fetch|load|download|read|get|retrieve|open|visit|curl|wget)(?:s|ed|ing)?\s+(?:the\s+(?:page|file|document|url)\s+(?:at\s+)?)?[<(`"']*https?:\/\/\S{1,500}?[\s)>`"'][^.]{0,60}?\b(?:follow|obey|apply|execute|run|do\s+what)(?:s|ed|ing)?\b[^.]{0,30}?\b(?:instructions|rules|directives|steps|commands|it\s+says|they\s+say|says)\b/gi;
/** Remote imports in instruction files. */
const REMOTE_IMPORT =
  /(?:^|\s)@(?:import\s+(?:url\(\s*)?["']?)?https?:\/\/\S+|^\s*(?:extends|includes?|imports?)\s*:\s*["']?https?:\/\/\S+/gim;
/** Paste and raw-content hosts: their content changes without review. */
const PASTE_URL =
  /\bhttps?:\/\/(?:raw\.githubusercontent\.com|gist\.githubusercontent\.com|gist\.github\.com|pastebin\.com|paste\.ee|hastebin\.\w+|ghostbin\.\w+|rentry\.(?:co|org)|termbin\.com|transfer\.sh|0x0\.st|dpaste\.\w+|controlc\.com|justpaste\.it|paste\.rs|bpa\.st)\/\S*/gi;
const FOLLOW_VERB =
  /\b(?:follow|obey|execute|run|apply|load|fetch|import|source|eval|install|download|curl|wget|use\s+(?:it|them|these|this)\s+as|treat\s+(?:it|them|this)\s+as)\b/i;

export const ins005: RiskRule = {
  id: "INS-005",
  title: "Remote instruction or code fetch added",
  threat: "supply-chain",
  severity: "high",
  trigger:
    'Added text makes the agent run or obey content fetched at run time — `curl|wget … | sh`, `bash <(curl …)`, `iwr … | iex`, "load/fetch/follow the rules/instructions from <url>", "fetch <url> and follow its instructions", `@import`/`@https://…` of a URL in an instruction file, or a raw.githubusercontent/gist/pastebin URL with a follow/run/load verb; negated guardrails ("never pipe curl to sh") do not fire.',
  fix: "Vendor the script or instructions into the repository (pinned, reviewed) instead of fetching them at run time: remote content can change after this review and turn the agent against the repository.",
  owasp: ["LLM03", "LLM01"],
  atlas: ["AML.T0051", "AML.T0104", "AML.T0109"],
  textRule: true,
  check(file: FileContext): RawFinding[] {
    const segs = addedSegments(file);
    if (segs.length === 0) return [];
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    const push = (seg: Segment, start: number, end: number, what: string, why: string) => {
      if (isNegated(seg.text, start)) return;
      if (quotedExample(seg.text, start, end)) return;
      const pos = positionAt(seg, start);
      if (seen.has(pos.line)) return;
      seen.add(pos.line);
      out.push({
        line: pos.line,
        column: pos.column,
        message: `${what} added: ${quote(redact(originalSlice(seg, start, end)), 120)}. ${why}`,
      });
    };
    const exec =
      "The agent would download and execute code whose content is decided at run time, outside this review (a remote code execution path for whoever controls that URL).";
    const remote =
      "Instructions fetched at run time can change after this review; whoever controls that URL controls the agent.";
    for (const re of PIPE_TO_SHELL) {
      eachMatch(
        segs,
        re,
        (seg, m) => push(seg, m.index, m.index + m[0].length, "Download-and-execute command", exec),
        ["curl", "wget", "iwr", "irm", "invoke-", "iex", "new-object"],
      );
    }
    eachMatch(
      segs,
      REMOTE_RULES,
      (seg, m) => {
        // "the commands documented at <url>" points a reader at documentation; it does not load it.
        if (DOC_POINTER.test(m[0])) return;
        push(seg, m.index, urlEnd(seg.text, m.index + m[0].length), "Remote instruction fetch", remote);
      },
      ["http"],
    );
    eachMatch(
      segs,
      FETCH_THEN_FOLLOW,
      (seg, m) => push(seg, m.index, m.index + m[0].length, "Remote instruction fetch", remote),
      ["http"],
    );
    eachMatch(
      segs,
      REMOTE_IMPORT,
      (seg, m) => {
        const start = m.index + (m[0].length - m[0].trimStart().length);
        push(seg, start, m.index + m[0].length, "Remote import", remote);
      },
      ["http"],
    );
    eachMatch(
      segs,
      PASTE_URL,
      (seg, m) => {
        const s = sentenceAt(seg.text, m.index);
        const sentence = seg.text.slice(s.start, s.end);
        const v = FOLLOW_VERB.exec(sentence);
        if (!v) return;
        const verbAt = s.start + v.index;
        push(
          seg,
          Math.min(verbAt, m.index),
          Math.max(m.index + m[0].length, verbAt + v[0].length),
          "Paste/raw-content URL used as instructions or code",
          remote,
        );
      },
      ["raw.", "gist", "paste", "bin", "rentry", "transfer.sh", "0x0", "bpa.st", "controlc"],
    );
    return out;
  },
};

/** The end of the URL that starts at or after `from`. */
function urlEnd(text: string, from: number): number {
  const m = /^[^\s<>"'`)\]]*/.exec(text.slice(from, from + 2000));
  return from + (m?.[0].length ?? 0);
}

/** Query values and credentials in URLs of the quoted text are not shown. */
function redact(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s<>"'`)\]]+/gi, (u) => showUrl(u));
}
