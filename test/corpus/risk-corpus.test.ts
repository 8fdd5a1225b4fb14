import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../src/core/evaluate.js";
import { defaultPolicy } from "../../src/core/policy/resolve.js";
import { builtinSchemas } from "../../src/schemas.js";
import { CORPUS_DIR, CORPUS_PRESENT, corpusBytes, corpusRows } from "../helpers/corpus.js";

if (!CORPUS_PRESENT)
  console.warn(`risk corpus tests skipped: ${CORPUS_DIR} is absent (it ships beside the project, not in it)`);
const present = CORPUS_PRESENT;
const rows = corpusRows().map((r) => ({ format: r.format, path: r.path, data: corpusBytes(r) }));

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
