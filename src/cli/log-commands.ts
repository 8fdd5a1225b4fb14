/**
 * The auditor's change-log commands: `verify`, `export`, `reconcile` (over a clone of the log, or online with
 * a token) and `matrix` (the CC6 access matrix of a repository's policy). Exit codes as everywhere: 0 fine,
 * 1 a failed verification (or a reconcile that found gaps), 2 a usage or I/O error.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { logOrigin } from "../app/record-merge.js";
import { DEFAULT_LOG_BRANCH, GitHubStore } from "../changelog/github-store.js";
import type { LogStore } from "../changelog/store.js";
import { formatVerifyReport, verifyLog } from "../core/changelog/verify.js";
import type { LogSource } from "../core/changelog/verify-types.js";
import { HistoryLimitError } from "../github/branch-history.js";
import { GitError } from "./git-repo.js";
import { registerLogAdminCommands } from "./log-admin-commands.js";
import { runExport } from "./log-export.js";
import { runMatrix } from "./log-matrix.js";
import {
  LogUsageError,
  openLogDir,
  openSource,
  ownerRepo,
  parseWindow,
  tokenOctokit,
} from "./log-options.js";
import { type ReconcileResult, runReconcile } from "./log-reconcile.js";
import { loadWitness } from "./log-witness.js";
import { openGitHubSource } from "./reconcile-github.js";
import { openLocalSource } from "./reconcile-local.js";
import type { ReconcileSource } from "./reconcile-source.js";

export interface LogCommandsIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Environment (GITHUB_TOKEN, GH_TOKEN, CHANGELOG_SIGNING_KEY); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Show a progress indicator on stderr (stderr is a terminal). */
  progress?: boolean;
}

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function registerLogCommands(
  program: Command,
  io: LogCommandsIo,
  setCode: (code: number) => void,
): void {
  const env = io.env ?? process.env;
  /** Runs an action; usage and I/O problems become one line on stderr and exit 2. */
  const guarded =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      try {
        setCode(await action(...args));
      } catch (error) {
        if (
          error instanceof LogUsageError ||
          error instanceof GitError ||
          error instanceof HistoryLimitError
        ) {
          io.stderr(`agent-change-control: ${error.message}\n`);
          setCode(EXIT.usage);
          return;
        }
        const http = githubFailure(error);
        if (http) {
          io.stderr(`agent-change-control: ${http}\n`);
          setCode(EXIT.usage);
          return;
        }
        throw error;
      }
    };

  program
    .command("verify")
    .description(
      "Verify a change log: every record hash, chain link and seq, the Merkle roots against the checkpoints, and the checkpoint signatures.",
    )
    .option("--log <dir>", "a clone of the log (offline)")
    .option("--repo <owner/name>", "read the log online from this repository (GITHUB_TOKEN or GH_TOKEN)")
    .option("--branch <name>", "the log branch, with --repo", "agent-change-log")
    .option("--since <time>", "list and count records from this date or RFC 3339 time")
    .option("--until <time>", "… up to this date (the whole day) or time")
    .option(
      "--trusted-key <pem file>",
      "trust only this public key (obtained out of band) and keys it hands over to by log.key_rotated records; repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--witness <file>",
      "a checkpoint note or export manifest.json kept from an earlier look: the log must still extend it; repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(
      guarded(
        async (opts: {
          log?: string;
          repo?: string;
          branch: string;
          since?: string;
          until?: string;
          trustedKey?: string[];
          witness?: string[];
          format: string;
        }) => {
          const window = parseWindow(opts.since, opts.until);
          const trustedKeys =
            opts.trustedKey === undefined
              ? undefined
              : await Promise.all(opts.trustedKey.map((f) => loadPublicKey(f, io.cwd)));
          const witnesses =
            opts.witness === undefined
              ? undefined
              : await Promise.all(opts.witness.map((f) => loadWitness(f, io.cwd)));
          const { source } = await openSource(opts, io.cwd, env);
          const report = await verifyLog(source, {
            ...(window.from !== undefined ? { since: window.from } : {}),
            ...(window.to !== undefined ? { until: window.to } : {}),
            ...(trustedKeys !== undefined ? { trustedKeys } : {}),
            ...(witnesses !== undefined ? { witnesses } : {}),
          });
          io.stdout(
            opts.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report),
          );
          return report.ok ? EXIT.ok : EXIT.failed;
        },
      ),
    );

  program
    .command("export")
    .description(
      "Export a period of the log for an auditor: population.csv, exceptions.csv, records.jsonl, report.html, verify-report.txt and manifest.json.",
    )
    .option("--log <dir>", "a clone of the log (offline)")
    .option("--repo <owner/name>", "read the log online from this repository (GITHUB_TOKEN or GH_TOKEN)")
    .option("--branch <name>", "the log branch, with --repo", "agent-change-log")
    .requiredOption("--since <date>", "first day (YYYY-MM-DD) or RFC 3339 time of the period")
    .requiredOption("--until <date>", "last day (the whole day) or RFC 3339 time of the period")
    .option("--repository <glob>", "only changes of repositories whose owner/name matches")
    .option("--bom", "start the CSV files with a UTF-8 byte-order mark (Excel)")
    .requiredOption("--out <dir>", "directory to write the files to (created if needed)")
    .action(
      guarded(
        async (opts: {
          log?: string;
          repo?: string;
          branch: string;
          since: string;
          until: string;
          repository?: string;
          bom?: boolean;
          out: string;
        }) => {
          parseWindow(opts.since, opts.until);
          const { source } = await openSource(opts, io.cwd, env);
          const outcome = await runExport(source, opts, io.cwd, new Date());
          io.stdout(outcome.summary);
          return outcome.verified ? EXIT.ok : EXIT.failed;
        },
      ),
    );

  program
    .command("matrix")
    .description(
      "Print the CC6 access matrix: who may approve which agent-config changes, own the policy and declare emergencies.",
    )
    .option(
      "--repo <dir|owner/name>",
      "a local repository (any directory inside it), or owner/name read through GitHub's API with GITHUB_TOKEN (then with the org baseline)",
      ".",
    )
    .option("--ref <ref>", "read the policy at this ref (default: the default branch)")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "markdown"]).default("csv"))
    .action(
      guarded(async (opts: { repo: string; ref?: string; format: string }) => {
        const out = await runMatrix(opts, io.cwd, env);
        if (!out.ok) {
          io.stderr(
            `agent-change-control: the policy file ${out.path} at ${out.ref} (${out.sha.slice(0, 7)}) is invalid, so no matrix was made.\n`,
          );
          io.stderr(
            out.messages
              .map((m) => `${m.path}:${m.line}:${m.column}: ${m.severity}: ${m.message}\n`)
              .join(""),
          );
          return EXIT.usage;
        }
        io.stdout(out.text);
        return EXIT.ok;
      }),
    );

  program
    .command("reconcile")
    .description(
      "Compare the first-parent history of the default branch (a clone with --git, or GitHub's API with --repo) with the log: missing records, direct pushes, duplicates; --backfill appends what is missing.",
    )
    .option(
      "--log <dir>",
      "the log directory (a clone of the log branch); with --repo, default: the log branch online",
    )
    .option("--git <dir>", "a clone of the monitored repository (offline)")
    .option(
      "--repo <owner/name>",
      "read the monitored repository through GitHub's API (GITHUB_TOKEN or GH_TOKEN)",
    )
    .option(
      "--log-repo <owner/name>",
      "with --repo and no --log: the repository holding the log (default: --repo)",
    )
    .option("--log-branch <name>", "with --repo and no --log: the log branch", DEFAULT_LOG_BRANCH)
    .requiredOption("--since <date>", "first day (YYYY-MM-DD) or RFC 3339 time")
    .requiredOption("--until <date>", "last day (the whole day) or RFC 3339 time")
    .option(
      "--backfill",
      "append change.merged / change.direct_push records (capture mode reconcile) for what is missing",
    )
    .option(
      "--signing-key <pem file>",
      "Ed25519 private key that signs checkpoints (default: CHANGELOG_SIGNING_KEY)",
    )
    .option(
      "--app-id <id>",
      "with --repo --backfill: the GitHub App's id, to find its check run (default: APP_ID)",
    )
    .option("--branch <name>", "the branch to walk (default: the repository's default branch)")
    .option(
      "--repository <owner/name>",
      "the repository's full name (default: from the origin remote, or --repo)",
    )
    .option(
      "--repository-id <id>",
      "GitHub's numeric repository id (default: from GitHub, or the log's records)",
    )
    .option("--origin <name>", "checkpoint origin (default: the log's own)")
    .action(
      guarded(
        async (opts: {
          log?: string;
          git?: string;
          repo?: string;
          logRepo?: string;
          logBranch: string;
          since: string;
          until: string;
          backfill?: boolean;
          signingKey?: string;
          appId?: string;
          branch?: string;
          repository?: string;
          repositoryId?: string;
          origin?: string;
        }) => {
          parseWindow(opts.since, opts.until);
          if (opts.repositoryId !== undefined && !/^[0-9]+$/.test(opts.repositoryId)) {
            throw new LogUsageError(`--repository-id ${opts.repositoryId}: expected GitHub's numeric id`);
          }
          if ((opts.git === undefined) === (opts.repo === undefined)) {
            throw new LogUsageError(
              "give exactly one of --git <dir> (a clone, offline) and --repo <owner/name> (GitHub's API)",
            );
          }
          if (opts.git !== undefined && opts.log === undefined) {
            throw new LogUsageError("--git needs --log <dir> (a clone of the log branch)");
          }
          const appIdText = opts.appId ?? env.APP_ID;
          if (appIdText !== undefined && !/^[0-9]+$/.test(appIdText)) {
            throw new LogUsageError(`--app-id ${appIdText}: expected the GitHub App's numeric id`);
          }
          const signingKey = await loadSigningKey(opts.signingKey, io.cwd, env);
          const now = () => new Date();
          let store: LogStore & LogSource;
          let source: ReconcileSource;
          let defaultOrigin: string | undefined;
          if (opts.git !== undefined) {
            store = await openLogDir(io.cwd, opts.log!);
            source = await openLocalSource(
              opts.git,
              {
                ...(opts.branch !== undefined ? { branch: opts.branch } : {}),
                ...(opts.repository !== undefined ? { repository: opts.repository } : {}),
              },
              io.cwd,
            );
          } else {
            const target = ownerRepo("--repo", opts.repo!);
            const octokit = tokenOctokit(env, "--repo");
            if (opts.log !== undefined) store = await openLogDir(io.cwd, opts.log);
            else {
              const logTarget = opts.logRepo ? ownerRepo("--log-repo", opts.logRepo) : target;
              store = new GitHubStore({ octokit, ...logTarget, branch: opts.logBranch });
              defaultOrigin = logOrigin(logTarget, env.GHE_HOST || undefined);
            }
            source = await openGitHubSource(octokit, target, {
              ...(opts.branch !== undefined ? { branch: opts.branch } : {}),
              ...(appIdText !== undefined ? { appId: Number(appIdText) } : {}),
              now,
            });
          }
          let shown = -1;
          const progress = io.progress
            ? (done: number, total: number) => {
                const pct = Math.floor((done * 100) / total);
                if (pct !== shown || done === total)
                  io.stderr(`\rreconcile: ${done}/${total} commits (${pct}%)${done === total ? "\n" : ""}`);
                shown = pct;
              }
            : undefined;
          const origin = opts.origin ?? defaultOrigin;
          const result = await runReconcile(store, source, {
            since: opts.since,
            until: opts.until,
            backfill: opts.backfill ?? false,
            ...(opts.repository !== undefined ? { repository: opts.repository } : {}),
            ...(opts.repositoryId !== undefined ? { repositoryId: opts.repositoryId } : {}),
            ...(origin !== undefined ? { origin } : {}),
            ...(signingKey ? { signingKey } : {}),
            now,
            ...(progress ? { progress } : {}),
          });
          io.stdout(formatReconcile(result));
          const c = result.counts;
          const gaps =
            c.missing - c.backfilled > 0 ||
            c.duplicates > 0 ||
            c.direct_pushes > 0 ||
            (c.off_branch ?? 0) > 0;
          return gaps ? EXIT.failed : EXIT.ok;
        },
      ),
    );

  registerLogAdminCommands(program, { stdout: io.stdout, cwd: io.cwd, env, loadSigningKey }, guarded);
}

