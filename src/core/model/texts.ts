import type { ParsedDocument, PointerSegment } from "../parse/document.js";
import type { TextField } from "./types.js";

/** Keys whose string values an agent reads as instructions, wherever they appear in structured files. */
const TEXT_KEYS: Record<string, TextField["kind"]> = {
  description: "description",
  instruction: "instruction",
  instructions: "instruction",
  system_message: "system",
  systemMessage: "system",
  system_prompt: "system",
  systemPrompt: "system",
  prompt: "prompt",
  content: "prompt",
  template: "prompt",
  backstory: "prompt",
  goal: "prompt",
  role: "prompt",
  expected_output: "prompt",
  Instruction: "instruction",
  Description: "description",
};

/** Most text fields collected per file; a pathological file cannot make the walk unbounded. */
const MAX_TEXT_FIELDS = 5000;

/**
 * The text an agent reads as instructions: a markdown body (the prompt of instruction files, subagents,
 * commands), the whole text of plain-text formats, and string values under instruction-bearing keys of
 * structured files (system messages, descriptions, CrewAI backstories…).
 */
export function extractTexts(doc: ParsedDocument, text: string): TextField[] {
  const out: TextField[] = [];
  if (doc.syntax === "text") return [{ kind: "prompt", text, pointer: [], line: 1 }];
  if (doc.body && doc.body.text.trim() !== "")
    out.push({ kind: "prompt", text: doc.body.text, pointer: [], line: doc.body.line });
  walk(doc.data, [], out);
  return out;
}

function walk(value: unknown, pointer: PointerSegment[], out: TextField[], key?: string): void {
  if (out.length >= MAX_TEXT_FIELDS) return;
  if (typeof value === "string") {
    const kind = key !== undefined ? TEXT_KEYS[key] : undefined;
    if (kind && value.trim() !== "") out.push({ kind, text: value, pointer });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, [...pointer, i], out, key);
    });
    return;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, [...pointer, k], out, k);
  }
}
