import { performance } from "node:perf_hooks";
import { evaluateChange } from "../lib/core/evaluate.js";
import { defaultPolicy } from "../lib/core/policy/resolve.js";
import { RULES } from "../lib/core/risk/catalog.js";
import { builtinSchemas } from "../lib/schemas.js";
import { CORPUS_DIR, readCorpus } from "../scripts/corpus.mjs";

const samples = readCorpus();
if (!samples) {
  console.log(`bench/risk needs the corpus at ${CORPUS_DIR}; not found, nothing measured.`);
  process.exit(0);
}
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
