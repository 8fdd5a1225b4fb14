import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../src/core/evaluate.js";
import { defaultPolicy } from "../../src/core/policy/resolve.js";
import { RULES } from "../../src/core/risk/catalog.js";
import { builtinSchemas } from "../../src/schemas.js";
import { CORPUS_PRESENT } from "../helpers/corpus.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
interface Generator {
  catalogTable: (rules: typeof RULES) => string;
  corpusProfile: (
    rules: typeof RULES,
    rows: { path: string; data: Uint8Array }[],
    evaluate: (path: string, data: Uint8Array) => { rule: string }[],
  ) => string;
  replaceSection: (text: string, name: string, body: string) => string;
  readCorpus: () => { path: string; data: Uint8Array }[] | undefined;
}
const gen = async () => (await import(join(root, "scripts", "gen-risk-doc.mjs"))) as Generator;
const corpusPresent = CORPUS_PRESENT;
if (!corpusPresent) console.warn("corpus profile not checked: ../shared/corpus/real-agent-configs is absent");
const doc = () => readFileSync(join(root, "docs", "risk-checks.md"), "utf8");

describe("docs/risk-checks.md", () => {
  test("lists every rule, as generated from the catalogue (npm run docs:risk)", async () => {
    const { catalogTable, replaceSection } = await gen();
    expect(replaceSection(doc(), "catalog", catalogTable(RULES))).toBe(doc());
    for (const r of RULES) expect(doc()).toContain(`| \`${r.id}\` |`);
  });

  (corpusPresent ? test : test.skip)(
    "its corpus profile is the one the engine produces today (npm run docs:risk)",
    async () => {
      const { corpusProfile, replaceSection, readCorpus } = await gen();
      const rows = readCorpus()!;
      const evaluate = (path: string, data: Uint8Array) =>
        evaluateChange({
          changes: [{ path, status: "added", after: { size: data.length, data } }],
          policy: defaultPolicy(),
          schemas: builtinSchemas(),
        }).findings;
      expect(replaceSection(doc(), "corpus-profile", corpusProfile(RULES, rows, evaluate))).toBe(doc());
    },
  );
});
