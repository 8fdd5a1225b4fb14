/**
 * The small fixed log the export goldens are made from, built through the real record builders, sealing and
 * checkpoint signing. It is generated once (UPDATE_GOLDEN=1) into test/fixtures/changelog/export-log/ and read
 * back from there, so the goldens change only when the export changes, not when a builder does.
 */
import { createPrivateKey } from "node:crypto";
import { join } from "node:path";
import { DirStore } from "../../../src/changelog/dir-store.js";
import { makeCheckpoint } from "../../../src/core/changelog/checkpoint.js";
import { buildExport } from "../../../src/core/changelog/export/bundle.js";
import { logEntries } from "../../../src/core/changelog/export/entries.js";
import type { ExportQuery, LogEntry } from "../../../src/core/changelog/export/select.js";
import { exportVerification } from "../../../src/core/changelog/export/verification.js";
import { keyFingerprint, keyPath, publicKeyPem } from "../../../src/core/changelog/keys.js";
import { MerkleFrontier } from "../../../src/core/changelog/merkle.js";
import {
  directPushRecord,
  mergedRecord,
  policyChangedRecord,
  postReviewRecord,
  reconcileRunRecord,
} from "../../../src/core/changelog/records/index.js";
import { emptyLogState, sealRecords } from "../../../src/core/changelog/seal.js";
import type { LogRecord, RecordDraft } from "../../../src/core/changelog/types.js";
import { verifyLog } from "../../../src/core/changelog/verify.js";
import { MERGE, review, scenario } from "./records-fixtures.js";

export const FIXTURE_ORIGIN = "cc8.example/acme/agents";
/** A test-only Ed25519 key from a fixed seed (never used anywhere else). */
export const FIXTURE_KEY = createPrivateKey({
  key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.alloc(32, 7)]),
  format: "der",
  type: "pkcs8",
});

const sha = (c: string) => c.repeat(40);

function drafts(): RecordDraft[] {
  const ok = mergedRecord(
    scenario({
      mergedAt: "2026-02-27T16:00:00Z",
      over: { recorded_at: "2026-02-27T16:00:04Z" },
    }),
  );
  const march = mergedRecord(scenario({ reviews: [review("alice"), review("bob", "COMMENTED")] }));
  // A hostile title: formula, markup, quotes, a comma and a bidi override; no approval at all; CI failed.
  const hostile = mergedRecord(
    scenario({
      reviews: [],
      title: '=HYPERLINK("http://evil.example","x"), <script>alert(1)</script> \u202eOPS-18',
      headRef: "OPS-18-fix",
      checks: [{ name: "ci / test", conclusion: "failure" }],
      gate: false,
      mergedAt: "2026-03-10T09:30:00Z",
      over: {
        recorded_at: "2026-03-10T09:30:02Z",
        repository: { id: "1296270", full_name: "acme/tools" },
        pr: {
          ...scenario().pr,
          number: 7,
          url: "https://github.com/acme/tools/pull/7",
          title: '=HYPERLINK("http://evil.example","x"), <script>alert(1)</script> \u202eOPS-18',
          merge_commit_sha: sha("6"),
          merged_at: "2026-03-10T09:30:00Z",
          head_ref: "OPS-18-fix",
        },
      },
    }),
  );
  const push = directPushRecord({
    recorded_at: "2026-03-15T08:00:03Z",
    capture_mode: "reconcile",
    delivery_id: null,
    repository: { id: "1296269", full_name: "acme/agents" },
    ref: "refs/heads/main",
    before: MERGE,
    after: sha("7"),
    pusher: { login: "-admin", id: "9", type: "User" },
    pushed_at: "2026-03-15T07:59:00Z",
    forced: true,
    commits: [{ sha: sha("7"), author_login: "admin", committer_login: "admin", message: "hotfix" }],
    files: [
      {
        path: "AGENTS.md",
        status: "modified",
        category: "prompt",
        format: "agents-md",
        blob_before: sha("a"),
        blob_after: sha("c"),
      },
    ],
    policy: { path: ".github/agent-change-control.yml", blob_sha: sha("5") },
    app_version: "0.1.0",
  });
  const policy = policyChangedRecord({
    recorded_at: "2026-03-20T11:00:00Z",
    capture_mode: "webhook",
    delivery_id: "d-policy",
    repository: { id: "1296269", full_name: "acme/agents" },
    subject: { kind: "ruleset", name: "42" },
    before: "8".repeat(64),
    after: "9".repeat(64),
    changed_by: { login: "admin", id: "9", type: "User" },
    changed_at: "2026-03-20T10:59:00Z",
    app_version: "0.1.0",
  });
  const reconcile = reconcileRunRecord({
    recorded_at: "2026-03-31T23:30:00Z",
    run_id: "run-2026-03",
    started_at: "2026-03-31T23:00:00Z",
    finished_at: "2026-03-31T23:29:00Z",
    query: {
      since: "2026-03-01T00:00:00Z",
      until: "2026-03-31T23:59:59Z",
      repositories: ["acme/agents", "acme/tools"],
      backfill: false,
      sources: ["pulls?state=closed&base=main", "commits?sha=main&first-parent"],
    },
    counts: { source: 4, logged: 3, missing: 1, backfilled: 0, direct_pushes: 1, duplicates: 0 },
    tool_version: "0.1.0",
  });
  const april = mergedRecord(
    scenario({
      mergedAt: "2026-04-01T00:00:00Z",
      over: {
        recorded_at: "2026-04-01T00:00:03Z",
        pr: { ...scenario().pr, number: 44, merge_commit_sha: sha("d"), merged_at: "2026-04-01T00:00:00Z" },
      },
    }),
  );
  return [ok, march, hostile, push, policy, reconcile, april];
}

