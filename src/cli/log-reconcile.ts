/**
 * `reconcile` (offline): the first-parent commits of a clone's default branch in a period that touched agent
 * configs, compared with the log — merged pull requests without a `change.merged` record (missing), commits
 * without a pull request (direct pushes: logged or not), and changes recorded more than once (duplicates).
 * With `--backfill` the missing ones are appended (capture mode `reconcile`); every run that can sign appends a
 * `log.reconcile_run` record with its counts and parameters.
 */

import type { KeyObject } from "node:crypto";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { DirStore } from "../changelog/dir-store.js";
import { appendRecords, rfc3339 } from "../changelog/writer.js";
import { logEntries } from "../core/changelog/export/entries.js";
import { baselineSha256 } from "../core/changelog/records/digest.js";
import { reconcileRunRecord } from "../core/changelog/records/reconcile-run.js";
import type { ReconcileCounts } from "../core/changelog/records/types.js";
import type { LogRecord, RecordDraft } from "../core/changelog/types.js";
import { TOOL } from "../version.js";
import { readPolicy } from "./check.js";
import { GitRepo } from "./git-repo.js";
import { reconciledDirectPush, reconciledMergedRecord } from "./log-backfill.js";
import {
  agentConfigFiles,
  baselineFiles,
  blobAt,
  commitChanges,
  firstParentCommits,
  inPeriod,
  pullRequestOf,
  treeBlobs,
} from "./log-git.js";
import { LogUsageError, parseWindow } from "./log-options.js";

export interface ReconcileOptions {
  since: string;
  until: string;
  backfill: boolean;
  /** `owner/name` of the clone (default: from the origin remote). */
  repository?: string;
  /** GitHub's numeric repository id (default: from the log's records of that repository). */
  repositoryId?: string;
  /** Default branch to walk (default: the clone's default branch). */
  branch?: string;
  /** Checkpoint origin for new checkpoints (default: the log's own). */
  origin?: string;
  signingKey?: KeyObject;
  now: () => Date;
  progress?: (done: number, total: number) => void;
}

export type Finding =
  | { kind: "missing"; sha: string; pr: number; at: string; files: string[] }
  | { kind: "direct_push"; sha: string; at: string; files: string[]; logged: boolean }
  | { kind: "duplicate"; key: string; count: number };

export interface ReconcileResult {
  repository: { full_name?: string; id?: string };
  branch: string;
  window: { from: string; to: string };
  commitsExamined: number;
  counts: ReconcileCounts;
  findings: Finding[];
  /** Records appended (backfills and the run record), or why nothing was written. */
  written: LogRecord[];
  notWritten?: string;
}

/** `owner/name` from a GitHub remote URL (https, ssh or scp-like), if it is one. */
function repoFromRemote(url: string): string | undefined {
  return /github[^/:]*[/:]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(url.trim())?.[1];
}

