import type { ErrorObject } from "ajv";
import { decodePointer, type ParsedDocument, type PointerSegment } from "../parse/document.js";
import type { MessageSeverity, ValidationMessage } from "../types.js";
import { HINT_KEYWORD, SEVERITY_KEYWORD } from "./schema-set.js";

/**
 * Most schema messages reported per file. A file with thousands of problems is wrong in one or two ways;
 * listing them all would bury the report (and cost time), so the rest are counted in one last message.
 */
export const MAX_SCHEMA_MESSAGES_PER_FILE = 100;

/**
 * Turns Ajv errors into messages a person can act on: positioned at the failing value (or key), graded
 * (unknown keys are warnings unless the schema or policy says otherwise; `x-severity` in a subschema
 * overrides), explained (`x-hint`, "did you mean"), and without the noise of every failed `oneOf` branch.
 */
export function schemaMessages(
  errors: readonly ErrorObject[],
  doc: ParsedDocument,
  path: string,
  unknownKeys: MessageSeverity,
  pointerPrefix: readonly PointerSegment[] = [],
): ValidationMessage[] {
  const out: ValidationMessage[] = [];
  const seen = new Set<string>();
  // Errors before warnings, so the cap never hides an error behind a pile of unknown keys.
  const collapsed = collapseAlternatives(errors);
  const all = [
    ...collapsed.filter((e) => gradeOf(e, unknownKeys) === "error"),
    ...collapsed.filter((e) => gradeOf(e, unknownKeys) !== "error"),
  ];
  for (const [i, e] of all.entries()) {
    if (out.length >= MAX_SCHEMA_MESSAGES_PER_FILE) {
      out.push(moreMessages(all.slice(i), doc, path, unknownKeys));
      break;
    }
    const at = [...pointerPrefix, ...decodePointer(e.instancePath)];
    const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
    const graded = parent[SEVERITY_KEYWORD] as MessageSeverity | undefined;
    const hintText = typeof parent[HINT_KEYWORD] === "string" ? (parent[HINT_KEYWORD] as string) : undefined;
    let hint = hintText ? ` (${hintText})` : "";
    let pointer = at;
    let target: "key" | "value" = "value";
    let severity: MessageSeverity = graded ?? "error";
    let code = "schema";
    let text: string;
    const where = readablePath(at);
    switch (e.keyword) {
      case "additionalProperties": {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        pointer = [...at, key];
        target = "key";
        severity = graded ?? unknownKeys;
        code = "unknown-key";
        const known = Object.keys((parent.properties as object | undefined) ?? {});
        const guess = didYouMean(key, known);
        text = `unknown key "${key}"${where ? ` in ${where}` : " at the top level"}${guess ? `; did you mean "${guess}"?` : "."} ${
          severity === "warning"
            ? "The format does not define it, so the agent tool ignores it (or rejects the file)"
            : "It is not allowed here"
        }`;
        break;
      }
      case "required": {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        text = `${where ? `${where}: ` : ""}missing required key "${key}"`;
        break;
      }
      case "type":
        text = `${where || "value"} must be ${article(String((e.params as { type: string }).type))}, not ${describeType(e.data)}`;
        break;
      case "enum": {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        text = hint
          ? `${where || "value"} has an unsupported value ${short(e.data)}`
          : `${where || "value"} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}; got ${short(e.data)}`;
        break;
      }
      case "const":
        text = `${where || "value"} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}; got ${short(e.data)}`;
        break;
      case "pattern":
        text = `${where || "value"} ${hint ? "has the wrong form" : `does not match the pattern ${(e.params as { pattern: string }).pattern}`}`;
        break;
      case "oneOf":
      case "anyOf":
        // A hint on an alternation says what the value should be: use it as the sentence, not a suffix.
        text = `${where || "value"} must be ${hintText ?? alternatives(e)}; got ${describeType(e.data)}`;
        hint = "";
        break;
      default:
        text = `${where || "value"} ${e.message ?? "is invalid"}`;
    }
    const pos = doc.locate(pointer, target);
    const message = `${text}${hint}`;
    const dedupe = `${pos.line}:${pos.column}:${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push({ path, line: pos.line, column: pos.column, severity, code, message, pointer: encode(pointer) });
  }
  // In reading order, whatever order the schema reported them in.
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function gradeOf(e: ErrorObject, unknownKeys: MessageSeverity): MessageSeverity {
  const graded = (e.parentSchema as Record<string, unknown> | undefined)?.[SEVERITY_KEYWORD] as
    | MessageSeverity
    | undefined;
  return graded ?? (e.keyword === "additionalProperties" ? unknownKeys : "error");
}

/** The message standing for the problems past the cap: an error if any of them is one. */
function moreMessages(
  rest: readonly ErrorObject[],
  doc: ParsedDocument,
  path: string,
  unknownKeys: MessageSeverity,
): ValidationMessage {
  const severity = rest.some((e) => gradeOf(e, unknownKeys) === "error") ? "error" : "warning";
  const pos = doc.locate(decodePointer(rest[0]!.instancePath));
  return {
    path,
    line: pos.line,
    column: pos.column,
    severity,
    code: "schema",
    message: `${rest.length} more schema problem${rest.length === 1 ? "" : "s"} in this file, not listed (only the first ${MAX_SCHEMA_MESSAGES_PER_FILE} are shown)`,
  };
}

/**
 * For a failed `oneOf`/`anyOf`: if one alternative matched the value's shape and failed deeper inside it,
 * report that alternative's errors; otherwise report the alternation once and drop its branches' errors.
 *
 * Errors of an inline branch carry the alternation's schema path (`…/oneOf/1/…`). Errors behind a `$ref`
 * carry the referenced schema's path instead (`#/$defs/glob/type`), so they cannot be told apart by path.
 * Ajv reports a failed alternation right after its branches' errors, so those are found as the errors just
 * before it that concern the same value and do not come from the alternation's own (or an enclosing)
 * schema. Among them, errors below the value come from a branch whose shape matched.
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  // Outermost first: an alternation is reported after everything nested in it.
  for (let idx = errors.length - 1; idx >= 0; idx--) {
    const alt = errors[idx]!;
    if ((alt.keyword !== "oneOf" && alt.keyword !== "anyOf") || dropped.has(alt)) continue;
    const prefix = `${alt.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (e === alt || !e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split("/")[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const referenced: ErrorObject[] = [];
    for (let j = idx - 1; j >= 0; j--) {
      const e = errors[j]!;
      if (!atOrBelow(e, alt)) break;
      if (e.schemaPath.startsWith(prefix)) continue;
      if (sameScope(e, alt)) break;
      referenced.push(e);
    }
    const deeper = [...branches.values()].find((list) => list.every((e) => below(e, alt)));
    const referencedDeeper = referenced.filter((e) => below(e, alt));
    const keep = new Set<ErrorObject>(deeper ?? referencedDeeper);
    for (const list of branches.values()) for (const e of list) if (!keep.has(e)) dropped.add(e);
    for (const e of referenced) if (!keep.has(e)) dropped.add(e);
    if (keep.size > 0) dropped.add(alt);
  }
  return errors.filter((e) => !dropped.has(e) && e.keyword !== "if");
}

/** Whether an error concerns the alternation's value or something inside it. */
function atOrBelow(e: ErrorObject, alt: ErrorObject): boolean {
  return e.instancePath === alt.instancePath || e.instancePath.startsWith(`${alt.instancePath}/`);
}

/** Whether an error concerns something inside the alternation's value (an unknown key counts as inside). */
function below(e: ErrorObject, alt: ErrorObject): boolean {
  return (
    e.instancePath.startsWith(`${alt.instancePath}/`) ||
    (e.instancePath === alt.instancePath && e.keyword === "additionalProperties")
  );
}

/**
 * Whether an error comes from the alternation's own schema or an enclosing one (a sibling keyword), rather
 * than from inside a referenced branch: its schema path shares more than the root with the alternation's.
 */
function sameScope(e: ErrorObject, alt: ErrorObject): boolean {
  const a = alt.schemaPath.split("/");
  const s = e.schemaPath.split("/");
  if (a.length <= 2) {
    // The alternation sits at the root of a referenced schema: a sibling is one of that schema's keywords.
    const k = s[1];
    const parent = (alt.parentSchema ?? {}) as Record<string, unknown>;
    return k !== undefined && k !== alt.keyword && !DEFS.has(k) && Object.hasOwn(parent, k);
  }
  let shared = 0;
  while (shared < a.length - 1 && s[shared] === a[shared]) shared++;
  if (shared <= 1) return false;
  return !(shared === 2 && DEFS.has(a[1]!));
}
const DEFS = new Set(["$defs", "definitions"]);

function alternatives(e: ErrorObject): string {
  const list = ((e.schema as unknown[] | undefined) ?? []) as Record<string, unknown>[];
  const names = list.map((s) => {
    if ("const" in s) return JSON.stringify(s.const);
    if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" or ");
    if (typeof s.$ref === "string") return s.$ref.split("/").pop()!;
    if (typeof s.type === "string") return article(s.type);
    return "another shape";
  });
  return names.length
    ? `${names.slice(0, -1).join(", ")}${names.length > 1 ? " or " : ""}${names[names.length - 1]}`
    : "valid";
}

function readablePath(segments: readonly PointerSegment[]): string {
  let out = "";
  for (const s of segments) {
    const str = String(s);
    if (/^\d+$/.test(str)) out += `[${str}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(str)) out += out ? `.${str}` : str;
    else out += `[${JSON.stringify(str)}]`;
  }
  return out;
}

function encode(segments: readonly PointerSegment[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: "an object",
    array: "an array",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
    null: "null",
  };
  return type
    .split(",")
    .map((t) => words[t] ?? t)
    .join(" or ");
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${short(v)}`;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return `the number ${v}`;
  return typeof v;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** The closest known key within a small edit distance, for typos such as `mcpServer` or `comand`. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = key.toLowerCase();
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : levenshtein(lower, k.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  const limit = Math.max(1, Math.floor(key.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
