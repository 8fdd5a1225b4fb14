/**
 * The streaming `export` (two readings of the log, files written and hashed as they grow) gives exactly the bytes
 * of the in-memory buildExport, for the golden log and for a log over report.html's caps; and the caps themselves.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { type ExportOptions, runExport } from "../../src/cli/log-export.js";
import { parseWindow } from "../../src/cli/log-options.js";
import { buildExport, EXPORT_FILES } from "../../src/core/changelog/export/bundle.js";
import { logEntries } from "../../src/core/changelog/export/entries.js";
import type { LogEntry } from "../../src/core/changelog/export/select.js";
import { MAX_HTML_CHANGES, MAX_HTML_EXCEPTIONS } from "../../src/core/changelog/export/tally.js";
import { exportVerification } from "../../src/core/changelog/export/verification.js";
import { mergedRecord } from "../../src/core/changelog/records/merged.js";
import type { RecordDraft } from "../../src/core/changelog/types.js";
import { verifyLog } from "../../src/core/changelog/verify.js";
import type { LogSource } from "../../src/core/changelog/verify-types.js";
import { TOOL } from "../../src/version.js";
import { FIXTURE_LOG_DIR } from "../core/changelog/export-fixture.js";
import { scenario } from "../core/changelog/records-fixtures.js";
import { makeTempDir } from "../helpers/temp-git-repo.js";
import { logRecords, merged, REPO, writeLog } from "./log-fixture.js";

const NOW = new Date("2026-04-05T12:00:00.123Z");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What buildExport gives for the log, with the verification, tool and time runExport uses. */
async function inMemory(source: LogSource, opts: ExportOptions) {
  const window = parseWindow(opts.since, opts.until);
  const report = await verifyLog(source, { since: window.from, until: window.to });
  const newest = report.checkpoints
    .filter((c) => c.status === "valid")
    .sort((a, b) => a.size - b.size)
    .at(-1);
  const log: LogEntry[] = [];
  for await (const e of logEntries(source)) log.push(e);
  return buildExport({
    log,
    query: {
      since: opts.since,
      until: opts.until,
      ...(opts.repository !== undefined ? { repository: opts.repository } : {}),
    },
    verification: exportVerification(report, newest ? await source.readText(newest.path) : undefined),
    generatedAt: "2026-04-05T12:00:00Z",
    tool: TOOL,
    bom: opts.bom ?? false,
  });
}

/** runExport into a fresh directory; the files as written. */
async function streamed(source: LogSource, opts: Omit<ExportOptions, "out">) {
  const out = makeTempDir("acc-export-");
  dirs.push(out);
  const outcome = await runExport(source, { ...opts, out: "." }, out, NOW);
  const files = Object.fromEntries(EXPORT_FILES.map((name) => [name, readFileSync(join(out, name))]));
  return { outcome, files: files as Record<(typeof EXPORT_FILES)[number], Buffer> };
}

describe("streaming export = buildExport, byte for byte", () => {
  test.each([
    { since: "2026-03-01", until: "2026-03-31" },
    { since: "2026-03-01", until: "2026-03-31", bom: true },
    { since: "2026-01-01", until: "2026-12-31" },
    { since: "2026-02-01", until: "2026-04-30", repository: "acme/tools" },
    { since: "2027-01-01", until: "2027-01-31" },
  ])("golden log, %j", async (opts) => {
    const store = new DirStore(FIXTURE_LOG_DIR);
    const expected = await inMemory(store, { ...opts, out: "x" });
    const { files, outcome } = await streamed(store, opts);
    expect(outcome.verified).toBe(true);
    for (const name of EXPORT_FILES) {
      expect({ name, text: files[name].toString("utf8") }).toEqual({ name, text: expected[name] });
      expect(files[name].equals(Buffer.from(expected[name], "utf8"))).toBe(true);
    }
  });
});

/** A merged change of PR `n` without approval, failing CI, past a failing gate: its record carries exceptions. */
function unapproved(n: number, mergeSha: string, mergedAt: string): RecordDraft {
  const plain = merged(n, mergeSha, mergedAt) as unknown as Record<string, unknown>;
  const bare = mergedRecord(
    scenario({
      mergedAt,
      title: `Change ${n}`,
      reviews: [],
      checks: [{ name: "ci / test", conclusion: "failure" }],
      gate: false,
    }),
  ) as Record<string, unknown>;
  return {
    ...bare,
    record_id: plain.record_id,
    recorded_at: mergedAt,
    repository: { ...REPO },
    pr: plain.pr,
    merge_commit_sha: mergeSha,
    merged_at: mergedAt,
  } as unknown as RecordDraft;
}

