/**
 * `matrix`: the CC6 access matrix of the policy on a repository's default branch — from a local clone (as `check`
 * reads it), or through GitHub's API (`--repo owner/name`), where it is the policy the app enforces: the
 * repository's file merged with the org baseline in `<owner>/.github`.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { accessMatrix, matrixCsv, matrixMarkdown } from "../core/access-matrix.js";
import { loadEffectivePolicy } from "../core/policy/baseline.js";
import type { PolicyLoad } from "../core/policy/resolve.js";
import type { ValidationMessage } from "../core/types.js";
import { GitHubBranchHistory } from "../github/branch-history.js";
import { BASELINE_REPO } from "../github/github-facts.js";
import { asGraphqlPartial } from "../github/octokit.js";
import { builtinSchemas } from "../schemas.js";
import { readPolicy } from "./check.js";
import { GitRepo } from "./git-repo.js";
import { LogUsageError, ownerRepo, tokenOctokit } from "./log-options.js";
import { policyTextAt } from "./policy-online.js";

export type MatrixOutcome =
  | { ok: true; text: string; ref: string; sha: string; policyPath?: string }
  | { ok: false; ref: string; sha: string; path: string; messages: ValidationMessage[] };

export async function runMatrix(
  opts: { repo: string; ref?: string; format: string },
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<MatrixOutcome> {
  if (opts.repo === "") throw new LogUsageError("--repo needs a directory (got an empty string)");
  // A directory wins; otherwise `owner/name` is read online.
  const isDir = (await stat(resolve(cwd, opts.repo)).catch(() => undefined))?.isDirectory() ?? false;
  if (!isDir && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(opts.repo)) return runMatrixOnline(opts, env);
  const repo = await GitRepo.open(resolve(cwd, opts.repo));
  const ref = opts.ref ?? (await repo.defaultBranch());
  if (ref === undefined) {
    throw new LogUsageError(
      "no default branch found (origin/HEAD is not set and none of main, master, trunk exists); pass --ref <ref>",
    );
  }
  const sha = await repo.resolveRef(ref).catch(() => {
    throw new LogUsageError(`--ref ${ref}: unknown revision (no such branch, tag or commit in ${repo.root})`);
  });
  const { path, load } = await readPolicy(repo, sha);
  if (!load.ok) return { ok: false, ref, sha, path: path ?? "(policy)", messages: load.messages };
  const rows = accessMatrix(load.policy);
  const text = opts.format === "markdown" ? matrixMarkdown(rows) : matrixCsv(rows);
  return { ok: true, text, ref, sha, ...(path !== undefined ? { policyPath: path } : {}) };
}

/** The effective policy (repository file + org baseline) at the default branch or `--ref`, through the API. */
async function runMatrixOnline(
  opts: { repo: string; ref?: string; format: string },
  env: NodeJS.ProcessEnv,
): Promise<MatrixOutcome> {
  const target = ownerRepo("--repo", opts.repo);
  const octokit = tokenOctokit(env, "--repo");
  const history = new GitHubBranchHistory({ octokit, ...target });
  const info = await history.repository();
  const ref = opts.ref ?? info.default_branch;
  const { data: commit } = await octokit.rest.repos.getCommit({ ...target, ref, per_page: 1 });
  const sha = commit.sha;
  const repository = await policyTextAt(history, sha);
  const baselineHistory = new GitHubBranchHistory({ octokit, owner: target.owner, repo: BASELINE_REPO });
  const baseline = await policyTextAt(baselineHistory, "HEAD").catch((error: unknown) => {
    // No `<owner>/.github` repository (or the token cannot see it): no baseline, as in the app.
    if (asGraphqlPartial(error)?.errors.some((e) => e.type === "NOT_FOUND")) return undefined;
    throw error;
  });
  const load: PolicyLoad = loadEffectivePolicy({
    repository,
    ...(baseline?.text !== undefined
      ? { baseline: { ...baseline, label: `${target.owner}/${BASELINE_REPO}` } }
      : {}),
    schemas: builtinSchemas(),
  });
  if (!load.ok) return { ok: false, ref, sha, path: repository.path, messages: load.messages };
  const rows = accessMatrix(load.policy);
  const text = opts.format === "markdown" ? matrixMarkdown(rows) : matrixCsv(rows);
  return {
    ok: true,
    text,
    ref,
    sha,
    ...(repository.text !== undefined ? { policyPath: repository.path } : {}),
  };
}
