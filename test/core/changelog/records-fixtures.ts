/** Facts for the record builders, with approvals decided by the real approvals engine. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ApprovalFacts,
  type ApprovalResult,
  evaluateApprovals,
  type IssueComment,
  type Review,
} from "../../../src/core/approvals/index.js";
import type {
  BackfilledMergedFacts,
  DirectPushFacts,
  MergedFacts,
  PolicyChangedFacts,
  PostReviewFacts,
  ReconcileRunFacts,
  RequiredCheckFacts,
} from "../../../src/core/changelog/records/index.js";
import type { RecordSchema } from "../../../src/core/changelog/validate-record.js";
import { SCHEMA_DIR } from "../../../src/schemas.js";
import { change, facts, policy } from "../approvals/helpers.js";

export const HEAD = "1".repeat(40);
export const OLD = "2".repeat(40);
export const MERGE = "3".repeat(40);
export const BASE = "4".repeat(40);
export const BLOB_A = "a".repeat(40);
export const BLOB_B = "b".repeat(40);
export const MERGED_AT = "2026-03-02T12:00:00Z";

export const recordSchema = (): RecordSchema =>
  JSON.parse(readFileSync(join(SCHEMA_DIR, "changelog-record.schema.json"), "utf8")) as RecordSchema;

let nextId = 100;
/** A review submitted at 10:MM on merge day (before the merge) of the head commit unless overridden. */
export function review(
  login: string,
  state: Review["state"] = "APPROVED",
  over: Partial<Review> = {},
): Review {
  const id = over.id ?? nextId++;
  return {
    id,
    user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" },
    state,
    commitId: HEAD,
    submittedAt: `2026-03-02T10:${String(id % 60).padStart(2, "0")}:00Z`,
    ...over,
  };
}

export interface Scenario {
  reviews?: Review[];
  policyYaml?: string;
  approvalFacts?: Partial<ApprovalFacts>;
  comments?: IssueComment[];
  labels?: string[];
  checks?: RequiredCheckFacts[];
  gate?: boolean;
  mergedAt?: string;
  body?: string;
  title?: string;
  headRef?: string;
  ticketPattern?: string;
  /** Edit the engine's result (to model another engine's or an older version's decision). */
  editApprovals?: (r: ApprovalResult) => ApprovalResult;
  over?: Partial<MergedFacts>;
}

/** A PR by `author` changing `.mcp.json`, merged by `maint` at MERGED_AT. */
export function scenario(s: Scenario = {}): MergedFacts {
  const f = facts({
    headSha: HEAD,
    reviews: s.reviews ?? [review("alice")],
    commits: [{ sha: HEAD, authorLogin: "author", committerLogin: "author", message: "change" }],
    comments: s.comments ?? [],
    labels: s.labels ?? [],
    ...s.approvalFacts,
  });
  const p = policy(s.policyYaml);
  const result = evaluateApprovals({ policy: p, change: change(), facts: f, now: new Date(MERGED_AT) });
  const approvals = s.editApprovals ? s.editApprovals(result) : result;
  return {
    recorded_at: "2026-03-02T12:00:05Z",
    capture_mode: "webhook",
    delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    repository: { id: "1296269", full_name: "acme/agents" },
    pr: {
      number: 42,
      node_id: "PR_kwDOABCD",
      url: "https://github.com/acme/agents/pull/42",
      title: s.title ?? "OPS-17: add the search MCP server",
      body: s.body ?? "Adds the search server. Secret prompt text stays out of the log.",
      head_ref: s.headRef ?? "feature/add-search",
      base_ref: "main",
      base_sha: BASE,
      head_sha: HEAD,
      merge_commit_sha: MERGE,
      merged_at: s.mergedAt ?? MERGED_AT,
      merged_by: { login: "maint", id: "3", type: "User" },
      merge_method: "squash",
      merge_via: "web",
      author: { login: "author", id: "1", type: "User" },
    },
    evaluation: {
      risk: "low",
      findings: [],
      files: [
        {
          path: ".mcp.json",
          status: "modified",
          category: "mcp",
          format: "mcp-project",
          blob_before: BLOB_A,
          blob_after: BLOB_B,
        },
      ],
      errors: 0,
    },
    baseline: [
      { path: ".mcp.json", blob_sha: BLOB_B },
      { path: "AGENTS.md", blob_sha: BLOB_A },
    ],
    approvals,
    approval_facts: {
      reviews: f.reviews,
      commits: f.commits,
      pushers: f.pushers,
      requesters: f.requesters,
      headSha: f.headSha,
      contentIdenticalCommits: f.contentIdenticalCommits,
    },
    user_ids: { alice: "11", bob: "12", author: "1", maint: "3" },
    required_checks: s.checks ?? [
      { name: "agent-change-control", conclusion: "success", app_slug: "agent-change-control", sha: HEAD },
      { name: "ci / test", conclusion: "success" },
    ],
    gate_passing_at_merge: s.gate ?? true,
    policy: {
      path: ".github/agent-change-control.yml",
      blob_sha: "5".repeat(40),
      ...(s.ticketPattern !== undefined ? { ticket_pattern: s.ticketPattern } : {}),
    },
    app_version: "0.1.0",
    ...s.over,
  };
}

