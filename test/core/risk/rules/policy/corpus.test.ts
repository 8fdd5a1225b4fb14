import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../../../../src/core/evaluate.js";
import { defaultPolicy } from "../../../../../src/core/policy/resolve.js";
import { POLICY_RULES } from "../../../../../src/core/risk/rules/policy.js";
import type { Finding } from "../../../../../src/core/types.js";
import { builtinSchemas } from "../../../../../src/schemas.js";
import { CORPUS_DIR as CORPUS, corpusRows, CORPUS_MANIFEST as MANIFEST } from "../../../../helpers/corpus.js";

/** The POL and SELF rules over every real-world corpus file, as an added file and as a self-diff. */
const IDS = new Set(POLICY_RULES.map((r) => r.id));

function rows(): { localFile: string; path: string }[] {
  return corpusRows();
}

function run(path: string, data: Uint8Array, selfDiff: boolean): Finding[] {
  const blob = { size: data.length, data };
  const change = selfDiff
    ? { path, status: "modified" as const, before: blob, after: blob }
    : { path, status: "added" as const, after: blob };
  return evaluateChange({
    changes: [change],
    policy: defaultPolicy(),
    schemas: builtinSchemas(),
  }).findings.filter((f) => IDS.has(f.rule));
}

if (!existsSync(MANIFEST)) {
  describe.skip(`POL and SELF rules on the real-agent-configs corpus (skipped: ${MANIFEST} not found)`, () => {
    test("corpus", () => {});
  });
} else {
  describe("POL and SELF rules on the real-agent-configs corpus", () => {
    const all = rows();

    test("a self-diff of every corpus file gives no finding", () => {
      for (const r of all)
        expect([r.localFile, run(r.path, readFileSync(join(CORPUS, r.localFile)), true)]).toEqual([
          r.localFile,
          [],
        ]);
    });

    test("added corpus files: only the expected findings", () => {
      const found: string[] = [];
      for (const r of all) {
        for (const f of run(r.path, readFileSync(join(CORPUS, r.localFile)), false))
          found.push(`${f.rule} ${f.severity} ${r.localFile}:${f.line} ${f.message}`);
      }
      if (process.env.CORPUS_REPORT) console.log(found.join("\n"));
      expect(found.map((f) => f.split(" ").slice(0, 3).join(" "))).toEqual(EXPECTED);
    });
  });
}

/**
 * Findings the POL and SELF rules report on the corpus files when added (rule, severity, file:line): the
 * corpus's two negative fixtures fail validation (POL-003), and the Visor example policy really is
 * fail-open (`default allowed = true` with deny exceptions, POL-001).
 */
const EXPECTED: string[] = [
  "POL-003 high github-prompt/actions__ai-inference____fixtures____prompts__invalid-role.prompt.yml:2",
  "POL-001 high policy-rego/probelabs__visor__examples__enterprise-policy__policies__tool_invoke.rego:7",
  "POL-003 high mcp-cursor/0xobelisk__dubhe__.cursor__mcp.json:1",
];
