import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { identicalChanges, lookupTeamsAndPermissions } from "../../src/github/approval-lookups.js";
import type { Octokit } from "../../src/github/octokit.js";
import { API, FakeGitHub } from "../app/helpers/fake-github.js";
import { guardNock } from "../app/helpers/nock-guard.js";
import { BASE_SHA, HEAD_SHA, OWNER, REPO } from "../app/helpers/payloads.js";

/** Live lookups for approvals, at the HTTP level. */

guardNock();

const octokit = () =>
  new ProbotOctokit({
    auth: { token: "t" },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as Octokit;
const PR = { owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha: HEAD_SHA };

describe("team membership and permission", () => {
  test("only active members count; a pending invitation or a 404 is not membership; roles map exactly", async () => {
    new FakeGitHub({ trees: {} })
      .membership("Codertocat/security", "alice", "active")
      .membership("Codertocat/security", "bob", "pending")
      .membership("Codertocat/security", "carol", "none")
      .permission("alice", "maintain")
      .permission("bob", "triage");
    nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/carol/permission`).reply(404, {});
    const out = await lookupTeamsAndPermissions(octokit(), PR, {
      teams: [{ team: "Codertocat/security", logins: ["alice", "bob", "carol"] }],
      permissionsFor: ["alice", "bob", "carol"],
    });
    expect(out.teams).toEqual({ "Codertocat/security": ["alice"] });
    expect(out.permissions).toEqual({ alice: "maintain", bob: "triage", carol: "none" });
  });

  test("any other error is an error (the gate fails closed), not 'not a member'", async () => {
    nock(API).get("/orgs/Codertocat/teams/security/memberships/alice").reply(500, {});
    await expect(
      lookupTeamsAndPermissions(octokit(), PR, {
        teams: [{ team: "Codertocat/security", logins: ["alice"] }],
        permissionsFor: [],
      }),
    ).rejects.toThrow();
  });
});

describe("content-identical pushes", () => {
  const OLD = "e".repeat(40);
  const compare = (sha: string, files: unknown[]) =>
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/compare/${BASE_SHA}...${sha}`)
      .query({ per_page: "1" })
      .reply(200, { merge_base_commit: { sha: BASE_SHA }, files });
  const patch = (at: number, line: string) => `@@ -${at},2 +${at},3 @@\n a\n+${line}\n b`;

  test("a clean rebase (same patch, shifted hunk lines) carries the change; an edited patch does not", async () => {
    const OTHER = "f".repeat(40);
    compare(HEAD_SHA, [{ filename: "CLAUDE.md", status: "modified", patch: patch(10, "Be brief.") }]);
    compare(OLD, [{ filename: "CLAUDE.md", status: "modified", patch: patch(4, "Be brief.") }]);
    compare(OTHER, [{ filename: "CLAUDE.md", status: "modified", patch: patch(4, "Be terse.") }]);
    expect(await identicalChanges(octokit(), PR, [OLD, OTHER])).toEqual([OLD]);
  });

  test("a file without a patch (binary, too large) cannot be compared: not identical", async () => {
    compare(HEAD_SHA, [{ filename: "a.bin", status: "modified" }]);
    compare(OLD, [{ filename: "a.bin", status: "modified" }]);
    expect(await identicalChanges(octokit(), PR, [OLD])).toEqual([]);
  });

  test("nothing to compare costs nothing", async () => {
    expect(await identicalChanges(octokit(), PR, [HEAD_SHA])).toEqual([]);
  });
});