export const codes = (r: Record<string, unknown>) => (r.exceptions as { code: string }[]).map((e) => e.code);

export const directPushFacts = (over: Partial<DirectPushFacts> = {}): DirectPushFacts => ({
  recorded_at: "2026-03-03T09:00:05Z",
  capture_mode: "reconcile",
  delivery_id: null,
  repository: { id: "1296269", full_name: "acme/agents" },
  ref: "refs/heads/main",
  before: MERGE,
  after: "6".repeat(40),
  pusher: { login: "admin", id: "9", type: "User" },
  pushed_at: "2026-03-03T08:59:00Z",
  forced: false,
  commits: [
    { sha: "6".repeat(40), author_login: "admin", committer_login: "admin", message: "hotfix prompt" },
  ],
  files: [
    {
      path: "AGENTS.md",
      status: "modified",
      category: "instructions",
      format: "agents-md",
      blob_before: BLOB_A,
      blob_after: BLOB_B,
    },
  ],
  policy: { path: ".github/agent-change-control.yml", blob_sha: "5".repeat(40) },
  app_version: "0.1.0",
  ...over,
});

export const postReviewFacts = (over: Partial<PostReviewFacts> = {}): PostReviewFacts => ({
  recorded_at: "2026-03-04T16:00:05Z",
  refers_to: { record_id: `1296269:42:${MERGE}`, record_hash: "c".repeat(64) },
  source_id: "555",
  reviewer: { login: "bob", id: "12", type: "User" },
  reviewed_at: "2026-03-04T15:59:00Z",
  outcome: "accepted",
  notes: "Reviewed the emergency revert; the tool stays removed.",
  issue_url: "https://github.com/acme/audit/issues/7",
  due_by: "2026-03-04",
  ...over,
});

export const policyChangedFacts = (over: Partial<PolicyChangedFacts> = {}): PolicyChangedFacts => ({
  recorded_at: "2026-03-05T10:00:05Z",
  capture_mode: "webhook",
  delivery_id: "d-1",
  repository: { id: "1296269", full_name: "acme/agents" },
  subject: { kind: "policy_file", name: ".github/agent-change-control.yml" },
  before: "5".repeat(40),
  after: "7".repeat(40),
  changed_by: { login: "admin", id: "9", type: "User" },
  changed_at: "2026-03-05T09:59:00Z",
  commit_sha: "8".repeat(40),
  pr_number: 43,
  app_version: "0.1.0",
  ...over,
});

export const reconcileFacts = (over: Partial<ReconcileRunFacts> = {}): ReconcileRunFacts => ({
  recorded_at: "2026-04-01T00:10:00Z",
  run_id: "2026-04-01T00:00:00Z-1",
  started_at: "2026-04-01T00:00:00Z",
  finished_at: "2026-04-01T00:09:59Z",
  query: {
    since: "2026-03-01T00:00:00Z",
    until: "2026-03-31T23:59:59Z",
    repositories: ["acme/web", "acme/agents"],
    backfill: true,
    sources: [
      "GET /repos/{owner}/{repo}/pulls?state=closed&base=main",
      "GET /repos/{owner}/{repo}/commits?sha=main",
    ],
  },
  counts: { source: 10, logged: 8, missing: 2, backfilled: 2, direct_pushes: 1, duplicates: 0 },
  tool_version: "0.1.0",
  ...over,
});

/** A merged PR the log missed, as a clone tells it (a squash merge: the reviewed head is unknown). */
export function backfilledFacts(over: Partial<BackfilledMergedFacts["pr"]> = {}): BackfilledMergedFacts {
  return {
    recorded_at: "2026-03-31T00:00:00Z",
    repository: { id: "1296269", full_name: "acme/agents" },
    pr: {
      number: 12,
      url: "https://github.com/acme/agents/pull/12",
      title: "ACME-7 tighten MCP servers",
      base_ref: "main",
      head_ref: null,
      base_sha: BASE,
      head_sha: null,
      merge_commit_sha: MERGE,
      merged_at: MERGED_AT,
      merge_method: "squash",
      ...over,
    },
    files: [
      {
        path: ".mcp.json",
        status: "modified",
        category: "mcp",
        format: "json",
        blob_before: BLOB_A,
        blob_after: BLOB_B,
      },
    ],
    baseline: { sha256: "c".repeat(64), files: 3 },
    policy: { path: ".github/agent-change-control.yml", blob_sha: BLOB_A },
    app_version: "0.1.0",
  };
}
