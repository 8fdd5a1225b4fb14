import type { KeyObject } from "node:crypto";
import { DEFAULT_LOG_BRANCH, GitHubStore } from "../changelog/github-store.js";
import { maybeHeartbeat } from "../changelog/writer.js";
import type { Octokit } from "../github/octokit.js";
import { DEFAULT_HEARTBEAT_MINUTES, type HeartbeatTargetSpec } from "./config.js";
import { logOrigin } from "./record-merge.js";

/**
 * Heartbeat checkpoints written by the app itself, so that a quiet period in a change log is signed too. Every
 * `CHANGELOG_HEARTBEAT_MINUTES` each replica sweeps the logs it can write: every repository of every installation
 * that has an `agent-change-log` branch (or the logs named in CHANGELOG_HEARTBEAT_TARGETS), and asks the writer
 * for a heartbeat on each. The writer decides on the log's tip, on every retry, whether one is due, so replicas
 * sweeping at the same time write at most one checkpoint per log; a log that is not due costs one GraphQL read.
 * Targets are swept one after the other; one that fails is logged (target, HTTP status, the start of the error
 * message; never a token or log content) and the sweep goes on.
 */

/** Repositories checked per sweep (discovery) or logs named (CHANGELOG_HEARTBEAT_TARGETS); beyond it: a warning. */
export const MAX_HEARTBEAT_REPOS = 1000;
const PER_PAGE = 100;
/** Characters of an error message kept in a log line. */
const MESSAGE_CHARS = 200;

export interface AppAuth {
  /** The app's own Octokit (JWT) without an id, an installation's with one: Probot's `auth`. */
  auth(installationId?: number): Promise<Octokit>;
}

/** The logger calls used here (a pino logger, e.g. `probot.log`, fits). */
export interface HeartbeatLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A log the app can write: its repository as GitHub spells it, its branch and the installation that reaches it. */
export interface LogTarget {
  owner: string;
  repo: string;
  branch: string;
  installationId: number;
}

export interface DiscoverOptions {
  log: HeartbeatLog;
  /** CHANGELOG_HEARTBEAT_TARGETS: these logs instead of discovery. */
  targets?: readonly HeartbeatTargetSpec[];
  /** Default MAX_HEARTBEAT_REPOS. */
  limit?: number;
}

export interface Discovery {
  targets: LogTarget[];
  /** Repositories, installations or named logs that could not be checked (each one logged). */
  failed: number;
}

export interface SweepOptions extends DiscoverOptions {
  signingKey: KeyObject;
  /** CHANGELOG_HEARTBEAT_HOURS (default: the writer's DEFAULT_HEARTBEAT_HOURS). */
  heartbeatHours?: number;
  /** GHE_HOST, for the logs' origin (default github.com). */
  host?: string;
  now?: () => Date;
}

export interface SweepSummary {
  /** Logs found. */
  targets: number;
  /** Logs that got a heartbeat checkpoint. */
  written: number;
  /** Logs checked that were not due. */
  notDue: number;
  /** Logs (or repositories, installations) that could not be checked or written. */
  failed: number;
}

/**
 * The logs to keep alive. Discovery: every repository (not archived) of every installation (not suspended) that has
 * an `agent-change-log` branch; repositories past `limit` are not checked, with a warning. With `targets`, exactly
 * those logs: the installation of each through `apps.getRepoInstallation`, its name as GitHub spells it (the origin
 * a log signs with must not depend on how the list was typed).
 */
export async function discoverLogTargets(app: AppAuth, options: DiscoverOptions): Promise<Discovery> {
  const limit = options.limit ?? MAX_HEARTBEAT_REPOS;
  return options.targets
    ? namedTargets(app, options.targets, limit, options.log)
    : installedTargets(app, limit, options.log);
}