export async function runReconcile(
  store: DirStore,
  gitDir: string,
  opts: ReconcileOptions,
  cwd: string,
): Promise<ReconcileResult> {
  const started = opts.now();
  const w = parseWindow(opts.since, opts.until);
  const window = { from: w.from!, to: w.to! };
  if (gitDir === "") throw new LogUsageError("--git needs a directory (got an empty string)");
  const repo = await GitRepo.open(resolve(cwd, gitDir));
  const branch = opts.branch ?? (await repo.defaultBranch());
  if (branch === undefined) throw new LogUsageError("--git: no default branch found; pass --branch <name>");
  const tip = await repo.resolveRef(branch).catch(() => {
    throw new LogUsageError(`--branch ${branch}: no such branch in ${repo.root}`);
  });
  const policyAtTip = await readPolicy(repo, tip);
  if (!policyAtTip.load.ok) {
    throw new LogUsageError(
      `the policy file ${policyAtTip.path} on ${branch} is invalid: run validate-config on it first`,
    );
  }
  const policy = policyAtTip.load.policy;
  const policyPath = policyAtTip.path ?? null;

  // The log: change records by commit, and record ids seen more than once.
  const fullName = opts.repository ?? (await remoteName(repo.root));
  let repoId = opts.repositoryId;
  const bySha = new Map<string, LogRecord[]>();
  const ids = new Map<string, number>();
  let origin: string | undefined;
  for await (const { record } of logEntries(store)) {
    ids.set(record.record_id, (ids.get(record.record_id) ?? 0) + 1);
    if (record.type === "log.checkpoint" && typeof record.origin === "string") origin ??= record.origin;
    if (record.type !== "change.merged" && record.type !== "change.direct_push") continue;
    const r = record.repository as { id?: string; full_name?: string } | undefined;
    if (fullName && r?.full_name?.toLowerCase() === fullName.toLowerCase()) repoId ??= r.id;
    const shas =
      record.type === "change.merged"
        ? [record.merge_commit_sha]
        : [record.after, ...((record.commits as { sha?: string }[] | undefined) ?? []).map((c) => c.sha)];
    for (const sha of new Set(shas)) {
      if (typeof sha !== "string") continue;
      bySha.set(sha, [...(bySha.get(sha) ?? []), record]);
    }
  }
  const ours = (r: LogRecord) => {
    const rr = r.repository as { id?: string; full_name?: string } | undefined;
    if (repoId !== undefined) return rr?.id === repoId;
    if (fullName !== undefined) return rr?.full_name?.toLowerCase() === fullName.toLowerCase();
    return true;
  };

  const commits = inPeriod(await firstParentCommits(repo.root, tip), window.from, window.to).reverse();
  const findings: Finding[] = [];
  const drafts: RecordDraft[] = [];
  const counts: ReconcileCounts = {
    source: 0,
    logged: 0,
    missing: 0,
    backfilled: 0,
    direct_pushes: 0,
    duplicates: 0,
  };
  const recordedAt = rfc3339(opts.now());
  const canWrite =
    opts.backfill && opts.signingKey !== undefined && repoId !== undefined && fullName !== undefined;
  let done = 0;
  for (const commit of commits) {
    opts.progress?.(++done, commits.length);
    const files = agentConfigFiles(await commitChanges(repo.root, commit), policy);
    if (files.length === 0) continue;
    counts.source += 1;
    const pr = pullRequestOf(commit);
    const logged = (bySha.get(commit.sha) ?? []).filter(ours);
    const matching = logged.filter((r) => (pr ? r.type === "change.merged" : true));
    if (matching.length > 1) {
      counts.duplicates += 1;
      findings.push({ kind: "duplicate", key: commit.sha, count: matching.length });
    }
    const paths = files.map((f) => f.path);
    if (!pr) counts.direct_pushes += 1;
    if (matching.length > 0) {
      counts.logged += 1;
      if (!pr)
        findings.push({
          kind: "direct_push",
          sha: commit.sha,
          at: commit.committedAt,
          files: paths,
          logged: true,
        });
      continue;
    }
    counts.missing += 1;
    findings.push(
      pr
        ? { kind: "missing", sha: commit.sha, pr: pr.number, at: commit.committedAt, files: paths }
        : { kind: "direct_push", sha: commit.sha, at: commit.committedAt, files: paths, logged: false },
    );
    if (!canWrite) continue;
    const policyBlob =
      policyPath && commit.parents[0] ? await blobAt(repo.root, commit.parents[0], policyPath) : null;
    const baseline = baselineFiles(await treeBlobs(repo.root, commit.sha), policy);
    const ctx = {
      repository: { id: repoId!, full_name: fullName! },
      branch: branch.replace(/^origin\//, ""),
      recordedAt,
      policy: { path: policyBlob ? policyPath : null, blob_sha: policyBlob },
      baseline: { sha256: baselineSha256(baseline), files: baseline.length },
    };
    drafts.push(
      pr ? reconciledMergedRecord(commit, pr, files, ctx) : reconciledDirectPush(commit, files, ctx),
    );
    counts.backfilled += 1;
  }
  // Record ids written more than once anywhere in the log (the writer's index should make this impossible).
  for (const [key, count] of ids) {
    if (count > 1) {
      counts.duplicates += 1;
      findings.push({ kind: "duplicate", key, count });
    }
  }

  const result: ReconcileResult = {
    repository: { ...(fullName ? { full_name: fullName } : {}), ...(repoId ? { id: repoId } : {}) },
    branch,
    window,
    commitsExamined: commits.length,
    counts,
    findings,
    written: [],
  };
  if (!opts.signingKey) {
    result.notWritten =
      "no signing key (--signing-key or CHANGELOG_SIGNING_KEY): report only, nothing was written to the log";
    return result;
  }
  if (opts.backfill && !canWrite) {
    throw new LogUsageError(
      `--backfill needs the repository's name and GitHub id for record ids: pass --repository owner/name and --repository-id <id>${fullName ? ` (no record of ${fullName} in the log to take the id from)` : ""}`,
    );
  }
  const logOrigin = opts.origin ?? origin;
  if (logOrigin === undefined)
    throw new LogUsageError("the log has no checkpoint yet to take its origin from: pass --origin <name>");
  const finished = opts.now();
  drafts.push(
    reconcileRunRecord({
      recorded_at: recordedAt,
      run_id: randomUUID(),
      started_at: rfc3339(started),
      finished_at: rfc3339(finished),
      query: {
        since: window.from,
        until: window.to,
        repositories: fullName ? [fullName] : [],
        backfill: opts.backfill,
        sources: [`git log --first-parent ${branch} (local clone)`],
      },
      counts,
      tool_version: TOOL.version,
    }),
  );
  const appended = await appendRecords(store, drafts, {
    signingKey: opts.signingKey,
    origin: logOrigin,
    now: opts.now,
  });
  result.written = appended.written;
  return result;
}

async function remoteName(root: string): Promise<string | undefined> {
  const { execFile } = await import("node:child_process");
  return new Promise((res) => {
    execFile("git", ["remote", "get-url", "origin"], { cwd: root, encoding: "utf8" }, (error, stdout) => {
      res(error ? undefined : repoFromRemote(stdout));
    });
  });
}
