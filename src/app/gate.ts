import type { ApprovalResult } from "../core/approvals/index.js";
import {
  type CheckRunResult,
  failClosedResult,
  gateResult,
  policyErrorResult,
  resultFingerprint,
} from "../core/report/check-run.js";
import { stickyCommentBody } from "../core/report/comment.js";
import { emergencyAnswerMarker, emergencyRefusal } from "../core/report/emergency-answer.js";
import type { PublishedState, PullRequestFacts, PullRequestPeople } from "../github/facts.js";
import { TooManyFilesError } from "../github/facts.js";
import { TOOL } from "../version.js";
import { judge } from "./judge.js";

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
  const j = await judge(facts, now, deadline);
  if (j.kind === "policy-error") {
    const check = policyErrorResult(j.messages, { tool: TOOL, policyLabel: j.policyLabel });
    // Annotations can only point into this repository; the baseline's problems stay in the summary.
    const baseline = j.sources.baseline ? `${j.sources.baseline.label}:` : undefined;
    const annotations = baseline
      ? check.annotations.filter((a) => !a.path.startsWith(baseline))
      : check.annotations;
    return {
      outcome: { kind: "policy-error", conclusion: "failure" },
      check: { ...check, annotations },
      published: j.published,
    };
  }
  const { ev, approvals, ctx, published, people } = j;
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
