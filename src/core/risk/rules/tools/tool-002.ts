import { reveal } from "../../reveal.js";
import type { RawFinding, RiskRule } from "../../types.js";
import {
  canonical,
  isObject,
  type Obj,
  objectSchemas,
  sameTools,
  schemaLine,
  schemaProperties,
  show,
  toolLine,
  words,
} from "./util.js";

/** Keywords whose removal (or raising) lets a value through that was refused before. */
const LIMITS = ["pattern", "maxLength", "format", "maximum", "exclusiveMaximum", "maxItems"] as const;
const NUMERIC_LIMITS = new Set<string>(["maxLength", "maximum", "exclusiveMaximum", "maxItems"]);

/** Parameter names that, as a free string, hand the model a command, code, location or query. */
const RISKY_WORDS = new Set([
  "command",
  "cmd",
  "script",
  "url",
  "uri",
  "query",
  "sql",
  "shell",
  "commands",
  "urls",
]);
/** Location words count only as the last word (`file_path`, `target_dir`, but not `file_id`). */
const RISKY_LAST = new Set(["path", "file", "filename", "filepath", "dir", "directory", "paths", "files"]);
const RISKY_SUFFIXES = ["command", "script", "url", "uri", "path", "query", "sql"];
const CODE_PREFIXES = new Set(["source", "python", "js", "javascript", "shell", "bash", "program", "raw"]);

/** Whether a parameter name asks for a command, code, URL, path, file or query. */
export function riskyParameterName(key: string): boolean {
  const w = words(key);
  if (w.some((x) => RISKY_WORDS.has(x))) return true;
  const last = w[w.length - 1] ?? "";
  if (RISKY_LAST.has(last) || (last === "name" && w[w.length - 2] === "file")) return true;
  if (last === "code") return w.length === 1 || CODE_PREFIXES.has(w[w.length - 2] ?? "");
  // Joined words: `filepath`, `targeturl`, `sqlquery`.
  return w.some((x) => x.length > 3 && RISKY_SUFFIXES.some((s) => x.endsWith(s) && x !== s));
}

const types = (s: Obj): string[] | undefined =>
  typeof s.type === "string"
    ? [s.type]
    : Array.isArray(s.type)
      ? s.type.filter((t): t is string => typeof t === "string")
      : undefined;

/** A string parameter with nothing that limits its value. */
function freeString(s: Obj): boolean {
  const t = types(s);
  if (t && !t.includes("string")) return false;
  return (
    !("enum" in s) &&
    !("const" in s) &&
    !("pattern" in s) &&
    !(typeof s.maxLength === "number" && s.maxLength <= 64)
  );
}

