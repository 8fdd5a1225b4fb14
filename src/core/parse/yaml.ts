import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseAllDocuments,
  visit,
  type YAMLError,
  type YAMLMap,
} from "yaml";
import type { Position } from "../types.js";
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
 * Largest YAML text the engine parses. eemeli/yaml reads only about 300 KB/s on this project's reference
 * machine (2 cores) for key-dense files, so this bound keeps any one file under half a second; YAML agent
 * configs are far smaller (the largest in the corpus, a SAM template, is 31 KB).
 */
export const MAX_YAML_CHARS = 128 * 1024;

const LONE_CR = /\r(?!\n)/;
const LONE_CR_ALL = /\r(?!\n)/g;

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

  if (text.length > MAX_YAML_CHARS) {
    return fail(
      0,
      "too-large",
      `is ${Math.round(text.length / 1024)} KB of YAML, over the ${MAX_YAML_CHARS / 1024} KB limit for YAML agent configs; it was not checked`,
    );
  }

  const tooDeep = `nesting is deeper than ${MAX_NESTING_DEPTH} levels; the file was not parsed`;
  const nesting = bracketDepth(text, MAX_NESTING_DEPTH, false);
  if (nesting.depth > MAX_NESTING_DEPTH) return fail(nesting.offset, "too-deep", tooDeep);

  // YAML ends a line at a lone CR too, but eemeli/yaml does not; a same-length swap keeps every offset.
  const source = LONE_CR.test(text) ? text.replace(LONE_CR_ALL, "\n") : text;
  const docs = parseQuietly(source);
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
    if (e.code === "RESOURCE_EXHAUSTION") {
      // eemeli/yaml catches its own stack overflow on block nesting (`- - - …`) the bracket scan cannot see.
      fatal = true;
      messages.push({ ...at(e.pos[0]), severity: "error", code: "too-deep", message: tooDeep });
    } else {
      fatal = true;
      // A misindented item's error range is its indentation: point at the item itself.
      let offset = e.pos[0];
      if (e.code === "BAD_INDENT") while (text[offset] === " " || text[offset] === "\t") offset++;
      messages.push({
        ...at(offset),
        severity: "error",
        code: "syntax",
        message: `YAML syntax error: ${describe(e)}`,
      });
    }
  }
  messages.push(...duplicateKeys(doc, at));
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
    if (err instanceof RangeError) return fail(0, "too-deep", tooDeep);
    if (!(err instanceof Error)) throw err;
    if (/excessive alias count/i.test(err.message)) {
      return fail(
        firstAlias(doc, false),
        "alias-bomb",
        `YAML aliases expand more than ${MAX_YAML_ALIASES} times (an alias bomb); the file was not read`,
      );
    }
    // `*name` with no `&name` before it, which is what an unquoted glob such as `**/*.ts` reads as.
    const unresolved = /unresolved alias/i.test(err.message);
    return fail(
      unresolved ? firstAlias(doc, true) : 0,
      "syntax",
      `YAML syntax error: ${unresolved ? `alias ${describeAlias(err.message)} has no anchor (&) before it` : err.message}`,
    );
  }

  return {
    syntax: "yaml",
    data,
    messages,
    locate: (pointer, target = "value") => at(locateYaml(doc.contents as Node | null, pointer, target)),
  };
}

/** Offset of the document's first alias, or (`unresolved`) of the first one with no anchor before it. */
function firstAlias(doc: Document, unresolved: boolean): number {
  const anchors = new Set<string>();
  let first = 0;
  visit(doc, {
    Node(_k, node) {
      if (isAlias(node)) {
        if (unresolved && anchors.has(node.source)) return undefined;
        first = node.range?.[0] ?? 0;
        return visit.BREAK;
      }
      if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return first;
}

function describeAlias(message: string): string {
  const name = /:\s*(.*)$/.exec(message)?.[1];
  return name ? `"*${name.length > 40 ? `${name.slice(0, 40)}…` : name}"` : "";
}

/**
 * A warning at each repeated key, naming the line of its first occurrence. eemeli/yaml's `uniqueKeys`
 * compares each key with every earlier one (20,000 keys take seconds); this is one pass.
 */
function duplicateKeys(doc: Document, at: (o: number) => Position): ParseMessage[] {
  const out: ParseMessage[] = [];
  visit(doc, {
    Map(_k, map) {
      if (map.items.length < 2) return;
      // By the string the key becomes in the data: `1` and `"1"` are one key there.
      const seen = new Map<string, Node>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (!first) seen.set(name, key);
        else {
          out.push({
            ...at(rangeStart(key) ?? 0),
            severity: "warning",
            code: "duplicate-key",
            message: `duplicate key "${name}" (first at line ${at(rangeStart(first) ?? 0).line}); tools disagree on which value wins`,
          });
        }
      }
    },
  });
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function describe(e: YAMLError): string {
  // eemeli/yaml appends "at line X, column Y" (and, with prettyErrors, a source excerpt); the position is
  // reported separately and file contents never go into messages.
  return e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * eemeli/yaml reports every unresolved tag (a CloudFormation template has hundreds of `!Ref`) as an Error
 * object; capturing their stack traces dominated parse time. Positions come from `pos`, not the stack.
 */
function parseQuietly(source: string) {
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseAllDocuments(source, { uniqueKeys: false, prettyErrors: false, strict: true });
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
}

const pairIndex = new WeakMap<object, Map<string, Pair>>();
/** Key → pair of a mapping (the last one wins, as in the value), built once per mapping. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const k = isPair(p) ? keyString(p.key) : undefined;
      if (k !== undefined) index.set(k, p as Pair);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function locateYaml(root: Node | null, pointer: readonly PointerSegment[], target: "key" | "value"): number {
  let node: unknown = root;
  let last = rangeStart(root) ?? 0;
  for (let i = 0; i < pointer.length; i++) {
    const seg = pointer[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(seg));
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
