/**
 * The checks a merge had to pass, and how each stood on the merged head: the required status checks of the base
 * branch (its rulesets and its classic branch protection) and, per check, the latest check run or commit status
 * on the head commit. A required check that never reported is recorded with a null conclusion, which the record's
 * `checks_passed` verdict counts as not passed.
 */
import type { RequiredCheckFacts } from "../core/changelog/records/types.js";
import type { Octokit } from "./octokit.js";

/** A required check: its name (check run name or status context) and, when pinned, the app that must run it. */
export interface RequiredCheck {
  context: string;
  integrationId?: number;
}

/** Check runs and statuses read per head commit; more fail loudly rather than judge on part of them. */
export const MAX_HEAD_CHECKS = 1000;

export async function requiredChecks(
  octokit: Octokit,
  target: { owner: string; repo: string; branch: string },
): Promise<RequiredCheck[]> {
  const { owner, repo, branch } = target;
  const [rules, protection] = await Promise.all([
    octokit.paginate(octokit.rest.repos.getBranchRules, { owner, repo, branch, per_page: 100 }),
    octokit.rest.repos.getBranch({ owner, repo, branch }).then(
      (r) => r.data.protection,
      (error: { status?: number }) => {
        // The branch may be gone after the merge (a deleted release branch): its rulesets still answer.
        if (error.status === 404) return undefined;
        throw error;
      },
    ),
  ]);
  const out = new Map<string, RequiredCheck>();
  const add = (context: string, integrationId?: number | null) => {
    const key = `${context}\u0000${integrationId ?? ""}`;
    if (!out.has(key)) out.set(key, { context, ...(integrationId ? { integrationId } : {}) });
  };
  for (const rule of rules) {
    if (rule.type !== "required_status_checks") continue;
    const parameters = (rule as { parameters?: { required_status_checks?: RequiredCheckParam[] } })
      .parameters;
    for (const c of parameters?.required_status_checks ?? []) add(c.context, c.integration_id);
  }
  const classic = protection?.required_status_checks;
  if (classic?.checks?.length) for (const c of classic.checks) add(c.context, c.app_id);
  else for (const context of classic?.contexts ?? []) add(context);
  return [...out.values()];
}

interface RequiredCheckParam {
  context: string;
  integration_id?: number | null;
}

/** How each required check stood on `sha`: the latest check run of that name (of the pinned app), else the status. */
export async function checkConclusions(
  octokit: Octokit,
  target: { owner: string; repo: string; sha: string },
  required: readonly RequiredCheck[],
): Promise<RequiredCheckFacts[]> {
  if (required.length === 0) return [];
  const { owner, repo, sha } = target;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: sha,
    filter: "latest",
    per_page: 100,
  });
  const runOf = (check: RequiredCheck) =>
    runs
      .filter((r) => r.name === check.context && (!check.integrationId || r.app?.id === check.integrationId))
      .sort((a, b) => (b.started_at ?? "").localeCompare(a.started_at ?? ""))[0];
  // Commit statuses are read only when a required check is not a check run (most CI reports check runs).
  const needStatuses = required.some((c) => !c.integrationId && runOf(c) === undefined);
  const statuses = needStatuses
    ? await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, {
        owner,
        repo,
        ref: sha,
        per_page: 100,
      })
    : [];
  if (runs.length + statuses.length > MAX_HEAD_CHECKS) {
    throw new Error(
      `${sha.slice(0, 12)} has more than ${MAX_HEAD_CHECKS} check runs and statuses (MAX_HEAD_CHECKS): the required checks cannot be judged`,
    );
  }
  return required.map((check) => {
    const run = runOf(check);
    if (run) {
      return {
        name: check.context,
        conclusion: run.status === "completed" ? (run.conclusion ?? null) : null,
        ...(run.app?.slug ? { app_slug: run.app.slug } : {}),
        ...(run.completed_at ? { completed_at: run.completed_at } : {}),
        sha: run.head_sha,
      };
    }
    // Statuses come newest first; the first of a context is its current state.
    const status = check.integrationId ? undefined : statuses.find((s) => s.context === check.context);
    if (status) {
      return {
        name: check.context,
        conclusion: status.state === "pending" ? null : status.state,
        completed_at: status.updated_at,
        sha,
      };
    }
    return { name: check.context, conclusion: null, sha };
  });
}
