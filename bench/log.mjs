// bench/log — generates N realistic change.merged records (sharded files, a signed checkpoint every 1,000) in a
// temp dir, then times the streaming verifier (over lib/, through DirStore) and `sha256sum` over the same files
// in the same run, then `export` (runExport over lib/: verify, then two readings of the log) of one month and of
// the whole log. Goals: verify within 4× of sha256sum, memory flat under 200 MB for verify and for export. Exit 1
// if a goal is missed. Verify and each export run in a fresh child process, so each peak RSS is its own.
// Usage: npm run build --silent && node bench/log.mjs [--records N] [--keep] [--use <kept log dir>]
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { DirStore } from "../lib/changelog/dir-store.js";
import { runExport } from "../lib/cli/log-export.js";
import {
  checkpointPath,
  checkpointRecordDraft,
  keyFingerprint,
  makeCheckpoint,
} from "../lib/core/changelog/checkpoint.js";
import { keyPath, publicKeyPem } from "../lib/core/changelog/keys.js";
import { MerkleFrontier } from "../lib/core/changelog/merkle.js";
import { emptyLogState, sealRecords } from "../lib/core/changelog/seal.js";
import { RECORDS_PER_PART } from "../lib/core/changelog/types.js";
import { verifyLog } from "../lib/core/changelog/verify.js";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg("--records", "1000000"));
const KEEP = process.argv.includes("--keep");
const USE = arg("--use");
const CHECKPOINT_EVERY = 1000;
const ORIGIN = "cc8.bench.example/acme/agent-change-log";
const MB = 1024 * 1024;

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 20);

async function verifyOnly(dir, size) {
  peakRss = 0;
  sample();
  const rssAt = [];
  const store = new DirStore(dir);
  let seen = 0;
  const source = {
    listRecordFiles: () => store.listRecordFiles(),
    listCheckpoints: () => store.listCheckpoints(),
    listKeys: () => store.listKeys(),
    readText: (p) => store.readText(p),
    // Local paths let verify check record lines in worker threads (then readLines below is not called).
    localPath: (p) => store.localPath(p),
    async *readLines(p) {
      for await (const line of store.readLines(p)) {
        yield line;
        seen += 1;
        if (seen === 100_000 || seen === size) rssAt.push([seen, process.memoryUsage().rss]);
      }
    },
  };
  const t0 = performance.now();
  const report = await verifyLog(source);
  const verifyS = (performance.now() - t0) / 1000;
  sample();
  if (rssAt.length === 0) rssAt.push([report.totals.records, process.memoryUsage().rss]);
  clearInterval(sampler);
  const { files: _f, checkpoints: _c, ...summary } = report;
  process.stdout.write(JSON.stringify({ verifyS, rssAt, peakRss, report: summary }));
}

/** One `export` (runExport, as the CLI calls it) in this process; prints its time, peak RSS and files as JSON. */
async function exportOnly(dir, since, until, out) {
  peakRss = 0;
  sample();
  const store = new DirStore(dir);
  // A reading of the log starts when verify or the export lists the record files, or when a file is read again.
  const readings = [];
  const read = new Set();
  const reading = () => {
    readings.push(performance.now());
    read.clear();
  };
  const source = {
    listRecordFiles: () => {
      reading();
      return store.listRecordFiles();
    },
    listCheckpoints: () => store.listCheckpoints(),
    listKeys: () => store.listKeys(),
    readText: (p) => store.readText(p),
    localPath: (p) => store.localPath(p),
    readLines: (p) => {
      if (read.has(p)) reading();
      read.add(p);
      return store.readLines(p);
    },
  };
  const t0 = performance.now();
  const outcome = await runExport(source, { since, until, out }, "/", new Date());
  const t1 = performance.now();
  sample();
  clearInterval(sampler);
  const steps = [...readings, t1].map((t, i, all) => (i === 0 ? (t - t0) / 1000 : (t - all[i - 1]) / 1000));
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  process.stdout.write(
    JSON.stringify({
      exportS: (t1 - t0) / 1000,
      // [before the first reading, verify, first export reading, second export reading (writing the files)]
      steps,
      peakRss,
      verified: outcome.verified,
      counts: manifest.counts,
      files: manifest.files,
      logSize: manifest.log.size,
    }),
  );
}

if (arg("--verify-dir")) {
  await verifyOnly(arg("--verify-dir"), Number(arg("--size", "0")));
  process.exit(0);
}
if (arg("--export-dir")) {
  await exportOnly(arg("--export-dir"), arg("--since"), arg("--until"), arg("--out"));
  process.exit(0);
}

