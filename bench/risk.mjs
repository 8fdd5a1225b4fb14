// bench/risk: what the risk engine adds to validation. Evaluates 1,000 changed files built from the
// real-world corpus twice in the same process — validation only (`skipRisk`) and validation + semantic
// models + line diffs + every risk rule — as added files and as modified files (each corpus file edited by
// appending a line), and prints files/s and the ratio. Asserts nothing. Run with `npm run bench:risk`.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { evaluateChange } from "../lib/core/evaluate.js";
import { defaultPolicy } from "../lib/core/policy/resolve.js";
import { RULES } from "../lib/core/risk/catalog.js";
import { builtinSchemas } from "../lib/schemas.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const corpusDir = join(root, "..", "shared", "corpus", "real-agent-configs");
if (!existsSync(join(corpusDir, "MANIFEST.tsv"))) {
  console.log(`bench/risk needs the corpus at ${corpusDir}; not found, nothing measured.`);
  process.exit(0);
}
const samples = readFileSync(join(corpusDir, "MANIFEST.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((r) => {
    const [, local, , path] = r.split("\t");
    return { path, data: readFileSync(join(corpusDir, local)) };
  });
const policy = defaultPolicy();
const schemas = builtinSchemas();
const enc = new TextEncoder();

function changes(n, modified) {
  return Array.from({ length: n }, (_, i) => {
    const s = samples[i % samples.length];
    const path = i < samples.length ? s.path : `copy${Math.floor(i / samples.length)}/${s.path}`;
    const after = { size: s.data.length, data: s.data };
    if (!modified) return { path, status: "added", after };
    const edited = new Uint8Array([...s.data, ...enc.encode("\n")]);
    return { path, status: "modified", before: after, after: { size: edited.length, data: edited } };
  });
}

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function time(fn, runs = 7) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

console.log(`bench/risk — ${samples.length} corpus files, ${RULES.length} rules; node ${process.version}`);
evaluateChange({ changes: changes(samples.length, true), policy, schemas }); // warm-up: compile schemas, JIT
console.log("");
console.log(
  "| change | files | validation only (ms) | with risk (ms) | files/s with risk | ratio | findings |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const modified of [false, true]) {
  const input = changes(1000, modified);
  const v = time(() => evaluateChange({ changes: input, policy, schemas, skipRisk: true }));
  let ev;
  const r = time(() => {
    ev = evaluateChange({ changes: input, policy, schemas });
  });
  console.log(
    `| ${modified ? "modified (one line appended)" : "added"} | 1000 | ${v.toFixed(0)} | ${r.toFixed(0)} | ${Math.round((1000 / r) * 1000)} | ${(r / v).toFixed(2)}× | ${ev.findings.length} |`,
  );
}