describe("report.html over its caps", () => {
  // Plain changes first, then changes with exceptions: over both caps, and the changes with exceptions (at the
  // end of the log) must still be the ones detailed.
  const PLAIN = MAX_HTML_CHANGES / 2 + 4;
  const FLAWED = MAX_HTML_CHANGES / 2 + 1;
  let dir = "";
  let files: Record<string, Buffer>;
  let html = "";
  let summary = "";
  let changes: { seq: number; id: string; exceptions: number }[] = [];

  beforeAll(async () => {
    const sha = (i: number) => i.toString(16).padStart(40, "0");
    const at = (i: number) =>
      new Date(Date.UTC(2026, 2, 3) + i * 600_000).toISOString().replace(/\.000Z$/, "Z");
    const drafts: RecordDraft[] = [];
    for (let i = 0; i < PLAIN + FLAWED; i++)
      drafts.push(i < PLAIN ? merged(i + 1, sha(i + 1), at(i)) : unapproved(i + 1, sha(i + 1), at(i)));
    ({ dir } = await writeLog(drafts, { every: 500, now: "2026-03-31T00:00:00Z" }));
    dirs.push(dir);
    changes = logRecords(dir)
      .filter((r) => r.type === "change.merged")
      .map((r) => ({
        seq: r.seq as number,
        id: r.record_id as string,
        exceptions: (r.exceptions as unknown[]).length,
      }));
    const run = await streamed(new DirStore(dir), { since: "2026-03-01", until: "2026-03-31" });
    files = run.files;
    summary = run.outcome.summary;
    html = files["report.html"]!.toString("utf8");
  }, 60_000);

  test("the fixture is what the test needs: over both caps", () => {
    expect(changes).toHaveLength(PLAIN + FLAWED);
    expect(changes.slice(0, PLAIN).every((c) => c.exceptions === 0)).toBe(true);
    expect(changes.slice(PLAIN).every((c) => c.exceptions > 0)).toBe(true);
    expect(changes.length).toBeGreaterThan(MAX_HTML_CHANGES);
    expect(changes.reduce((n, c) => n + c.exceptions, 0)).toBeGreaterThan(MAX_HTML_EXCEPTIONS);
  });

  test("population.csv, exceptions.csv and records.jsonl hold every change and exception", () => {
    const lines = (name: string) => files[name]!.toString("utf8").split("\r\n").slice(1, -1);
    const population = lines("population.csv");
    expect(population.map((l) => l.split(",")[0])).toEqual(changes.map((c) => c.id));
    const exceptions = lines("exceptions.csv");
    expect(exceptions).toHaveLength(changes.reduce((n, c) => n + c.exceptions, 0));
    const jsonl = files["records.jsonl"]!.toString("utf8").split("\n").slice(0, -1);
    const records = jsonl.map((l) => JSON.parse(l) as { record_id: string; type: string });
    expect(records.filter((r) => r.type === "change.merged").map((r) => r.record_id)).toEqual(
      changes.map((c) => c.id),
    );
    expect(summary).toContain(`${changes.length} changes`);
  });

  test("the change details stop at MAX_HTML_CHANGES, changes with exceptions first, with a sentence", () => {
    const detailed = [...html.matchAll(/<article class="change[^"]*" id="change-(\d+)">/g)].map((m) =>
      Number(m[1]),
    );
    expect(detailed).toHaveLength(MAX_HTML_CHANGES);
    const flawed = changes.filter((c) => c.exceptions > 0).map((c) => c.seq);
    const plain = changes.filter((c) => c.exceptions === 0).map((c) => c.seq);
    // Every change with exceptions, then the first plain changes that fit; shown in log order.
    const expected = new Set([...flawed, ...plain.slice(0, MAX_HTML_CHANGES - flawed.length)]);
    expect(detailed).toEqual(changes.map((c) => c.seq).filter((s) => expected.has(s)));
    const rest = changes.length - MAX_HTML_CHANGES;
    expect(html).toContain(`<h2>Changes (${changes.length})</h2>`);
    expect(html).toContain(
      `Only ${MAX_HTML_CHANGES} of the ${changes.length} changes are detailed here (at most ${MAX_HTML_CHANGES}`,
    );
    expect(html).toContain(`the other ${rest} are in population.csv, which lists every change`);
  });

  test("the exception list stops at MAX_HTML_EXCEPTIONS, in log order, with a sentence", () => {
    const total = changes.reduce((n, c) => n + c.exceptions, 0);
    const section = html.slice(
      html.indexOf('<section id="exceptions">'),
      html.indexOf('<section id="changes">'),
    );
    expect(section).toContain(`<h2>Exceptions (${total})</h2>`);
    const rowSeqs = [...section.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    const expected = changes.flatMap((c) => Array.from({ length: c.exceptions }, () => c.seq));
    expect(rowSeqs).toEqual(expected.slice(0, MAX_HTML_EXCEPTIONS));
    expect(section).toContain(
      `Only the first ${MAX_HTML_EXCEPTIONS} of the ${total} exceptions are listed here (at most ${MAX_HTML_EXCEPTIONS}); the other ${total - MAX_HTML_EXCEPTIONS} are in exceptions.csv, which lists every exception.`,
    );
    // Each listed exception links to its change's detail, which is in the page.
    const ids = new Set([...html.matchAll(/ id="(change-\d+)"/g)].map((m) => m[1]));
    const links = [...section.matchAll(/href="#(change-\d+)"/g)].map((m) => m[1]);
    expect(links).toHaveLength(MAX_HTML_EXCEPTIONS);
    expect(links.filter((id) => !ids.has(id))).toEqual([]);
  });

  test("the manifest's sizes and hashes are those of the files written", () => {
    const manifest = JSON.parse(files["manifest.json"]!.toString("utf8")) as {
      files: { name: string; bytes: number; sha256: string }[];
      counts: { changes: number; exceptions: number };
    };
    expect(manifest.files.map((f) => f.name)).toEqual(
      EXPORT_FILES.filter((n) => n !== "manifest.json").sort(),
    );
    for (const f of manifest.files) {
      expect(f.bytes).toBe(files[f.name]!.length);
      expect(f.sha256).toBe(createHash("sha256").update(files[f.name]!).digest("hex"));
    }
    expect(manifest.counts.changes).toBe(changes.length);
  });

  test("and buildExport gives the same bytes for this log", async () => {
    const expected = await inMemory(new DirStore(dir), {
      since: "2026-03-01",
      until: "2026-03-31",
      out: "x",
    });
    for (const name of EXPORT_FILES)
      expect(files[name]!.equals(Buffer.from(expected[name], "utf8"))).toBe(true);
  }, 60_000);
});
