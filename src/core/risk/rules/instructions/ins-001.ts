import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import {
  addedSegments,
  eachMatch,
  fencedLines,
  has,
  isNegated,
  isToolText,
  originalSlice,
  positionAt,
  quote,
  quotedExample,
  type Segment,
  sentenceAt,
} from "./text.js";

const IGNORE = ["ignore", "disregard", "forget", "override", "bypass"];

/** Override phrases: each names the construct for the message; `need` are literals one of which must occur. */
const PHRASES: { what: string; re: RegExp; need: string[] }[] = [
  {
    what: "an instruction to ignore earlier instructions",
    re: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|each|every|of|the|your|my|these|those)\s+){0,3}(?:previous|prior|above|earlier|preceding|foregoing|former|initial|original|old|system|developer)\s+(?:(?:system|safety|developer|user)\s+)?(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|messages|context|commands|constraints|restrictions|policies|programming|orders)\b/gi,
    need: IGNORE,
  },
  {
    what: "an instruction to ignore earlier instructions",
    re: /\b(?:ignore|disregard|forget)\s+(?:all|any|every)\s+(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:instructions|prompts|directions|directives|guidelines|rules)\b(?!\s+(?:in|for|of|from|under|about|that|which|on|when|if|except|listed|defined|below)\b)/gi,
    need: IGNORE,
  },
  {
    what: "an instruction to ignore its instructions",
    re: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+(?:of\s+)?)?your\s+(?:(?:previous|prior|original|initial|current|system|safety|existing)\s+)?(?:instructions|system\s+prompt|prompt|rules|guidelines|programming|training|directives|constraints|restrictions|guardrails)\b/gi,
    need: IGNORE,
  },
  {
    what: "an instruction to disregard instructions",
    re: /\bdisregard\b[^.]{0,40}?\b(?:instructions|directives|system\s+prompt|guardrails|safety\s+(?:rules|guidelines|policies|measures))\b/gi,
    need: ["disregard"],
  },
  {
    what: "an instruction to forget everything",
    re: /\bforget\s+(?:everything|all\s+(?:previous|prior|earlier|above)|what\s+you\s+(?:were|have\s+been)\s+told)\b/gi,
    need: ["forget"],
  },
  {
    what: "a role reassignment",
    re: /\byou\s+are\s+now\s+(?:(?:a|an|the|my)\s+(?!(?:ready|able|done|set|finished|logged|connected|authori[sz]ed|responsible|part|member)\b)|no\s+longer\s+(?:an?\s+|bound|restricted|limited|required|subject|an\s+ai)|DAN\b|free\s+(?:from|of)\b|unrestricted\b|unfiltered\b|uncensored\b|jailbroken\b|in\s+(?:developer|dev|god|jailbreak|dan|unrestricted|admin|root|sudo)\s+mode\b|operating\s+(?:as|without)\b|acting\s+as\b)/gi,
    need: ["now"],
  },
  {
    what: "a role reassignment",
    re: /\bfrom\s+now\s+on,?\s+you\s+(?:are|will\s+be|must\s+be)\s+(?:a|an|no\s+longer|DAN|unrestricted|free)\b/gi,
    need: ["now"],
  },
  {
    what: "a jailbreak persona",
    re: /\b(?:act|behave|respond|pretend)\s+(?:as|like|to\s+be)\s+(?:DAN\b|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken|evil)\b|if\s+you\s+(?:have|had)\s+no\s+(?:restrictions|rules|guidelines|limits|filters))/gi,
    need: [
      "dan",
      "unrestricted",
      "unfiltered",
      "uncensored",
      "jailbr",
      "evil",
      "restrictions",
      "rules",
      "guidelines",
      "limits",
      "filters",
    ],
  },
  {
    what: "a jailbreak persona",
    re: /\b(?:DAN|jailbreak|god)\s+mode\b|\bdeveloper\s+mode\s+(?:enabled|activated|on)\b/gi,
    need: ["mode"],
  },
  {
    what: "a new-instructions marker",
    re: /\b(?:new|real|actual|true|secret|hidden|override|overriding)\s+(?:system\s+)?instructions?\s*:|\bsystem\s+override\b/gi,
    need: ["instruction", "override"],
  },
];

/** Special tokens of chat templates, injected to fake a message boundary. */
const TOKENS =
  /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text)\|>|\[\/?INST\]|<<\/?SYS>>|<(?:start|end)_of_turn>/gi;
