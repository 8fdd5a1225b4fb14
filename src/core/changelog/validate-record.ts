/**
 * Checks records against schemas/changelog-record.schema.json. Pure: callers pass the parsed schema (the CLI and
 * the app read it once from the package's `schemas/`); it is compiled once per schema object and reused.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsImport from "ajv-formats";
import { GENESIS_HASH } from "./types.js";

// ajv-formats is CommonJS whose `module.exports` is the plugin itself.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

export type RecordSchema = Record<string, unknown>;

const compiled = new WeakMap<RecordSchema, ValidateFunction>();

function validator(schema: RecordSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Problems with a sealed record, one sentence each (empty: valid). Errors are reported against the branch
 * of the record's own `type`, so a bad `change.merged` is not drowned in the other types' mismatches.
 */
export function validateRecord(record: unknown, schema: RecordSchema): string[] {
  const fn = validator(schema);
  if (fn(record)) return [];
  return describe(fn.errors ?? [], record);
}

/** Problems with a draft (a builder's output): validated as a record with placeholder seal fields. */
export function validateDraft(draft: Record<string, unknown>, schema: RecordSchema): string[] {
  return validateRecord(
    { ...draft, seq: 1, prev_hash: GENESIS_HASH, record_hash: GENESIS_HASH, leaf_index: 0 },
    schema,
  );
}

function describe(errors: readonly ErrorObject[], record: unknown): string[] {
  const type =
    record !== null && typeof record === "object" ? (record as { type?: unknown }).type : undefined;
  const branch = typeof type === "string" ? `/$defs/${type.replace(".", "_")}/` : undefined;
  const own = branch ? errors.filter((e) => e.schemaPath.includes(branch)) : [];
  const chosen = own.length > 0 ? own : errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "$ref");
  const out = (chosen.length > 0 ? chosen : errors).map((e) => {
    const where = e.instancePath === "" ? "record" : e.instancePath;
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
        : "";
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
  return [...new Set(out)];
}
