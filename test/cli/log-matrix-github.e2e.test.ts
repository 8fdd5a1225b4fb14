import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { API } from "../app/helpers/fake-github.js";
import { guardNock } from "../app/helpers/nock-guard.js";
import { runCli } from "../helpers/cli.js";

/** `matrix --repo owner/name`: the policy the app enforces, read through GitHub's API (nock, all consumed). */

guardNock();

const TIP = "d".repeat(40);
const ENV = { GITHUB_TOKEN: "test-token" };
const POLICY = `version: 1
approvals:
  rules:
    - name: mcp-servers
      when: { categories: [mcp] }
      requires: { count: 1, from: { teams: [acme/security] } }
`;
const BASELINE = `version: 1
approvals:
  policy_owners: { teams: [acme/platform] }
`;

type Body = { query: string; variables: Record<string, string> };
const blob = (text: string) => ({
  __typename: "Blob",
  byteSize: Buffer.byteLength(text),
  isBinary: false,
  isTruncated: false,
  text,
});

function repoReads() {
  nock(API)
    .get("/repos/acme/agents")
    .reply(200, { id: 7, full_name: "acme/agents", default_branch: "main" })
    .get("/repos/acme/agents/commits/main")
    .query({ per_page: "1" })
    .reply(200, { sha: TIP, files: [] });
  nock(API)
    .post("/graphql", (b: Body) => b.variables.owner === "acme" && b.variables.repo === "agents")
    .reply(200, { data: { repository: { o0: blob(POLICY), o1: null } } });
}

describe("matrix --repo owner/name", () => {
  test("the repository's policy merged with the org baseline, at the default branch's tip", async () => {
    repoReads();
    let asked: Body | undefined;
    nock(API)
      .post("/graphql", (b: Body) => {
        if (b.variables.repo !== ".github") return false;
        asked = b;
        return true;
      })
      .reply(200, { data: { repository: { o0: blob(BASELINE), o1: null } } });
    const run = await runCli(["matrix", "--repo", "acme/agents", "--format", "markdown"], {
      cwd: process.cwd(),
      env: ENV,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("acme/security");
    // The baseline's policy owners are the ones in force (the repository cannot loosen them).
    expect(run.stdout).toContain("acme/platform");
    expect(Object.values(asked!.variables)).toContain("HEAD:.github/agent-change-control.yml");
  });

  test("without an org .github repository there is no baseline; without a token it is a usage error", async () => {
    repoReads();
    nock(API)
      .post("/graphql", (b: Body) => b.variables.repo === ".github")
      .reply(200, {
        data: { repository: null },
        errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }],
      });
    const run = await runCli(["matrix", "--repo", "acme/agents"], { cwd: process.cwd(), env: ENV });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("acme/security");
    expect(run.stdout).not.toContain("acme/platform");

    const noToken = await runCli(["matrix", "--repo", "acme/agents"], { cwd: process.cwd(), env: {} });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("GITHUB_TOKEN (or GH_TOKEN)");
  });
});
