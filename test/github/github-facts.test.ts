import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { blobKey } from "../../src/core/gather.js";
import { decodeBlob, MAX_FILE_BYTES } from "../../src/core/parse/decode.js";
import type { PullRequestInfo } from "../../src/github/facts.js";
import { GitHubFacts } from "../../src/github/github-facts.js";
import type { Octokit } from "../../src/github/octokit.js";
import { API, FakeGitHub } from "../app/helpers/fake-github.js";
import { guardNock } from "../app/helpers/nock-guard.js";
import {
  BASE_SHA,
  DEFAULT_SHA,
  HEAD_SHA,
  MERGE_BASE,
  OWNER,
  PR_NUMBER,
  REPO,
} from "../app/helpers/payloads.js";

/** The GitHub implementation of the facts seam, at the HTTP level. */

const PR: PullRequestInfo = {
  owner: OWNER,
  repo: REPO,
  number: PR_NUMBER,
  baseRef: "master",
  baseSha: BASE_SHA,
  headSha: HEAD_SHA,
  defaultBranch: "master",
  changedFiles: 1,
};

guardNock();

function octokit(): Octokit {
  return new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as Octokit;
}

const facts = (pr: Partial<PullRequestInfo> = {}) =>
  new GitHubFacts({
    octokit: octokit(),
    pr: { ...PR, ...pr },
    appId: 31337,
    checkName: "agent-change-control",
  });

describe("changed files", () => {
  test("fetches the known number of pages together and maps GitHub's statuses", async () => {
    const files = [
      ...Array.from({ length: 149 }, (_, i) => ({ filename: `src/f${i}.ts`, status: "modified" as const })),
      { filename: "new/name.md", status: "renamed" as const, previous_filename: "old/name.md" },
    ];
    new FakeGitHub({ trees: {} }).listFiles(files);
    const out = await facts({ changedFiles: 150 }).changedFiles();
    expect(out).toHaveLength(150);
    expect(out.at(-1)).toEqual({ path: "new/name.md", previousPath: "old/name.md", status: "renamed" });
  });

  test("a last page that is full means the PR grew: the next page is read too", async () => {
    const files = Array.from({ length: 230 }, (_, i) => ({ filename: `f${i}`, status: "added" as const }));
    new FakeGitHub({ trees: {} }).listFiles(files, { pages: 3 });
    const out = await facts({ changedFiles: 200 }).changedFiles();
    expect(out).toHaveLength(230);
  });

  test("is memoised: asking twice costs one listing", async () => {
    new FakeGitHub({ trees: {} }).listFiles([{ filename: "a", status: "added" }]);
    const f = facts();
    await f.changedFiles();
    await f.changedFiles();
  });
});

