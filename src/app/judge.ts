import {
  type ApprovalResult,
  changeSummary,
  evaluateApprovals,
  lookupNeeds,
} from "../core/approvals/index.js";
import { type Evaluation, evaluateChange } from "../core/evaluate.js";
import { assembleChanges, blobRequests, type ChangedPath, repoSchemaTexts } from "../core/gather.js";
import { MAX_FILE_BYTES } from "../core/parse/decode.js";
import { loadEffectivePolicy } from "../core/policy/baseline.js";
import { defaultPolicy, type ResolvedPolicy } from "../core/policy/resolve.js";
import type { ReportContext } from "../core/report/model.js";
import type { FileBlob, ValidationMessage } from "../core/types.js";
import {
  MAX_PR_FILES,
  type PolicySources,
  type PublishedState,
  type PullRequestFacts,
  type PullRequestPeople,
  TooManyFilesError,
} from "../github/facts.js";
import { builtinSchemas } from "../schemas.js";
import { TOOL } from "../version.js";

/**
 * Everything the app knows about a pull request, judged: the policy from the default branch (merged with the
 * org baseline), the engine's evaluation of the change and the approval decision. The gate renders it; the
 * change log records it at merge. Gathering goes through the facts seam only.
 */
export type Judgement =
  | {
      kind: "policy-error";
      messages: ValidationMessage[];
      policyLabel: string;
      sources: PolicySources;
      published: PublishedState;
    }
  | {
      kind: "judged";
      ev: Evaluation;
      approvals: ApprovalResult;
      policy: ResolvedPolicy;
      sources: PolicySources;
      published: PublishedState;
      people: PullRequestPeople;
      changed: ChangedPath[];
      /** The merge base: the "before" side. */
      base: string;
      blobs: Map<string, FileBlob | undefined>;
      ctx: ReportContext;
    };

/** Stops an abandoned evaluation between phases (see the gate's deadline). */
export interface Checkpointed {
  check(): void;
}

export async function judge(
  facts: PullRequestFacts,
  now: () => Date,
  deadline: Checkpointed = { check() {} },
): Promise<Judgement> {
  const { pr } = facts;
  // Refused before any request: a partial listing would pass files nobody checked.
  if (pr.changedFiles > MAX_PR_FILES) throw new TooManyFilesError(pr.changedFiles);
  const [changed, base] = await Promise.all([facts.changedFiles(), facts.mergeBase()]);
  deadline.check();
  // The files the built-in defaults would read come with the policy in one round trip; a policy that
  // watches more costs one more request.
  facts.prefetch(
    blobRequests(changed, defaultPolicy(), { base, head: pr.headSha, policy: pr.defaultBranch }),
  );
  const [sources, published] = await Promise.all([facts.policy(), facts.published()]);
  deadline.check();
  const schemas = builtinSchemas();
  const load = loadEffectivePolicy({
    repository: sources.repository,
    ...(sources.baseline ? { baseline: sources.baseline } : {}),
    schemas,
    now: now(),
  });
  if (!load.ok) {
    const policyLabel = sources.baseline
      ? `${sources.repository.path} at ${pr.defaultBranch} + org baseline ${sources.baseline.label}`
      : `${sources.repository.path} at ${pr.defaultBranch}`;
    return { kind: "policy-error", messages: load.messages, policyLabel, sources, published };
  }
  const { policy } = load;
  const sides = { base, head: pr.headSha, policy: sources.sha };
  const blobs = await facts.blobs(blobRequests(changed, policy, sides), MAX_FILE_BYTES);
  deadline.check();
  const ev = evaluateChange({
    changes: assembleChanges(changed, blobs, sides),
    policy,
    schemas,
    repoSchemas: repoSchemaTexts(policy, blobs, sources.sha),
    now: now(),
  });
  // Warnings about the policy itself (an expired suppression, an ignored loosening) belong in the report.
  const policyWarnings = load.messages.filter((m) => m.severity === "warning");
  if (policyWarnings.length > 0) {
    ev.validation.push(...policyWarnings);
    ev.warnings += policyWarnings.length;
  }
  const ctx: ReportContext = {
    tool: TOOL,
    base: { ref: pr.baseRef, sha: base },
    head: { ref: `#${pr.number}`, sha: pr.headSha },
    policy: {
      ...(sources.repository.text !== undefined ? { path: sources.repository.path } : {}),
      ref: pr.defaultBranch,
      ...(sources.baseline ? { baseline: sources.baseline.label } : {}),
      ...(sources.baselineNote ? { baselineNote: sources.baselineNote } : {}),
    },
    failOn: "high",
  };
  const people = await facts.people();
  deadline.check();
  const approvals = await judgeApprovals(facts, { policy, ev, changed, people, sources, now: now() });
  deadline.check();
  return { kind: "judged", ev, approvals, policy, sources, published, people, changed, base, blobs, ctx };
}

/**
 * The approval decision: who reviewed what, looked up live (team membership, repository permission) for
 * exactly the people and teams the engine asks about, under the policy from the default branch.
 */
async function judgeApprovals(
  facts: PullRequestFacts,
  input: {
    policy: ResolvedPolicy;
    ev: Evaluation;
    changed: readonly ChangedPath[];
    people: PullRequestPeople;
    sources: PolicySources;
    now: Date;
  },
): Promise<ApprovalResult> {
  const { policy, people, sources } = input;
  const paths = input.changed.flatMap((c) => (c.previousPath ? [c.path, c.previousPath] : [c.path]));
  const change = changeSummary(input.ev, paths);
  const { reviewRequests: _requests, ownComments: _own, ...base } = people;
  const known = {
    ...base,
    headSha: facts.pr.headSha,
    baseRef: facts.pr.baseRef,
    contentIdenticalCommits: [] as string[],
    ...(sources.codeowners ? { codeowners: sources.codeowners } : {}),
  };
  // Approvals of earlier commits survive only a content-identical push, and only when the policy says so.
  if (policy.raw.approvals?.invalidate_on_push === "content") {
    const stale = people.reviews
      .filter((r) => r.state === "APPROVED" && r.commitId !== facts.pr.headSha)
      .map((r) => r.commitId);
    if (stale.length > 0) known.contentIdenticalCommits = await facts.contentIdentical(stale);
  }
  const needs = lookupNeeds(policy, change, known);
  const looked =
    needs.teams.length > 0 || needs.permissionsFor.length > 0
      ? await facts.lookups(needs)
      : { teams: {}, permissions: {} };
  return evaluateApprovals({ policy, change, facts: { ...known, ...looked }, now: input.now });
}
