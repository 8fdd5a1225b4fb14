// bench/app: GitHub requests and wall time per pull-request evaluation. The built app (lib/app) runs in a
// real Probot against bench/mock-github.mjs — a local HTTP server that answers after 100 ms per request —
// and receives `pull_request.synchronize` for PRs changing 1, 10, 100 and 500 agent-config files (plus a
// few other files). Run with `npm run bench:app`.
//
// Two modes: (a) Octokit as shipped: Probot's retry and throttling plugins on, so GraphQL queries and
// writes are spaced at least 1 s apart per installation and process — production; (b) throttling off, to
// show what the latency alone costs. Goals (issue text): at most 6 requests per evaluation up to 100 files
// (a naive implementation needs two per file), and under 3 s per evaluation at 100 files. Exits 1 when
// mode (a) misses a goal.
import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { Probot, ProbotOctokit } from "probot";
import { agentChangeControl } from "../lib/app/index.js";
import { ROUTE_KINDS, startMockGitHub } from "./mock-github.mjs";

const SIZES = [1, 10, 100, 500];
const RUNS = 3;
const LATENCY_MS = 100;
/** Other (non-agent-config) files every PR also changes. */
const OTHER_FILES = ["src/server.ts", "src/routes/refunds.ts", "README.md"];
const GOAL_REQUESTS = 6;
const GOAL_REQUESTS_UP_TO = 100;
const GOAL_WALL_MS = 3000;
const GOAL_WALL_AT = 100;
/** Between deliveries in mode (a): the shared write limiter's 1 s spacing must not carry over a run. */
const PAUSE_MS = 1100;

const APP_ID = 31337;
const BOT_LOGIN = "agent-change-control[bot]";
const INSTALLATION_ID = 4242;
const OWNER = "Codertocat";
const REPO = "Hello-World";

const sha = (label) => createHash("sha1").update(label).digest("hex");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- the repository: agent configs of four real formats, small and realistic, edited by the PR ----

const POLICY = `# agent-change-control policy (read from the default branch only).
version: 1
risk:
  allowed_mcp_hosts:
    - "mcp.internal.example.com"
`;

/** The i-th changed agent config: its path, merge-base content and head content for run `r`. */
function agentConfig(i) {
  switch (i % 4) {
    case 0:
      return {
        path: `.cursor/rules/module-${i}.mdc`,
        base: `---\ndescription: Conventions for module ${i}\nglobs: ["src/mod-${i}/**/*.ts"]\nalwaysApply: false\n---\nUse strict TypeScript in module ${i}. Prefer small pure functions. Never log card numbers.\n`,
        head: (r) =>
          `---\ndescription: Conventions for module ${i} (payments)\nglobs: ["src/mod-${i}/**/*.ts"]\nalwaysApply: false\n---\nUse strict TypeScript in module ${i}. Prefer small pure functions. Never log card numbers.\nRun the unit tests of module ${i} before committing (revision ${r}).\n`,
      };
    case 1:
      return {
        path: `prompts/triage-${i}.prompt.yml`,
        base: `name: Ticket triage ${i}\ndescription: Classifies support tickets for queue ${i}.\nmodel: openai/gpt-4.1-mini\nmodelParameters:\n  temperature: 0.2\nmessages:\n  - role: system\n    content: |\n      You classify tickets as "billing", "bug" or "other".\n      Answer with one word.\n  - role: user\n    content: "{{ticket}}"\n`,
        head: (r) =>
          `name: Ticket triage ${i}\ndescription: Classifies support tickets for queue ${i}.\nmodel: openai/gpt-4.1-mini\nmodelParameters:\n  temperature: 0.${(r % 5) + 1}\nmessages:\n  - role: system\n    content: |\n      You classify tickets as "billing", "bug", "refund" or "other".\n      Answer with one word, in lower case.\n  - role: user\n    content: "{{ticket}}"\n`,
      };
    case 2:
      return {
        path: `.claude/agents/reviewer-${i}.md`,
        base: `---\nname: reviewer-${i}\ndescription: Reviews changes to package ${i} for style and missing tests.\ntools: Read, Grep, Glob\nmodel: sonnet\n---\nYou review pull requests for package ${i}. Point out missing tests and unclear names.\nNever approve your own suggestions.\n`,
        head: (r) =>
          `---\nname: reviewer-${i}\ndescription: Reviews changes to package ${i} for style, missing tests and docs.\ntools: Read, Grep, Glob\nmodel: sonnet\n---\nYou review pull requests for package ${i}. Point out missing tests, unclear names and stale docs.\nNever approve your own suggestions. Keep each remark to one sentence (revision ${r}).\n`,
      };
    default:
      return {
        path: `pkg-${i}/AGENTS.md`,
        base: `# pkg-${i}\n\n## Setup\n- Install with \`npm ci\`.\n- Run \`npm test -w pkg-${i}\` before committing.\n\n## Conventions\n- Keep functions small and pure.\n`,
        head: (r) =>
          `# pkg-${i}\n\n## Setup\n- Install with \`npm ci\`.\n- Run \`npm test -w pkg-${i}\` and \`npm run lint -w pkg-${i}\` before committing.\n\n## Conventions\n- Keep functions small and pure.\n- Document every exported function (revision ${r}).\n`,
      };
  }
}

