import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { BUILTIN_FORMATS } from "../../src/core/formats/registry.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("docs/formats.md", () => {
  test("its format table is the one generated from the registry (run scripts/gen-formats-doc.mjs)", async () => {
    const { formatsTable, replaceTable } = (await import(join(root, "scripts", "gen-formats-doc.mjs"))) as {
      formatsTable: (f: typeof BUILTIN_FORMATS) => string;
      replaceTable: (text: string, table: string) => string;
    };
    const doc = readFileSync(join(root, "docs", "formats.md"), "utf8");
    expect(doc).toContain("<!-- BEGIN formats -->");
    expect(replaceTable(doc, formatsTable(BUILTIN_FORMATS))).toBe(doc);
  });

  test("every format with a schema has its schema file", () => {
    for (const f of BUILTIN_FORMATS.filter((x) => x.schema && x.schema !== "policy")) {
      expect(() => readFileSync(join(root, "schemas", "formats", `${f.schema}.schema.json`))).not.toThrow();
    }
  });
});
