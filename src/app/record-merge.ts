import { createHash, type KeyObject } from "node:crypto";
import type { Context } from "probot";
import { DEFAULT_LOG_BRANCH, GitHubStore } from "../changelog/github-store.js";
import type { LogStore } from "../changelog/store.js";
import { appendRecords } from "../changelog/writer.js";
import { changeSummary, policyChangePaths } from "../core/approvals/index.js";
import { approvalFactsForLog, evaluationSummary } from "../core/changelog/records/evaluation-summary.js";
import {
  type MergedFacts,
  type MergeMethod,
  mergedRecord,
  type PolicyChangedFacts,
  policyChangedRecord,
} from "../core/changelog/records/index.js";
import type { RecordDraft } from "../core/changelog/types.js";
import { classifyPath } from "../core/formats/classify.js";
import type { ChangedPath } from "../core/gather.js";
import { blobKey } from "../core/gather.js";
import { CHECK_NAME } from "../core/report/check-run.js";
import type { FileBlob } from "../core/types.js";
import type { PullRequestInfo } from "../github/facts.js";
import { GitHubFacts } from "../github/github-facts.js";
import type { Octokit } from "../github/octokit.js";
import { checkConclusions, requiredChecks } from "../github/required-checks.js";
import { TOOL } from "../version.js";
import { judge } from "./judge.js";

/**
 * A merged pull request that touched agent configs becomes one `change.merged` record in the CC8 change log:
 * judged again as it stood at merge (the same facts, policy and approval engine as the gate), then appended
 * fast-forward-only to the log branch with the app's signing key. Idempotent: a redelivery writes nothing new.
 * When the change edited the controls themselves (the policy file, a schema it names, CODEOWNERS), a
 * `policy.changed` record per path goes into the same commit.
 */

export interface ChangelogSettings {
  /** Ed25519 key that signs checkpoints (CHANGELOG_SIGNING_KEY); recording is off without it. */
  signingKey?: KeyObject;
  /** Where the log lives; default: the repository's own `agent-change-log` branch via the GitHub API. */
  store?: (octokit: Octokit, target: { owner: string; repo: string; branch: string }) => LogStore;
  /** GitHub host for the log's origin line (GHE_HOST), default github.com. */
  host?: string;
}

/** The merged pull request as the `pull_request.closed` payload carries it. */
export interface MergedPullRequest {
  number: number;
  node_id: string;
  html_url: string;
  title: string;
  body: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  merged_by: { login: string; id: number; type: string } | null;
  user: { login: string; id: number; type: string } | null;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  /** The number of the PR's commits (locates the base of a rebase merge). */
  commits?: number;
}

export type RecordOutcome =
  | { kind: "recorded"; seq: number; recordId: string; policyRecordIds?: string[] }
  | { kind: "already-recorded"; recordId: string }
  | { kind: "out-of-scope" }
  | { kind: "disabled"; why: string };

export async function recordMerge(
  context: Pick<Context, "log" | "id"> & { octokit: Octokit },
  pr: PullRequestInfo,
  merged: MergedPullRequest,
  repository: { id: number; full_name: string },
  settings: { appId: number; changelog?: ChangelogSettings; now?: () => Date },
): Promise<RecordOutcome> {
  const now = settings.now ?? (() => new Date());
  const judged = await judgeMerge(context.octokit, pr, merged, { appId: settings.appId, now });
  const config = judged.j.policy.raw.changelog ?? {};
  if (config.enabled === false) return { kind: "disabled", why: "changelog.enabled is false" };
  const key = settings.changelog?.signingKey;
  if (!key) {
    if (config.enabled === true) {
      throw new Error(
        "changelog.enabled is true but CHANGELOG_SIGNING_KEY is not set: the merge cannot be recorded",
      );
    }
    return { kind: "disabled", why: "no CHANGELOG_SIGNING_KEY" };
  }
  if (!judged.inScope) return { kind: "out-of-scope" };
  const drafts = await mergeDrafts(context.octokit, pr, merged, repository, judged, {
    capture_mode: "webhook",
    delivery_id: context.id,
    recorded_at: rfc3339(now()),
  });
  const draft = drafts[0]!;
  const policyDrafts = drafts.slice(1);
  const target = logTarget(config, pr);
  const store =
    settings.changelog?.store?.(context.octokit, target) ??
    new GitHubStore({ octokit: context.octokit, ...target });
  const result = await appendRecords(store, drafts, {
    signingKey: key,
    origin: logOrigin(target, settings.changelog?.host),
    ...(config.checkpoint_every ? { checkpointEvery: config.checkpoint_every } : {}),
    ...(config.heartbeat_hours ? { heartbeatHours: config.heartbeat_hours } : {}),
    now,
  });
  const written = result.written.find((r) => r.record_id === draft.record_id);
  const policyRecordIds = policyDrafts.map((d) => d.record_id);
  return written
    ? {
        kind: "recorded",
        seq: written.seq,
        recordId: draft.record_id,
        ...(policyRecordIds.length > 0 ? { policyRecordIds } : {}),
      }
    : { kind: "already-recorded", recordId: draft.record_id };
}