/** A pull request changing `n` agent configs (all modified: both sides read) and the other files. */
function scenario(n, number) {
  const configs = Array.from({ length: n }, (_, i) => agentConfig(i));
  const mergeBase = sha(`merge-base-${n}`);
  const defaultSha = sha(`default-${n}`);
  const baseTree = Object.fromEntries(configs.map((c) => [c.path, c.base]));
  for (const p of OTHER_FILES) baseTree[p] = `// ${p}\nexport const version = 1;\n`;
  return {
    n,
    configs,
    state: {
      owner: OWNER,
      repo: REPO,
      number,
      installationId: INSTALLATION_ID,
      baseSha: sha(`base-${n}`),
      mergeBase,
      defaultBranch: "master",
      defaultSha,
      trees: {
        [mergeBase]: baseTree,
        [defaultSha]: { ...baseTree, ".github/agent-change-control.yml": POLICY },
      },
      files: [...configs.map((c) => c.path), ...OTHER_FILES].map((filename) => ({
        filename,
        status: "modified",
        additions: 2,
        deletions: 1,
        changes: 3,
      })),
      heads: new Set(),
    },
    /** A fresh head commit for run `r`: its tree, known to the mock. */
    push(r) {
      const headSha = sha(`head-${n}-${r}`);
      const tree = Object.fromEntries(configs.map((c) => [c.path, c.head(r)]));
      for (const p of OTHER_FILES) tree[p] = `// ${p}\nexport const version = ${r + 2};\n`;
      this.state.trees[headSha] = tree;
      this.state.heads.add(headSha);
      return headSha;
    },
  };
}

// ---- the webhook: @octokit/webhooks-examples' pull_request.opened, adapted in code ----

