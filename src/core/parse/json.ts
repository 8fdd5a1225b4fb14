import {
  createScanner,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
  visit,
} from "jsonc-parser";
import type { Position } from "../types.js";
import {
  bracketDepth,
  MAX_NESTING_DEPTH,
  type ParsedDocument,
  type ParseMessage,
  type PointerSegment,
} from "./document.js";
import { LineIndex } from "./source.js";

/** jsonc-parser's SyntaxKind is an ambient const enum, which isolatedModules cannot read: mirror the values used. */
const SyntaxKind = {
  CloseBraceToken: 2,
  CloseBracketToken: 4,
  CommaToken: 5,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const;

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

/**
 * Reads JSON or JSONC (comments, trailing commas) with jsonc-parser, the parser VS Code uses. `strict`
 * files are read leniently too, but comments and trailing commas in them are reported as warnings,
 * because tools that read them with JSON.parse would reject the file.
 */
export function parseJson(text: string, strict: boolean, lineOffset = 0): ParsedDocument {
  const index = new LineIndex(text, lineOffset);
  const messages: ParseMessage[] = [];
  const at = (offset: number) => index.position(offset);

  const tooDeep = (offset: number): ParsedDocument => {
    messages.push({
      ...at(offset),
      severity: "error",
      code: "too-deep",
      message: `nesting is deeper than ${MAX_NESTING_DEPTH} levels; the file was not parsed`,
    });
    return { syntax: strict ? "json" : "jsonc", data: undefined, messages, locate: () => at(0) };
  };
  const nesting = bracketDepth(text, MAX_NESTING_DEPTH);
  if (nesting.depth > MAX_NESTING_DEPTH) return tooDeep(nesting.offset);

  let read: ReturnType<typeof readValue>;
  try {
    read = readValue(text, at);
  } catch (err) {
    // jsonc-parser recurses per level. The scan above bounds valid JSON, but its error recovery can nest
    // in ways a bracket count does not see (`[},[},…`, where a skipped `}` closes nothing): never throw.
    if (err instanceof RangeError) return tooDeep(0);
    throw err;
  }
  const { value: data, errors, duplicates } = read;
  for (const e of errors) {
    messages.push({
      ...at(e.offset),
      severity: "error",
      code: "syntax",
      message: describeJsonError(e, text),
    });
  }
  if (strict && errors.length === 0) messages.push(...nonStrictJson(text, at));
  let tree: Node | undefined;
  let treeBuilt = false;
  if (errors.length === 0) messages.push(...duplicates);

  return {
    syntax: strict ? "json" : "jsonc",
    data: errors.length === 0 ? data : undefined,
    messages,
    locate(pointer, target = "value") {
      if (!treeBuilt) {
        tree = parseTree(text, [], PARSE_OPTIONS);
        treeBuilt = true;
      }
      return at(locateNode(tree, pointer, target));
    },
  };
}

function describeJsonError(e: ParseError, text: string): string {
  const code = printParseErrorCode(e.error);
  const token = text.slice(e.offset, e.offset + Math.min(e.length, 20)).replace(/\s+/g, " ");
  const words: Record<string, string> = {
    InvalidSymbol: "unexpected character",
    InvalidNumberFormat: "invalid number",
    PropertyNameExpected: "expected a property name in double quotes",
    ValueExpected: "expected a value",
    ColonExpected: "expected ':' after the property name",
    CommaExpected: "expected ',' between items",
    CloseBraceExpected: "expected '}' to close the object",
    CloseBracketExpected: "expected ']' to close the array",
    EndOfFileExpected: "unexpected content after the end of the JSON value",
    InvalidCommentToken: "invalid comment",
    UnexpectedEndOfComment: "unterminated comment",
    UnexpectedEndOfString: "unterminated string",
    UnexpectedEndOfNumber: "unterminated number",
    InvalidUnicode: "invalid \\u escape",
    InvalidEscapeCharacter: "invalid escape character in string",
    InvalidCharacter: "invalid character in string (control characters must be escaped)",
  };
  const what = words[code] ?? code;
  return token && e.length > 0 ? `JSON syntax error: ${what} near "${token}"` : `JSON syntax error: ${what}`;
}

function nonStrictJson(text: string, at: (o: number) => Position): ParseMessage[] {
  const out: ParseMessage[] = [];
  const scanner = createScanner(text, false);
  let lastComma = -1;
  for (let kind: number = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      out.push({
        ...at(scanner.getTokenOffset()),
        severity: "warning",
        code: "not-strict-json",
        message: "comment in a JSON file; tools that read it with a strict JSON parser will reject the file",
      });
    } else if (kind === SyntaxKind.CommaToken) {
      lastComma = scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      if (lastComma >= 0) {
        out.push({
          ...at(lastComma),
          severity: "warning",
          code: "not-strict-json",
          message:
            "trailing comma in a JSON file; tools that read it with a strict JSON parser will reject it",
        });
      }
      lastComma = -1;
    } else if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia) {
      lastComma = -1;
    }
    if (out.length >= 20) break;
  }
  return out;
}

