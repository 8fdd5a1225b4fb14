import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { formatById } from "../../../../../src/core/formats/registry.js";
import { PERMISSIONS_RULES } from "../../../../../src/core/risk/rules/permissions.js";
import { CORPUS_DIR as CORPUS, CORPUS_PRESENT, corpusRows } from "../../../../helpers/corpus.js";
import { fileContext } from "../../../../helpers/risk.js";

const present = CORPUS_PRESENT;

interface Entry {
  format: string;
  file: string;
  path: string;
}

function entries(): Entry[] {
  return corpusRows()
    .map((r) => ({ format: r.format, file: r.localFile, path: r.path }))
    .filter((e) => formatById(e.format) !== undefined && existsSync(join(CORPUS, e.file)));
}

/** Every permissions rule over every real-world corpus file: as an added file, and diffed against itself. */
describe("permissions rules on the real-agent-configs corpus", () => {
  if (!present) {
    test.skip("corpus not available (/work/shared/corpus/real-agent-configs)", () => {});
    return;
  }
  const list = entries();

  test("a self-diff of any corpus file reports nothing, and no rule throws", () => {
    expect(list.length).toBeGreaterThan(50);
    for (const e of list) {
      const text = readFileSync(join(CORPUS, e.file), "utf8");
      const ctx = fileContext({ path: e.path, before: text, after: text, format: e.format });
      for (const rule of PERMISSIONS_RULES)
        expect([e.file, rule.id, rule.check(ctx)]).toEqual([e.file, rule.id, []]);
    }
  });

  test("added corpus files: findings per rule (printed for review)", () => {
    const counts = new Map<string, number>(PERMISSIONS_RULES.map((r) => [r.id, 0]));
    const lines: string[] = [];
    for (const e of list) {
      const text = readFileSync(join(CORPUS, e.file), "utf8");
      const ctx = fileContext({ path: e.path, after: text, format: e.format });
      const removed = fileContext({ path: e.path, before: text, format: e.format });
      for (const rule of PERMISSIONS_RULES) {
        const found = rule.check(ctx);
        expect(() => rule.check(removed)).not.toThrow();
        counts.set(rule.id, (counts.get(rule.id) ?? 0) + found.length);
        for (const f of found)
          lines.push(`${rule.id} ${f.severity ?? rule.severity} ${e.file}:${f.line} ${f.message}`);
      }
    }
    if (process.env.CORPUS_REPORT)
      console.log([...counts].map(([k, v]) => `${k}=${v}`).join(" "), `\n${lines.join("\n")}`);
    // The corpus has permission-bearing files (settings with allow rules and hooks, agents with tools).
    expect(counts.get("PERM-002")).toBeGreaterThan(0);
    expect(counts.get("PERM-006")).toBeGreaterThan(0);
  });
});