export const tool002: RiskRule = {
  id: "TOOL-002",
  title: "Tool input schema widened",
  threat: "tool-misuse",
  severity: "medium",
  trigger:
    "An existing tool's input schema accepts more than before: an enum became a free string, a pattern/maxLength/format/maximum limit was removed or raised, additionalProperties was opened, a limited parameter or the whole schema was removed while extra arguments are accepted, or a free-form command/code/URL/path/file/query parameter was added.",
  fix: "Keep the narrower schema unless the tool really needs the wider input; if it does, make sure the tool itself validates the value (allow-lists, path and host checks) and get the tool owner's approval.",
  owasp: ["LLM06"],
  atlas: ["AML.T0053"],
  check(file) {
    const out: RawFinding[] = [];
    for (const { before, after } of sameTools(file)) {
      if (canonical(before.inputSchema) === canonical(after.inputSchema)) continue;
      const at = (rel: (string | number)[]) => schemaLine(file, after, rel);
      const tool = `tool "${reveal(after.name)}"`;

      if (
        isObject(before.inputSchema) &&
        Object.keys(before.inputSchema).length > 0 &&
        !isObject(after.inputSchema)
      ) {
        out.push({
          line: toolLine(file, after),
          message: `${tool}: its input schema was removed, so the model may pass any arguments. Restore a schema that names and limits each parameter.`,
        });
        continue;
      }

      const beforeProps = new Map(schemaProperties(before.inputSchema).map((p) => [p.name, p]));
      const afterProps = schemaProperties(after.inputSchema);
      const afterNames = new Set(afterProps.map((p) => p.name));
      for (const p of afterProps) {
        const old = beforeProps.get(p.name);
        const s = p.schema;
        if (!old) {
          if (freeString(s) && riskyParameterName(p.key))
            out.push({
              line: at(p.rel),
              message: `${tool} gains a free-form string parameter "${reveal(p.name)}": a model can put any command, code, URL, path or query there. Constrain it (enum, pattern, format) or validate it in the tool.`,
            });
          continue;
        }
        const o = old.schema;
        const widened: string[] = [];
        const oldChoices = Array.isArray(o.enum) ? o.enum : "const" in o ? [o.const] : undefined;
        if (oldChoices && !("enum" in s) && !("const" in s)) {
          const t = types(s);
          widened.push(
            `was limited to ${oldChoices
              .slice(0, 8)
              .map((v) => show(v, 30))
              .join(
                ", ",
              )}${oldChoices.length > 8 ? `, … (${oldChoices.length} values)` : ""} and is now ${t ? `any ${t.join("/")}` : "any value"}`,
          );
        }
        const oldTypes = types(o);
        const newTypes = types(s);
        if (
          oldTypes &&
          !oldTypes.includes("string") &&
          (!newTypes || newTypes.includes("string")) &&
          !oldChoices
        )
          widened.push(`was ${oldTypes.join("/")} and is now ${newTypes ? newTypes.join("/") : "untyped"}`);
        for (const k of LIMITS) {
          if (!(k in o)) continue;
          if (!(k in s)) widened.push(`lost its ${k} ${show(o[k], 40)}`);
          else if (
            NUMERIC_LIMITS.has(k) &&
            typeof o[k] === "number" &&
            typeof s[k] === "number" &&
            s[k] > o[k]
          )
            widened.push(`${k} raised from ${o[k]} to ${s[k]}`);
        }
        if (widened.length)
          out.push({
            line: at(p.rel),
            message: `${tool}: parameter "${reveal(p.name)}" ${widened.join("; ")}. The model can now pass values the tool refused before.`,
          });
      }

      // A limited parameter dropped from a schema that accepts extra arguments: the value is now unchecked.
      const afterObjects = new Map(objectSchemas(after.inputSchema).map((o) => [o.name, o]));
      for (const [name, p] of beforeProps) {
        if (afterNames.has(name)) continue;
        const dot = name.lastIndexOf(".");
        const holder = afterObjects.get(dot < 0 ? "" : name.slice(0, dot));
        if (!holder || holder.schema.additionalProperties === false) continue;
        const limits = [...LIMITS, "enum", "const"].filter((k) => k in p.schema);
        if (limits.length === 0) continue;
        out.push({
          line: at(holder.rel),
          message: `${tool}: parameter "${reveal(name)}" (limited by ${limits.join(", ")}) was removed while extra arguments are still accepted, so the model can pass it unchecked.`,
        });
      }

      const beforeObjects = new Map(objectSchemas(before.inputSchema).map((o) => [o.name, o.schema]));
      for (const o of objectSchemas(after.inputSchema)) {
        const old = beforeObjects.get(o.name);
        if (old?.additionalProperties !== false) continue;
        const now = o.schema.additionalProperties;
        if (now === false) continue;
        const what = o.name ? `object "${reveal(o.name)}"` : "its arguments";
        out.push({
          line: at(
            isObject(o.schema) && "additionalProperties" in o.schema
              ? [...o.rel, "additionalProperties"]
              : o.rel,
          ),
          message: `${tool}: ${what} had additionalProperties: false and now ${now === undefined ? "leaves it out" : `sets it to ${show(now, 40)}`}, so any extra argument is accepted.`,
        });
      }
    }
    return out;
  },
};
