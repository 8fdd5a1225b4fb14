// bench/validate: validation throughput over N = 10, 100, 1,000 changed files built from the real-world
// corpus (../shared/corpus/real-agent-configs), against a parse-only baseline over the same bytes in the
// same run. Prints figures and ratios; asserts nothing. Run with `npm run bench`.
//
// Baseline = what any validator must do at least: decode the bytes and parse them with the standard parser
// for the syntax (jsonc-parser `parse`, yaml `parse`, smol-toml `parse`, YAML front matter of markdown).
// Full = evaluateChange with skipRisk (validation only; bench/risk measures the risk engine): classification,
// parsing with positions, schema validation, messages. The hostile-file table runs the whole engine.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { evaluateChange } from "../lib/core/evaluate.js";
import { syntaxFromPath } from "../lib/core/parse/index.js";
import { defaultPolicy } from "../lib/core/policy/resolve.js";
import { builtinSchemas } from "../lib/schemas.js";
import { readCorpus } from "../scripts/corpus.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function loadSamples() {
  const rows = readCorpus();
  if (rows)
    return {
      source: `corpus (${rows.length} files)`,
      samples: rows.map(({ path, data }) => ({ path, data })),
    };
  // A user's clone has no ../shared: fall back to the bundled example's files.
  const base = join(root, "examples", "base");
  const walk = (d) =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const samples = walk(base).map((f) => ({ path: relative(base, f), data: readFileSync(f) }));
  return { source: `examples/base (${samples.length} files; ../shared corpus not found)`, samples };
}

const { source, samples } = loadSamples();
const policy = defaultPolicy();
const schemas = builtinSchemas();

function buildChanges(n) {
  const changes = [];
  for (let i = 0; i < n; i++) {
    const s = samples[i % samples.length];
    // Keep the original path so classification is exercised; a prefix keeps paths unique.
    const path = i < samples.length ? s.path : `copy${Math.floor(i / samples.length)}/${s.path}`;
    changes.push({ path, status: "added", after: { size: s.data.length, data: s.data } });
  }
  return changes;
}

function parseOnly(changes) {
  const decoder = new TextDecoder();
  let sink = 0;
  for (const c of changes) {
    const text = decoder.decode(c.after.data);
    const syntax = syntaxFromPath(c.path);
    let v;
    try {
      if (syntax === "json" || syntax === "jsonc") v = parseJsonc(text, [], { allowTrailingComma: true });
      else if (syntax === "yaml") v = parseYaml(text, { logLevel: "error" });
      else if (syntax === "toml") v = parseToml(text);
      else if (syntax === "markdown") {
        const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
        if (m) v = parseYaml(m[1], { logLevel: "error" });
      }
    } catch {
      v = undefined;
    }
    sink += v === undefined ? 0 : 1;
  }
  return sink;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

console.log(`bench/validate — samples: ${source}; node ${process.version}`);
const cold0 = performance.now();
evaluateChange({ changes: buildChanges(samples.length), policy, schemas, skipRisk: true });
console.log(
  `cold start (first evaluation of every sample, includes compiling the schemas): ${(performance.now() - cold0).toFixed(1)} ms`,
);
console.log("");
console.log("| files | full (ms) | files/s | parse-only (ms) | ratio full/parse | errors | warnings |");
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const n of [10, 100, 1000]) {
  const changes = buildChanges(n);
  const runs = n >= 1000 ? 7 : 21;
  let ev;
  const full = time(() => {
    ev = evaluateChange({ changes, policy, schemas, skipRisk: true });
  }, runs);
  const base = time(() => parseOnly(changes), runs);
  console.log(
    `| ${n} | ${full.toFixed(1)} | ${Math.round((n / full) * 1000)} | ${base.toFixed(1)} | ${(full / base).toFixed(2)}× | ${ev.errors} | ${ev.warnings} |`,
  );
}

// Hostile single files: each must be answered (with a clear message) well under a second.
console.log("");
console.log("| hostile file | time (ms) | message |");
console.log("| --- | ---: | --- |");
const enc = new TextEncoder();
const hostile = [
  ["5 MB CLAUDE.md", "CLAUDE.md", enc.encode("# big\n".repeat(900_000))],
  [
    "1 MB .mcp.json (at the limit)",
    ".mcp.json",
    enc
      .encode(
        `{"mcpServers":{${Array.from({ length: 24000 }, (_, i) => `"s${i}":{"command":"node","args":["x${i}.js"]}`).join(",")}}}`,
      )
      .slice(0, 1024 * 1024),
  ],
  ["10,000-deep JSON", ".mcp.json", enc.encode("[".repeat(10_000) + "]".repeat(10_000))],
  [
    "YAML alias bomb",
    "x.prompt.yml",
    enc.encode(
      [
        "a: &a [x,x,x,x,x,x,x,x,x]",
        ..."bcdefgh".split("").map((c, i) => `${c}: &${c} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(",")}]`),
      ].join("\n"),
    ),
  ],
  ["invalid UTF-8", "AGENTS.md", Uint8Array.from([0x23, 0x20, 0xc3, 0x28, 0x0a])],
  ["binary", ".claude/settings.json", Uint8Array.from([0x7b, 0x00, 0x01, 0x02, 0x7d])],
];
for (const [label, path, data] of hostile) {
  const t0 = performance.now();
  const ev = evaluateChange({
    changes: [{ path, status: "added", after: { size: data.length, data } }],
    policy,
    schemas,
  });
  const ms = performance.now() - t0;
  const first = ev.validation[0];
  console.log(
    `| ${label} | ${ms.toFixed(1)} | ${first ? `${first.severity} ${first.code}: ${first.message.slice(0, 70)}` : "(no message)"} |`,
  );
}
