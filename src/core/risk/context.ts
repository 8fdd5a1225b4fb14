import { diffArrays } from "diff";
import type { FormatDef } from "../formats/registry.js";
import { extractModel } from "../model/extract.js";
import type { ParsedDocument, PointerSegment } from "../parse/document.js";
import { parseText } from "../parse/index.js";
import type { Category, ChangeStatus, ValidationMessage } from "../types.js";
import type { ChangedLine, FileContext, RiskRule, RiskSettings, Side } from "./types.js";

/**
 * Work budget for one line diff. Myers' algorithm costs (lines) × (edits), so the edits allowed shrink as
 * the changed region grows; a rewrite larger than that is treated as "every line changed" — more findings,
 * never fewer — instead of taking seconds.
 */
const DIFF_WORK_BUDGET = 4_000_000;
const MAX_DIFF_EDITS = 2_000;

export interface SideInput {
  text: string;
  doc: ParsedDocument;
}

export interface ContextInput {
  path: string;
  previousPath?: string;
  status: ChangeStatus;
  format: FormatDef;
  category: Category;
  before?: SideInput;
  after?: SideInput;
  /** Head-side validation errors (for POL-003). */
  validationErrors?: readonly ValidationMessage[];
  settings?: RiskSettings;
}

const LINE_BREAK = /\r\n|\n|\r/;

/** Splits text into lines as LineIndex numbers them (`\r\n`, `\n`, lone `\r`); a final break adds no line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(LINE_BREAK);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Lines added (head numbering) and removed (base numbering) between two texts. */
export function lineChanges(
  before: string | undefined,
  after: string | undefined,
): { added: ChangedLine[]; removed: ChangedLine[] } {
  const a = before === undefined ? [] : splitLines(before);
  const b = after === undefined ? [] : splitLines(after);
  const all = (lines: string[]) => lines.map((text, i) => ({ line: i + 1, text }));
  if (a.length === 0 || b.length === 0) return { added: all(b), removed: all(a) };
  // Most edits touch a few lines: strip the common head and tail so the diff only sees the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const numbered = (lines: string[], from: number) => lines.map((text, i) => ({ line: from + i + 1, text }));
  if (midA.length === 0 || midB.length === 0)
    return { added: numbered(midB, head), removed: numbered(midA, head) };
  const maxEditLength = Math.max(
    1,
    Math.min(MAX_DIFF_EDITS, Math.floor(DIFF_WORK_BUDGET / (midA.length + midB.length))),
  );
  const changes = diffArrays(midA, midB, { maxEditLength });
  if (!changes) return { added: numbered(midB, head), removed: numbered(midA, head) };
  const added: ChangedLine[] = [];
  const removed: ChangedLine[] = [];
  let ia = head;
  let ib = head;
  for (const c of changes) {
    for (const text of c.value) {
      if (c.added) added.push({ line: ++ib, text });
      else if (c.removed) removed.push({ line: ++ia, text });
      else {
        ia++;
        ib++;
      }
    }
  }
  return { added, removed };
}

/** Builds the view risk rules get of one changed file. */
export function buildContext(
  input: ContextInput,
  textRules: readonly RiskRule[],
  changeAdded: () => readonly ChangedLine[],
  depth = 0,
): FileContext {
  const side = (s: SideInput | undefined): Side | undefined =>
    s ? { text: s.text, doc: s.doc, model: extractModel(input.format, s.doc, s.text) } : undefined;
  const before = side(input.before);
  const after = side(input.after);
  const { added, removed } = lineChanges(input.before?.text, input.after?.text);
  const ctx: FileContext = {
    path: input.path,
    ...(input.previousPath !== undefined ? { previousPath: input.previousPath } : {}),
    status: input.status,
    format: input.format,
    category: input.category,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    added,
    removed,
    validationErrors: input.validationErrors ?? [],
    settings: input.settings ?? { allowedMcpHosts: [] },
    locate(pointer: readonly PointerSegment[], which?: "after" | "before") {
      const s = which === "before" ? before : (after ?? before);
      return s ? s.doc.locate(pointer) : { line: 1, column: 1 };
    },
    scanText(text: string) {
      // One level deep: text decoded from text is scanned once more, not forever.
      if (depth > 0) return [];
      const synthetic = buildContext(
        { ...input, before: undefined, after: { text, doc: parseText(text, "text") } },
        textRules,
        changeAdded,
        depth + 1,
      );
      return textRules.flatMap((r) => r.check(synthetic).map((f) => ({ rule: r.id, message: f.message })));
    },
    changeAdded,
  };
  return ctx;
}