/** The log a repository's merges go to: `changelog.repository` / `changelog.branch`, or its own log branch. */
export function logTarget(
  config: { repository?: string; branch?: string },
  pr: { owner: string; repo: string },
): { owner: string; repo: string; branch: string } {
  const [owner, repo] = (config.repository ?? `${pr.owner}/${pr.repo}`).split("/") as [string, string];
  return { owner, repo, branch: config.branch ?? DEFAULT_LOG_BRANCH };
}

/**
 * The name a log signs its checkpoints with: `cc8.<host>/<owner>/<repo>`, lower-cased — GitHub names are
 * case-insensitive, and a policy's `changelog.repository` typed `Acme/Audit` must not give the merges of one
 * log another origin than its heartbeats (verify would report an origin mismatch).
 */
export function logOrigin(target: { owner: string; repo: string }, host = "github.com"): string {
  return `cc8.${host}/${target.owner}/${target.repo}`.toLowerCase();
}

export interface JudgedMerge {
  j: Judged;
  /** Whether the change touched anything the log records (agent configs, or an applicable approval rule). */
  inScope: boolean;
  method: MergeMethod;
  /** The commit whose policy judged the merge: the default branch just before it. */
  policyRef: string;
}

/**
 * A merged pull request judged as it stood at merge: the same facts and engines as the gate, under the policy,
 * schemas and CODEOWNERS in force just before the merge (the merge commit's first parent; for a rebase merge,
 * the commit before the PR's rebased commits). Reading the default branch instead would judge a change to the
 * policy under the policy it introduced. Costs one read (the merge commit) before the evaluation.
 */
export async function judgeMerge(
  octokit: Octokit,
  pr: PullRequestInfo,
  merged: MergedPullRequest,
  settings: { appId: number; now: () => Date },
): Promise<JudgedMerge> {
  if (!merged.merge_commit_sha || !merged.merged_at) throw new Error(`#${pr.number} has no merge commit`);
  const { data: commit } = await octokit.rest.git.getCommit({
    owner: pr.owner,
    repo: pr.repo,
    commit_sha: merged.merge_commit_sha,
  });
  const method = mergeMethodOf(commit, merged.number);
  const policyRef = policyRefOf(merged, commit, method);
  const facts = new GitHubFacts({
    octokit,
    pr: { ...pr, defaultBranch: policyRef },
    appId: settings.appId,
    checkName: CHECK_NAME,
  });
  const j = await judge(facts, settings.now);
  if (j.kind === "policy-error") {
    // The merge cannot be judged under an invalid policy; `reconcile` lists it as missing.
    throw new Error(
      `the policy at ${policyRef.slice(0, 12)} (before the merge of #${pr.number}) is invalid: the merge cannot be recorded`,
    );
  }
  const inScope = j.ev.files.length > 0 || j.approvals.rules.some((r) => r.status !== "not-applicable");
  return { j, inScope, method, policyRef };
}

/**
 * The `change.merged` draft of a judged merge, then one `policy.changed` draft per control path it changed.
 * Costs, in parallel: the merge commit's tree (the baseline), the base branch's required checks (its rulesets
 * and branch protection) and, when another check is required, the head's check runs (and its commit statuses
 * when a required check is not a check run).
 */
