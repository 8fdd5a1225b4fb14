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
import {
  type CheckRunResult,
  failClosedResult,
  gateResult,
  policyErrorResult,
  resultFingerprint,
} from "../core/report/check-run.js";
import { stickyCommentBody } from "../core/report/comment.js";
import { emergencyAnswerMarker, emergencyRefusal } from "../core/report/emergency-answer.js";
import type { ReportContext } from "../core/report/model.js";
import type { PolicySources, PublishedState, PullRequestFacts, PullRequestPeople } from "../github/facts.js";
import { MAX_PR_FILES, TooManyFilesError } from "../github/facts.js";
import { builtinSchemas } from "../schemas.js";
import { TOOL } from "../version.js";

/**
 * One evaluation of one pull request, from facts to published gate: gather (through the facts seam) →
 * the same core evaluation the CLI runs → render → publish. Fails closed: whatever goes wrong before the
 * result is known publishes a failing check saying what happened and how to re-run it.
 */

/** An evaluation that takes longer than this is abandoned and the gate fails closed. */
export const GATE_TIMEOUT_MS = 120_000;

export interface GatePublisher {
  checkRun(result: CheckRunResult, fingerprint: string): Promise<void>;
  comment(
    body: string,
    existing: { id: number; body: string } | undefined,
  ): Promise<"created" | "updated" | "unchanged">;
  /** Ask the people of pending rules for a review (only those not asked yet). */
  requestReviews(
    wanted: { users: string[]; teams: string[] },
    already: { users: string[]; teams: string[] },
  ): Promise<void>;
  /** A new comment (the answer to a refused emergency declaration). */
  notice(body: string): Promise<void>;
}

export interface GateOptions {
  now?: () => Date;
  timeoutMs?: number;
  /** Publish a new check run even when an identical result is already on the head commit (a re-run). */
  force?: boolean;
}

export type GateOutcome =
  | { kind: "evaluated"; conclusion: CheckRunResult["conclusion"]; files: number; risk: string }
  | { kind: "policy-error"; conclusion: "failure" }
  | { kind: "failed-closed"; conclusion: "failure"; reason: string };

export interface GateReport {
  outcome: GateOutcome;
  checkRun: "created" | "unchanged";
  comment: "created" | "updated" | "unchanged" | "skipped";
}

interface Rendered {
  outcome: GateOutcome;
  check: CheckRunResult;
  comment?: string;
  published?: PublishedState;
  /** Follow-ups after publishing: review requests and answers to refused emergencies. */
  followUps?: { approvals: ApprovalResult; people: PullRequestPeople };
}

export async function runGate(
  facts: PullRequestFacts,
  publisher: GatePublisher,
  options: GateOptions = {},
): Promise<GateReport> {
  const now = options.now ?? (() => new Date());
  let rendered: Rendered;
  const deadline = new Deadline(options.timeoutMs ?? GATE_TIMEOUT_MS);
  try {
    rendered = await deadline.race(evaluate(facts, now, deadline));
  } catch (error) {
    const reason = describeFailure(error);
    rendered = {
      outcome: { kind: "failed-closed", conclusion: "failure", reason },
      check: failClosedResult({ what: reason }, TOOL),
    };
  }
  const fingerprint = resultFingerprint(rendered.check);
  const existingRun = rendered.published?.checkRun;
  let checkRun: GateReport["checkRun"] = "unchanged";
  if (options.force || existingRun?.fingerprint !== fingerprint || existingRun.status !== "completed") {
    await publisher.checkRun(rendered.check, fingerprint);
    checkRun = "created";
  }
  let comment: GateReport["comment"] = "skipped";
  if (rendered.comment !== undefined) {
    comment = await publisher.comment(rendered.comment, rendered.published?.comment);
  }
  if (rendered.followUps) await followUp(rendered.followUps, publisher);
  return { outcome: rendered.outcome, checkRun, comment };
}

async function evaluate(facts: PullRequestFacts, now: () => Date, deadline: Deadline): Promise<Rendered> {
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
  const policyLabel = sources.baseline
    ? `${sources.repository.path} at ${pr.defaultBranch} + org baseline ${sources.baseline.label}`
    : `${sources.repository.path} at ${pr.defaultBranch}`;
  if (!load.ok) {
    const check = policyErrorResult(load.messages, { tool: TOOL, policyLabel });
    // Annotations can only point into this repository; the baseline's problems stay in the summary.
    const baseline = sources.baseline ? `${sources.baseline.label}:` : undefined;
    const annotations = baseline
      ? check.annotations.filter((a) => !a.path.startsWith(baseline))
      : check.annotations;
    return {
      outcome: { kind: "policy-error", conclusion: "failure" },
      check: { ...check, annotations },
      published,
    };
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
  const check = gateResult(ev, ctx, approvals);
  // Nothing to show and nothing said before: a comment would only be noise.
  const relevant = ev.files.length > 0 || approvals.rules.some((r) => r.status !== "not-applicable");
  const comment = relevant || published.comment ? stickyCommentBody(ev, ctx, approvals) : undefined;
  return {
    outcome: { kind: "evaluated", conclusion: check.conclusion, files: ev.files.length, risk: ev.risk },
    check,
    ...(comment !== undefined ? { comment } : {}),
    published,
    followUps: { approvals, people },
  };
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

/** After the gate is published: review requests for pending rules, one answer per refused emergency. */
async function followUp(
  { approvals, people }: { approvals: ApprovalResult; people: PullRequestPeople },
  publisher: GatePublisher,
): Promise<void> {
  const wanted = approvals.requestReviews;
  if (wanted.users.length > 0 || wanted.teams.length > 0) {
    await publisher.requestReviews(wanted, people.reviewRequests);
  }
  for (const refused of approvals.refusedEmergencies) {
    const marker = emergencyAnswerMarker(refused.commentId);
    if (people.ownComments.some((body) => body.includes(marker))) continue;
    await publisher.notice(emergencyRefusal(refused, marker));
  }
}

export class GateTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`evaluation did not finish within ${Math.round(ms / 1000)} s`);
    this.name = "GateTimeoutError";
  }
}

/**
 * The evaluation's time limit. `race` settles at the deadline; `check`, called between phases, stops an
 * abandoned evaluation from making further requests after the gate has already failed closed.
 */
class Deadline {
  private expired = false;

  constructor(private readonly ms: number) {}

  race<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.expired = true;
        reject(new GateTimeoutError(this.ms));
      }, this.ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  check(): void {
    if (this.expired) throw new GateTimeoutError(this.ms);
  }
}

/**
 * One sentence for the check run: what failed, never a stack, a token or file contents. GitHub errors say
 * which request failed and its status; anything else is named by its type only.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof TooManyFilesError || error instanceof GateTimeoutError) return error.message;
  const e = error as { status?: unknown; name?: unknown; request?: { method?: string; url?: string } };
  if (typeof e?.status === "number" && e.request?.url) {
    const url = new URL(e.request.url, "https://api.github.com");
    return `GitHub answered HTTP ${e.status} to ${e.request.method ?? "a request"} ${url.pathname} after retries`;
  }
  if (e?.name === "GraphqlResponseError") return "GitHub's GraphQL API returned an error";
  return `internal error (${typeof e?.name === "string" ? e.name : "unknown"}); please report it`;
}
