/**
 * End-to-end tests of `agent-change-control simulate`: a local change judged as the gate would judge it as a
 * pull request in the state a JSON file describes (reviews, commits, teams), against throwaway git
 * repositories. `main()` runs in-process with a capturing io.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { loadPrState } from "../../src/cli/pr-state.js";
import type { ApprovalsJson } from "../../src/core/report/approvals.js";
import { runCli, STACK_LINE } from "../helpers/cli.js";
import { makeTempDir, TempGitRepo } from "../helpers/temp-git-repo.js";

const POLICY = `approvals:
  rules:
    - name: security review
      when: { categories: [mcp] }
      requires:
        count: 1
        from: { teams: ["acme/security"] }
  emergency:
    enabled: true
    declarers: { teams: ["acme/incident"] }
`;
/** Two pinned servers: risk medium, no validation error, so only approvals decide. */
const VALID_MCP = `${JSON.stringify(
  {
    mcpServers: {
      filesystem: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."] },
    },
  },
  null,
  2,
)}\n`;
const TEAMS = { "acme/security": ["sec-lead", "sec-two"], "acme/incident": ["ic-oncall"] };
const STALE = "0123456789abcdef0123456789abcdef01234567";

let repo: TempGitRepo;
let dir: string;
let head: string;
beforeAll(() => {
  repo = TempGitRepo.create();
  repo.write(".github/agent-change-control.yml", POLICY);
  repo.write("README.md", "# demo\n");
  repo.commit("init");
  repo.checkout("feature", { create: true });
  repo.write(".mcp.json", VALID_MCP);
  head = repo.commit("add an MCP server");
  dir = makeTempDir("acc-prstate-");
});
afterAll(() => repo.cleanup());

let files = 0;
/** Writes a `--pr-state` file (an object is written as JSON, a string as is) and returns its path. */
function prState(state: unknown): string {
  const path = join(dir, `state-${++files}.json`);
  writeFileSync(path, typeof state === "string" ? state : JSON.stringify(state, null, 2));
  return path;
}

interface SimulateJson {
  result: string;
  reasons: string[];
  head: { sha: string };
  approvals: ApprovalsJson;
}
async function simulateJson(state: unknown, args: string[] = []) {
  const run = await runCli(["simulate", "--pr-state", prState(state), "--format", "json", ...args], {
    cwd: repo.dir,
  });
  expect(run.stderr).toBe("");
  return { ...run, report: JSON.parse(run.stdout) as SimulateJson };
}
const rule = (r: SimulateJson, name: string) => r.approvals.rules.find((x) => x.name === name)!;

