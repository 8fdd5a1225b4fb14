import { readFileSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import { EXCEPTION_CODES } from "../../../src/core/changelog/records/index.js";
import { RECORD_TYPES } from "../../../src/core/changelog/types.js";
import { recordSchema } from "./records-fixtures.js";

type Node = {
  $ref?: string;
  oneOf?: Node[];
  type?: string | string[];
  items?: Node;
  properties?: Record<string, Node>;
};

const schema = recordSchema() as { $defs: Record<string, Node> };
const doc = readFileSync(new URL("../../../docs/changelog-format.md", import.meta.url), "utf8");
const ENVELOPE = [
  "schema",
  "type",
  "seq",
  "record_id",
  "recorded_at",
  "prev_hash",
  "record_hash",
  "leaf_index",
];

/** Dotted field paths (`approvals[].reviewer`); a `$ref` to a shared shape is a leaf (its fields are documented once). */
function paths(props: Record<string, Node>, prefix = ""): string[] {
  return Object.entries(props).flatMap(([k, v]) => {
    const p = `${prefix}${k}`;
    const n = v.oneOf?.find((x) => x.type !== "null") ?? v;
    if (n.$ref) return [p];
    if (n.items?.properties) return [p, ...paths(n.items.properties, `${p}[].`)];
    if (n.properties) return [p, ...paths(n.properties, `${p}.`)];
    return [p];
  });
}

/** The text of a `## heading` section (up to the next `## `). */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/changelog-format.md has no section "## ${heading}"`);
  const end = doc.indexOf("\n## ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** Fields documented in a section: backticked names in the first column of its tables. */
function documented(text: string): Set<string> {
  return new Set([...text.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!));
}

describe("docs/changelog-format.md documents every field of the record schema", () => {
  test("the envelope", () => {
    const env = documented(section("Envelope"));
    expect(ENVELOPE.filter((f) => !env.has(f))).toEqual([]);
  });

  test.each([...RECORD_TYPES])("every field of %s, in its own section", (type) => {
    const def = schema.$defs[type.replace(".", "_")]!;
    const fields = paths(def.properties!).filter((p) => !ENVELOPE.includes(p));
    const have = documented(section(`\`${type}\``));
    expect(fields.filter((f) => !have.has(f))).toEqual([]);
    // and nothing documented that the schema does not have
    expect([...have].filter((f) => !fields.includes(f))).toEqual([]);
  });

  test("every field of every shared shape", () => {
    const shared = section("Shared shapes");
    const have = documented(shared);
    const used = new Set(
      JSON.stringify(schema.$defs)
        .match(/#\/\$defs\/[A-Za-z0-9_]+/g)!
        .map((r) => r.slice("#/$defs/".length)),
    );
    const shapes = [...used].filter((name) => schema.$defs[name]!.properties && !name.includes("_"));
    expect(shapes.sort()).toEqual([
      "account",
      "commit",
      "exception",
      "file",
      "loginRef",
      "policyRef",
      "repository",
    ]);
    const missing = shapes.flatMap((name) =>
      Object.keys(schema.$defs[name]!.properties!)
        .map((f) => `${name}.${f}`)
        .filter((f) => !have.has(f)),
    );
    expect(missing).toEqual([]);
  });

  test("every exception code is explained", () => {
    expect(EXCEPTION_CODES.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });
});
