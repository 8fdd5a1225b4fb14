import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  visit,
  type YAMLError,
} from "yaml";
import {
  bracketDepth,
  MAX_NESTING_DEPTH,
  type ParsedDocument,
  type ParseMessage,
  type PointerSegment,
} from "./document.js";
import { LineIndex } from "./source.js";

/** Aliases a document may expand; more is an alias bomb ("billion laughs"). */
export const MAX_YAML_ALIASES = 100;

/**
 * Reads YAML with eemeli/yaml. Unknown tags such as CloudFormation's `!Ref` and `!Sub` are tolerated (the
 * tagged value is read as if untagged); duplicate keys are warnings; alias bombs and over-deep flow
 * nesting are errors, caught before they cost memory or stack.
 */
export function parseYaml(text: string, lineOffset = 0): ParsedDocument {
  const index = new LineIndex(text, lineOffset);
  const at = (offset: number) => index.position(offset);
  const messages: ParseMessage[] = [];
  const fail = (offset: number, code: string, message: string): ParsedDocument => {
    messages.push({ ...at(offset), severity: "error", code, message });
    return { syntax: "yaml", data: undefined, messages, locate: () => at(offset) };
  };

  const nesting = bracketDepth(text, MAX_NESTING_DEPTH);
  if (nesting.depth > MAX_NESTING_DEPTH) {
    return fail(
      nesting.offset,
      "too-deep",
      `nesting is deeper than ${MAX_NESTING_DEPTH} levels; the file was not parsed`,
    );
  }

  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true });
  const all = Array.isArray(docs) ? docs : [];
  const doc = all[0];
  if (!doc) return { syntax: "yaml", data: null, messages, locate: () => at(0) };
  if (all.length > 1) {
    const second = all[1]!;
    messages.push({
      ...at(second.range[0]),
      severity: "warning",
      code: "multi-document",
      message: `the file holds ${all.length} YAML documents; only the first is checked`,
    });
  }

  let fatal = false;
  for (const e of doc.errors) {
    if (e.code === "DUPLICATE_KEY") {
      messages.push({ ...at(e.pos[0]), severity: "warning", code: "duplicate-key", message: describe(e) });
    } else {
      fatal = true;
      messages.push({
        ...at(e.pos[0]),
        severity: "error",
        code: "syntax",
        message: `YAML syntax error: ${describe(e)}`,
      });
    }
  }
  for (const w of doc.warnings) {
    // Unknown tags (`!Ref`, `!GetAtt`…) are part of real formats such as CloudFormation: tolerated silently.
    if (w.code === "TAG_RESOLVE_FAILED") continue;
    messages.push({ ...at(w.pos[0]), severity: "warning", code: "yaml", message: describe(w) });
  }
  if (fatal) return { syntax: "yaml", data: undefined, messages, locate: () => at(0) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      let first = 0;
      visit(doc, {
        Alias(_k, node) {
          first = node.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      return fail(
        first,
        "alias-bomb",
        `YAML aliases expand more than ${MAX_YAML_ALIASES} times (an alias bomb); the file was not read`,
      );
    }
    throw err;
  }

  return {
    syntax: "yaml",
    data,
    messages,
    locate: (pointer, target = "value") => at(locateYaml(doc.contents as Node | null, pointer, target)),
  };
}

function describe(e: YAMLError): string {
  // eemeli/yaml appends "at line X, column Y" (and, with prettyErrors, a source excerpt); the position is
  // reported separately and file contents never go into messages.
  return e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function locateYaml(root: Node | null, pointer: readonly PointerSegment[], target: "key" | "value"): number {
  let node: unknown = root;
  let last = rangeStart(root) ?? 0;
  for (let i = 0; i < pointer.length; i++) {
    const seg = pointer[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = [...node.items].reverse().find((p) => isPair(p) && keyString(p.key) === String(seg));
      if (pair) {
        if (i === pointer.length - 1 && target === "key") return rangeStart(pair.key as Node) ?? last;
        next = pair.value ?? pair.key;
        if (pair.value === null || pair.value === undefined) return rangeStart(pair.key as Node) ?? last;
      }
    } else if (isSeq(node)) {
      next = node.items[Number(seg)];
    }
    if (next === undefined || next === null) return last;
    if (isAlias(next)) return rangeStart(next) ?? last;
    node = next;
    last = rangeStart(node as Node) ?? last;
  }
  return last;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}
