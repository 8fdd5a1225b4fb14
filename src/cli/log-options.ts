/** Shared plumbing of the change-log commands: usage errors, time bounds, the log source to read. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ProbotOctokit } from "probot";
import { DirStore } from "../changelog/dir-store.js";
import { DEFAULT_LOG_BRANCH, GitHubStore } from "../changelog/github-store.js";
import { timeWindow } from "../core/changelog/export/select.js";
import type { LogSource } from "../core/changelog/verify.js";
import type { Octokit } from "../github/octokit.js";

/** A mistake on the command line or an unreadable input: reported in one line, exit 2. */
export class LogUsageError extends Error {}

/** `--since`/`--until` as given, and as RFC 3339 UTC bounds to the second (both inclusive). */
export interface Window {
  since?: string;
  until?: string;
  /** Bounds for string comparison with record times (`recorded_at`, `merged_at`): `…T00:00:00Z` form. */
  from?: string;
  to?: string;
}

/** RFC 3339 UTC to the second (floor), the form records use. */
export function utcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * A plain date covers the whole UTC day (`--until 2026-03-31` ends at 23:59:59Z), as in the export; anything
 * else must be an RFC 3339 time. An unreadable bound is a usage error, never a silently wider range.
 */
export function parseWindow(since: string | undefined, until: string | undefined): Window {
  let w: { from: number; to: number };
  try {
    w = timeWindow({ since, until });
  } catch (error) {
    throw new LogUsageError((error as Error).message);
  }
  return {
    ...(since !== undefined ? { since, from: utcSeconds(w.from) } : {}),
    ...(until !== undefined ? { until, to: utcSeconds(w.to) } : {}),
  };
}

export function inWindow(time: unknown, w: Window): boolean {
  if (typeof time !== "string") return w.from === undefined && w.to === undefined;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return false;
  return (
    (w.from === undefined || ms >= Date.parse(w.from)) && (w.to === undefined || ms < Date.parse(w.to) + 1000)
  );
}

/** A log directory that must exist (a clone of the log branch, or a directory the writer filled). */
export async function openLogDir(cwd: string, dir: string): Promise<DirStore> {
  if (dir === "") throw new LogUsageError("--log needs a directory (got an empty string)");
  const path = resolve(cwd, dir);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new LogUsageError(`--log ${dir}: no such directory`);
  if (!info.isDirectory()) throw new LogUsageError(`--log ${dir}: not a directory`);
  return new DirStore(path);
}

export interface SourceOptions {
  log?: string;
  repo?: string;
  branch?: string;
}

/**
 * The log to read: `--log <dir>` (offline), or `--repo owner/name [--branch]` online with GITHUB_TOKEN (or
 * GH_TOKEN). Online reads are of one commit (the branch head when first read) and never write.
 */
export async function openSource(
  opts: SourceOptions,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ source: LogSource; label: string }> {
  if ((opts.log === undefined) === (opts.repo === undefined)) {
    throw new LogUsageError(
      "give exactly one of --log <dir> (a clone of the log) and --repo <owner/name> (online)",
    );
  }
  if (opts.log !== undefined) return { source: await openLogDir(cwd, opts.log), label: opts.log };
  const target = ownerRepo("--repo", opts.repo!);
  const octokit = tokenOctokit(env, "--repo");
  const branch = opts.branch ?? DEFAULT_LOG_BRANCH;
  const store = new GitHubStore({ octokit, ...target, branch });
  const { version } = await store.snapshot();
  if (version === "")
    throw new LogUsageError(`--repo ${opts.repo}: branch ${branch} does not exist (no log there)`);
  store.pin(version);
  return { source: store, label: `${opts.repo}@${branch} (${version.slice(0, 12)})` };
}

/** `owner/name` from a flag, or a usage error naming it. */
export function ownerRepo(flag: string, value: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!m) throw new LogUsageError(`${flag} ${value}: expected owner/name`);
  return { owner: m[1]!, repo: m[2]! };
}

/** An Octokit with GITHUB_TOKEN (or GH_TOKEN), against GHE_HOST when it is set; a usage error without a token. */
export function tokenOctokit(env: NodeJS.ProcessEnv, flag: string): Octokit {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new LogUsageError(`${flag} reads through the GitHub API: set GITHUB_TOKEN (or GH_TOKEN)`);
  const host = env.GHE_HOST?.trim();
  return new ProbotOctokit({
    auth: { token },
    ...(host ? { baseUrl: `https://${host}/api/v3` } : {}),
  }) as Octokit;
}
