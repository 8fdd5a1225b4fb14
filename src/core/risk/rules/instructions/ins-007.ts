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
  type Segment,
  sentenceAt,
} from "./text.js";

/** Files and directories that grant the agent power: settings, permissions, MCP servers, hooks, CI. */
const CONFIG = [
  String.raw`\.claude\/(?:settings(?:\.local)?\.json|settings|hooks|agents|commands|skills)\b`,
  String.raw`(?<![\w.-])settings\.local\.json\b`,
  String.raw`\bmanaged-settings\.json\b`,
  String.raw`\.codex\/(?:config\.toml|config)?`,
  String.raw`\.cursor\/(?:mcp\.json|hooks\.json|cli\.json)`,
  String.raw`(?<![\w-])\.?mcp\.json\b`,
  String.raw`\.vscode\/(?:settings|mcp)\.json\b`,
  String.raw`\.gemini\/settings\.json\b`,
  String.raw`\bclaude_desktop_config\.json\b`,
  String.raw`\.github\/workflows\b`,
  String.raw`\.github\/agent-change-control\.ya?ml\b`,
  String.raw`\.git\/hooks\b`,
  String.raw`(?<![\w-])\.husky\b`,
  String.raw`\.pre-commit-config\.ya?ml\b`,
  String.raw`\.windsurf\/`,
  String.raw`\.roo\/`,
  String.raw`\.continue\/config`,
].join("|");
/** The agent's own configuration named without a file. */
const SELF = String.raw`\b(?:your|its\s+own|the\s+agent'?s)\s+(?:own\s+)?(?:mcp\s+(?:config(?:uration)?|servers?|settings)|settings|permissions?|configuration|config|system\s+prompt|instructions|hooks|allow\s*-?list|guardrails)\b`;
/** Instruction files: editing them is self-modification too, but keeping them current is common guidance. */
const DOCS = [
  String.raw`\b(?:CLAUDE|AGENTS|GEMINI)(?:\.local|\.override)?\.md\b`,
  String.raw`\bcopilot-instructions\.md\b`,
  String.raw`\.github\/instructions\b`,
  String.raw`[\w-]\.instructions\.md\b`,
  String.raw`(?<![\w-])\.(?:cursorrules|windsurfrules|clinerules)\b`,
  String.raw`\.cursor\/rules\b`,
  String.raw`\.claude\/rules\b`,
].join("|");
const TARGET = new RegExp(`(${CONFIG})|(${DOCS})`, "gi");
const SELF_TARGET = new RegExp(`(${SELF})`, "gi");
const FILE_LITERALS = [
  ".claude",
  "settings",
  ".codex",
  ".cursor",
  "mcp.json",
  ".vscode",
  ".gemini",
  "claude_desktop",
  ".github",
  ".git/",
  "husky",
  "pre-commit",
  ".windsurf",
  ".roo/",
  ".continue",
  "claude",
  "agents",
  "gemini",
  "instructions",
  "rules",
];
const SELF_LITERALS = [
  "mcp",
  "system",
  "settings",
  "permission",
  "config",
  "instructions",
  "hooks",
  "allow",
  "guardrails",
];

/** Edits: the verb must be followed by whitespace (a permission rule `Edit(.claude/…)` is not an instruction). */
const EDIT =
  /(?:(?<![\w/-])(?<!\b(?:a|an|the|any|each|every|this|that|no|one|its|their|our)\s+)(?:edit|editing|modify|modifying|update|updating|change|changing|write|writing|overwrite|rewrite|add|adding|append|appending|insert|inserting|remove|removing|delete|deleting|patch|patching|replace|replacing|create|creating|amend|amending|set|disable|disabling|adjust|tweak|extend|configure|register|commit|alter|touch|rm|cp|mv|tee|sed\s+-i|install)\s(?!by\b)|(?:^|(?<=\s))[12]?>>?\s*)/gi;
/** Descriptions of a guard ("writes to .claude/ are denied") rather than instructions. */
const DENIED_AFTER =
  /^[^.;]{0,120}?\b(?:is|are|get|gets|will\s+be|must\s+be)\s+(?:denied|blocked|rejected|refused|forbidden|prohibited|not\s+allowed|disallowed)\b/i;

/** Phrases that grant the agent its own approvals or widen its own allowlist, with or without a file. */
const PHRASES: RegExp[] = [
  /\b(?:approve|auto-?approve|accept|merge)\s+(?:all\s+(?:of\s+)?)?(?:your|its|their)\s+own\s+(?:actions?|changes?|tool\s+calls?|commands?|requests?|pull\s+requests?|prs?|edits?|work|permissions?)\b/gi,
  /\bauto-?approv\w*\s+(?:all|every|any|each)\s+(?:(?:future|subsequent)\s+)?(?:tools?|tool\s+calls?|commands?|actions?|requests?|edits?|changes?)\b/gi,
  /\b(?:add|put|append|insert|register)\s+(?:yourself|itself|this\s+(?:tool|server|agent|command|skill)|the\s+agent)\s+(?:to|into|in|on)\s+(?:the\s+|your\s+|its\s+)?(?:allow\s*-?list|allowed\s+tools|whitelist|trusted|permissions?)\b/gi,
  /\b(?:add|append|insert|put)\b[^.]{0,60}?\b(?:to|into|in)\s+(?:the\s+|your\s+|its\s+)?(?:permissions?\.allow|allow\s*-?list|allowed[_\s-]?tools|alwaysAllow|autoApprove|trusted\s+(?:tools|commands|servers))\b/gi,
  /\bgrant\s+(?:yourself|itself)\b|\bgive\s+(?:yourself|itself)\s+(?:\w+\s+)?(?:permissions?|access|rights|privileges)\b/gi,
  /\b(?:set|change|switch|flip)\s+(?:the\s+|your\s+|its\s+)?(?:defaultMode|permission\s+mode|approval_policy|approval\s+policy|sandbox_mode|sandbox\s+mode)\b/gi,
  /\b(?:enable|turn\s+on|activate|switch\s+to)\s+(?:yolo|bypass(?:Permissions)?|auto-?approve|autoApprove|dangerously[- ]skip[- ]permissions|full[- ]auto)\b/gi,
  /\b(?:set|enable|add|turn\s+on)\b[^.]{0,40}?\b(?:chat\.tools\.autoApprove|autoApprove|alwaysAllow|bypassPermissions|enableAllProjectMcpServers|dangerouslySkipPermissions)\b/gi,
];

