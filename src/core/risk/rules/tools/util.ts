import type { ToolDef } from "../../../model/types.js";
import type { PointerSegment } from "../../../parse/document.js";
import { reveal } from "../../reveal.js";
import type { FileContext } from "../../types.js";

/** Helpers shared by the TOOL rules (not a rule: the group file lists the rules). */

export type Obj = Record<string, unknown>;

import { isRecord as isObject, valueAt as resolve } from "../../../parse/document.js";

export { isObject, resolve };

/** Longest identifier split into words; a longer one is cut (names are short, this bounds the work). */
const MAX_IDENT = 256;

/**
 * Words of an identifier, lower-cased: `run_command` → run, command; `executeSQLQuery` → execute, sql,
 * query; `AMAZON.CodeInterpreter` → amazon, code, interpreter.
 */
export function words(identifier: string): string[] {
  const s = identifier.slice(0, MAX_IDENT);
  const out: string[] = [];
  // Split on anything that is not a letter or digit, then on case changes (fooBar, HTTPServer → http, server).
  for (const part of s.split(/[^A-Za-z0-9]+/)) {
    if (part === "") continue;
    for (const w of part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []) out.push(w.toLowerCase());
  }
  return out;
}

type SideName = "before" | "after";

/** The line of a tool's name (or of the tool when the name cannot be found) on one side. */
export function toolLine(file: FileContext, tool: ToolDef, side: SideName = "after"): number {
  const data = file[side]?.doc.data;
  for (const key of [["name"], ["function", "name"], ["Name"]]) {
    const p = [...tool.pointer, ...key];
    if (typeof resolve(data, p) === "string") return file.locate(p, side).line;
  }
  return file.locate(tool.pointer, side).line;
}

/** Where a tool's input schema sits in the file, and how its properties are laid out there. */
interface RawSchema {
  pointer: PointerSegment[];
  /** `json`: a JSON Schema; `list`: a Prompty parameter list; `map`: Bedrock `{name: {Type…}}`. */
  layout: "json" | "list" | "map";
  value: unknown;
}

function rawSchema(file: FileContext, tool: ToolDef, side: SideName): RawSchema | undefined {
  const data = file[side]?.doc.data;
  const raw = resolve(data, tool.pointer);
  if (!isObject(raw)) return undefined;
  for (const key of [["inputSchema"], ["input_schema"], ["parameters"], ["function", "parameters"]]) {
    const value = resolve(raw, key);
    if (value === undefined) continue;
    const pointer = [...tool.pointer, ...key];
    if (Array.isArray(value)) return { pointer, layout: "list", value };
    if (isObject(value) && Array.isArray(value.properties))
      return { pointer: [...pointer, "properties"], layout: "list", value: value.properties };
    return { pointer, layout: "json", value };
  }
  if (isObject(raw.Parameters))
    return { pointer: [...tool.pointer, "Parameters"], layout: "map", value: raw.Parameters };
  return undefined;
}

/**
 * The file position of a place inside a tool's (normalised) input schema, given as a pointer relative to
 * the schema (`["properties", "cmd", "pattern"]`). Falls back to the nearest enclosing thing that exists.
 */
export function schemaLine(
  file: FileContext,
  tool: ToolDef,
  rel: readonly PointerSegment[],
  side: SideName = "after",
): number {
  const raw = rawSchema(file, tool, side);
  if (!raw) return toolLine(file, tool, side);
  let pointer: PointerSegment[] = [...raw.pointer, ...rel];
  if (raw.layout !== "json" && rel[0] === "properties" && typeof rel[1] === "string") {
    const name = rel[1];
    if (raw.layout === "map") pointer = [...raw.pointer, name, ...rel.slice(2)];
    else {
      const i = (raw.value as unknown[]).findIndex((p) => isObject(p) && p.name === name);
      pointer = i < 0 ? raw.pointer : [...raw.pointer, i, ...rel.slice(2)];
    }
  } else if (raw.layout !== "json") pointer = raw.pointer;
  return file.locate(pointer, side).line;
}

