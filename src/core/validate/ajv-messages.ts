import type { ErrorObject } from "ajv";
import { decodePointer, type ParsedDocument, type PointerSegment } from "../parse/document.js";
import type { MessageSeverity, ValidationMessage } from "../types.js";
import { HINT_KEYWORD, SEVERITY_KEYWORD } from "./schema-set.js";

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
  for (const e of collapseAlternatives(errors)) {
    const at = [...pointerPrefix, ...decodePointer(e.instancePath)];
    const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
    const graded = parent[SEVERITY_KEYWORD] as MessageSeverity | undefined;
    const hint = typeof parent[HINT_KEYWORD] === "string" ? ` (${parent[HINT_KEYWORD]})` : "";
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
        text = `unknown key "${key}"${where ? ` in ${where}` : " at the top level"}${guess ? `; did you mean "${guess}"?` : "."} The format does not define it, so tools ignore it (or reject the file)`;
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
        text = `${where || "value"} ${hint ? "has the wrong shape" : `must be ${alternatives(e)}`}; got ${describeType(e.data)}`;
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
  return out;
}

/**
 * For a failed `oneOf`/`anyOf`: if one alternative matched the value's shape and failed deeper inside it,
 * report that alternative's errors; otherwise report the alternation once and drop its branches' errors.
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const alts = errors
    .filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const alt of alts) {
    if (dropped.has(alt)) continue;
    const prefix = `${alt.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (e === alt || !e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split("/")[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const deeper = [...branches.values()].find((list) =>
      list.every(
        (e) => e.instancePath.length > alt.instancePath.length && e.instancePath.startsWith(alt.instancePath),
      ),
    );
    for (const list of branches.values()) for (const e of list) if (list !== deeper) dropped.add(e);
    if (deeper) dropped.add(alt);
  }
  return errors.filter((e) => !dropped.has(e) && e.keyword !== "if");
}

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