/** A GitHub API error (Octokit's RequestError) as one line: status, method and path, GitHub's message; no token. */
function githubFailure(error: unknown): string | undefined {
  const e = error as { status?: unknown; request?: { method?: string; url?: string }; message?: string };
  if (typeof e?.status !== "number" || !e.request?.url) return undefined;
  const path = e.request.url.replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, "");
  const why = (e.message ?? "").split(" - ")[0];
  return `GitHub answered ${e.status} to ${e.request.method ?? "GET"} ${path}${why ? `: ${why}` : ""}; nothing was written`;
}

/** `--trusted-key <file>`: an Ed25519 public key in PEM (a private key's public half also does). */
async function loadPublicKey(file: string, cwd: string): Promise<KeyObject> {
  const pem = await readFile(resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new LogUsageError(`--trusted-key ${file}: cannot read (${error.code ?? error.message})`);
  });
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new LogUsageError(`--trusted-key ${file}: not a PEM public key`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new LogUsageError(`--trusted-key ${file}: expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

/** `--signing-key <file>` or CHANGELOG_SIGNING_KEY (PEM text); undefined when neither is set. */
export async function loadSigningKey(
  file: string | undefined,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<KeyObject | undefined> {
  let pem: string | undefined;
  let from = "CHANGELOG_SIGNING_KEY";
  if (file !== undefined) {
    from = `--signing-key ${file}`;
    pem = await readFile(resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new LogUsageError(`${from}: cannot read (${error.code ?? error.message})`);
    });
  } else pem = env.CHANGELOG_SIGNING_KEY || undefined;
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new LogUsageError(`${from}: not a PEM private key`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new LogUsageError(`${from}: expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

export function formatReconcile(r: ReconcileResult): string {
  const c = r.counts;
  const out: string[] = [];
  out.push(
    `Reconciling ${r.repository.full_name ?? "(repository unknown)"}${r.repository.id ? ` (id ${r.repository.id})` : ""} branch ${r.branch} between ${r.window.from} and ${r.window.to}`,
  );
  out.push(
    `${r.commitsExamined} first-parent commit${r.commitsExamined === 1 ? "" : "s"} in the period, ${c.source} touching agent configs`,
  );
  for (const f of r.findings) {
    if (f.kind === "missing")
      out.push(
        `MISSING      PR #${f.pr} merged ${f.at} as ${f.sha.slice(0, 12)}: no change.merged record (${f.files.join(", ")})`,
      );
    else if (f.kind === "direct_push")
      out.push(
        `DIRECT PUSH  ${f.sha.slice(0, 12)} ${f.at}${f.logged ? " (logged)" : ": no record"} (${f.files.join(", ")})`,
      );
    else if (f.kind === "off_branch")
      out.push(
        `NOT ON BRANCH PR #${f.pr} merged ${f.at} as ${f.sha.slice(0, 12)}: no longer on ${r.branch}'s first-parent history (rewritten by a force push or reset)`,
      );
    else out.push(`DUPLICATE    ${f.key}: ${f.count} records`);
    if ((f.kind === "missing" || f.kind === "direct_push") && f.notBackfilled)
      out.push(`             not backfilled: ${f.notBackfilled}`);
  }
  out.push(
    `Totals: ${c.source} in source, ${c.logged} logged, ${c.missing} missing, ${c.backfilled} backfilled, ${c.direct_pushes} direct push${c.direct_pushes === 1 ? "" : "es"}, ${c.duplicates} duplicate${c.duplicates === 1 ? "" : "s"}${c.off_branch !== undefined ? `, ${c.off_branch} not on the branch` : ""}`,
  );
  if (r.notWritten) out.push(`Not written: ${r.notWritten}`);
  else {
    const seqs = r.written.map((w) => w.seq);
    out.push(
      `Written: ${r.written.length} record${r.written.length === 1 ? "" : "s"} (seq ${seqs[0]}-${seqs.at(-1)}): ${[...new Set(r.written.map((w) => w.type))].join(", ")}`,
    );
  }
  return `${out.join("\n")}\n`;
}