async function installedTargets(app: AppAuth, limit: number, log: HeartbeatLog): Promise<Discovery> {
  const jwt = await app.auth();
  const targets: LogTarget[] = [];
  let failed = 0;
  let checked = 0;
  const installations = jwt.paginate.iterator(jwt.rest.apps.listInstallations, { per_page: PER_PAGE });
  for await (const { data: page } of installations) {
    for (const installation of page) {
      if (installation.suspended_at) continue;
      try {
        const octokit = await app.auth(installation.id);
        const repos = octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, {
          per_page: PER_PAGE,
        });
        for await (const { data: repositories } of repos) {
          for (const repository of repositories) {
            if (repository.archived) continue;
            if (checked >= limit) {
              log.warn(
                { limit, checked },
                `more than MAX_HEARTBEAT_REPOS (${limit}) repositories: the others were not checked for a change log and get no heartbeat; name the logs in CHANGELOG_HEARTBEAT_TARGETS`,
              );
              return { targets, failed };
            }
            checked++;
            const target = {
              owner: repository.owner.login,
              repo: repository.name,
              branch: DEFAULT_LOG_BRANCH,
              installationId: installation.id,
            };
            try {
              if (await hasBranch(octokit, target)) targets.push(target);
            } catch (error) {
              failed++;
              log.warn(
                { target: targetName(target), ...errorFields(error) },
                "could not check a repository for a change-log branch",
              );
            }
          }
        }
      } catch (error) {
        failed++;
        log.warn(
          { installation: installation.id, ...errorFields(error) },
          "could not list an installation's repositories: its logs get no heartbeat in this sweep",
        );
      }
    }
  }
  return { targets, failed };
}

async function namedTargets(
  app: AppAuth,
  named: readonly HeartbeatTargetSpec[],
  limit: number,
  log: HeartbeatLog,
): Promise<Discovery> {
  if (named.length > limit) {
    log.warn(
      { limit, named: named.length },
      `CHANGELOG_HEARTBEAT_TARGETS names more than MAX_HEARTBEAT_REPOS (${limit}) logs: only the first ${limit} get heartbeats`,
    );
  }
  const jwt = await app.auth();
  const targets: LogTarget[] = [];
  let failed = 0;
  for (const spec of named.slice(0, limit)) {
    const branch = spec.branch ?? DEFAULT_LOG_BRANCH;
    try {
      const { data: installation } = await jwt.rest.apps.getRepoInstallation({
        owner: spec.owner,
        repo: spec.repo,
      });
      const octokit = await app.auth(installation.id);
      const { data: repository } = await octokit.rest.repos.get({ owner: spec.owner, repo: spec.repo });
      targets.push({
        owner: repository.owner.login,
        repo: repository.name,
        branch,
        installationId: installation.id,
      });
    } catch (error) {
      failed++;
      const status = (error as { status?: number }).status;
      log.warn(
        { target: `${spec.owner}/${spec.repo}@${branch}`, ...errorFields(error) },
        status === 404
          ? "a log named in CHANGELOG_HEARTBEAT_TARGETS does not exist or the app is not installed on it"
          : "could not resolve a log named in CHANGELOG_HEARTBEAT_TARGETS",
      );
    }
  }
  return { targets, failed };
}

