/** `reconcile --git <dir>`: the history of a local clone, read with the git binary (offline). */
import { resolve } from "node:path";
import { baselineFiles, inPeriod, pullRequestOf } from "../core/changelog/history.js";
import { baselineSha256 } from "../core/changelog/records/digest.js";
import { readPolicy } from "./check.js";
import { GitRepo } from "./git-repo.js";
import { reconciledDirectPush, reconciledMergedRecord } from "./log-backfill.js";
import { blobAt, commitChanges, firstParentCommits, treeBlobs } from "./log-git.js";
import { LogUsageError } from "./log-options.js";
import type { ReconcileSource } from "./reconcile-source.js";

export async function openLocalSource(
  gitDir: string,
  opts: { branch?: string; repository?: string },
  cwd: string,
): Promise<ReconcileSource> {
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
  const fullName = opts.repository ?? (await remoteName(repo.root));
  const shortBranch = branch.replace(/^origin\//, "");
  return {
    repository: fullName ? { full_name: fullName } : {},
    branch,
    policy,
    description: `git log --first-parent ${branch} (local clone)`,
    commits: async (w) => inPeriod(await firstParentCommits(repo.root, tip), w.from, w.to).reverse(),
    changes: (commit) => commitChanges(repo.root, commit),
    pullRequestOf: async (commit) => {
      const pr = pullRequestOf(commit);
      return pr && { number: pr.number, mergeSha: commit.sha };
    },
    backfill: async (commit, pr, files, target) => {
      const policyBlob =
        policyPath && commit.parents[0] ? await blobAt(repo.root, commit.parents[0], policyPath) : null;
      const baseline = baselineFiles(await treeBlobs(repo.root, commit.sha), policy);
      const ctx = {
        repository: target.repository,
        branch: shortBranch,
        recordedAt: target.recordedAt,
        policy: { path: policyBlob ? policyPath : null, blob_sha: policyBlob },
        baseline: { sha256: baselineSha256(baseline), files: baseline.length },
      };
      const method = pullRequestOf(commit)?.method ?? "merge";
      return [
        pr
          ? reconciledMergedRecord(commit, { number: pr.number, method }, files, ctx)
          : reconciledDirectPush(commit, files, ctx),
      ];
    },
  };
}

/** `owner/name` from a GitHub remote URL (https, ssh or scp-like), if it is one. */
export function repoFromRemote(url: string): string | undefined {
  return /github[^/:]*[/:]([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(url.trim())?.[1];
}

async function remoteName(root: string): Promise<string | undefined> {
  const { execFile } = await import("node:child_process");
  return new Promise((res) => {
    execFile("git", ["remote", "get-url", "origin"], { cwd: root, encoding: "utf8" }, (error, stdout) => {
      res(error ? undefined : repoFromRemote(stdout));
    });
  });
}