/** Permission vocabulary: editing an instruction file about these is not documentation upkeep. */
const PERMISSION_WORDS =
  /\b(?:permissions?|allow(?:ed|s)?|allow\s*-?list|whitelist|approv\w*|auto-?approve|autoApprove|alwaysAllow|bypass\w*|hooks?|mcp|sandbox\w*|trust\w*|defaultMode|yolo|skip[- ]permissions|grant\w*)\b/i;

export const ins007: RiskRule = {
  id: "INS-007",
  title: "Self-modification instruction added",
  threat: "self-modification",
  severity: "critical",
  trigger:
    "Added text tells the agent to edit its own settings, permissions, MCP config, hooks or CI (.claude/settings.json, settings.local.json, .codex/config.toml, .mcp.json, .vscode/settings.json, .github/workflows, git hooks…), to approve or auto-approve its own actions, or to add itself or tools to an allowlist; editing its instruction files (CLAUDE.md, AGENTS.md, copilot-instructions.md, Cursor rules) is reported at medium when the sentence has no permission vocabulary (documentation upkeep), critical otherwise; negated guardrails do not fire.",
  fix: "Remove the instruction: an agent must not be able to rewrite what it is allowed to do. Permission, MCP, hook and CI changes belong in pull requests reviewed by the agent's owners; if the agent should keep notes, point it at a documentation file that grants nothing.",
  owasp: ["LLM06", "LLM01"],
  atlas: ["AML.T0081", "AML.T0051"],
  textRule: true,
  check(file: FileContext): RawFinding[] {
    const segs = addedSegments(file);
    if (segs.length === 0) return [];
    const found = new Map<number, RawFinding>();
    const report = (seg: Segment, start: number, end: number, critical: boolean, target: string) => {
      if (isNegated(seg.text, start) || inCheckQuestion(seg.text, start)) return;
      if (quotedExample(seg.text, start, end)) return;
      const pos = positionAt(seg, start);
      const prev = found.get(pos.line);
      if (prev && (prev.severity === undefined || !critical)) return;
      const q = quote(originalSlice(seg, start, end), 120);
      found.set(pos.line, {
        line: pos.line,
        column: pos.column,
        message: critical
          ? `Self-modification instruction added: ${q}${target ? ` (target ${quote(target, 60)})` : ""}. An agent told to change its own settings, permissions, MCP servers, hooks, CI or approvals can grant itself anything the reviewers of this change never saw.`
          : `Instruction to edit the agent's own instruction file added: ${q} (target ${quote(target, 60)}). Keeping such files current is common, but text the agent writes there persists into every later session; make sure it cannot add permissions.`,
        ...(critical ? {} : { severity: "medium" as const }),
      });
    };

    const onTarget = (seg: Segment, m: RegExpExecArray) => {
      const s = sentenceAt(seg.text, m.index);
      const from = Math.max(s.start, m.index - 100);
      const window = seg.text.slice(from, m.index);
      EDIT.lastIndex = 0;
      let verbAt = -1;
      let v: RegExpExecArray | null = EDIT.exec(window);
      while (v !== null) {
        verbAt = from + v.index;
        v = EDIT.exec(window);
      }
      if (verbAt < 0) return;
      const between = seg.text.slice(verbAt, m.index);
      if (/;|\.\s|\bbut\b/i.test(between)) return;
      // A shell redirect writes the file right after it, not one named later on the line.
      if (/^\s*[12]?>/.test(between) && !/^\s*[12]?>>?\s*["'`]?(?:[\w.~$/-]*\/)?$/.test(between)) return;
      if (DENIED_AFTER.test(seg.text.slice(m.index + m[0].length, m.index + m[0].length + 200))) return;
      const sentence = seg.text.slice(s.start, s.end);
      const critical = m[1] !== undefined || PERMISSION_WORDS.test(sentence);
      report(seg, verbAt, m.index + m[0].length, critical, m[0]);
    };
    eachMatch(segs, TARGET, onTarget, FILE_LITERALS);
    eachMatch(segs, SELF_TARGET, onTarget, SELF_LITERALS);
    for (const re of PHRASES) {
      eachMatch(segs, re, (seg, m) => report(seg, m.index, m.index + m[0].length, true, ""), [
        "approv",
        "allow",
        "yourself",
        "itself",
        "trusted",
        "mode",
        "policy",
        "yolo",
        "bypass",
        "skip",
        "auto",
        "whitelist",
        "permission",
        "own",
        "enableallproject",
      ]);
    }
    return [...found.values()].sort((a, b) => a.line - b.line);
  },
};
