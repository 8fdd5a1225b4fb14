import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import {
  addedSegments,
  eachMatch,
  inCheckQuestion,
  isNegated,
  originalSlice,
  positionAt,
  quote,
  quotedExample,
  sentenceAt,
} from "./text.js";

const WHO = String.raw`(?:the\s+)?(?:users?|humans?|operators?|reviewers?|developers?|owners?|maintainers?|customers?|anyone|anybody)\b(?![-\w])`;

/** Directives that hide what the agent does: reported wherever they appear (unless negated or quoted). */
const STRONG: { re: RegExp; need: string[] }[] = [
  // "do not tell the user", "never inform the operator", "don't let the user know"
  {
    re: new RegExp(
      String.raw`\b(?:do\s+not|don'?t|never|must\s+not|mustn'?t|should\s+not|shouldn'?t)\s+(?:ever\s+)?(?:tell|inform)\s+${WHO}`,
      "gi",
    ),
    need: ["tell", "inform"],
  },
  {
    re: new RegExp(
      String.raw`\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+let\s+${WHO}\s*(?:know|find\s+out|learn|notice|see\s+(?:this|that|it|what))\b`,
      "gi",
    ),
    need: ["let"],
  },
  // "don't mention this to the user", "never reveal any of this to the user"
  {
    re: new RegExp(
      String.raw`\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:ever\s+)?(?:tell|mention|reveal|disclose|report|say|admit|acknowledge|explain|show)\s+(?:this|that|it|these|any\s+of\s+(?:this|these|it)|anything(?:\s+(?:about|of)\s+(?:this|these|it))?)\b[^.]{0,40}?\b(?:to|with)\s+${WHO}`,
      "gi",
    ),
    need: [
      "tell",
      "mention",
      "reveal",
      "disclose",
      "report",
      "say",
      "admit",
      "acknowledge",
      "explain",
      "show",
    ],
  },
  // "without telling the user"
  {
    re: new RegExp(
      String.raw`\bwithout\s+(?:first\s+|ever\s+)?(?:telling|informing|notifying|alerting|warning|showing)\s+${WHO}`,
      "gi",
    ),
    need: ["without"],
  },
  {
    re: /\bwithout\s+(?:the\s+)?(?:users?|humans?|operators?)(?:'s)?\s+(?:knowing|knowledge|noticing|awareness|seeing)\b/gi,
    need: ["without"],
  },
  {
    re: /\bthe\s+(?:user|human|operator|reviewer)\s+(?:must|should)\s+(?:not|never)\s+(?:know|find\s+out|learn|be\s+(?:told|informed|made\s+aware))\b/gi,
    need: ["must", "should"],
  },
  {
    re: /\b(?:secretly|covertly|surreptitiously|stealthily|clandestinely)\b/gi,
    need: ["secretly", "covertly", "surrepti", "stealth", "clandestin"],
  },
  // "hide this from the user" (UI prose hides widgets "from users": the singular supervisor is required)
  {
    re: /\bhide\s+(?:this|that|it|these|them|the\s+(?:fact|action|actions|change|changes|command|commands|request|call|calls|step|steps|instructions?|output|transfer|upload))\b[^.]{0,40}?\bfrom\s+(?:the\s+(?:user|human|operator|reviewer|developer|owner|maintainers?)\b(?![-\w])|anyone|anybody|(?:the\s+)?(?:logs?|audit(?:\s+logs?)?|transcript)\b)/gi,
    need: ["hide"],
  },
  {
    re: new RegExp(
      String.raw`\bkeep\s+(?:this|it|these|that)\s+(?:a\s+)?(?:secret|hidden|confidential)\s+from\s+${WHO}`,
      "gi",
    ),
    need: ["keep"],
  },
  // "do not log this", "never record your tool calls"
  {
    re: /\b(?:do\s+not|don'?t|never|must\s+not)\s+(?:log|record|audit|trace)\s+(?:this|these|that|it|them|any\s+of\s+(?:this|these|it)|the\s+(?:action|actions|request|requests|call|calls|command|commands|conversation|interaction|activity|operation|transfer|upload|access|tool\s+calls?)|your\s+(?:actions?|activity|tool\s+calls?|commands|requests))\b/gi,
    need: ["log", "record", "audit", "trace"],
  },
  {
    re: /\bcover\s+(?:your|its|the)\s+tracks\b|\bhistory\s+-c\b|\bunset\s+HISTFILE\b/gi,
    need: ["tracks", "history", "histfile"],
  },
];

/** Approval suppression and "silently": concealment only together with sensitive data, a sink or a tool call. */
const WEAK: { re: RegExp; need: string[] }[] = [
  {
    re: new RegExp(
      String.raw`\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:ever\s+)?(?:notify|alert|warn)\s+${WHO}`,
      "gi",
    ),
    need: ["notify", "alert", "warn"],
  },
  {
    re: /\b(?:silently|quietly|invisibly|discreetly|unnoticed)\b/gi,
    need: ["silently", "quietly", "invisibly", "discreetly", "unnoticed"],
  },
  {
    re: new RegExp(
      String.raw`\bwithout\s+(?:first\s+)?(?:asking|consulting|prompting|checking\s+with|confirming\s+with)(?:\s+(?:${WHO}|for\s+(?:permission|approval|confirmation)))?`,
      "gi",
    ),
    need: ["without"],
  },
  {
    re: /\bwithout\s+(?:any\s+|user\s+|explicit\s+|human\s+|prior\s+)?(?:permission|approval|confirmation|consent)\b/gi,
    need: ["without"],
  },
  {
    re: new RegExp(
      String.raw`\b(?:do\s+not|don'?t|never|no\s+need\s+to)\s+(?:ask|wait)\s+(?:for\s+)?(?:(?:the\s+)?users?(?:'s)?\s+)?(?:permission|approval|confirmation|consent|${WHO})`,
      "gi",
    ),
    need: ["ask", "wait"],
  },
];

/** Error-handling prose ("fail silently", "silently ignore") is not concealment. */
const ERROR_HANDLING =
  /\b(?:silently|quietly)\s+(?:fail\w*|ignor\w*|swallow\w*|drop\w*|discard\w*|skip\w*|return\w*|succeed\w*|continu\w*|fall\w*|retr\w*|truncat\w*|catch\w*|break\w*|exit\w*|no-?op\w*|pass\w*)|\b(?:fail\w*|ignored|dropped|swallowed|discarded|skipped|exits?|returns?|breaks?|passes|succeeds?|degrades?)\s+(?:silently|quietly)\b/i;

/** Sensitive data, an outbound sink, a destructive action or an explicit tool call in the same sentence. */
const CONTEXT =
  /\b(?:secrets?|credentials?|passwords?|passphrases?|tokens?|api[\s_-]?keys?|private\s+keys?|ssh|id_rsa|cookies?|env(?:ironment)?\s+var(?:iable)?s?|pii|personal\s+(?:data|information)|customer\s+data|user\s+data|send\w*|upload\w*|post(?:s|ed|ing)?\s+(?:it|them|the|this|these|data|to)|forward\w*|e-?mail\w*|webhooks?|exfiltrat\w*|transmit\w*|beacon\w*|publish\w*|deploy\w*|push(?:es|ed|ing)?\s+to|delet\w*|destroy\w*|wip(?:e|ing)|drop\s+(?:the\s+)?(?:table|database|db)|rm\s+-|force[- ]push\w*|mcp|tool\s+calls?|(?:call|invoke|use)\s+(?:the\s+|any\s+|other\s+)?[\w-]+\s+tools?)\b|https?:\/\/|\.env\b|~\/\./i;

export const ins002: RiskRule = {
  id: "INS-002",
  title: "Concealment directive added",
  threat: "prompt-injection",
  severity: "high",
  trigger:
    'Added text tells the agent to hide what it does — "don\'t tell/mention … to the user", "without telling the user", "secretly", "hide this from the user", "do not log this" — or uses "silently", "without asking", "no need to ask for approval" in the same sentence as sensitive data, an outbound sink, a destructive action or a tool call (approval shortcuts for local work such as "run tests without asking" are left to the permission rules); negated guardrails ("never … without telling the user") do not fire.',
  fix: "Remove the directive: an agent must never hide actions, data transfers or tool calls from its user or its logs. If the action needs no confirmation, grant it in the agent's permission settings where reviewers see it.",
  owasp: ["LLM01", "LLM02"],
  atlas: ["AML.T0051", "AML.T0086"],
  textRule: true,
  check(file: FileContext): RawFinding[] {
    const segs = addedSegments(file);
    if (segs.length === 0) return [];
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    for (const { re, need } of STRONG) {
      eachMatch(
        segs,
        re,
        (seg, m) => {
          const end = m.index + m[0].length;
          if (quotedExample(seg.text, m.index, end)) return;
          if (isNegated(seg.text, m.index) || inCheckQuestion(seg.text, m.index)) return;
          const pos = positionAt(seg, m.index);
          if (seen.has(pos.line)) return;
          seen.add(pos.line);
          out.push({
            line: pos.line,
            column: pos.column,
            message: `Concealment directive added: ${quote(originalSlice(seg, m.index, Math.max(end, Math.min(sentenceAt(seg.text, m.index).end, end + 60))))}. Text that tells the agent to hide its actions from the user or the logs is how injected instructions keep a data theft or a destructive action unseen.`,
          });
        },
        need,
      );
    }
    for (const { re, need } of WEAK) {
      eachMatch(
        segs,
        re,
        (seg, m) => {
          const end = m.index + m[0].length;
          const s = sentenceAt(seg.text, m.index);
          const sentence = seg.text.slice(s.start, s.end);
          if (/^(?:silently|quietly)/i.test(m[0]) && ERROR_HANDLING.test(sentence)) return;
          const ctx = CONTEXT.exec(sentence);
          if (!ctx) return;
          if (quotedExample(seg.text, m.index, end)) return;
          if (isNegated(seg.text, m.index) || inCheckQuestion(seg.text, m.index)) return;
          const pos = positionAt(seg, m.index);
          if (seen.has(pos.line)) return;
          seen.add(pos.line);
          out.push({
            line: pos.line,
            column: pos.column,
            message: `Concealment directive added: ${quote(originalSlice(seg, m.index, end))} in a sentence about ${quote(ctx[0], 40)} — ${quote(originalSlice(seg, s.start, s.end), 160)}. Doing this without the user's knowledge or approval hides a sensitive or outbound action from the person supervising the agent.`,
          });
        },
        need,
      );
    }
    return out;
  },
};
