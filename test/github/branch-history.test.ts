import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { GitHubBranchHistory, MAX_COMPARE_FILES } from "../../src/github/branch-history.js";
import type { Octokit } from "../../src/github/octokit.js";
import { guardNock } from "../app/helpers/nock-guard.js";

/** The history reader at the HTTP level (nock; every interceptor consumed). */

guardNock();

const API = "https://api.github.com";
const REPO = "/repos/acme/agents";
const history = () =>
  new GitHubBranchHistory({
    octokit: new ProbotOctokit({
      auth: { token: "t" },
      retry: { enabled: false },
      throttle: { enabled: false },
    }) as Octokit,
    owner: "acme",
    repo: "agents",
  });
const sha = (c: string) => c.repeat(40);
const commit = (s: string, parents: string[], date: string) => ({
  sha: s,
  parents: parents.map((p) => ({ sha: p })),
  commit: {
    message: `commit ${s.slice(0, 1)}\n\nbody`,
    author: { name: "A", email: "a@example.com", date },
    committer: { name: "C", email: "c@example.com", date },
  },
  author: { login: "alice" },
  committer: null,
});

describe("GitHubBranchHistory", () => {
  test("follows the first parent only, and through a commit in the period the listing left out", async () => {
    nock(API)
      .get(`${REPO}/commits`)
      .query({ sha: sha("t"), since: "2026-03-01T00:00:00Z", per_page: "100" })
      .reply(200, [
        commit(sha("t"), [sha("a"), sha("s")], "2026-03-20T00:00:00Z"),
        commit(sha("s"), [sha("x")], "2026-03-19T00:00:00Z"), // side branch: listed, never on the line
        commit(sha("a"), [sha("b")], "2026-03-10T00:00:00Z"),
      ])
      // b is in the period but was not listed; c is before it: the walk ends there.
      .get(`${REPO}/commits/${sha("b")}`)
      .query({ per_page: "1" })
      .reply(200, commit(sha("b"), [sha("c")], "2026-03-02T00:00:00Z"))
      .get(`${REPO}/commits/${sha("c")}`)
      .query({ per_page: "1" })
      .reply(200, commit(sha("c"), [], "2026-02-27T00:00:00Z"));
    const line = await history().firstParent(sha("t"), "2026-03-01T00:00:00Z");
    expect(line.map((c) => c.sha)).toEqual([sha("t"), sha("a"), sha("b")]);
    expect(line[0]).toMatchObject({
      parents: [sha("a"), sha("s")],
      committedAt: "2026-03-20T00:00:00Z",
      subject: "commit t",
      authorLogin: "alice",
      committerLogin: null,
    });
  });

  test("a tip older than the period gives an empty line after one check", async () => {
    nock(API)
      .get(`${REPO}/commits`)
      .query({ sha: sha("t"), since: "2026-03-01T00:00:00Z", per_page: "100" })
      .reply(200, [])
      .get(`${REPO}/commits/${sha("t")}`)
      .query({ per_page: "1" })
      .reply(200, commit(sha("t"), [sha("a")], "2026-01-01T00:00:00Z"));
    expect(await history().firstParent(sha("t"), "2026-03-01T00:00:00Z")).toEqual([]);
  });

  test("changes: renames keep the previous path, removals have no blob after; a full comparison is refused", async () => {
    nock(API)
      .get(`${REPO}/compare/${sha("a")}...${sha("b")}`)
      .query({ per_page: "1" })
      .reply(200, {
        files: [
          { filename: "new.md", previous_filename: "AGENTS.md", status: "renamed", sha: sha("1") },
          { filename: "CLAUDE.md", status: "removed", sha: sha("2") },
          { filename: ".mcp.json", status: "changed", sha: sha("3") },
        ],
      })
      .get(`${REPO}/compare/${sha("b")}...${sha("c")}`)
      .query({ per_page: "1" })
      .reply(200, {
        files: Array.from({ length: MAX_COMPARE_FILES }, (_, i) => ({
          filename: `f${i}`,
          status: "added",
          sha: sha("4"),
        })),
      });
    expect(await history().changes({ sha: sha("b"), parents: [sha("a")] })).toEqual([
      { path: "new.md", previousPath: "AGENTS.md", status: "renamed", blobBefore: null, blobAfter: sha("1") },
      { path: "CLAUDE.md", status: "removed", blobBefore: null, blobAfter: null },
      { path: ".mcp.json", status: "modified", blobBefore: null, blobAfter: sha("3") },
    ]);
    await expect(history().changes({ sha: sha("c"), parents: [sha("b")] })).rejects.toThrow(
      /MAX_COMPARE_FILES/,
    );
  });

  test("the pull request of a commit: its own merge first, only PRs merged into the branch of this repository", async () => {
    const pr = (number: number, merge: string, base: string, repo = "acme/agents", merged = true) => ({
      number,
      merged_at: merged ? "2026-03-10T00:00:00Z" : null,
      merge_commit_sha: merge,
      base: { ref: base, repo: { full_name: repo } },
    });
    nock(API)
      .get(`${REPO}/commits/${sha("a")}/pulls`)
      .query({ per_page: "100" })
      .reply(200, [
        pr(1, sha("z"), "main", "fork/agents"),
        pr(2, sha("y"), "release"),
        pr(3, sha("x"), "main", "acme/agents", false),
        pr(4, sha("w"), "main"),
        pr(5, sha("a"), "main"),
      ]);
    expect(await history().pullRequestOf(sha("a"), "main")).toEqual({
      number: 5,
      merge_commit_sha: sha("a"),
      merged_at: "2026-03-10T00:00:00Z",
    });
  });
});
