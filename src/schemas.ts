import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RecordSchema } from "./core/changelog/validate-record.js";
import { type SchemaObject, SchemaSet } from "./core/validate/schema-set.js";

/** The package's `schemas/` folder: one level above both `src/` (tests) and `lib/` (built). */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas");

let shared: SchemaSet | undefined;

/**
 * The built-in schemas shipped in `schemas/`: `policy` (the policy file), one per format
 * (`formats/<id>.schema.json`) and shared definitions (`formats/defs/*`). Read once per process.
 */
export function builtinSchemas(): SchemaSet {
  if (shared) return shared;
  const byId = new Map<string, SchemaObject>();
  byId.set("policy", readJson(join(SCHEMA_DIR, "policy.schema.json")));
  const formatsDir = join(SCHEMA_DIR, "formats");
  for (const name of listJson(formatsDir)) {
    byId.set(name.replace(/\.schema\.json$/, ""), readJson(join(formatsDir, name)));
  }
  const defsDir = join(formatsDir, "defs");
  const defs = listJson(defsDir).map((name) => readJson(join(defsDir, name)));
  shared = new SchemaSet(byId, defs);
  return shared;
}

let recordSchema: RecordSchema | undefined;

/**
 * The change log's record schema (`changelog-record.schema.json`), read once per process: the same object on
 * every call, so validate-record.ts compiles it once.
 */
export function changelogRecordSchema(): RecordSchema {
  recordSchema ??= readJson(join(SCHEMA_DIR, "changelog-record.schema.json")) as RecordSchema;
  return recordSchema;
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith(".schema.json"))
      .sort();
  } catch {
    return [];
  }
}

function readJson(path: string): SchemaObject {
  return JSON.parse(readFileSync(path, "utf8")) as SchemaObject;
}