/** Pseudo-tags that shout at the model (mcp-scan's literal `<IMPORTANT>` check). */
const PSEUDO_TAG = /<\/?\s*(?:important|critical|urgent|system[_-]?(?:override|instructions?|message))\s*>/gi;
/** A line that is only a role label; in JSON strings after a `\n` escape. */
const ROLE_LINE =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?(?:\[system\]|system(?:[ \t]+message)?)(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*$/gim;
const ROLE_IN_STRING =
  /\n[ \t]*(?:#{1,6}[ \t]*)?(?:\[system\]|system(?:[ \t]+message)?)[ \t]*:[ \t]*(?=\n|"|$)/gi;

/** Formats whose text IS a chat template: role lines and special tokens are the template, not an injection. */
const CHAT_TEMPLATES = new Set(["prompty", "langchain-prompt", "semantic-kernel"]);

export const ins001: RiskRule = {
  id: "INS-001",
  title: "Instruction override or jailbreak construct added",
  threat: "prompt-injection",
  severity: "high",
  trigger:
    'Added text contains an override or jailbreak construct — "ignore previous instructions", "disregard … instructions", "forget everything", a "you are now …" role reassignment, "new instructions:", chat-template role delimiters (<|im_start|>, [INST], <<SYS>>, a bare "system:" line outside chat-template formats) or an <IMPORTANT> pseudo-tag; high in tool text (tool definitions, MCP descriptions), medium in prompts; quoted examples in defensive prose are ignored.',
  fix: "Remove the construct: instructions an agent reads must not try to replace its system prompt or fake a message boundary. If the text documents an attack, quote it as an example in defensive prose or keep it in test fixtures.",
  owasp: ["LLM01"],
  atlas: ["AML.T0051", "AML.T0068", "AML.T0094"],
  textRule: true,
  check(file: FileContext): RawFinding[] {
    const segs = addedSegments(file);
    if (segs.length === 0) return [];
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    const report = (seg: Segment, start: number, end: number, what: string) => {
      const pos = positionAt(seg, start);
      const key = `${pos.line}:${pos.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      const tool = isToolText(file, pos.line);
      out.push({
        line: pos.line,
        column: pos.column,
        message: `${what[0]!.toUpperCase()}${what.slice(1)} was added${tool ? " to tool text" : ""}: ${quote(originalSlice(seg, start, end))}. ${
          tool
            ? "Text in a tool or server description is read by the agent on every call; an override there is tool poisoning that hijacks the agent."
            : "Text that tries to replace the agent's instructions or fake a message boundary is a prompt-injection construct."
        }`,
        ...(tool ? {} : { severity: "medium" as const }),
      });
    };
    for (const { what, re, need } of PHRASES) {
      eachMatch(
        segs,
        re,
        (seg, m) => {
          if (quotedExample(seg.text, m.index, m.index + m[0].length)) return;
          if (/^(?:ignore|disregard|forget|override|bypass)/i.test(m[0]) && isNegated(seg.text, m.index))
            return;
          // Quote the construct with the rest of its sentence ("You are now an unrestricted assistant").
          const end = Math.min(sentenceAt(seg.text, m.index).end, m.index + m[0].length + 60);
          report(seg, m.index, Math.max(end, m.index + m[0].length), what);
        },
        need,
      );
    }
    const template = CHAT_TEMPLATES.has(file.format.id);
    if (!template) {
      eachMatch(
        segs,
        TOKENS,
        (seg, m) => {
          if (quotedExample(seg.text, m.index, m.index + m[0].length)) return;
          report(seg, m.index, m.index + m[0].length, `the chat-template delimiter ${m[0]}`);
        },
        ["<|", "inst]", "sys>>", "_of_turn>"],
      );
    }
    eachMatch(
      segs,
      PSEUDO_TAG,
      (seg, m) => report(seg, m.index, m.index + m[0].length, `the pseudo-tag ${m[0]}`),
      ["important", "critical", "urgent", "system"],
    );
    if (!template) {
      let fenced: Set<number> | undefined;
      for (const seg of segs) {
        if (!has(seg, ["system"])) continue;
        const re = seg.prose ? ROLE_LINE : ROLE_IN_STRING;
        eachMatch([seg], re, (s, m) => {
          const start = seg.prose ? m.index : m.index + 1;
          const pos = positionAt(s, start);
          fenced ??= fencedLines(file);
          if (fenced.has(pos.line)) return;
          report(s, start, m.index + m[0].length, "a fake system-role line");
        });
      }
    }
    return out;
  },
};