const require_ = createRequire(import.meta.url);
const examples = JSON.parse(
  readFileSync(require_.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
);
const opened = examples.find((d) => d.name === "pull_request").examples.find((e) => e.action === "opened");

function synchronizePayload(s, headSha, previousHead) {
  const p = structuredClone(opened);
  p.action = "synchronize";
  p.before = previousHead;
  p.after = headSha;
  p.number = s.state.number;
  p.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  p.pull_request.number = s.state.number;
  p.pull_request.state = "open";
  p.pull_request.base.sha = s.state.baseSha;
  p.pull_request.head.sha = headSha;
  p.pull_request.changed_files = s.state.files.length;
  return p;
}

// ---- one mode: a Probot with the app, a mock GitHub, every size ----

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

function diffCounts(before, after) {
  const out = {};
  for (const [route, c] of after.counts) {
    const d = c - (before.counts.get(route) ?? 0);
    if (d > 0) out[route] = d;
  }
  return out;
}

/** One delivery: wall time of `receive` and what it asked of GitHub. Throws if the gate did not evaluate. */
async function deliver(probot, mock, s, r, previousHead) {
  const headSha = s.push(r);
  const before = mock.snapshot();
  const t0 = performance.now();
  await probot.receive({
    id: randomUUID(),
    name: "pull_request",
    payload: synchronizePayload(s, headSha, previousHead),
  });
  const wall = performance.now() - t0;
  const after = mock.snapshot();
  const routes = diffCounts(before, after);
  const kinds = { token: 0, read: 0, graphql: 0, write: 0, error: 0 };
  for (const [route, c] of Object.entries(routes)) kinds[ROUTE_KINDS[route]] += c;
  const problems = mock.errors.slice(before.errors);
  const runs = mock.state.checkRuns.filter((x) => x.head_sha === headSha);
  const run = runs.at(-1);
  const summary = run?.body.output?.summary ?? "";
  if (problems.length > 0) problems.unshift("unknown routes:");
  if (runs.length !== 1) problems.push(`${runs.length} check runs created for the head (want 1)`);
  if (/could not be evaluated|policy .* is invalid/.test(summary))
    problems.push(`gate did not evaluate: ${run.body.output.title}`);
  const expectedBlobs = 2 * s.n + 1; // both sides of each config, and the policy
  if (after.blobs - before.blobs !== expectedBlobs) {
    problems.push(`mock served ${after.blobs - before.blobs} blobs, expected ${expectedBlobs}`);
  }
  if (problems.length > 0) throw new Error(`N=${s.n} run ${r}: ${problems.join("; ")}`);
  const timeline = mock.log
    .slice(before.log)
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ route: e.route, start: e.start - t0, end: e.end - t0 }));
  return {
    wall,
    routes,
    kinds,
    requests: kinds.read + kinds.graphql + kinds.write,
    headSha,
    timeline,
    check: {
      conclusion: run.body.conclusion,
      title: run.body.output?.title ?? "",
      annotations: (run.body.output?.annotations?.length ?? 0) + 50 * (run.updates ?? 0),
    },
  };
}

async function runMode(throttled) {
  const warm = scenario(1, 9000);
  const mock = await startMockGitHub(warm.state, { latencyMs: LATENCY_MS });
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    baseUrl: mock.url,
    logLevel: process.env.BENCH_LOG_LEVEL ?? "fatal",
    ...(throttled
      ? {}
      : {
          Octokit: ProbotOctokit.defaults((o) => ({ ...o, throttle: { ...o?.throttle, enabled: false } })),
        }),
  });
  await probot.load(agentChangeControl({ appId: APP_ID, botLogin: BOT_LOGIN }));
  const pause = () => (throttled ? sleep(PAUSE_MS) : Promise.resolve());
  try {
    // The first delivery of a process: the installation-token exchange and the engine's cold start.
    const first = await deliver(probot, mock, warm, 0, warm.state.baseSha);
    const rows = [];
    for (const n of SIZES) {
      const s = scenario(n, n);
      mock.state = s.state;
      const results = [];
      let previous = s.state.baseSha;
      for (let r = 0; r < RUNS; r++) {
        await pause();
        const result = await deliver(probot, mock, s, r, previous);
        previous = result.headSha;
        results.push(result);
      }
      const mid = [...results].sort((a, b) => a.wall - b.wall)[Math.floor(RUNS / 2)];
      rows.push({ n, results, mid, wall: median(results.map((x) => x.wall)) });
    }
    const tokens = mock.counts.get("token") ?? 0;
    return { throttled, first, rows, tokens };
  } finally {
    await mock.close();
  }
}

// ---- report ----

const naive = (n) => 2 * n + Math.max(1, Math.ceil((n + OTHER_FILES.length) / 100)) + 2;
const label = (throttled) => (throttled ? "(a) as shipped" : "(b) throttling off");

function goals(mode) {
  const requestRows = mode.rows.filter((r) => r.n <= GOAL_REQUESTS_UP_TO);
  const maxRequests = Math.max(...requestRows.flatMap((r) => r.results.map((x) => x.requests)));
  const wallRow = mode.rows.find((r) => r.n === GOAL_WALL_AT);
  return {
    requests: { ok: maxRequests <= GOAL_REQUESTS, value: maxRequests },
    wall: { ok: wallRow.wall < GOAL_WALL_MS, value: wallRow.wall },
  };
}

