/** `matrix`: the CC6 access matrix of the policy on a repository's default branch (as `check` reads it). */
import { resolve } from "node:path";
import { accessMatrix, matrixCsv, matrixMarkdown } from "../core/access-matrix.js";
import type { ValidationMessage } from "../core/types.js";
import { readPolicy } from "./check.js";
import { GitRepo } from "./git-repo.js";
import { LogUsageError } from "./log-options.js";

export type MatrixOutcome =
  | { ok: true; text: string; ref: string; sha: string; policyPath?: string }
  | { ok: false; ref: string; sha: string; path: string; messages: ValidationMessage[] };

export async function runMatrix(
  opts: { repo: string; ref?: string; format: string },
  cwd: string,
): Promise<MatrixOutcome> {
  if (opts.repo === "") throw new LogUsageError("--repo needs a directory (got an empty string)");
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