const hex = (i, salt) => (BigInt(i) * 2654435761n + BigInt(salt)).toString(16).padStart(40, "0").slice(-40);
const at = (i) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A change.merged draft with the fields of the record format (issue 6 §1), about 1.5 KB as JCS. */
function merged(i) {
  const repo = String(100_000 + (i % 37));
  const pr = 1 + Math.floor(i / 37);
  const merge = hex(i, 3);
  const t = at(i);
  return {
    schema: "cc8-change/1",
    type: "change.merged",
    record_id: `${repo}:${pr}:${merge}`,
    recorded_at: t,
    capture_mode: "webhook",
    delivery_id: `8f2c${hex(i, 9).slice(0, 28)}`,
    repository: { id: repo, full_name: `acme/service-${i % 37}` },
    pr: {
      number: pr,
      url: `https://github.com/acme/service-${i % 37}/pull/${pr}`,
      title: `Allow the deploy agent to run npm test (${i})`,
      description_sha256: hex(i, 5).repeat(2).slice(0, 64),
      linked_tickets: [`OPS-${1000 + (i % 900)}`],
    },
    change_class: i % 50 === 0 ? "emergency" : "standard",
    risk: {
      tier: ["low", "medium", "high"][i % 3],
      findings: [{ rule: "PERM-002", path: ".claude/settings.json" }],
    },
    base_sha: hex(i, 1),
    head_sha: hex(i, 2),
    merge_sha: merge,
    merge_method: "squash",
    files: [
      { path: ".claude/settings.json", status: "modified", blob_before: hex(i, 11), blob_after: hex(i, 12) },
      { path: ".mcp.json", status: "modified", blob_before: hex(i, 13), blob_after: hex(i, 14) },
    ],
    baseline_sha256: hex(i, 15).repeat(2).slice(0, 64),
    author: { login: `dev${i % 200}`, id: String(5000 + (i % 200)), type: "User" },
    last_pusher: { login: `dev${i % 200}`, id: String(5000 + (i % 200)) },
    commit_authors: [{ login: `dev${i % 200}`, id: String(5000 + (i % 200)) }],
    approvals: [
      { reviewer: { login: "alice", id: "7001" }, submitted_at: t, commit_id: hex(i, 2), counted: true },
    ],
    other_reviews: [],
    approval_rules: [{ name: "agent-config", required: ["@acme/platform"], met: true }],
    checks: [{ name: "ci / test", conclusion: "success", sha: hex(i, 2) }],
    merged_at: t,
    merged_by: { login: "alice", id: "7001" },
    merge_via: "web",
    policy_file_sha: hex(7, 21),
    app_version: "0.1.0",
    verdicts: {
      approved_before_merge: true,
      approval_on_final_commit: true,
      author_not_approver: true,
      pusher_not_sole_approver: true,
      checks_passed: true,
      emergency: i % 50 === 0,
    },
    exceptions: [],
  };
}

function partPath(time, part) {
  return `log/${time.slice(0, 4)}/${time.slice(5, 7)}/part-${String(part).padStart(4, "0")}.jsonl`;
}