async function hasBranch(octokit: Octokit, target: LogTarget): Promise<boolean> {
  try {
    await octokit.rest.repos.getBranch({ owner: target.owner, repo: target.repo, branch: target.branch });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

/** One sweep: every log found gets a heartbeat if one is due. Never throws for one log; discovery errors throw. */
export async function runHeartbeatSweep(app: AppAuth, options: SweepOptions): Promise<SweepSummary> {
  const auth = memoAuth(app);
  const found = await discoverLogTargets(auth, options);
  const summary: SweepSummary = {
    targets: found.targets.length,
    written: 0,
    notDue: 0,
    failed: found.failed,
  };
  for (const target of found.targets) {
    try {
      const octokit = await auth.auth(target.installationId);
      const store = new GitHubStore({
        octokit,
        owner: target.owner,
        repo: target.repo,
        branch: target.branch,
      });
      const result = await maybeHeartbeat(store, {
        signingKey: options.signingKey,
        origin: logOrigin(target, options.host),
        ...(options.heartbeatHours !== undefined ? { heartbeatHours: options.heartbeatHours } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      if (result.checkpoints.length > 0) {
        summary.written++;
        options.log.info(
          { target: targetName(target), treeSize: result.checkpoints[0] },
          "heartbeat checkpoint written",
        );
      } else summary.notDue++;
    } catch (error) {
      summary.failed++;
      options.log.error(
        { target: targetName(target), ...errorFields(error) },
        "heartbeat failed for this log; the other logs go on",
      );
    }
  }
  return summary;
}

export interface HeartbeatSchedule extends Omit<SweepOptions, "log"> {
  /** CHANGELOG_HEARTBEAT_MINUTES: minutes between sweeps (default 60; 0 = off). */
  intervalMinutes?: number;
  /** Picks the first sweep's delay within the interval (default Math.random). */
  random?: () => number;
  /** The sweep to run (default: runHeartbeatSweep with these options). */
  sweep?: () => Promise<SweepSummary>;
}

/**
 * Sweeps on a timer: the first after a random delay within the interval (replicas started together spread out),
 * then every interval. One sweep at a time per process: a tick while one still runs is skipped, with a warning.
 * The timers are unref'd (they never keep the process alive). Returns the function that stops them; a sweep
 * already running finishes.
 */
export function startHeartbeats(
  probot: AppAuth & { log: HeartbeatLog },
  options: HeartbeatSchedule,
): () => void {
  const log = probot.log;
  const minutes = options.intervalMinutes ?? DEFAULT_HEARTBEAT_MINUTES;
  if (minutes <= 0) {
    log.info({}, "change-log heartbeats are off (CHANGELOG_HEARTBEAT_MINUTES=0)");
    return () => undefined;
  }
  const intervalMs = minutes * 60_000;
  const { intervalMinutes: _, random = Math.random, sweep: injected, ...sweepOptions } = options;
  const sweep = injected ?? (() => runHeartbeatSweep(probot, { ...sweepOptions, log }));
  let running = false;
  let stopped = false;
  let interval: ReturnType<typeof setInterval> | undefined;
  const tick = (): void => {
    if (stopped) return;
    if (running) {
      log.warn(
        { intervalMinutes: minutes },
        "the previous heartbeat sweep is still running: this one is skipped",
      );
      return;
    }
    running = true;
    Promise.resolve()
      .then(sweep)
      .then(
        (summary) => log.info({ ...summary }, "heartbeat sweep"),
        (error: unknown) => log.error(errorFields(error), "heartbeat sweep failed"),
      )
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(
    () => {
      if (stopped) return;
      interval = setInterval(tick, intervalMs);
      interval.unref?.();
      tick();
    },
    Math.floor(random() * intervalMs),
  );
  first.unref?.();
  log.info({ intervalMinutes: minutes }, "change-log heartbeats on");
  return () => {
    stopped = true;
    clearTimeout(first);
    if (interval) clearInterval(interval);
  };
}

/** One Octokit per installation for the length of a sweep. */
function memoAuth(app: AppAuth): AppAuth {
  const octokits = new Map<number, Promise<Octokit>>();
  return {
    auth(installationId?: number) {
      if (installationId === undefined) return app.auth();
      let octokit = octokits.get(installationId);
      if (!octokit) {
        octokit = app.auth(installationId);
        octokits.set(installationId, octokit);
        octokit.catch(() => octokits.delete(installationId));
      }
      return octokit;
    },
  };
}

function targetName(target: { owner: string; repo: string; branch: string }): string {
  return `${target.owner}/${target.repo}@${target.branch}`;
}

/** What is logged of an error: its HTTP status, kind and the start of its message — never a request or a token. */
function errorFields(error: unknown): Record<string, unknown> {
  const e = error as { status?: unknown; name?: unknown; message?: unknown };
  return {
    ...(typeof e?.status === "number" ? { status: e.status } : {}),
    error: typeof e?.name === "string" ? e.name : "Error",
    ...(typeof e?.message === "string" ? { message: e.message.slice(0, MESSAGE_CHARS) } : {}),
  };
}