export async function mergeDrafts(
  octokit: Octokit,
  pr: PullRequestInfo,
  merged: MergedPullRequest,
  repository: { id: number; full_name: string },
  judged: JudgedMerge,
  meta: { capture_mode: "webhook" | "reconcile"; delivery_id: string | null; recorded_at: string },
): Promise<RecordDraft[]> {
  const { j } = judged;
  const mergeSha = merged.merge_commit_sha!;
  const [mergeTree, otherChecks] = await Promise.all([
    treeAt(octokit, pr, mergeSha),
    // The base branch's other required checks and how they stood on the merged head (ours is the gate's).
    requiredChecks(octokit, { owner: pr.owner, repo: pr.repo, branch: merged.base.ref }).then((required) =>
      checkConclusions(
        octokit,
        { owner: pr.owner, repo: pr.repo, sha: merged.head.sha },
        required.filter((c) => c.context !== CHECK_NAME),
      ),
    ),
  ]);
  const baseline = baselineOf(mergeTree, j.policy);
  const blobSha = (key_: string): string | null => gitBlobSha(j.blobs.get(key_));
  const policyText = j.sources.repository.text;
  const config = j.policy.raw.changelog ?? {};
  const factsForLog: MergedFacts = {
    ...meta,
    repository: { id: String(repository.id), full_name: repository.full_name },
    pr: {
      number: merged.number,
      node_id: merged.node_id,
      url: merged.html_url,
      title: merged.title,
      body: merged.body ?? "",
      head_ref: merged.head.ref,
      base_ref: merged.base.ref,
      base_sha: j.base,
      head_sha: merged.head.sha,
      merge_commit_sha: mergeSha,
      merged_at: merged.merged_at!,
      merged_by: account(merged.merged_by),
      merge_method: judged.method,
      author: account(merged.user),
    },
    evaluation: evaluationSummary(j.ev, (f) => ({
      before: blobSha(blobKey(j.base, f.previousPath ?? f.path)),
      after: blobSha(blobKey(pr.headSha, f.path)),
    })),
    baseline,
    approvals: j.approvals,
    approval_facts: approvalFactsForLog({ ...j.people, headSha: pr.headSha, contentIdenticalCommits: [] }),
    ...(j.people.pushers.length > 0 ? { last_pusher: j.people.pushers.at(-1)! } : {}),
    user_ids: Object.fromEntries(
      [merged.user, merged.merged_by].flatMap((u) => (u ? [[u.login, String(u.id)]] : [])),
    ),
    required_checks: [
      {
        name: CHECK_NAME,
        conclusion: j.published.checkRun?.conclusion ?? null,
        sha: pr.headSha,
      },
      ...otherChecks,
    ],
    gate_passing_at_merge: j.published.checkRun?.conclusion === "success",
    policy: {
      path: policyText !== undefined ? j.sources.repository.path : null,
      blob_sha: policyText !== undefined ? gitBlobShaOfText(policyText) : null,
      ...(config.ticket_pattern ? { ticket_pattern: config.ticket_pattern } : {}),
    },
    app_version: TOOL.version,
  };
  const draft = mergedRecord(factsForLog);
  const policyDrafts = await policyChangeDrafts(octokit, pr, j, mergeTree, factsForLog);
  return [draft, ...policyDrafts];
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

type Judged = Extract<Awaited<ReturnType<typeof judge>>, { kind: "judged" }>;

/**
 * One `policy.changed` draft per changed control path (the policy file, a schema it names, CODEOWNERS). The blob
 * after is the path's blob in the merge commit's tree (null: gone); the blob before is the evaluation's blob at the
 * merge base when it was read, else asked of GitHub (null: the path did not exist).
 */
async function policyChangeDrafts(
  octokit: Octokit,
  pr: PullRequestInfo,
  j: Judged,
  mergeTree: ReadonlyMap<string, string>,
  merge: MergedFacts,
): Promise<RecordDraft[]> {
  const everyPath = j.changed.flatMap((c) => [c.path, ...(c.previousPath ? [c.previousPath] : [])]);
  const paths = policyChangePaths(j.policy, changeSummary(j.ev, everyPath));
  const drafts: RecordDraft[] = [];
  for (const { path, what } of paths) {
    const change = j.changed.find((c) => c.path === path || c.previousPath === path);
    const before = await blobBefore(octokit, pr, j, path, change);
    const after = mergeTree.get(path) ?? null;
    if (before === after) continue;
    const facts: PolicyChangedFacts = {
      recorded_at: merge.recorded_at,
      capture_mode: "webhook",
      delivery_id: merge.delivery_id,
      repository: merge.repository,
      subject: { kind: what === "CODEOWNERS" ? "codeowners" : "policy_file", name: path },
      before,
      after,
      changed_by: merge.pr.merged_by,
      changed_at: merge.pr.merged_at,
      commit_sha: merge.pr.merge_commit_sha,
      pr_number: merge.pr.number,
      app_version: merge.app_version,
    };
    drafts.push(policyChangedRecord(facts));
  }
  return drafts;
}

async function blobBefore(
  octokit: Octokit,
  pr: PullRequestInfo,
  j: Judged,
  path: string,
  change: ChangedPath | undefined,
): Promise<string | null> {
  // A file added at `path` (or renamed to it) did not exist there before.
  if (change && change.path === path && (change.status === "added" || change.previousPath !== undefined))
    return null;
  const read = gitBlobSha(j.blobs.get(blobKey(j.base, path)));
  if (read !== null) return read;
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: pr.owner,
      repo: pr.repo,
      path,
      ref: j.base,
    });
    return !Array.isArray(data) && data.type === "file" ? data.sha : null;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

