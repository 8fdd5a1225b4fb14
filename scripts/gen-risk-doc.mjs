// Regenerates the generated sections of docs/risk-checks.md from the code: the rule catalogue (from
// src/core/risk/catalog.ts) and the corpus profile (findings per rule when every file of the real-world
// corpus is added from nothing). Needs `npm run build`; test/docs/risk-doc.test.ts fails when stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readCorpus } from "./corpus.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const doc = join(root, "docs", "risk-checks.md");
const esc = (s) => String(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The catalogue table for a list of rules (catalog.ts RULES). */
export function catalogTable(rules) {
  const rows = rules.map(
    (r) =>
      `| \`${r.id}\` | ${esc(r.title)} | ${r.threat} | ${r.severity} | ${esc(r.trigger)} | ${esc(r.fix)} | ${[...r.owasp, ...r.atlas].join(", ") || "—"} |`,
  );
  return [
    "| Id | Rule | Threat | Default | Fires when | How to fix | OWASP LLM 2025 / ATLAS |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/**
 * Findings per rule when each corpus file (MANIFEST.tsv rows) is evaluated as an added file at its original
 * path under the default policy. `evaluate(path, bytes)` returns the engine's findings.
 */
export function corpusProfile(rules, rows, evaluate) {
  const counts = new Map(rules.map((r) => [r.id, { findings: 0, files: new Set() }]));
  for (const { path, data } of rows) {
    for (const f of evaluate(path, data)) {
      const c = counts.get(f.rule);
      if (!c) continue;
      c.findings++;
      c.files.add(path);
    }
  }
  const lines = rules.map(
    (r) => `| \`${r.id}\` | ${r.severity} | ${counts.get(r.id).findings} | ${counts.get(r.id).files.size} |`,
  );
  return [
    `Corpus: ${rows.length} files, each added from nothing under the default policy.`,
    "",
    "| Rule | Default | Findings | Files |",
    "| --- | --- | ---: | ---: |",
    ...lines,
  ].join("\n");
}

export function replaceSection(text, name, body) {
  const re = new RegExp(`(<!-- BEGIN ${name} -->)[\\s\\S]*?(<!-- END ${name} -->)`);
  if (!re.test(text)) throw new Error(`docs/risk-checks.md has no ${name} markers`);
  return text.replace(re, `$1\n${body}\n$2`);
}

export { readCorpus };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { RULES } = await import("../lib/core/risk/catalog.js");
  const { evaluateChange } = await import("../lib/core/evaluate.js");
  const { defaultPolicy } = await import("../lib/core/policy/resolve.js");
  const { builtinSchemas } = await import("../lib/schemas.js");
  let text = replaceSection(readFileSync(doc, "utf8"), "catalog", catalogTable(RULES));
  const rows = readCorpus();
  if (rows) {
    const evaluate = (path, data) =>
      evaluateChange({
        changes: [{ path, status: "added", after: { size: data.length, data } }],
        policy: defaultPolicy(),
        schemas: builtinSchemas(),
      }).findings;
    text = replaceSection(text, "corpus-profile", corpusProfile(RULES, rows, evaluate));
  } else console.warn("corpus not found: the corpus profile was left as it is");
  writeFileSync(doc, text);
  console.log(`updated ${doc}`);
}
