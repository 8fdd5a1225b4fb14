import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../../../../src/core/evaluate.js";
import { defaultPolicy } from "../../../../../src/core/policy/resolve.js";
import { TOOLS_RULES } from "../../../../../src/core/risk/rules/tools.js";
import type { Finding } from "../../../../../src/core/types.js";
import { builtinSchemas } from "../../../../../src/schemas.js";
import { CORPUS_DIR as CORPUS, corpusRows, CORPUS_MANIFEST as MANIFEST } from "../../../../helpers/corpus.js";

/** The TOOL rules over every real-world corpus file, as an added file and as a self-diff. */
const IDS = new Set(TOOLS_RULES.map((r) => r.id));

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
  describe.skip(`TOOL rules on the real-agent-configs corpus (skipped: ${MANIFEST} not found)`, () => {
    test("corpus", () => {});
  });
} else {
  describe("TOOL rules on the real-agent-configs corpus", () => {
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
 * Findings the TOOL rules report on the corpus files when added (rule, severity, file:line). The one
 * finding is real: the sample Bedrock agent's `runSQLQuery` action runs any SQL the model writes.
 */
const EXPECTED: string[] = [
  "TOOL-001 medium bedrock-cfn/awslabs__amazon-bedrock-agent-samples__examples__agents_ux__video_games_sales_assistant_with_amazon_bedrock_agents__sam-bedrock-video-games-sales-assistant__template.yaml:657",
];