console.log(
  `bench/app — lib/app in Probot against a local mock GitHub, ${LATENCY_MS} ms per request; ${RUNS} runs per size (fresh head each), median shown; node ${process.version}`,
);
console.log(
  `Each PR changes N agent configs (.cursor/rules/*.mdc, prompts/*.prompt.yml, .claude/agents/*.md, pkg-*/AGENTS.md; all modified) + ${OTHER_FILES.length} other files.`,
);
const modes = [];
try {
  for (const throttled of [true, false]) modes.push(await runMode(throttled));
} catch (error) {
  // An unknown route, a fail-closed gate or missing blobs: the figures would measure the wrong thing.
  console.log(`FAIL: the bench itself failed, nothing measured is valid: ${error.message}`);
  process.exit(1);
}

console.log("");
console.log(
  "| mode | agent configs | requests / eval | reads | GraphQL | writes | naive | wall median (ms) | wall runs (ms) | check run |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
for (const mode of modes) {
  for (const row of mode.rows) {
    const k = row.mid.kinds;
    const reqs = [...new Set(row.results.map((x) => x.requests))].join("/");
    console.log(
      `| ${label(mode.throttled)} | ${row.n} | ${reqs} | ${k.read} | ${k.graphql} | ${k.write} | ${naive(row.n)} | ${row.wall.toFixed(0)} | ${row.results.map((x) => x.wall.toFixed(0)).join(", ")} | ${row.mid.check.conclusion}, ${row.mid.check.annotations} annotations |`,
    );
  }
}
console.log("");
console.log(
  `naive = 2 per agent config (merge base + head) + one file-list page per 100 files + check run + comment.`,
);
for (const mode of modes) {
  console.log(
    `${label(mode.throttled)}: installation-token exchange ${mode.tokens}× per process (POST /app/installations/${INSTALLATION_ID}/access_tokens, not counted above); first delivery of the process (token exchange + cold engine, N=1): ${mode.first.wall.toFixed(0)} ms.`,
  );
}
console.log(
  `(a) pauses ${PAUSE_MS} ms between deliveries so the per-process write limiter's 1 s spacing does not carry from one evaluation into the next; back-to-back deliveries on one installation can each wait up to 1 s more.`,
);

console.log("");
console.log("Requests by route (median run):");
console.log("| mode | agent configs | requests |");
console.log("| --- | ---: | --- |");
for (const mode of modes) {
  for (const row of mode.rows) {
    const parts = Object.entries(row.mid.routes)
      .filter(([route]) => route !== "token")
      .map(([route, c]) => `${c}× ${route}`);
    console.log(`| ${label(mode.throttled)} | ${row.n} | ${parts.join(", ")} |`);
  }
}

console.log("");
console.log(
  `Timeline of the median run at ${GOAL_WALL_AT} agent configs (ms from receive; request start → answer):`,
);
for (const mode of modes) {
  const row = mode.rows.find((r) => r.n === GOAL_WALL_AT);
  const steps = row.mid.timeline.map((e) => `${e.start.toFixed(0)}→${e.end.toFixed(0)} ${e.route}`);
  console.log(`  ${label(mode.throttled)}: ${steps.join(" · ")} · done ${row.mid.wall.toFixed(0)}`);
}

console.log("");
console.log("Goals:");
const results = modes.map((m) => ({ mode: m, g: goals(m) }));
for (const { mode, g } of results) {
  console.log(
    `  ${label(mode.throttled)}: ≤ ${GOAL_REQUESTS} requests per evaluation up to ${GOAL_REQUESTS_UP_TO} files — max ${g.requests.value}: ${g.requests.ok ? "PASS" : "FAIL"}; < ${GOAL_WALL_MS / 1000} s at ${GOAL_WALL_AT} files — ${(g.wall.value / 1000).toFixed(2)} s: ${g.wall.ok ? "PASS" : "FAIL"}`,
  );
}
const [a, b] = results;
const aOk = a.g.requests.ok && a.g.wall.ok;
const bOk = b.g.requests.ok && b.g.wall.ok;
if (aOk) console.log("PASS: the goals are met as shipped (mode a).");
else if (bOk)
  console.log("FAIL: the goals are met ONLY with throttling off (mode b), not as shipped (mode a).");
else console.log("FAIL: the goals are missed as shipped (mode a) and with throttling off (mode b).");
process.exit(aOk ? 0 : 1);
