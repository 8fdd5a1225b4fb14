import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { DirStore } from "../changelog/dir-store.js";
import { appendRecords } from "../changelog/writer.js";
import { baselineFiles } from "../core/changelog/history.js";
import { approvalFactsForLog, evaluationSummary } from "../core/changelog/records/evaluation-summary.js";
import { type MergedFacts, mergedRecord } from "../core/changelog/records/index.js";
import { CHECK_NAME, GATE_FAIL_ON } from "../core/report/check-run.js";
import { outcome } from "../core/report/model.js";
import { TOOL } from "../version.js";
import { approvalsFor } from "./approvals.js";
import { checkLocalChange } from "./check.js";
import type { GitRepo } from "./git-repo.js";
import { blobAt, treeBlobs } from "./log-git.js";
import { LogUsageError } from "./log-options.js";
import { actor, factsFromPrState, type PrStateFile } from "./pr-state.js";

/**
 * `record`: the offline twin of what the app does when a pull request merges — judge the local change as the
 * gate would (policy from the base commit, the approvals in the pr-state file), then append one
 * `change.merged` record to a local change log. For trying the log without GitHub, and for the demo.
 */
export interface RecordOptions {
  base?: string;
  head: string;
  mergeCommit: string;
  log: string;
}

export type RecordResult =
  | { kind: "recorded"; seq: number; recordId: string; checkpoints: number[] }
  | { kind: "already-recorded"; recordId: string }
  | { kind: "policy-error"; message: string };

export async function runRecord(
  repo: GitRepo,
  state: PrStateFile,
  opts: RecordOptions,
  key: import("node:crypto").KeyObject,
  now: () => Date,
): Promise<RecordResult> {
  const pr = state.pullRequest;
  if (!pr)
    throw new LogUsageError(
      "record needs a `pullRequest` block in the pr-state file (number, title, mergedBy, mergedAt, repository)",
    );
  const checked = await checkLocalChange(repo, {
    ...(opts.base ? { base: opts.base } : {}),
    head: opts.head,
    failOn: GATE_FAIL_ON,
  });
  if (checked.kind === "policy-error") {
    return { kind: "policy-error", message: `the policy ${checked.path} at ${checked.ref} is invalid` };
  }
  const { evaluation: ev, approvalInputs: local } = checked;
  const facts = factsFromPrState(state, local, now());
  const approvals = approvalsFor(ev, local, facts, now());
  const base = checked.context.base.sha;
  const head = checked.context.head.sha;
  const merge = await repo.resolveRef(opts.mergeCommit);
  const cwd = repo.root;
  const baseline = baselineFiles(await treeBlobs(cwd, merge), local.policy);
  const ids = new Map(
    await Promise.all(
      ev.files.map(
        async (f) =>
          [
            f.path,
            {
              before: f.status === "added" ? null : await blobAt(cwd, base, f.previousPath ?? f.path),
              after: f.status === "removed" ? null : await blobAt(cwd, head, f.path),
            },
          ] as const,
      ),
    ),
  );
  const policyPath = checked.context.policy.path ?? null;
  const gatePassed = outcome(ev, GATE_FAIL_ON, approvals).result === "pass";
  const mergedBy = actor(pr.mergedBy);
  const author = actor(state.author);
  const merged: MergedFacts = {
    recorded_at: now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
    capture_mode: "webhook",
    delivery_id: null,
    repository: { id: pr.repository.id, full_name: pr.repository.fullName },
    pr: {
      number: pr.number,
      node_id: pr.nodeId!,
      url: pr.url ?? `https://github.com/${pr.repository.fullName}/pull/${pr.number}`,
      title: pr.title,
      body: pr.body ?? "",
      head_ref: pr.headRef ?? opts.head,
      base_ref: local.targetBranch,
      base_sha: base,
      head_sha: head,
      merge_commit_sha: merge,
      merged_at: pr.mergedAt,
      merged_by: { login: mergedBy.login, id: null, type: mergedBy.type },
      merge_method: pr.mergeMethod ?? "merge",
      author: { login: author.login, id: null, type: author.type },
    },
    evaluation: evaluationSummary(ev, (f) => ids.get(f.path)!),
    baseline,
    approvals,
    approval_facts: approvalFactsForLog(facts),
    ...(facts.pushers.length > 0 ? { last_pusher: facts.pushers.at(-1)! } : {}),
    required_checks: [{ name: CHECK_NAME, conclusion: gatePassed ? "success" : "failure", sha: head }],
    gate_passing_at_merge: gatePassed,
    policy: {
      path: policyPath,
      blob_sha: policyPath ? await blobAt(cwd, base, policyPath) : null,
      ...(local.policy.raw.changelog?.ticket_pattern
        ? { ticket_pattern: local.policy.raw.changelog.ticket_pattern }
        : {}),
    },
    app_version: TOOL.version,
  };
  const draft = mergedRecord(merged);
  const dir = resolve(opts.log);
  await mkdir(dir, { recursive: true });
  const result = await appendRecords(new DirStore(dir), [draft], {
    signingKey: key,
    origin: `cc8.local/${pr.repository.fullName}`,
    checkpointEvery: local.policy.raw.changelog?.checkpoint_every ?? 100,
    now,
  });
  const written = result.written.find((r) => r.record_id === draft.record_id);
  return written
    ? { kind: "recorded", seq: written.seq, recordId: draft.record_id, checkpoints: result.checkpoints }
    : { kind: "already-recorded", recordId: draft.record_id };
}