function account(u: { login: string; id: number; type: string } | null) {
  if (!u) return { login: "ghost", id: null, type: "User" as const };
  const type = u.type === "Bot" ? "Bot" : u.type === "Organization" ? "Organization" : "User";
  return { login: u.login, id: String(u.id), type } as const;
}

/** Git's object id of a blob: SHA-1 over `blob <size>\0<bytes>` (null when the bytes were not read). */
export function gitBlobSha(blob: FileBlob | undefined): string | null {
  if (!blob?.data) return null;
  return createHash("sha1").update(`blob ${blob.data.length}\0`).update(blob.data).digest("hex");
}

function gitBlobShaOfText(text: string): string {
  const data = new TextEncoder().encode(text);
  return gitBlobSha({ size: data.length, data })!;
}

/**
 * How GitHub merged: a merge commit has two parents; otherwise a squash commit's subject ends in `(#N)` (GitHub's
 * default squash message) and a rebase keeps the PR's own commit messages.
 */
function mergeMethodOf(commit: { parents: unknown[]; message: string }, number: number): MergeMethod {
  if (commit.parents.length > 1) return "merge";
  const subject = commit.message.split("\n")[0] ?? "";
  return subject.endsWith(`(#${number})`) ? "squash" : "rebase";
}

/**
 * The default branch just before the merge: the first parent of a merge or squash commit; for a rebase merge,
 * the commit before the PR's N rebased commits (`<sha>~N`), else the PR's recorded base.
 */
function policyRefOf(
  merged: MergedPullRequest,
  commit: { sha: string; parents: { sha: string }[] },
  method: MergeMethod,
): string {
  if (method !== "rebase") return commit.parents[0]?.sha ?? merged.base.sha;
  return merged.commits !== undefined && merged.commits > 0
    ? `${commit.sha}~${merged.commits}`
    : merged.base.sha;
}

/** Every blob of the merge commit's tree: path → blob id. */
async function treeAt(octokit: Octokit, pr: PullRequestInfo, sha: string): Promise<Map<string, string>> {
  const { data } = await octokit.rest.git.getTree({
    owner: pr.owner,
    repo: pr.repo,
    tree_sha: sha,
    recursive: "1",
  });
  if (data.truncated) {
    throw new Error(`the tree of ${sha} is too large to list completely: the baseline cannot be recorded`);
  }
  return new Map(data.tree.filter((e) => e.type === "blob" && e.path && e.sha).map((e) => [e.path!, e.sha!]));
}

/** Every agent-config path at the merge commit with its blob id: the configuration baseline after the change. */
function baselineOf(
  tree: ReadonlyMap<string, string>,
  policy: Parameters<typeof classifyPath>[1],
): { path: string; blob_sha: string }[] {
  return (
    [...tree]
      // Paths the policy and the built-in globs classify; files recognised only by content are not listed.
      .filter(([path]) => classifyPath(path, policy).kind === "match")
      .map(([path, blob_sha]) => ({ path, blob_sha }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  );
}