/** One property of an input schema, at any depth (nested objects and array items). */
export interface SchemaProperty {
  /** Dotted display name: `options.cmd`, `files[].path`. */
  name: string;
  /** Last segment: the property's own name. */
  key: string;
  schema: Obj;
  /** Pointer relative to the schema root (`properties/options/properties/cmd`). */
  rel: PointerSegment[];
}

/** Properties walked at most, and nesting followed at most, per schema. */
const MAX_PROPERTIES = 500;
const MAX_DEPTH = 8;

/** Every property of a JSON Schema object (the root's and nested ones), in document order. */
export function schemaProperties(schema: unknown): SchemaProperty[] {
  const out: SchemaProperty[] = [];
  const walk = (s: unknown, prefix: string, rel: PointerSegment[], depth: number) => {
    if (!isObject(s) || depth > MAX_DEPTH) return;
    if (isObject(s.properties)) {
      for (const [key, sub] of Object.entries(s.properties)) {
        if (out.length >= MAX_PROPERTIES) return;
        if (!isObject(sub)) continue;
        const name = prefix ? `${prefix}.${key}` : key;
        const r = [...rel, "properties", key];
        out.push({ name, key, schema: sub, rel: r });
        walk(sub, name, r, depth + 1);
      }
    }
    if (isObject(s.items)) walk(s.items, `${prefix}[]`, [...rel, "items"], depth + 1);
  };
  walk(schema, "", [], 0);
  return out;
}

/** Object schemas inside a schema (the root, nested objects, array items), each with its relative pointer. */
export function objectSchemas(schema: unknown): { name: string; schema: Obj; rel: PointerSegment[] }[] {
  const out: { name: string; schema: Obj; rel: PointerSegment[] }[] = [];
  if (isObject(schema)) out.push({ name: "", schema, rel: [] });
  for (const p of schemaProperties(schema)) {
    if (isObject(p.schema.properties) || p.schema.type === "object")
      out.push({ name: p.name, schema: p.schema, rel: p.rel });
    if (isObject(p.schema.items))
      out.push({ name: `${p.name}[]`, schema: p.schema.items, rel: [...p.rel, "items"] });
  }
  return out;
}

/** A stable serialisation for comparing values regardless of key order (linear, no intermediate strings). */
export function canonical(v: unknown): string {
  const out: string[] = [];
  write(v, out, 0);
  return out.join("");
}

/** Whether JSON would escape something in the string (quote, backslash, controls, lone surrogates). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
const quote = (s: string) => (needsEscape(s) ? JSON.stringify(s) : `"${s}"`);

function write(v: unknown, out: string[], depth: number): void {
  if (depth > 64) {
    out.push('"…"');
  } else if (typeof v === "string") {
    out.push(quote(v));
  } else if (typeof v === "number" || typeof v === "boolean") {
    out.push(String(v));
  } else if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(",");
      write(v[i], out, depth + 1);
    }
    out.push("]");
  } else if (isObject(v)) {
    const keys = Object.keys(v).sort();
    out.push("{");
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i) out.push(",");
      out.push(quote(k), ":");
      write(v[k], out, depth + 1);
    }
    out.push("}");
  } else {
    out.push(v === undefined ? "undefined" : "null");
  }
}

/**
 * A short quoted rendering of a value for messages: hidden characters revealed, cut at `max` characters,
 * never throwing (cyclic YAML values become `…`).
 */
export function show(v: unknown, max = 60): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = "…";
  }
  return reveal(s.length > max ? `${s.slice(0, max - 1)}…` : s);
}

/** Tools in both sides under the same key: the pairs TOOL-002/003/004 compare. */
export function sameTools(file: FileContext): { key: string; before: ToolDef; after: ToolDef }[] {
  const b = file.before?.model.tools;
  const a = file.after?.model.tools;
  if (!b || !a) return [];
  const out: { key: string; before: ToolDef; after: ToolDef }[] = [];
  for (const [key, after] of a) {
    const before = b.get(key);
    if (before) out.push({ key, before, after });
  }
  return out;
}
