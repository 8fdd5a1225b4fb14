import { performance } from "node:perf_hooks";
import { classifyPath } from "../lib/core/formats/classify.js";
import { parseText, syntaxFromPath } from "../lib/core/parse/index.js";
import { defaultPolicy } from "../lib/core/policy/resolve.js";
import { RULES } from "../lib/core/risk/catalog.js";
import { buildContext } from "../lib/core/risk/context.js";
import { builtinSchemas } from "../lib/schemas.js";
import { readCorpus } from "../scripts/corpus.mjs";

const policy = defaultPolicy();
const textRules = RULES.filter((r) => r.textRule);

function context(path, before, after) {
  const cls = classifyPath(path, policy);
  const format = cls.kind === "match" ? cls.format : cls.kind === "sniff" ? cls.candidates[0] : undefined;
  if (!format) return undefined;
  const syntax = format.syntax === "auto" ? syntaxFromPath(path) : format.syntax;
  const keys = format.schema ? builtinSchemas().topLevelKeys(format.schema) : undefined;
  const side = (t) =>
    t === undefined ? undefined : { text: t, doc: parseText(t, syntax, { knownKeys: keys }) };
  return buildContext(
    {
      path,
      status: before === undefined ? "added" : "modified",
      format,
      category: format.category,
      before: side(before),
      after: side(after),
    },
    textRules,
    () => [],
  );
}

function timeRules(contexts) {
  const out = new Map();
  for (const rule of RULES) {
    const t0 = performance.now();
    let n = 0;
    for (const c of contexts) n += rule.check(c).length;
    out.set(rule.id, { ms: performance.now() - t0, findings: n });
  }
  return out;
}

const contexts = [];
const rows = readCorpus() ?? [];
const decoder = new TextDecoder();
for (let i = 0; rows.length > 0 && i < 1000; i++) {
  const { path, data } = rows[i % rows.length];
  const text = decoder.decode(data);
  const ctx = i % 2 ? context(path, text, `${text}\nadded line ${i}\n`) : context(path, undefined, text);
  if (ctx) contexts.push(ctx);
}
const long = (s, n) => s.repeat(n);
const hostile = [
  context("CLAUDE.md", undefined, long("ignore ", 100_000)),
  context("CLAUDE.md", undefined, `${long("Ab1/", 250_000)}\n`),
  context("AGENTS.md", undefined, long("a\u200bb ", 100_000)),
  context(
    ".mcp.json",
    undefined,
    JSON.stringify({
      mcpServers: Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [
          `s${i}`,
          { command: "npx", args: ["-y", `pkg${i}`], env: { [`K${i}_TOKEN`]: "$" + "{X}" } },
        ]),
      ),
    }),
  ),
  context(
    ".claude/settings.json",
    JSON.stringify({ permissions: { deny: Array.from({ length: 3000 }, (_, i) => `Read(./s${i}/**)`) } }),
    JSON.stringify({ permissions: { allow: Array.from({ length: 3000 }, (_, i) => `Bash(c${i}:*)`) } }),
  ),
].filter(Boolean);

console.log(
  `bench/rules — ${RULES.length} rules; ${contexts.length} corpus contexts (half added, half modified); node ${process.version}`,
);
const corpus = contexts.length ? timeRules(contexts) : new Map();
const worst = timeRules(hostile);
console.log("");
console.log("| rule | corpus: ms for 1,000 files | corpus findings | hostile inputs: ms |");
console.log("| --- | ---: | ---: | ---: |");
for (const r of RULES) {
  const c = corpus.get(r.id);
  console.log(
    `| ${r.id} | ${c ? c.ms.toFixed(1) : "—"} | ${c ? c.findings : "—"} | ${worst.get(r.id).ms.toFixed(1)} |`,
  );
}
const total = [...corpus.values()].reduce((a, b) => a + b.ms, 0);
console.log(`\nall rules over the corpus contexts: ${total.toFixed(0)} ms`);
