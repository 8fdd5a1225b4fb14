import { CODEOWNERS_PATHS } from "../core/approvals/index.js";
import { type Evaluation, evaluateChange } from "../core/evaluate.js";
import { assembleChanges, blobKey, blobRequests, repoSchemaTexts } from "../core/gather.js";
import { decodeBlob, MAX_FILE_BYTES } from "../core/parse/decode.js";
import { loadPolicy, POLICY_PATHS, type PolicyLoad, type ResolvedPolicy } from "../core/policy/resolve.js";
import type { ReportContext } from "../core/report/model.js";
import type { FindingSeverity, ValidationMessage } from "../core/types.js";
import { builtinSchemas } from "../schemas.js";
import { TOOL } from "../version.js";
import { GitError, type GitRepo } from "./git-repo.js";

export interface CheckOptions {
  base?: string;
  head?: string;
  failOn: FindingSeverity;
}

export type CheckOutcome =
  | {
      kind: "evaluated";
      evaluation: Evaluation;
      context: ReportContext;
      policyMessages: ValidationMessage[];
      /** What approvals need beyond the evaluation (read from the same base commit as the policy). */
      approvalInputs: LocalApprovalInputs;
    }
  | { kind: "policy-error"; messages: ValidationMessage[]; ref: string; sha: string; path: string };

/**
 * Gathers the facts of a local change and hands them to the engine. The policy and the schemas it names
 * come from the BASE commit: a change cannot loosen the rules it is judged by.
 */
export async function checkLocalChange(repo: GitRepo, opts: CheckOptions): Promise<CheckOutcome> {
  const headRef = opts.head ?? "HEAD";
  const head = await resolveOption(repo, "--head", headRef);
  const base =
    opts.base !== undefined
      ? await resolveOption(repo, "--base", opts.base)
      : await repo.defaultBase(headRef);
  // The documented label for a defaulted base (docs/cli.md), also when it is the first parent on main.
  const baseRef = opts.base ?? "merge-base";

  const policyLoad = await readPolicy(repo, base);
  if (!policyLoad.load.ok) {
    return {
      kind: "policy-error",
      messages: policyLoad.load.messages,
      ref: baseRef,
      sha: base,
      path: policyLoad.path ?? POLICY_PATHS[0],
    };
  }
  const { policy } = policyLoad.load;

  const changed = await repo.changedPaths(base, head);
  const sides = { base, head, policy: base };
  const blobs = await repo.readBlobs(blobRequests(changed, policy, sides), MAX_FILE_BYTES);
  const changes = assembleChanges(changed, blobs, sides);
  const repoSchemas = repoSchemaTexts(policy, blobs, base);

  const evaluation = evaluateChange({ changes, policy, schemas: builtinSchemas(), repoSchemas });
  const context: ReportContext = {
    tool: TOOL,
    base: { ref: baseRef, sha: base },
    head: { ref: headRef, sha: head },
    policy: { ...(policyLoad.path ? { path: policyLoad.path } : {}), ref: baseRef },
    failOn: opts.failOn,
  };
  const approvalInputs: LocalApprovalInputs = {
    policy,
    changedPaths: changed.flatMap((c) => (c.previousPath ? [c.previousPath, c.path] : [c.path])),
    headSha: head,
    targetBranch: await targetBranch(repo, opts.base),
    codeowners: await readCodeowners(repo, base),
  };
  return { kind: "evaluated", evaluation, context, policyMessages: policyLoad.load.messages, approvalInputs };
}

/** The facts of a local change the approval rules need besides the evaluation. */
export interface LocalApprovalInputs {
  /** The base commit's policy: the one the change is judged by. */
  policy: ResolvedPolicy;
  /** Every changed path, both sides of a rename (a CODEOWNERS change is a policy change). */
  changedPaths: string[];
  /** The resolved --head. */
  headSha: string;
  /** The branch the change would merge into, for `target_branches`: --base as given, else the default branch. */
  targetBranch: string;
  /** CODEOWNERS at the base commit (GitHub's order: .github/, the root, docs/), if any. */
  codeowners?: { path: string; text: string };
}

/** `--base` names the target branch when given (`origin/main` → `main`); else the default branch's name. */
async function targetBranch(repo: GitRepo, base: string | undefined): Promise<string> {
  const name = base ?? (await repo.defaultBranch()) ?? "main";
  return name.replace(/^(?:refs\/heads\/|refs\/remotes\/)?(?:origin\/)?/, "");
}

async function readCodeowners(
  repo: GitRepo,
  ref: string,
): Promise<{ path: string; text: string } | undefined> {
  const blobs = await repo.readBlobs(
    CODEOWNERS_PATHS.map((path) => ({ ref, path })),
    MAX_FILE_BYTES,
  );
  for (const path of CODEOWNERS_PATHS) {
    const blob = blobs.get(blobKey(ref, path));
    if (!blob) continue;
    const decoded = decodeBlob(blob);
    // An unreadable CODEOWNERS file grants nobody ownership (rules that need CODEOWNERS stay pending).
    return decoded.ok ? { path, text: decoded.text } : undefined;
  }
  return undefined;
}

/** Resolves a user-given ref to a commit; an unknown one is reported with the option that named it. */
async function resolveOption(repo: GitRepo, option: string, ref: string): Promise<string> {
  try {
    return await repo.resolveRef(ref);
  } catch (error) {
    if (error instanceof GitError && error.message === `unknown revision ${ref}`) {
      throw new GitError(
        `${option} ${ref}: unknown revision (no such branch, tag or commit in ${repo.root})`,
        {
          cause: error,
          ...(error.exitCode !== undefined ? { exitCode: error.exitCode } : {}),
        },
      );
    }
    throw error;
  }
}

/** Reads and validates the policy file at a commit; no file means the built-in defaults. */
export async function readPolicy(repo: GitRepo, ref: string): Promise<{ path?: string; load: PolicyLoad }> {
  const blobs = await repo.readBlobs(
    POLICY_PATHS.map((path) => ({ ref, path })),
    MAX_FILE_BYTES,
  );
  for (const path of POLICY_PATHS) {
    const blob = blobs.get(blobKey(ref, path));
    if (!blob) continue;
    return { path, load: policyFromBlob(path, blob) };
  }
  return { load: loadPolicy(undefined, POLICY_PATHS[0], builtinSchemas()) };
}

export function policyFromBlob(path: string, blob: Parameters<typeof decodeBlob>[0]): PolicyLoad {
  const decoded = decodeBlob(blob);
  if (!decoded.ok) {
    return {
      ok: false,
      messages: [
        {
          path,
          line: decoded.line,
          column: 1,
          severity: "error",
          code: decoded.code,
          message: decoded.message,
        },
      ],
    };
  }
  return loadPolicy(decoded.text, path, builtinSchemas());
}
