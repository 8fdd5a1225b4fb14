import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { DirStore } from "../../src/changelog/dir-store.js";
import { verifyLog } from "../../src/core/changelog/verify.js";
import { API, FakeGitHub } from "../app/helpers/fake-github.js";
import { guardNock } from "../app/helpers/nock-guard.js";
import { HEAD_SHA, MERGE_BASE, OWNER, PR_NUMBER, pullRequestPayload, REPO } from "../app/helpers/payloads.js";
import { runCli } from "../helpers/cli.js";
import { logRecords, merged, pem, writeLog } from "./log-fixture.js";

/**
 * `reconcile --repo`: the default branch's history through GitHub's API (mocked at the HTTP level with nock,
 * every interceptor consumed), compared with a local log; `--backfill` judges the missing merge again from
 * GitHub's facts under the policy before it.
 *
 * main (newest first): C4 docs only → C3 direct push to .mcp.json by mallory → C2 merge of PR #2 (CLAUDE.md,
 * not logged) → C1 merge of PR #7 (logged). X2 is PR #2's side-branch commit: listed, never reported.
 */

guardNock();

const REPO_ID = String(pullRequestPayload({ changedFiles: 1 }).repository.id);
const FULL = `${OWNER}/${REPO}`;
const C1 = "1".repeat(40);
const C2 = "2".repeat(40);
const C3 = "3".repeat(40);
const C4 = "4".repeat(40);
const OFF_BRANCH = "8".repeat(40);
const BLOB_MCP_BEFORE = "e".repeat(40);
const BLOB_MCP_AFTER = "f".repeat(40);
const ENV = { GITHUB_TOKEN: "test-token" };
const PERIOD = ["--since", "2026-03-01", "--until", "2026-03-31"];

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

function commit(sha: string, parents: string[], date: string, message: string, login: string | null = null) {
  const person = { name: login ?? "Mona", email: `${login ?? "mona"}@example.com`, date };
  return {
    sha,
    commit: { message, author: person, committer: person },
    author: login ? { login } : null,
    committer: login ? { login } : null,
    parents: parents.map((p) => ({ sha: p })),
  };
}

/** The history reads of every run: repository, branch, policy at the tip, commits, and per commit its files and PR. */
function historyReads(options: { c1Logged?: boolean } = {}) {
  const repo = `/repos/${OWNER}/${REPO}`;
  nock(API)
    .get(repo)
    .reply(200, { id: Number(REPO_ID), full_name: FULL, default_branch: "master" })
    .get(`${repo}/branches/master`)
    .reply(200, { name: "master", commit: { sha: C4 } })
    .get(`${repo}/commits`)
    .query({ sha: C4, since: "2026-03-01T00:00:00Z", per_page: "100" })
    .reply(200, [
      commit(C4, [C3], "2026-03-20T10:00:00Z", "Docs only"),
      commit(C3, [C2], "2026-03-15T10:00:00Z", "Hotfix straight to master", "mallory"),
      commit(
        C2,
        [C1, HEAD_SHA],
        "2026-03-10T10:00:00Z",
        `Merge pull request #${PR_NUMBER} from x/rules\n\nRules`,
      ),
      commit(HEAD_SHA, [MERGE_BASE], "2026-03-09T10:00:00Z", "Add rules"),
      commit(C1, [MERGE_BASE], "2026-03-05T10:00:00Z", "Merge pull request #7 from x/feat7"),
    ])
    // Where the line leaves the listing: confirmed to be before the period.
    .get(`${repo}/commits/${MERGE_BASE}`)
    .query({ per_page: "1" })
    .reply(200, commit(MERGE_BASE, [], "2026-02-01T10:00:00Z", "Initial"))
    .get(`${repo}/compare/${C1}...${C2}`)
    .query({ per_page: "1" })
    .reply(200, { files: [{ filename: "CLAUDE.md", status: "added", sha: "9".repeat(40) }] })
    .get(`${repo}/commits/${C2}/pulls`)
    .query({ per_page: "100" })
    .reply(200, [
      {
        number: PR_NUMBER,
        merged_at: "2026-03-10T10:00:00Z",
        merge_commit_sha: C2,
        base: { ref: "master", repo: { full_name: FULL } },
      },
    ])
    .get(`${repo}/compare/${C2}...${C3}`)
    .query({ per_page: "1" })
    .reply(200, { files: [{ filename: ".mcp.json", status: "modified", sha: BLOB_MCP_AFTER }] })
    .get(`${repo}/commits/${C3}/pulls`)
    .query({ per_page: "100" })
    .reply(200, [])
    .get(`${repo}/compare/${C3}...${C4}`)
    .query({ per_page: "1" })
    .reply(200, { files: [{ filename: "README.md", status: "modified", sha: "8".repeat(40) }] });
  // When C1 is logged, neither its files nor its pull request are asked for.
  if (options.c1Logged === false)
    nock(API)
      .get(`${repo}/compare/${MERGE_BASE}...${C1}`)
      .query({ per_page: "1" })
      .reply(200, { files: [{ filename: ".cursor/rules/a.mdc", status: "added", sha: "6".repeat(40) }] })
      .get(`${repo}/commits/${C1}/pulls`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          number: 7,
          merged_at: "2026-03-05T10:00:00Z",
          merge_commit_sha: C1,
          base: { ref: "master", repo: { full_name: FULL } },
        },
      ]);
  // The pull requests merged into master, most recently updated first, read until one predates the period.
  // #9 was merged in the period, but its merge commit is not on the line any more (master was force-pushed).
  const closed = (number: number, merge: string, at: string) => ({
    number,
    merged_at: at,
    merge_commit_sha: merge,
    updated_at: at,
  });
  nock(API)
    .get(`${repo}/pulls`)
    .query({ state: "closed", base: "master", sort: "updated", direction: "desc", per_page: "100" })
    .reply(200, [
      closed(9, OFF_BRANCH, "2026-03-12T10:00:00Z"),
      closed(PR_NUMBER, C2, "2026-03-10T10:00:00Z"),
      closed(7, C1, "2026-03-05T10:00:00Z"),
      closed(5, "5".repeat(40), "2026-02-20T10:00:00Z"),
    ]);
  // The policy at the tip (none here: the built-in defaults).
  nock(API)
    .post("/graphql", (b: { query: string; variables: Record<string, string> }) =>
      Object.values(b.variables).includes(`${C4}:.github/agent-change-control.yml`),
    )
    .reply(200, { data: { repository: { o0: null, o1: null } } });
}