describe("simulate: the gate's verdict for a pull request in a given state", () => {
  test("no reviews: the security rule is pending, exit 1, and the text says who can approve", async () => {
    const run = await runCli(["simulate", "--pr-state", prState({ author: "dev", teams: TEAMS })], {
      cwd: repo.dir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("Approvals: 1 of 1 rule pending\n");
    expect(run.stdout).toContain("pending 0 of 1  security review");
    expect(run.stdout).toContain("can approve: team acme/security");
    expect(run.stdout).toContain("Result: FAIL (approvals pending: security review (0 of 1))");
  });

  test("approved by a team member at the head commit: exit 0, and JSON says who counted", async () => {
    const { code, report } = await simulateJson({
      author: "dev",
      reviews: [{ id: 501, user: "sec-lead", state: "APPROVED" }],
      teams: TEAMS,
    });
    expect(code).toBe(0);
    expect([report.result, report.reasons]).toEqual(["pass", []]);
    expect(report.approvals.mode).toBe("enforced");
    expect(report.approvals.approved).toBe(true);
    expect(rule(report, "security review")).toMatchObject({
      status: "satisfied",
      counted: [{ login: "sec-lead", reviewId: 501 }],
    });
  });

  test("headSha defaults to the resolved --head: a review of another commit is stale", async () => {
    const { code, report } = await simulateJson({
      author: "dev",
      reviews: [{ id: 7, user: "sec-lead", state: "APPROVED", commitId: STALE }],
      teams: TEAMS,
    });
    expect(report.head.sha).toBe(head);
    expect(code).toBe(1);
    expect(report.approvals.ignored).toEqual([
      expect.objectContaining({ login: "sec-lead", reviewId: 7, reason: "stale-commit" }),
    ]);
    // Saying the PR's head is that commit makes the same review current.
    const moved = await simulateJson({
      author: "dev",
      headSha: STALE,
      reviews: [{ id: 7, user: "sec-lead", state: "APPROVED", commitId: STALE }],
      teams: TEAMS,
    });
    expect(moved.code).toBe(0);
  });

  test("the author's own approval and a non-member's do not count, with the reason", async () => {
    const { code, report } = await simulateJson({
      author: "sec-two",
      reviews: [
        { id: 1, user: "sec-two", state: "APPROVED" },
        { id: 2, user: "outsider", state: "APPROVED" },
      ],
      teams: TEAMS,
    });
    expect(code).toBe(1);
    const reasons = Object.fromEntries(report.approvals.ignored.map((i) => [i.login, i.reason]));
    expect(reasons).toEqual({ "sec-two": "author", outsider: "not-in-approver-set" });
  });

  test("changes requested by an eligible approver block, even with the rule satisfied", async () => {
    const { code, report } = await simulateJson({
      author: "dev",
      reviews: [
        { id: 1, user: "sec-lead", state: "APPROVED" },
        { id: 2, user: "sec-two", state: "CHANGES_REQUESTED" },
      ],
      teams: TEAMS,
    });
    expect(code).toBe(1);
    expect(report.approvals.blockedBy).toEqual([{ login: "sec-two", reviewId: 2 }]);
    expect(report.reasons).toEqual(["changes requested by sec-two"]);
  });

  test("an emergency declared by a permitted user passes; the markdown opens with the banner", async () => {
    const state = {
      author: "dev",
      teams: TEAMS,
      comments: [
        {
          id: 99,
          author: "ic-oncall",
          body: "/agent-change-control emergency payments are down",
          createdAt: "2025-06-06T10:00:00Z",
        },
      ],
    };
    const run = await runCli(["simulate", "--pr-state", prState(state), "--format", "markdown"], {
      cwd: repo.dir,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("## agent-change-control");
    expect(lines[2]).toMatch(
      /^> 🚨 \*\*Emergency change\*\* declared by `ic-oncall` at .*: payments are down$/,
    );
    expect(run.stdout).toContain("✅ **Pass**");
    // Nobody is @mentioned: every login in the banner and the approvals section is in a code span.
    const approvalsPart = run.stdout.slice(0, run.stdout.indexOf("### Changed agent configs"));
    expect(approvalsPart).toContain("`ic-oncall`");
    expect(approvalsPart.replace(/(`+)[\s\S]*?\1/g, "")).not.toMatch(/@[A-Za-z0-9]/);
  });

  test("the same command from someone else is refused, and the gate stays pending", async () => {
    const { code, report } = await simulateJson({
      author: "dev",
      teams: TEAMS,
      comments: [{ id: 5, author: "dev", body: "/agent-change-control emergency trust me" }],
    });
    expect(code).toBe(1);
    expect(report.approvals.emergency).toBeNull();
    expect(report.approvals.refusedEmergencies).toEqual([
      expect.objectContaining({ commentId: 5, login: "dev" }),
    ]);
  });
});

describe("simulate: bad input is exit 2 with file, line and problem", () => {
  async function bad(text: string) {
    const file = prState(text);
    const run = await runCli(["simulate", "--pr-state", file], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(STACK_LINE);
    return { ...run, file };
  }

  test("a JSON syntax error", async () => {
    const { stderr, file } = await bad('{\n  "author": "dev",\n  "reviews": [\n');
    expect(stderr).toContain(`${file} is not a valid pull-request state`);
    expect(stderr).toMatch(new RegExp(`^${escapeRegExp(file)}:4:1: error: `, "m"));
  });

  test("a schema violation, at the failing value", async () => {
    const { stderr, file } = await bad(
      '{\n  "author": "dev",\n  "reviews": [\n    { "user": "sec-lead", "state": "approved" }\n  ]\n}\n',
    );
    expect(stderr).toMatch(
      new RegExp(`^${escapeRegExp(file)}:4:36: error: reviews\\[0\\]\\.state must be one of "APPROVED"`, "m"),
    );
  });

  test("a misspelt key is an error with a suggestion (it would silently simulate no reviews)", async () => {
    const { stderr, file } = await bad('{\n  "author": "dev",\n  "reveiws": []\n}\n');
    expect(stderr).toMatch(
      new RegExp(`^${escapeRegExp(file)}:3:3: error: unknown key "reveiws".*did you mean "reviews"`, "m"),
    );
  });

  test("an @ before a login, and a missing author", async () => {
    const at = await bad('{ "author": "@dev" }');
    expect(at.stderr).toMatch(
      /:1:13: error: author must be a GitHub login without @.*; got the string "@dev"/,
    );
    const none = await bad("{}");
    expect(none.stderr).toMatch(/:1:1: error: .*author/);
  });

  test("a file that does not exist, and a missing --pr-state", async () => {
    const missing = await runCli(["simulate", "--pr-state", join(dir, "nope.json")], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    expect(missing.stderr).toContain("no such file");
    const absent = await runCli(["simulate"], { cwd: repo.dir });
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain("--pr-state");
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the documented example", () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const example = readFileSync(join(root, "examples", "pr-state.json"));

  test("examples/pr-state.json is a valid state", () => {
    const load = loadPrState("examples/pr-state.json", { size: example.length, data: example });
    expect(load).toEqual({ ok: true, state: expect.objectContaining({ author: "dana" }) });
  });

  test("docs/cli.md shows examples/pr-state.json as it is", () => {
    const doc = readFileSync(join(root, "docs", "cli.md"), "utf8");
    const section = doc.slice(doc.indexOf("## `simulate`"));
    const block = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    expect(JSON.parse(block)).toEqual(JSON.parse(example.toString("utf8")));
  });
});