/**
 * Builds the value in one pass (as jsonc-parser's own `parse` does) and reports duplicate keys on the way:
 * JSON parsers disagree on which value wins, so a reviewer may read a different value than the agent.
 */
function readValue(
  text: string,
  at: (o: number) => Position,
): { value: unknown; errors: ParseError[]; duplicates: ParseMessage[] } {
  const errors: ParseError[] = [];
  const duplicates: ParseMessage[] = [];
  type Frame = { container: Record<string, unknown> | unknown[]; key?: string; keys?: Map<string, number> };
  const stack: Frame[] = [];
  let root: unknown;
  const attach = (value: unknown) => {
    const top = stack[stack.length - 1];
    if (!top) root = value;
    else if (Array.isArray(top.container)) top.container.push(value);
    else if (top.key !== undefined) top.container[top.key] = value;
  };
  visit(
    text,
    {
      onObjectBegin: () => {
        const obj: Record<string, unknown> = {};
        attach(obj);
        stack.push({ container: obj, keys: new Map() });
      },
      onObjectProperty: (name, offset) => {
        const top = stack[stack.length - 1]!;
        const first = top.keys!.get(name);
        if (first !== undefined) {
          duplicates.push({
            ...at(offset),
            severity: "warning",
            code: "duplicate-key",
            message: `duplicate key "${name}" (first at line ${at(first).line}); tools disagree on which value wins`,
          });
        } else top.keys!.set(name, offset);
        top.key = name;
      },
      onObjectEnd: () => void stack.pop(),
      onArrayBegin: () => {
        const arr: unknown[] = [];
        attach(arr);
        stack.push({ container: arr });
      },
      onArrayEnd: () => void stack.pop(),
      onLiteralValue: (value) => attach(value),
      onError: (error, offset, length) => void errors.push({ error, offset, length }),
    },
    PARSE_OPTIONS,
  );
  return { value: root, errors, duplicates };
}

const propertyIndex = new WeakMap<Node, Map<string, Node>>();
/** Key → property node of an object (the last duplicate wins, as in the value), built once per object. */
function propertiesByKey(object: Node): Map<string, Node> {
  let index = propertyIndex.get(object);
  if (!index) {
    index = new Map();
    for (const p of object.children ?? []) {
      const key = p.children?.[0]?.value;
      if (typeof key === "string") index.set(key, p);
    }
    propertyIndex.set(object, index);
  }
  return index;
}

function locateNode(
  root: Node | undefined,
  pointer: readonly PointerSegment[],
  target: "key" | "value",
): number {
  let node = root;
  if (!node) return 0;
  for (let i = 0; i < pointer.length; i++) {
    const seg = pointer[i]!;
    let next: Node | undefined;
    if (node.type === "object") {
      const prop: Node | undefined = propertiesByKey(node).get(String(seg));
      if (prop) {
        if (i === pointer.length - 1 && target === "key") return prop.children![0]!.offset;
        next = prop.children?.[1];
      }
    } else if (node.type === "array") {
      next = node.children?.[Number(seg)];
    }
    if (!next) return node.offset;
    node = next;
  }
  return node.offset;
}
