/**
 * `reconcile`: the first-parent commits of the default branch in a period that touched agent configs, read
 * from a clone (`--git`) or from GitHub's API (`--repo`), compared with the log — merged pull requests without
 * a `change.merged` record (missing), commits without a pull request (direct pushes: logged or not), and
 * changes recorded more than once (duplicates). With `--backfill` the missing ones are appended (capture mode
 * `reconcile`); every run that can sign appends a `log.reconcile_run` record with its counts and parameters.
 */

import type { KeyObject } from "node:crypto";
import { randomUUID } from "node:crypto";
import type { LogStore } from "../changelog/store.js";
import { appendRecords, rfc3339 } from "../changelog/writer.js";
import { logEntries } from "../core/changelog/export/entries.js";
import { agentConfigFiles } from "../core/changelog/history.js";
import { reconcileRunRecord } from "../core/changelog/records/reconcile-run.js";
import type { ReconcileCounts } from "../core/changelog/records/types.js";
import type { LogRecord, RecordDraft } from "../core/changelog/types.js";
import type { LogSource } from "../core/changelog/verify-types.js";
import { TOOL } from "../version.js";
import { LogUsageError, parseWindow } from "./log-options.js";
import type { ReconcileSource } from "./reconcile-source.js";

export interface ReconcileOptions {
  since: string;
  until: string;
  backfill: boolean;
  /** `owner/name` (default: the source's, e.g. a clone's origin remote). */
  repository?: string;
  /** GitHub's numeric repository id (default: the source's, else from the log's records of that repository). */
  repositoryId?: string;
  /** Checkpoint origin for new checkpoints (default: the log's own). */
  origin?: string;
  signingKey?: KeyObject;
  now: () => Date;
  progress?: (done: number, total: number) => void;
}

export type Finding =
  | { kind: "missing"; sha: string; pr: number; at: string; files: string[]; notBackfilled?: string }
  | {
      kind: "direct_push";
      sha: string;
      at: string;
      files: string[];
      logged: boolean;
      notBackfilled?: string;
    }
  | { kind: "duplicate"; key: string; count: number }
  | { kind: "off_branch"; sha: string; pr: number; at: string };

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

export async function runReconcile(
  store: LogStore & LogSource,
  source: ReconcileSource,
  opts: ReconcileOptions,
): Promise<ReconcileResult> {
  const started = opts.now();
  const w = parseWindow(opts.since, opts.until);
  const window = { from: w.from!, to: w.to! };
  const { branch } = source;

  // The log: change records by commit, and record ids seen more than once.
  const fullName = opts.repository ?? source.repository.full_name;
  let repoId = opts.repositoryId ?? source.repository.id;
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
  const loggedAt = (sha: string) => (bySha.get(sha) ?? []).filter(ours);

  const commits = await source.commits(window);
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
  /** Pull requests already counted (the commits of a rebase merge are one change). */
  const counted = new Set<number>();
  const duplicate = (key: string, records: LogRecord[]) => {
    if (records.length < 2) return;
    counts.duplicates += 1;
    findings.push({ kind: "duplicate", key, count: records.length });
  };
  let done = 0;
  for (const commit of commits) {
    opts.progress?.(++done, commits.length);
    // A change the log already holds is in scope by the log's own account: no need to read its files.
    const logged = loggedAt(commit.sha);
    const loggedMerge = logged.filter((r) => r.type === "change.merged");
    if (loggedMerge.length > 0) {
      const number = (loggedMerge[0]!.pr as { number?: number } | undefined)?.number;
      if (number !== undefined && counted.has(number)) continue;
      if (number !== undefined) counted.add(number);
      counts.source += 1;
      counts.logged += 1;
      duplicate(commit.sha, loggedMerge);
      continue;
    }
    const files = agentConfigFiles(await source.changes(commit), source.policy);
    if (files.length === 0 && logged.length === 0) continue;
    const paths = files.map((f) => f.path);
    const pr = await source.pullRequestOf(commit);
    if (pr) {
      if (counted.has(pr.number)) continue;
      counted.add(pr.number);
      counts.source += 1;
      // An earlier commit of a rebase merge: the pull request is logged under its last commit.
      const asMerged =
        pr.mergeSha !== commit.sha ? loggedAt(pr.mergeSha).filter((r) => r.type === "change.merged") : [];
      if (asMerged.length > 0) {
        counts.logged += 1;
        duplicate(pr.mergeSha, asMerged);
        continue;
      }
      counts.missing += 1;
      const finding: Finding = {
        kind: "missing",
        sha: pr.mergeSha,
        pr: pr.number,
        at: commit.committedAt,
        files: paths,
      };
      findings.push(finding);
      if (canWrite) await backfill(finding, commit, pr, files);
      continue;
    }
    counts.source += 1;
    counts.direct_pushes += 1;
    if (logged.length > 0) {
      counts.logged += 1;
      duplicate(commit.sha, logged);
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
    const finding: Finding = {
      kind: "direct_push",
      sha: commit.sha,
      at: commit.committedAt,
      files: paths,
      logged: false,
    };
    findings.push(finding);
    if (canWrite) await backfill(finding, commit, undefined, files);
  }

  async function backfill(
    finding: Extract<Finding, { kind: "missing" | "direct_push" }>,
    commit: (typeof commits)[number],
    pr: Parameters<ReconcileSource["backfill"]>[1],
    files: Parameters<ReconcileSource["backfill"]>[2],
  ): Promise<void> {
    try {
      drafts.push(
        ...(await source.backfill(commit, pr, files, {
          repository: { id: repoId!, full_name: fullName! },
          recordedAt,
        })),
      );
      counts.backfilled += 1;
    } catch (error) {
      if (error instanceof LogUsageError) throw error;
      // Not backfilled: the change stays missing (the run record's RECORDS_MISSING says so), with the reason.
      finding.notBackfilled = (error as Error).message;
    }
  }

  // Online: every pull request merged in the period must have landed on the first-parent line.
  if (source.mergedPullRequests) {
    const onLine = new Set(commits.map((c) => c.sha));
    counts.off_branch = 0;
    for (const pr of await source.mergedPullRequests(window)) {
      if (onLine.has(pr.mergeSha)) continue;
      counts.off_branch += 1;
      findings.push({ kind: "off_branch", sha: pr.mergeSha, pr: pr.number, at: pr.mergedAt });
    }
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
        sources: [source.description],
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
