import type { Context } from "probot";
import { CHECK_NAME } from "../core/report/check-run.js";
import { publishCheckRun } from "../github/check-run-writer.js";
import { publishComment } from "../github/comment-writer.js";
import type { PullRequestInfo } from "../github/facts.js";
import { GitHubFacts } from "../github/github-facts.js";
import type { Octokit } from "../github/octokit.js";
import { requestReviews } from "../github/review-requests.js";
import { type GateOptions, type GateReport, runGate } from "./gate.js";
import type { ChangelogSettings } from "./record-merge.js";
import { KeyedQueue } from "./serialize.js";

export interface AppSettings {
  appId: number;
  /** The app's bot account (`<slug>[bot]`): events it caused are ignored. */
  botLogin?: string;
  /** The CC8 change log: signing key and store (recording is off without a key). */
  changelog?: ChangelogSettings;
  gate?: GateOptions;
}

/** Deliveries for the same head commit, one at a time (see KeyedQueue). */
const queue = new KeyedQueue();

/** Wires the gate to GitHub for one pull request and logs one line with the outcome (no contents). */
export async function evaluatePullRequest(
  context: Pick<Context, "log"> & { octokit: Octokit },
  pr: PullRequestInfo,
  settings: AppSettings,
  force = false,
): Promise<GateReport> {
  const key = `${pr.owner}/${pr.repo}@${pr.headSha}`;
  return queue.run(key, async () => {
    const octokit = context.octokit;
    const now = settings.gate?.now ?? (() => new Date());
    const startedAt = now();
    const facts = new GitHubFacts({ octokit, pr, appId: settings.appId, checkName: CHECK_NAME });
    const target = { owner: pr.owner, repo: pr.repo, headSha: pr.headSha, prNumber: pr.number };
    const report = await runGate(
      facts,
      {
        checkRun: async (result, fingerprint) => {
          await publishCheckRun(octokit, target, result, fingerprint, { startedAt, completedAt: now() });
        },
        comment: (body, existing) => publishComment(octokit, target, body, existing),
        requestReviews: async (wanted, already) => {
          await requestReviews(octokit, target, wanted, already);
        },
        notice: async (body) => {
          await publishComment(octokit, target, body, undefined);
        },
      },
      { ...settings.gate, force },
    );
    const fields = {
      repo: `${pr.owner}/${pr.repo}`,
      pr: pr.number,
      head: pr.headSha,
      outcome: report.outcome.kind,
      conclusion: report.outcome.conclusion,
      checkRun: report.checkRun,
      comment: report.comment,
      ...(report.outcome.kind === "failed-closed" ? { reason: report.outcome.reason } : {}),
      ...(report.outcome.kind === "evaluated"
        ? { files: report.outcome.files, risk: report.outcome.risk }
        : {}),
    };
    if (report.outcome.kind === "failed-closed") context.log.warn(fields, "gate failed closed");
    else context.log.info(fields, "gate evaluated");
    return report;
  });
}
