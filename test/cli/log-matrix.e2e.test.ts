import { afterAll, describe, expect, test } from "@jest/globals";
import { runCli } from "../helpers/cli.js";
import { TempGitRepo } from "../helpers/temp-git-repo.js";

const repos: TempGitRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

const POLICY = `version: 1
approvals:
  rules:
    - name: mcp-servers
      when:
        categories: [mcp]
      requires:
        count: 2
        from:
          teams: [acme/security]
          users: [alice]
`;

function repoWith(policy: string | undefined): TempGitRepo {
  const repo = TempGitRepo.create();
  repos.push(repo);
  if (policy !== undefined) repo.write(".github/agent-change-control.yml", policy);
  repo.write("README.md", "x\n");
  repo.commit("init");
  return repo;
}

describe("matrix", () => {
  test("csv: one row per principal of the default branch's policy", async () => {
    const repo = repoWith(POLICY);
    // A later policy on another branch is not the default branch's.
    repo.checkout("feature", { create: true });
    repo.write(".github/agent-change-control.yml", POLICY.replace("alice", "mallory"));
    repo.commit("loosen");
    const run = await runCli(["matrix", "--repo", repo.dir], { cwd: repo.dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\r\n");
    expect(lines[0]).toMatch(/^(\uFEFF)?role,rule,origin,principal_kind,principal,required/);
    const rule = lines.filter((l) => l.includes("mcp-servers"));
    expect(rule.some((l) => l.includes(",user,alice,2,"))).toBe(true);
    expect(rule.some((l) => l.includes(",team,acme/security,2,"))).toBe(true);
    expect(run.stdout).not.toContain("mallory");
  });

  test("--ref reads the policy at another ref; markdown format", async () => {
    const repo = repoWith(POLICY);
    repo.checkout("feature", { create: true });
    repo.write(".github/agent-change-control.yml", POLICY.replace("alice", "mallory"));
    repo.commit("other");
    const run = await runCli(["matrix", "--repo", repo.dir, "--ref", "feature", "--format", "markdown"], {
      cwd: repo.dir,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\| role \| rule \|/);
    expect(run.stdout).toContain("| mallory |");
  });

  test("an invalid policy is exit 2 with its messages", async () => {
    const repo = repoWith("version: 1\napprovals: 7\n");
    const run = await runCli(["matrix", "--repo", repo.dir], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is invalid, so no matrix was made");
    expect(run.stdout).toBe("");
  });
});