/** The follow-up review of the hostile change, late: recorded in April, so outside the March export. */
function followUp(hostile: LogRecord): RecordDraft {
  return postReviewRecord({
    recorded_at: "2026-04-03T09:00:00Z",
    refers_to: { record_id: hostile.record_id, record_hash: hostile.record_hash },
    source_id: "review-1",
    reviewer: { login: "sec-lead", id: "21", type: "User" },
    reviewed_at: "2026-04-03T08:55:00Z",
    outcome: "accepted",
    notes: "Reviewed after the fact.",
    due_by: "2026-03-12",
  });
}

/** The fixture log's files by path (records sharded by the month of recorded_at, one checkpoint, the key). */
export function fixtureLogFiles(): Record<string, string> {
  const first = sealRecords(emptyLogState(), drafts());
  const hostile = first.records[2]!;
  const second = sealRecords(first.state, [followUp(hostile)]);
  const records = [...first.records, ...second.records];
  const lines = [...first.lines, ...second.lines];
  const files: Record<string, string> = {};
  records.forEach((r, i) => {
    const path = `log/${r.recorded_at.slice(0, 4)}/${r.recorded_at.slice(5, 7)}/part-0001.jsonl`;
    files[path] = `${files[path] ?? ""}${lines[i]}\n`;
  });
  const frontier = MerkleFrontier.from(second.state.frontier, second.state.size);
  const size = second.state.size;
  files[`checkpoints/${String(size).padStart(12, "0")}.txt`] = makeCheckpoint(
    {
      origin: FIXTURE_ORIGIN,
      size,
      root: frontier.root(),
      lastHash: second.state.last_hash,
      time: "2026-04-03T10:00:00Z",
    },
    FIXTURE_KEY,
  );
  files[keyPath(keyFingerprint(FIXTURE_KEY))] = publicKeyPem(FIXTURE_KEY);
  return files;
}

const FIXTURES = join(process.cwd(), "test", "fixtures", "changelog");
export const FIXTURE_LOG_DIR = join(FIXTURES, "export-log");
export const GOLDEN_DIR = join(FIXTURES, "export-golden");

/** The fixed log, verified and exported with an injected time (March 2026 unless another query is given). */
export async function fixtureExport(
  query: ExportQuery = { since: "2026-03-01", until: "2026-03-31" },
  bom = false,
) {
  const store = new DirStore(FIXTURE_LOG_DIR);
  const report = await verifyLog(store);
  const newest = report.checkpoints.filter((c) => c.status === "valid").at(-1);
  const verification = exportVerification(report, newest ? await store.readText(newest.path) : undefined);
  const log: LogEntry[] = [];
  for await (const e of logEntries(store)) log.push(e);
  return buildExport({
    log,
    query,
    verification,
    generatedAt: "2026-04-05T12:00:00Z",
    tool: { name: "agent-change-control", version: "0.0.0-golden" },
    bom,
  });
}