function generate(dir) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const fp = keyFingerprint(privateKey);
  mkdirSync(join(dir, "keys"), { recursive: true });
  mkdirSync(join(dir, "checkpoints"), { recursive: true });
  writeFileSync(join(dir, keyPath(fp)), publicKeyPem(privateKey));
  let state = emptyLogState();
  let month = "";
  let part = 0;
  let inPart = 0;
  const write = (lines, time) => {
    for (const line of lines) {
      if (time.slice(0, 7) !== month) {
        month = time.slice(0, 7);
        part = 1;
        inPart = 0;
      } else if (inPart === RECORDS_PER_PART) {
        part += 1;
        inPart = 0;
      }
      const path = join(dir, partPath(time, part));
      if (inPart === 0) mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${line}\n`);
      inPart += 1;
    }
  };
  let i = 0;
  while (i < N) {
    const batch = [];
    for (let k = 0; k < CHECKPOINT_EVERY - 1 && i < N; k++, i++) batch.push(merged(i));
    let sealed = sealRecords(state, batch);
    state = sealed.state;
    // One appendFileSync per record is slow; group lines by file instead.
    const byPath = new Map();
    for (const [j, line] of sealed.lines.entries()) {
      const t = batch[j].recorded_at;
      if (t.slice(0, 7) !== month) {
        month = t.slice(0, 7);
        part = 1;
        inPart = 0;
      } else if (inPart === RECORDS_PER_PART) {
        part += 1;
        inPart = 0;
      }
      const p = partPath(t, part);
      if (!byPath.has(p)) byPath.set(p, []);
      byPath.get(p).push(line);
      inPart += 1;
    }
    for (const [p, lines] of byPath) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      appendFileSync(join(dir, p), `${lines.join("\n")}\n`);
    }
    const time = at(i - 1);
    const root = MerkleFrontier.from(state.frontier, state.size).root();
    const note = makeCheckpoint(
      { origin: ORIGIN, size: state.size, root, lastHash: state.last_hash, time },
      privateKey,
    );
    writeFileSync(join(dir, checkpointPath(state.size)), note);
    sealed = sealRecords(state, [checkpointRecordDraft(note, fp, time)]);
    state = sealed.state;
    write(sealed.lines, time);
  }
  return state;
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

const dir = USE ?? mkdtempSync(join(tmpdir(), "cc8-bench-log-"));
const outs = [];
try {
  let t0 = performance.now();
  let size;
  if (USE) {
    console.log(`bench/log — the log kept in ${USE}; node ${process.version}`);
  } else {
    console.log(
      `bench/log — ${N.toLocaleString("en")} records, checkpoint every ${CHECKPOINT_EVERY}; node ${process.version}`,
    );
    size = generate(dir).size;
  }
  const genS = (performance.now() - t0) / 1000;
  const files = walk(dir);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  if (!USE)
    console.log(
      `generated ${size.toLocaleString("en")} lines in ${files.length} files, ${(bytes / MB).toFixed(0)} MB, in ${genS.toFixed(1)} s`,
    );

  // sha256sum over the same files (argument lists chunked), page cache warm for both.
  t0 = performance.now();
  for (let k = 0; k < files.length; k += 500)
    execFileSync("sha256sum", files.slice(k, k + 500), { stdio: "ignore" });
  const shaS = (performance.now() - t0) / 1000;

  // verify runs in a fresh child process, so its RSS is its own (not the generator's heap).
  const child = JSON.parse(
    execFileSync(
      process.execPath,
      [new URL(import.meta.url).pathname, "--verify-dir", dir, "--size", String(size ?? 0)],
      {
        encoding: "utf8",
        maxBuffer: 64 * MB,
      },
    ),
  );
  clearInterval(sampler);
  const { verifyS, rssAt, report } = child;
  size ??= report.totals.tree_size;
  peakRss = child.peakRss;
  const ratio = verifyS / shaS;
  const rate = Math.round(size / verifyS);
  console.log("");
  console.log("| step | seconds | records/s | MB/s |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(
    `| sha256sum | ${shaS.toFixed(2)} | ${Math.round(size / shaS).toLocaleString("en")} | ${(bytes / MB / shaS).toFixed(0)} |`,
  );
  console.log(
    `| verify | ${verifyS.toFixed(2)} | ${rate.toLocaleString("en")} | ${(bytes / MB / verifyS).toFixed(0)} |`,
  );
  console.log("");
  console.log(`verify/sha256sum: ${ratio.toFixed(2)}× (goal ≤ 4×)`);
  for (const [n, rss] of rssAt)
    console.log(`RSS after ${n.toLocaleString("en")} records: ${(rss / MB).toFixed(0)} MB`);
  console.log(`peak RSS during verify: ${(peakRss / MB).toFixed(0)} MB (goal < 200 MB)`);
  console.log(
    `verify result: ${report.ok ? "valid" : "INVALID"} — ${report.totals.records_valid}/${report.totals.records} records, ${report.totals.checkpoints_valid}/${report.totals.checkpoints} checkpoints`,
  );
  const failed = [];
  if (!report.ok) failed.push("the generated log did not verify");
  if (ratio > 4) failed.push(`verify is ${ratio.toFixed(2)}× sha256sum (goal 4×)`);
  if (peakRss > 200 * MB) failed.push(`peak RSS ${(peakRss / MB).toFixed(0)} MB (goal 200 MB)`);

  // export, each in a fresh child process: the first month of the log, then the whole log.
  const day = (i) => at(i).slice(0, 10);
  const periods = [
    ["one month", "2025-01-01", "2025-01-31"],
    ["whole log", day(0), "2099-12-31"],
  ];
  console.log("");
  console.log(
    "| export | records selected | seconds (verify + 1st + 2nd reading) | log records/s | peak RSS MB |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const sizes = [];
  for (const [label, since, until] of periods) {
    const out = mkdtempSync(join(tmpdir(), "cc8-bench-export-"));
    outs.push(out);
    const e = JSON.parse(
      execFileSync(
        process.execPath,
        [
          new URL(import.meta.url).pathname,
          "--export-dir",
          dir,
          "--since",
          since,
          "--until",
          until,
          "--out",
          out,
        ],
        { encoding: "utf8", maxBuffer: 64 * MB },
      ),
    );
    const [, verifyPart = 0, first = 0, second = 0] = e.steps;
    console.log(
      `| ${label} (${since} to ${until}) | ${e.counts.records.toLocaleString("en")} | ${e.exportS.toFixed(1)} (${verifyPart.toFixed(1)} + ${first.toFixed(1)} + ${second.toFixed(1)}) | ${Math.round(e.logSize / e.exportS).toLocaleString("en")} | ${(e.peakRss / MB).toFixed(0)} |`,
    );
    sizes.push(
      `${label}: ${e.files.map((f) => `${f.name} ${f.bytes < MB ? `${(f.bytes / 1024).toFixed(1)} KB` : `${(f.bytes / MB).toFixed(0)} MB`}`).join(", ")}`,
    );
    rmSync(out, { recursive: true, force: true });
    if (!e.verified) failed.push(`export of ${label}: the log did not verify`);
    if (e.peakRss >= 200 * MB)
      failed.push(`export of ${label}: peak RSS ${(e.peakRss / MB).toFixed(0)} MB (goal 200 MB)`);
  }
  console.log("");
  for (const line of sizes) console.log(`output sizes, ${line}`);
  console.log(`peak RSS during export: goal < 200 MB`);
  if (failed.length > 0) {
    console.log(`MISSED: ${failed.join("; ")}`);
    process.exitCode = 1;
  }
} finally {
  for (const out of outs) rmSync(out, { recursive: true, force: true });
  if (KEEP || USE) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