async function logWithPr7() {
  const draft = merged(7, C1, "2026-03-05T10:00:00Z") as Record<string, unknown>;
  const { dir, key } = await writeLog(
    [
      {
        ...draft,
        record_id: `${REPO_ID}:7:${C1}`,
        repository: { id: REPO_ID, full_name: FULL },
      } as never,
    ],
    { now: "2026-03-06T00:00:00Z", every: 1 },
  );
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, key };
}

const run = (argv: string[], env: NodeJS.ProcessEnv = ENV) => runCli(argv, { cwd: process.cwd(), env });

describe("reconcile --repo (GitHub's API)", () => {
  test("reports the missing merge and the direct push from the API, reads nothing for logged changes, exit 1", async () => {
    const { dir } = await logWithPr7();
    historyReads();
    const before = readFileSync(join(dir, "state.json"), "utf8");
    const out = await run(["reconcile", "--repo", FULL, "--log", dir, ...PERIOD]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`Reconciling ${FULL} (id ${REPO_ID}) branch master`);
    expect(out.stdout).toContain(
      `MISSING      PR #${PR_NUMBER} merged 2026-03-10T10:00:00Z as ${C2.slice(0, 12)}`,
    );
    expect(out.stdout).toContain(
      `DIRECT PUSH  ${C3.slice(0, 12)} 2026-03-15T10:00:00Z: no record (.mcp.json)`,
    );
    expect(out.stdout).not.toContain("README.md");
    expect(out.stdout).not.toContain("PR #7");
    expect(out.stdout).toContain(
      `NOT ON BRANCH PR #9 merged 2026-03-12T10:00:00Z as ${OFF_BRANCH.slice(0, 12)}: no longer on master's first-parent history`,
    );
    expect(out.stdout).toContain(
      "Totals: 3 in source, 1 logged, 2 missing, 0 backfilled, 1 direct push, 0 duplicates, 1 not on the branch",
    );
    expect(readFileSync(join(dir, "state.json"), "utf8")).toBe(before);
  });

  test("--backfill: the merge judged again from GitHub's facts, the push with its blobs; the log still verifies", async () => {
    const { dir, key } = await logWithPr7();
    const keyFile = `${dir}.pem`;
    writeFileSync(keyFile, pem(key));
    cleanup.push(() => rmSync(keyFile, { force: true }));
    historyReads();
    // The direct push: the blob before the change, read at its parent.
    nock(API)
      .post("/graphql", (b: { variables: Record<string, string> }) =>
        Object.values(b.variables).includes(`${C2}:.mcp.json`),
      )
      .reply(200, { data: { repository: { o0: { __typename: "Blob", oid: BLOB_MCP_BEFORE } } } });
    // The merge: the pull request, then the app's own reads (judged under the policy at C1, the merge's first parent).
    const pr = pullRequestPayload({ action: "closed", changedFiles: 1 }).pull_request;
    Object.assign(pr, {
      state: "closed",
      merged: true,
      merged_at: "2026-03-10T10:00:00Z",
      merge_commit_sha: C2,
      merged_by: { ...pr.user, login: "maintainer", id: 777 },
      commits: 1,
    });
    nock(API).get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, pr);
    const gh = new FakeGitHub({
      trees: { [MERGE_BASE]: {}, [HEAD_SHA]: { "CLAUDE.md": "# Rules\n" } },
      reviews: [
        { id: 1, login: "maintainer", state: "APPROVED", commit: HEAD_SHA, at: "2026-03-09T12:00:00Z" },
      ],
      checkRuns: [{ id: 4001, status: "completed", conclusion: "success", summary: "" }],
    })
      .reads([{ filename: "CLAUDE.md", status: "added" }])
      .permission("maintainer", "maintain");
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/git/commits/${C2}`)
      .reply(200, {
        sha: C2,
        message: `Merge pull request #${PR_NUMBER}`,
        parents: [{ sha: C1 }, { sha: HEAD_SHA }],
      })
      // The base branch requires no other check.
      .get(`/repos/${OWNER}/${REPO}/rules/branches/master`)
      .query({ per_page: "100" })
      .reply(200, [])
      .get(`/repos/${OWNER}/${REPO}/branches/master`)
      .reply(200, { name: "master", protected: false, protection: { enabled: false } })
      .get(`/repos/${OWNER}/${REPO}/git/trees/${C2}`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: C2,
        truncated: false,
        tree: [
          { path: "CLAUDE.md", mode: "100644", type: "blob", sha: "9".repeat(40) },
          { path: "src/index.ts", mode: "100644", type: "blob", sha: "7".repeat(40) },
        ],
      });

    const out = await run([
      "reconcile",
      "--repo",
      FULL,
      "--log",
      dir,
      ...PERIOD,
      "--backfill",
      "--signing-key",
      keyFile,
      "--app-id",
      "1",
    ]);
    gh.done();
    expect(out.stderr).toBe("");
    expect(out.stdout).toContain("2 missing, 2 backfilled, 1 direct push");
    expect(out.code).toBe(1); // a direct push is an exception even once recorded
    // The context query named the policy at C1 (before the merge), never the default branch.
    // (p* variables: the repository's policy; q* are the org baseline's, read at its own default branch.)
    const policyExpressions = gh.sent.graphql.flatMap((g) =>
      Object.entries(g.variables)
        .filter(([name]) => /^p[0-9]+$/.test(name))
        .map(([, v]) => v as string),
    );
    expect(policyExpressions.length).toBeGreaterThan(0);
    expect(policyExpressions.every((v) => v.startsWith(`${C1}:`))).toBe(true);

    const all = logRecords(dir);
    const change = all.find(
      (r) => r.type === "change.merged" && (r.pr as { number: number }).number === PR_NUMBER,
    )!;
    expect(change).toMatchObject({
      capture_mode: "reconcile",
      delivery_id: null,
      record_id: `${REPO_ID}:${PR_NUMBER}:${C2}`,
      merge_commit_sha: C2,
      merge_method: "merge",
      merged_by: { login: "maintainer" },
    });
    expect(change.unknown).toBeUndefined();
    expect((change.verdicts as Record<string, boolean>).approved_before_merge).toBe(true);
    expect((change.exceptions as { code: string }[]).map((e) => e.code)).toEqual(["CAPTURED_BY_RECONCILE"]);
    const push = all.find((r) => r.type === "change.direct_push")!;
    expect(push).toMatchObject({ capture_mode: "reconcile", after: C3, before: C2 });
    expect((push.commits as { author_login: string | null }[])[0]!.author_login).toBe("mallory");
    expect(push.files).toEqual([
      expect.objectContaining({
        path: ".mcp.json",
        blob_before: BLOB_MCP_BEFORE,
        blob_after: BLOB_MCP_AFTER,
      }),
    ]);
    const run_ = all.find((r) => r.type === "log.reconcile_run")!;
    expect(run_.counts).toEqual({
      source: 3,
      logged: 1,
      missing: 2,
      backfilled: 2,
      direct_pushes: 1,
      duplicates: 0,
      off_branch: 1,
    });
    expect((run_.exceptions as { code: string }[]).map((e) => e.code)).toEqual(["FORCE_PUSH"]);
    expect((run_.query as { sources: string[] }).sources[0]).toContain("GitHub API");
    const report = await verifyLog(new DirStore(dir));
    expect(report.ok).toBe(true);
  });

  test("without --log the log is read online from the repository's log branch (here: none yet, so all is missing)", async () => {
    historyReads({ c1Logged: false });
    nock(API)
      .post(
        "/graphql",
        (b: { query: string; variables: Record<string, string> }) =>
          b.query.includes("LogSnapshot") && b.variables.ref === "refs/heads/agent-change-log",
      )
      .reply(200, { data: { repository: { ref: null } } });
    const out = await run(["reconcile", "--repo", FULL, ...PERIOD]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`MISSING      PR #7 merged 2026-03-05T10:00:00Z as ${C1.slice(0, 12)}`);
    expect(out.stdout).toContain("Totals: 3 in source, 0 logged, 3 missing, 0 backfilled, 1 direct push");
    expect(out.stdout).toContain("Not written: no signing key");
  });

  test("a commit GitHub cannot list completely, or a refusal by GitHub, stops the run with exit 2 and names why", async () => {
    const { dir } = await logWithPr7();
    const repo = `/repos/${OWNER}/${REPO}`;
    const tooMany = Array.from({ length: 300 }, (_, i) => ({
      filename: `f${i}.txt`,
      status: "added",
      sha: "5".repeat(40),
    }));
    nock(API)
      .get(repo)
      .reply(200, { id: Number(REPO_ID), full_name: FULL, default_branch: "master" })
      .get(`${repo}/branches/master`)
      .reply(200, { name: "master", commit: { sha: C2 } })
      .get(`${repo}/commits`)
      .query({ sha: C2, since: "2026-03-01T00:00:00Z", per_page: "100" })
      .reply(200, [
        commit(C2, [C1], "2026-03-10T10:00:00Z", "Big import"),
        commit(C1, [MERGE_BASE], "2026-03-05T10:00:00Z", "x"),
      ])
      .get(`${repo}/commits/${MERGE_BASE}`)
      .query({ per_page: "1" })
      .reply(200, commit(MERGE_BASE, [], "2026-02-01T10:00:00Z", "Initial"))
      .get(`${repo}/compare/${C1}...${C2}`)
      .query({ per_page: "1" })
      .reply(200, { files: tooMany });
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: { o0: null, o1: null } } });
    const big = await run(["reconcile", "--repo", FULL, "--log", dir, ...PERIOD]);
    expect(big.code).toBe(2);
    expect(big.stderr).toBe(
      `agent-change-control: commit ${C2.slice(0, 12)} changed 300 or more files, more than GitHub's API lists (MAX_COMPARE_FILES): reconcile this period offline on a clone (--git <dir>)\n`,
    );

    nock(API).get(repo).reply(403, { message: "Resource not accessible by personal access token" });
    const refused = await run(["reconcile", "--repo", FULL, "--log", dir, ...PERIOD]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `agent-change-control: GitHub answered 403 to GET ${repo}: Resource not accessible by personal access token; nothing was written\n`,
    );
    expect(refused.stderr).not.toContain("test-token");
  });

  test("usage errors: both or neither source, --git without --log, --repo without a token", async () => {
    const both = await run(["reconcile", "--repo", FULL, "--git", ".", "--log", ".", ...PERIOD]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("exactly one of --git <dir>");
    const neither = await run(["reconcile", "--log", ".", ...PERIOD]);
    expect(neither.code).toBe(2);
    const gitOnly = await run(["reconcile", "--git", ".", ...PERIOD]);
    expect(gitOnly.code).toBe(2);
    expect(gitOnly.stderr).toContain("--git needs --log");
    const noToken = await run(["reconcile", "--repo", FULL, ...PERIOD], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("GITHUB_TOKEN (or GH_TOKEN)");
  });
});
