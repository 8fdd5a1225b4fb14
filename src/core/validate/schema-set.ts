import { createHash } from "node:crypto";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsImport from "ajv-formats";

// ajv-formats is CommonJS whose `module.exports` is the plugin itself.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

/** Annotation keywords our schemas use to grade and explain failures (see docs/formats.md). */
export const SEVERITY_KEYWORD = "x-severity";
export const HINT_KEYWORD = "x-hint";

export type SchemaObject = Record<string, unknown>;

export interface CompiledSchema {
  validate: (data: unknown) => readonly ErrorObject[];
  /** Severity of unknown-key (`additionalProperties: false`) failures for this schema. */
  unknownKeys: "warning" | "error";
}

/** Custom schemas compiled per process, keyed by content hash, so every evaluation reuses them. */
const MAX_CUSTOM_SCHEMAS = 200;

function newAjv<T extends Ajv>(make: () => T): T {
  const ajv = make();
  addFormats(ajv);
  ajv.addKeyword({ keyword: SEVERITY_KEYWORD, schemaType: "string" });
  ajv.addKeyword({ keyword: HINT_KEYWORD, schemaType: "string" });
  return ajv;
}

const AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true, strictTuples: false } as const;

/**
 * The built-in schemas (compiled once, lazily, on first use) plus the repositories' own schemas. One
 * instance serves a whole process: the CLI makes one, the GitHub App shares one across deliveries.
 */
export class SchemaSet {
  private readonly builtin: Ajv2020;
  private readonly compiled = new Map<string, CompiledSchema>();
  private readonly custom = new Map<string, CompiledSchema | Error>();

  constructor(
    private readonly schemas: ReadonlyMap<string, SchemaObject>,
    shared: readonly SchemaObject[] = [],
  ) {
    this.builtin = newAjv(() => new Ajv2020({ ...AJV_OPTIONS, strict: true }));
    for (const s of shared) this.builtin.addSchema(s);
  }

  has(id: string): boolean {
    return this.schemas.has(id);
  }

  /** Top-level property names of a built-in schema: the keys a lenient front-matter reader looks for. */
  topLevelKeys(id: string): ReadonlySet<string> | undefined {
    const props = this.schemas.get(id)?.properties;
    return props && typeof props === "object" ? new Set(Object.keys(props)) : undefined;
  }

  ids(): string[] {
    return [...this.schemas.keys()];
  }

  /** A built-in schema by id (`policy`, `claude-settings`…), compiled on first use. */
  builtinSchema(id: string): CompiledSchema {
    let c = this.compiled.get(id);
    if (!c) {
      const schema = this.schemas.get(id);
      if (!schema) throw new Error(`no built-in schema "${id}"`);
      const fn = this.builtin.compile(schema);
      c = { validate: run(fn), unknownKeys: id === "policy" ? "error" : "warning" };
      this.compiled.set(id, c);
    }
    return c;
  }

  /**
   * A repository's own schema (already parsed from JSON or YAML). Draft-07 and 2020-12 are supported; other
   * keywords are tolerated. A schema that cannot be compiled yields an Error whose message names the problem.
   */
  customSchema(schema: unknown, unknownKeys: "warning" | "error"): CompiledSchema | Error {
    const key = `${unknownKeys}:${createHash("sha256")
      .update(JSON.stringify(schema) ?? "")
      .digest("hex")}`;
    const hit = this.custom.get(key);
    if (hit) return hit;
    let result: CompiledSchema | Error;
    try {
      if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
        throw new Error("a JSON Schema must be an object");
      }
      const s = schema as SchemaObject;
      const dialect = dialectOf(s.$schema);
      // A fresh Ajv per custom schema: repositories' $ids must not collide with each other or ours. No
      // logger: Ajv's console warnings about a repository's schema would reach nobody who can act on them.
      const options = { ...AJV_OPTIONS, strict: false, validateSchema: true, logger: false } as const;
      const ajv =
        dialect === "draft-07" ? newAjv(() => new Ajv(options)) : newAjv(() => new Ajv2020(options));
      result = { validate: run(ajv.compile(s)), unknownKeys };
    } catch (err) {
      result = err instanceof Error ? err : new Error(String(err));
    }
    if (this.custom.size >= MAX_CUSTOM_SCHEMAS) this.custom.delete(this.custom.keys().next().value!);
    this.custom.set(key, result);
    return result;
  }
}

/**
 * The JSON Schema dialect a custom schema declares: draft-07 or 2020-12 (also when `$schema` is absent).
 * Others would fail to compile with Ajv's "no schema with key or ref", which names no fix.
 */
function dialectOf($schema: unknown): "draft-07" | "2020-12" {
  if ($schema === undefined) return "2020-12";
  const uri = typeof $schema === "string" ? $schema.replace(/^https?:\/\//, "").replace(/#?$/, "") : "";
  if (uri === "json-schema.org/draft-07/schema") return "draft-07";
  if (uri === "json-schema.org/draft/2020-12/schema") return "2020-12";
  throw new Error(
    `$schema ${JSON.stringify($schema)} is not supported; use "http://json-schema.org/draft-07/schema#" or "https://json-schema.org/draft/2020-12/schema" (or leave $schema out for 2020-12)`,
  );
}

function run(fn: ValidateFunction): (data: unknown) => readonly ErrorObject[] {
  return (data) => (fn(data) ? [] : [...(fn.errors ?? [])]);
}
