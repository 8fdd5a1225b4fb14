import type { ChangedLine, FileContext, RawFinding, RiskRule } from "../../types.js";
import { normalizeLine, quote, textRanges } from "./text.js";

const NEG = String.raw`(?:never|do\s+not|don'?t|must\s+not|mustn'?t|should\s+not|shouldn'?t|may\s+not|cannot|can'?t|not\s+allowed\s+to|(?:is|are)\s+(?:forbidden|prohibited|not\s+permitted)|avoid|refrain\s+from)`;
const DANGER = String.raw`(?:destructive|dangerous|irreversible|rm\s+-\w*[rf]|rm\b|delet\w*|remov\w*|drop\w*|truncat\w*|wip\w*|destroy\w*|overwrit\w*|force[- ]?push\w*|push\w*|--force|reset\s+--hard|deploy\w*|publish\w*|merg\w*|sudo|chmod|chown|secrets?|credentials?|passwords?|tokens?|api\s*keys?|private\s+keys?|\.env|ssh|production|prod|customer|personal|pii|sensitive|confidential|\.git\b|outside\s+(?:(?:of\s+)?the\s+)?(?:repo\w*|workspace|project|working\s+directory|sandbox|cwd|current\s+directory)|system\s+files|\/etc|network|internet|external|exfiltrat\w*|upload\w*|permissions?|sandbox\w*|approval|guardrails?|safety|security|auth(?:entication|orization)?|billing|payments?|money|funds|(?:main|master)\s+branch)(?![\w-])`;

/** Lines whose meaning is a safety rule for the agent. Each names the key phrase used for equivalence. */
const SAFETY: RegExp[] = [
  // ask/confirm before …
  /\b(?:ask|consult|(?:check|confirm)\s+with\s+(?:the\s+)?(?:user|human|operator|maintainers?|owners?)|prompt\s+(?:the\s+)?(?:user|human))\b[^.;\n]{0,60}?\b(?:before|prior\s+to|first)\b/i,
  /\bconfirm\w*\s+(?:before|prior\s+to)\b/i,
  // require/get/obtain approval, wait for confirmation
  /\b(?:requir\w*|need\w*|get|gets|obtain\w*|seek\w*|request\w*|wait\s+for|await|with|until|after)\s+(?:(?:explicit|express|written|prior|the|a|an|user|human|manual|maintainer|their|your)\s+){0,3}(?:approval|confirmation|consent|permission|sign-?off|review)\b/i,
  /\bhuman[- ]in[- ]the[- ]loop\b/i,
  // never run destructive …, do not access secrets …
  new RegExp(String.raw`\b${NEG}\b[^.;\n]{0,80}?\b${DANGER}`, "i"),
  // read-only
  /\bread[- ]only\b|\bonly\s+(?:read|view|inspect|analy[sz]e|suggest|report|comment)\b/i,
  // refuse …
  /\b(?:refuse|decline)s?\b/i,
  /\buntrusted\b|\bprompt[- ]injection\b/i,
];

const STOP = new Set(
  "a an the to of in on at for and or but with without by from into is are be been it its this that these those you your any all each every when if then than as not no never do don't dont must should may can cannot always only before after first user users agent please".split(
    " ",
  ),
);

