/**
 * `reconcile --repo owner/name`: the history read through GitHub's API (online, with a token). Commits of the
 * default branch come from the commit listing, the files each changed from a comparison with its first parent,
 * and the pull request each landed through from GitHub's commit-to-PR association (exact, also for squash and
 * rebase merges whose subjects were edited). A missing merge is backfilled from GitHub's own facts: judged
 * again, as the app does at merge, under the policy in force just before it.
 */

import { pullRequestInfo } from "../app/pull-request-info.js";
import { judgeMerge, type MergedPullRequest, mergeDrafts } from "../app/record-merge.js";
import { inPeriod } from "../core/changelog/history.js";
import { loadPolicy } from "../core/policy/resolve.js";
import { GitHubBranchHistory } from "../github/branch-history.js";
import type { Octokit } from "../github/octokit.js";
import { builtinSchemas } from "../schemas.js";
import { reconciledDirectPush } from "./log-backfill.js";
import { LogUsageError } from "./log-options.js";
import { policyTextAt } from "./policy-online.js";
import type { ReconcileSource } from "./reconcile-source.js";

export interface GitHubSourceOptions {
  branch?: string;
  /** The app's id: its check run at merge is part of a backfilled record (required to backfill merges). */
  appId?: number;
  now: () => Date;
}

export async function openGitHubSource(
  octokit: Octokit,
  target: { owner: string; repo: string },
  opts: GitHubSourceOptions,
): Promise<ReconcileSource> {
  const history = new GitHubBranchHistory({ octokit, ...target });
  const label = `${target.owner}/${target.repo}`;
  const info = await history.repository().catch((error: { status?: number }) => {
    if (error.status === 404)
      throw new LogUsageError(`--repo ${label}: not found, or the token cannot read it`);
    throw error;
  });
  const branch = opts.branch ?? info.default_branch;
  const tip = await history.tip(branch).catch((error: { status?: number }) => {
    if (error.status === 404) throw new LogUsageError(`--branch ${branch}: no such branch in ${label}`);
    throw error;
  });
  const policyFile = await policyTextAt(history, tip);
  const load = loadPolicy(policyFile.text, policyFile.path, builtinSchemas());
  const policyPath = policyFile.text !== undefined ? policyFile.path : null;
  if (!load.ok) {
    throw new LogUsageError(
      `the policy file ${policyPath} on ${branch} is invalid: run validate-config on it first`,
    );
  }
  const policy = load.policy;
  return {
    repository: { full_name: info.full_name, id: info.id },
    branch,
    policy,
    description: `GitHub API: first-parent commits of ${info.full_name}@${branch}, their pull requests, and the pull requests merged into it`,
    commits: async (w) => inPeriod(await history.firstParent(tip, w.from), w.from, w.to).reverse(),
    changes: (commit) => history.changes(commit),
    pullRequestOf: async (commit) => {
      const pr = await history.pullRequestOf(commit.sha, branch);
      return pr && { number: pr.number, mergeSha: pr.merge_commit_sha };
    },
    mergedPullRequests: async (w) =>
      (await history.mergedInto(branch, w.from, w.to)).map((p) => ({
        number: p.number,
        mergeSha: p.merge_commit_sha,
        mergedAt: p.merged_at,
      })),
    backfill: async (commit, pr, files, t) => {
      if (pr) {
        if (opts.appId === undefined)
          throw new LogUsageError(
            "--backfill from GitHub needs --app-id (or APP_ID): a backfilled merge records the app's check run at merge",
          );
        const data = await history.pullRequest(pr.number);
        const merged = data as MergedPullRequest;
        const prInfo = pullRequestInfo(data, { owner: { login: target.owner }, name: target.repo });
        const judged = await judgeMerge(octokit, prInfo, merged, { appId: opts.appId, now: opts.now });
        if (!judged.inScope)
          throw new Error(`#${pr.number}: its own changed files hold no agent configuration`);
        return mergeDrafts(
          octokit,
          prInfo,
          merged,
          { id: Number(t.repository.id), full_name: t.repository.full_name },
          judged,
          { capture_mode: "reconcile", delivery_id: null, recorded_at: t.recordedAt },
        );
      }
      // A direct push: blob ids before the change and the policy file at the parent, in one request.
      const parent = commit.parents[0];
      const before = (f: (typeof files)[number]) => `${parent}:${f.previous_path ?? f.path}`;
      const wanted = parent
        ? [
            ...files.filter((f) => f.status !== "added").map(before),
            ...(policyPath ? [`${parent}:${policyPath}`] : []),
          ]
        : [];
      const ids = wanted.length > 0 ? await history.blobIds(wanted) : new Map<string, string | null>();
      const policyBlob = parent && policyPath ? (ids.get(`${parent}:${policyPath}`) ?? null) : null;
      return [
        reconciledDirectPush(
          commit,
          files.map((f) => ({
            ...f,
            blob_before: f.status === "added" || !parent ? null : (ids.get(before(f)) ?? null),
          })),
          {
            repository: t.repository,
            branch,
            recordedAt: t.recordedAt,
            policy: { path: policyBlob ? policyPath : null, blob_sha: policyBlob },
          },
        ),
      ];
    },
  };
}
