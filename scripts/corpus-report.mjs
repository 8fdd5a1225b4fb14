// Prints a markdown table of how the engine judges the real-world corpus (../shared/corpus/real-agent-configs
// next to the repository, or the folder given as the first argument), for docs to quote.
// Uses the built library: run `npm run build` first. Usage: node scripts/corpus-report.mjs [corpus-dir]
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readCorpus } from "./corpus.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lib = join(root, "lib");
if (!existsSync(join(lib, "core", "evaluate.js"))) {
  console.error("lib/ is missing: run `npm run build` first");
  process.exit(2);
}
const { evaluateChange } = await import(join(lib, "core", "evaluate.js"));
const { defaultPolicy } = await import(join(lib, "core", "policy", "resolve.js"));
const { cell, code } = await import(join(lib, "core", "report", "markdown.js"));
const { builtinSchemas } = await import(join(lib, "schemas.js"));

const corpus = resolve(process.argv[2] ?? join(root, "..", "shared", "corpus", "real-agent-configs"));
const rows = readCorpus(corpus);
if (!rows) {
  console.error(`no corpus manifest in ${corpus}`);
  process.exit(2);
}

const policy = defaultPolicy();
const schemas = builtinSchemas();
const results = rows.map((row) => {
  const { data } = row;
  const ev = evaluateChange({
    changes: [{ path: row.path, status: "added", after: { size: data.length, data } }],
    policy,
    schemas,
  });
  const recognised = ev.files[0]?.format ?? "(not recognised)";
  const first = ev.validation.find((m) => m.severity === "error") ?? ev.validation[0];
  const codes = [...new Set(ev.validation.map((m) => m.code))].sort();
  const status = ev.errors > 0 ? "errors" : ev.warnings > 0 ? "warnings" : "clean";
  return { row, recognised, ev, first, codes, status };
});

const out = [];
out.push("| Format | File | Result | Errors | Warnings | Codes | First message |");
out.push("| --- | --- | --- | ---: | ---: | --- | --- |");
for (const r of results) {
  const format =
    r.recognised === r.row.format ? code(r.row.format) : `${code(r.row.format)} → ${code(r.recognised)}`;
  out.push(
    `| ${format} | ${code(`${r.row.repo}: ${r.row.path}`)} | ${r.status} | ${r.ev.errors} | ${r.ev.warnings} | ${r.codes.map(code).join(" ")} | ${r.first ? cell(`${r.first.line}:${r.first.column} ${r.first.message}`) : ""} |`,
  );
}
const count = (s) => results.filter((r) => r.status === s).length;
const misclassified = results.filter((r) => r.recognised !== r.row.format).length;
out.push("");
out.push(
  `${results.length} files: ${count("clean")} clean, ${count("warnings")} with warnings only, ${count("errors")} with errors; ${misclassified} recognised as a different format than their folder.`,
);
console.log(out.join("\n"));