function norm(text: string): string {
  return normalizeLine(text, false)
    .text.toLowerCase()
    .replace(/[`*_~>#|"'()[\]{}]/g, " ")
    .replace(/^\s*(?:[-+]|\d+[.)])\s+/, "")
    .replace(/[^\p{L}\p{N}./-]+/gu, " ")
    .trim();
}

function words(normed: string): Set<string> {
  const out = new Set<string>();
  for (const w of normed.split(" ")) if (w.length > 1 && !STOP.has(w)) out.add(w);
  return out;
}

/** Approval shortcuts read like guardrails ("do not ask for approval") but say the opposite: ignored. */
const PERMISSIVE =
  /\b(?:(?:do\s+not|don'?t|never|no\s+need\s+to)\s+(?:ask|wait|request)(?:\s+for)?|without\s+(?:asking|waiting|requesting)(?:\s+for)?)(?:\s+(?:the\s+)?(?:user|human)(?:'s)?)?(?:\s+(?:explicit\s+)?(?:approval|permission|confirmation|consent))?|\bwithout\s+(?:explicit\s+|prior\s+|user\s+|human\s+)?(?:approval|permission|confirmation|consent)\b/gi;

const NEG_BEFORE = new RegExp(String.raw`\b${NEG}\b`, "i");

function safetyPhrase(raw: string): string | undefined {
  // Blank out approval shortcuts (same length, so offsets still point into `raw`); "do not deploy without
  // approval" keeps its "without approval", which the negation turns into a guardrail.
  const text = raw.replace(PERMISSIVE, (m: string, offset: number) =>
    /^without/i.test(m) && NEG_BEFORE.test(raw.slice(0, offset)) ? m : " ".repeat(m.length),
  );
  for (const re of SAFETY) {
    const m = re.exec(text);
    if (m) return raw.slice(m.index, m.index + m[0].length);
  }
  return undefined;
}

interface Prepared {
  /** Added lines with safety meaning: normalised text and content words. */
  lines: { normed: string; words: Set<string> }[];
  /** Content word → indexes into `lines`. */
  index: Map<string, number[]>;
  exact: Set<string>;
}

const cache = new WeakMap<readonly ChangedLine[], Prepared>();

function prepare(lines: readonly ChangedLine[]): Prepared {
  let p = cache.get(lines);
  if (p) return p;
  p = { lines: [], index: new Map(), exact: new Set() };
  for (const l of lines) {
    if (l.text.length > 4000) continue;
    if (!safetyPhrase(normalizeLine(l.text, false).text)) continue;
    const normed = norm(l.text);
    const w = words(normed);
    const i = p.lines.length;
    p.lines.push({ normed, words: w });
    p.exact.add(normed);
    for (const x of w) {
      const list = p.index.get(x);
      if (list) list.push(i);
      else p.index.set(x, [i]);
    }
  }
  cache.set(lines, p);
  return p;
}

/** Most candidate lines compared per removed line (pathological changes stay linear). */
const MAX_CANDIDATES = 5000;

/**
 * Whether an added line carries the same rule: the same text (moved), the removed text kept inside a longer
 * line, or a rewording that keeps the key phrase and half of the content words, or 60% of them. Candidates come
 * from the rarest content words: a line sharing half the words must hold one of the rarest ⌊n/2⌋+1.
 */
function equivalent(removed: string, key: string, added: readonly Prepared[]): boolean {
  const normed = norm(removed);
  const keyN = norm(key);
  const w = words(normed);
  for (const p of added) {
    if (p.exact.has(normed)) return true;
    if (w.size === 0) continue;
    const rare = [...w].sort((x, y) => (p.index.get(x)?.length ?? 0) - (p.index.get(y)?.length ?? 0));
    const k = Math.floor(w.size / 2) + 1;
    const seen = new Set<number>();
    let budget = MAX_CANDIDATES;
    for (const word of rare.slice(0, k)) {
      for (const i of p.index.get(word) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        if (--budget < 0) break;
        const a = p.lines[i]!;
        let shared = 0;
        for (const x of w) if (a.words.has(x)) shared++;
        const ratio = shared / w.size;
        if (
          ratio >= 0.6 ||
          (ratio >= 0.5 && keyN !== "" && a.normed.includes(keyN)) ||
          a.normed.includes(normed)
        )
          return true;
      }
      if (budget < 0) break;
    }
  }
  return false;
}

export const ins006: RiskRule = {
  id: "INS-006",
  title: "Guardrail removed from instructions",
  threat: "self-modification",
  severity: "high",
  trigger:
    "A line removed from a prompt/instruction file (or from a text field such as a system message or description) carried a safety rule — ask/confirm before…, require approval, never/do not + a destructive action or sensitive target, read-only, refuse…, untrusted input — and no line added anywhere in the change carries the same rule (the same text moved, the same key phrase, or a rewording sharing most of its words).",
  fix: "Keep the guardrail, or move it where the agent still reads it in the same change; if it is removed on purpose, have the agent's owners approve the change and record why.",
  owasp: ["LLM06", "LLM01"],
  atlas: ["AML.T0081"],
  check(file: FileContext): RawFinding[] {
    if (file.removed.length === 0) return [];
    let inText: (line: number) => boolean;
    if (file.category === "prompt") inText = () => true;
    else {
      const ranges = textRanges(file, "before");
      if (ranges.length === 0) return [];
      const lines = new Set<number>();
      for (const r of ranges) for (let l = r.start; l <= r.end; l++) lines.add(l);
      inText = (line) => lines.has(line);
    }
    const out: RawFinding[] = [];
    let added: Prepared[] | undefined;
    for (const r of file.removed) {
      if (r.text.length > 4000 || !inText(r.line)) continue;
      const key = safetyPhrase(normalizeLine(r.text, false).text);
      if (!key) continue;
      added ??= [prepare(file.changeAdded()), prepare(file.added)];
      if (equivalent(r.text, key, added)) continue;
      out.push({
        line: r.line,
        side: "before",
        message: `Guardrail removed: ${quote(r.text.trim(), 160)} (key phrase ${quote(key, 60)}) and no equivalent rule was added elsewhere in this change. The agent no longer reads this safety instruction.`,
      });
    }
    return out;
  },
};
