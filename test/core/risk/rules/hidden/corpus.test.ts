import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { HIDDEN_RULES } from "../../../../../src/core/risk/rules/hidden.js";
import { CORPUS_DIR as CORPUS, corpusRows, CORPUS_MANIFEST as MANIFEST } from "../../../../helpers/corpus.js";
import { fileContext } from "../../../../helpers/risk.js";

/** The shared corpus of real agent configs (not part of this repo): every HID rule on every file. */
function rows() {
  return corpusRows().map((r) => ({
    format: r.format,
    local: r.localFile,
    path: r.path,
    text: readFileSync(join(CORPUS, r.localFile), "utf8").replace(/^\uFEFF/, ""),
  }));
}

if (!existsSync(MANIFEST)) {
  describe.skip(`HID rules on the real-agent-configs corpus (skipped: ${MANIFEST} not found)`, () => {
    test("corpus", () => {});
  });
} else {
  describe("HID rules on the real-agent-configs corpus", () => {
    const corpus = rows();

    test("added corpus files: findings per rule", () => {
      const counts: Record<string, number> = {};
      const lines: string[] = [];
      for (const r of corpus) {
        const ctx = fileContext({ path: r.path, after: r.text, format: r.format });
        for (const rule of HIDDEN_RULES) {
          const found = rule.check(ctx);
          counts[rule.id] = (counts[rule.id] ?? 0) + found.length;
          for (const f of found)
            lines.push(`${rule.id} ${f.severity ?? rule.severity} ${r.local}:${f.line} ${f.message}`);
        }
      }
      if (process.env.CORPUS_REPORT)
        console.log(`HID corpus (added files): ${JSON.stringify(counts)}\n${lines.join("\n")}`);
      expect(counts).toEqual({ "HID-001": 0, "HID-002": 0, "HID-003": 0, "HID-004": 0, "HID-005": 0 });
    });

    test("self-diff of every corpus file gives nothing", () => {
      for (const r of corpus) {
        const ctx = fileContext({ path: r.path, before: r.text, after: r.text, format: r.format });
        for (const rule of HIDDEN_RULES)
          expect([r.local, rule.id, rule.check(ctx)]).toEqual([r.local, rule.id, []]);
      }
    });
  });
}
