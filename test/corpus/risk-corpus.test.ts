import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../src/core/evaluate.js";
import { defaultPolicy } from "../../src/core/policy/resolve.js";
import { builtinSchemas } from "../../src/schemas.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const corpus = join(root, "..", "shared", "corpus", "real-agent-configs");
const present = existsSync(join(corpus, "MANIFEST.tsv"));
if (!present)
  console.warn(`risk corpus tests skipped: ${corpus} is absent (it ships beside the project, not in it)`);

const rows = present
  ? readFileSync(join(corpus, "MANIFEST.tsv"), "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "")
      .slice(1)
      .map((l) => {
        const [format, local, , path] = l.split("\t");
        return { format: format!, path: path!, data: new Uint8Array(readFileSync(join(corpus, local!))) };
      })
  : [];

(present ? describe : describe.skip)("risk rules on the real-world corpus", () => {
  test.each(rows.map((r) => [r.path, r] as const))("%s diffed against itself: no findings", (_p, row) => {
    const blob = { size: row.data.length, data: row.data };
    const ev = evaluateChange({
      changes: [{ path: row.path, status: "modified", before: blob, after: blob }],
      policy: defaultPolicy(),
      schemas: builtinSchemas(),
    });
    expect(ev.files.map((f) => f.format)).toEqual([row.format]);
    expect(ev.findings).toEqual([]);
    expect(ev.diff).toEqual([]);
  });

  test("every file added from nothing is assessed without a rule failing", () => {
    for (const row of rows) {
      const ev = evaluateChange({
        changes: [{ path: row.path, status: "added", after: { size: row.data.length, data: row.data } }],
        policy: defaultPolicy(),
        schemas: builtinSchemas(),
      });
      expect(ev.findings.filter((f) => /could not evaluate this file/.test(f.message))).toEqual([]);
    }
  });
});
