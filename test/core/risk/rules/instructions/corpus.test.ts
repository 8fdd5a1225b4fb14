import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { INSTRUCTIONS_RULES } from "../../../../../src/core/risk/rules/instructions.js";
import { CORPUS_DIR as CORPUS, corpusRows, CORPUS_MANIFEST as MANIFEST } from "../../../../helpers/corpus.js";
import { fileContext } from "../../../../helpers/risk.js";

/** Real agent configs (shared corpus outside this repo, see its README): read, never copied here. */
function rows(): { format: string; file: string; path: string }[] {
  return corpusRows().map((r) => ({ format: r.format, file: r.localFile, path: r.path }));
}

/**
 * Findings expected on corpus files added whole, as `file:line`. The real CLAUDE.md / AGENTS.md / Cursor and
 * Copilot files come out clean: openai/codex's "do not ask for approval to run it" and the subagent's "no need
 * to ask for permission to fetch" are approval shortcuts without a sensitive object or sink (permission
 * territory, not concealment). When the corpus grows, judge each new finding and list it here.
 */
const EXPECTED: Record<string, string[]> = {};

const present = existsSync(MANIFEST);

describe("instruction rules on the real-agent-configs corpus", () => {
  if (!present) {
    test.skip(`corpus not found at ${CORPUS}: nothing to check`, () => {});
    return;
  }

  test("every corpus file added whole gives exactly the expected findings", () => {
    const got: Record<string, string[]> = {};
    for (const r of rows()) {
      const ctx = fileContext({
        path: r.path,
        after: readFileSync(join(CORPUS, r.file), "utf8"),
        format: r.format,
      });
      for (const rule of INSTRUCTIONS_RULES) {
        for (const f of rule.check(ctx)) {
          const list = got[rule.id] ?? [];
          list.push(`${r.file}:${f.line}`);
          got[rule.id] = list;
        }
      }
    }
    expect(got).toEqual(EXPECTED);
  });

  test("a self-diff of every corpus file finds nothing", () => {
    for (const r of rows()) {
      const text = readFileSync(join(CORPUS, r.file), "utf8");
      const ctx = fileContext({ path: r.path, before: text, after: text, format: r.format });
      for (const rule of INSTRUCTIONS_RULES)
        expect([r.file, rule.id, rule.check(ctx)]).toEqual([r.file, rule.id, []]);
    }
  });

  test("removing a corpus instruction file reports its guardrails on base lines (INS-006)", () => {
    const codex = rows().find((r) => r.file.endsWith("openai__codex__AGENTS.md"));
    if (!codex) return;
    const text = readFileSync(join(CORPUS, codex.file), "utf8");
    const ins006 = INSTRUCTIONS_RULES.find((r) => r.id === "INS-006")!;
    const f = ins006.check(fileContext({ path: codex.path, before: text, format: codex.format }));
    // "… but do ask the user before running the complete test suite." is the one guardrail; "do not ask for
    // approval to run it" is an approval shortcut, not a guardrail.
    expect(f.map((x) => [x.line, x.side])).toEqual([[36, "before"]]);
    expect(f[0]!.message).toContain("ask the user before");
  });
});
