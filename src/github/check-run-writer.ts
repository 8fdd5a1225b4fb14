import {
  ANNOTATIONS_PER_REQUEST,
  CHECK_NAME,
  type CheckRunResult,
  MAX_OUTPUT_CHARS,
} from "../core/report/check-run.js";
import { truncateMarkdown } from "../core/report/truncate.js";
import type { Octokit } from "./octokit.js";

/**
 * Publishes the gate: one completed check run per evaluation, created with its result (a run is never left
 * `in_progress`), the first 50 annotations in the create request and the rest appended in batches of 50 —
 * GitHub's limit per request.
 */

const FINGERPRINT_PREFIX = "<!-- agent-change-control:fingerprint=";
const FINGERPRINT_RE = /<!-- agent-change-control:fingerprint=([0-9a-f]{1,64}) -->/;

/** Where a published run carries the fingerprint of its result: hidden at the end of its summary. */
export function withFingerprint(summary: string, fingerprint: string): string {
  const marker = `\n${FINGERPRINT_PREFIX}${fingerprint} -->`;
  return `${truncateMarkdown(summary, MAX_OUTPUT_CHARS - marker.length)}${marker}`;
}

export function readFingerprint(summary: string): string | undefined {
  return FINGERPRINT_RE.exec(summary)?.[1];
}

/** The check run's `external_id`: lets a re-run request find the pull request again, even from a fork. */
export function externalId(prNumber: number, fingerprint: string): string {
  return `pr:${prNumber}:${fingerprint}`;
}

export function prNumberFromExternalId(id: string | null | undefined): number | undefined {
  const m = /^pr:([0-9]+):/.exec(id ?? "");
  return m ? Number(m[1]) : undefined;
}

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  prNumber: number;
}

/** Creates the run; returns its id and how many write requests it took. */
export async function publishCheckRun(
  octokit: Octokit,
  target: CheckRunTarget,
  result: CheckRunResult,
  fingerprint: string,
  times: { startedAt: Date; completedAt: Date },
): Promise<{ id: number; requests: number }> {
  const summary = withFingerprint(result.summary, fingerprint);
  const output = {
    title: result.title,
    summary,
    ...(result.text !== undefined ? { text: result.text } : {}),
  };
  const batches: CheckRunResult["annotations"][] = [];
  for (let i = 0; i < result.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(result.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: CHECK_NAME,
    head_sha: target.headSha,
    external_id: externalId(target.prNumber, fingerprint),
    status: "completed",
    conclusion: result.conclusion,
    started_at: times.startedAt.toISOString(),
    completed_at: times.completedAt.toISOString(),
    output: { ...output, ...(batches[0] ? { annotations: batches[0] } : {}) },
  });
  for (const batch of batches.slice(1)) {
    // Annotations sent with an update are appended to the run's list.
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: data.id,
      output: { ...output, annotations: batch },
    });
  }
  return { id: data.id, requests: Math.max(1, batches.length) };
}