describe("the context query", () => {
  test("reads the repository policy and the org baseline in one request", async () => {
    const gh = new FakeGitHub({
      trees: { [DEFAULT_SHA]: { ".github/agent-change-control.yaml": "version: 1\n" } },
      baseline: { ".github/agent-change-control.yml": "version: 1\nrisk: {}\n" },
    }).contextQuery();
    const f = facts();
    const policy = await f.policy();
    await f.published();
    expect(policy.repository).toEqual({ path: ".github/agent-change-control.yaml", text: "version: 1\n" });
    expect(policy.baseline).toEqual({
      label: `${OWNER}/.github`,
      path: ".github/agent-change-control.yml",
      text: "version: 1\nrisk: {}\n",
    });
    expect(policy.sha).toBe(DEFAULT_SHA);
    expect(gh.sent.graphql).toHaveLength(1);
  });

  test("a missing org .github repository is no baseline, with a note", async () => {
    new FakeGitHub({ trees: {} }).contextQuery();
    const policy = await facts().policy();
    expect(policy.baseline).toBeUndefined();
    expect(policy.repository.text).toBeUndefined();
    expect(policy.baselineNote).toMatch(/\.github does not exist or the app is not installed/);
  });

  test("any other GraphQL error is an error", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: null, baseline: null },
        errors: [{ type: "FORBIDDEN", path: ["repository"], message: "no" }],
      });
    await expect(facts().policy()).rejects.toThrow();
  });

  test("finds the sticky comment on a later page, only among the app's own comments", async () => {
    new FakeGitHub({
      trees: {},
      comments: [{ id: 1, body: "<!-- agent-change-control:sticky -->\nforged", mine: false }],
    }).contextQuery();
    // The fake answers page one with hasNextPage false; make it say true and serve page two.
    nock.cleanAll();
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("baseline: repository("))
      .reply(200, {
        data: {
          repository: {
            defaultBranchRef: { name: "master", target: { oid: DEFAULT_SHA } },
            p0: null,
            p1: null,
            pullRequest: {
              comments: {
                pageInfo: { hasNextPage: true, endCursor: "CURSOR1" },
                nodes: [
                  {
                    databaseId: 1,
                    body: "<!-- agent-change-control:sticky -->\nforged",
                    viewerDidAuthor: false,
                  },
                ],
              },
            },
            head: null,
          },
          baseline: null,
        },
      })
      .post("/graphql", (b: { variables: { after?: string } }) => b.variables.after === "CURSOR1")
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              comments: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  {
                    databaseId: 99,
                    body: "<!-- agent-change-control:sticky -->\nmine",
                    viewerDidAuthor: true,
                  },
                ],
              },
            },
          },
        },
      });
    const published = await facts().published();
    expect(published.comment).toEqual({ id: 99, body: "<!-- agent-change-control:sticky -->\nmine" });
  });
});

describe("blobs", () => {
  test("prefetched blobs arrive with the policy; binary ones are read raw; too-large ones are not read", async () => {
    const binary = new Uint8Array([0x7b, 0x00, 0x7d]);
    const huge = "x".repeat(MAX_FILE_BYTES + 1);
    new FakeGitHub({
      trees: { [HEAD_SHA]: { "a.json": '{"a":1}', "b.json": binary, "c.json": huge }, [MERGE_BASE]: {} },
    }).contextQuery();
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/contents/b.json`)
      .query({ ref: HEAD_SHA })
      .matchHeader("accept", /raw/)
      .reply(200, Buffer.from(binary), { "content-type": "application/vnd.github.raw; charset=utf-8" });
    const f = facts();
    const requests = ["a.json", "b.json", "c.json"].map((path) => ({ ref: HEAD_SHA, path }));
    requests.push({ ref: MERGE_BASE, path: "a.json" });
    f.prefetch(requests);
    await f.policy();
    const blobs = await f.blobs(requests, MAX_FILE_BYTES);
    expect(new TextDecoder().decode(blobs.get(blobKey(HEAD_SHA, "a.json"))!.data)).toBe('{"a":1}');
    const b = blobs.get(blobKey(HEAD_SHA, "b.json"))!;
    expect([...b.data!]).toEqual([...binary]);
    expect(decodeBlob(b)).toMatchObject({ ok: false, code: "binary" });
    expect(blobs.get(blobKey(HEAD_SHA, "c.json"))).toEqual({ size: MAX_FILE_BYTES + 1, mode: "file" });
    expect(blobs.get(blobKey(MERGE_BASE, "a.json"))).toBeUndefined();
  });

  test("blobs not prefetched come in one further query", async () => {
    const gh = new FakeGitHub({ trees: { [HEAD_SHA]: { "x.md": "# x\n" } } }).contextQuery().blobQuery();
    const f = facts();
    await f.policy();
    const blobs = await f.blobs([{ ref: HEAD_SHA, path: "x.md" }], MAX_FILE_BYTES);
    expect(blobs.get(blobKey(HEAD_SHA, "x.md"))?.size).toBe(4);
    expect(gh.sent.graphql).toHaveLength(2);
  });
});

describe("merge base", () => {
  test("comes from the compare endpoint", async () => {
    new FakeGitHub({ trees: {} }).compare();
    expect(await facts().mergeBase()).toBe(MERGE_BASE);
  });
});
