/**
 * End-to-end tests of `agent-change-control record`: a merged local change judged with the approvals of a
 * pr-state file and appended to a local change log, which then verifies.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { verifyLog } from "../../src/core/changelog/verify.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir, TempGitRepo } from "../helpers/temp-git-repo.js";

const MCP = `${JSON.stringify({ mcpServers: { gh: { command: "gh", args: ["mcp"] } } }, null, 2)}\n`;

let repo: TempGitRepo;
let dir: string;
let keyFile: string;
let head: string;

beforeAll(() => {
  repo = TempGitRepo.create();
  repo.write("README.md", "# demo\n");
  repo.commit("init");
  repo.checkout("feature", { create: true });
  repo.write(".mcp.json", MCP);
  head = repo.commit("add an MCP server");
  repo.checkout("main");
  repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from acme/feature", "feature");
  dir = makeTempDir("acc-record-");
  keyFile = join(dir, "key.pem");
  const { privateKey } = generateKeyPairSync("ed25519");
  writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }));
});
afterAll(() => repo.cleanup());

function stateFile(name: string, state: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(state));
  return path;
}

const STATE = {
  author: "dev",
  reviews: [{ user: "lead", state: "APPROVED" }],
  permissions: { lead: "maintain" },
  pullRequest: {
    number: 7,
    nodeId: "PR_kwDOtest0007",
    title: "Add the gh MCP server (OPS-12)",
    mergedBy: "lead",
    mergedAt: "2026-11-20T10:00:00Z",
    repository: { id: "4242", fullName: "acme/agents" },
  },
};

const args = (state: string, log: string) => [
  "record",
  "--pr-state",
  state,
  "--log",
  log,
  "--base",
  "main^1",
  "--head",
  "feature",
  "--merge-commit",
  "main",
  "--signing-key",
  keyFile,
];

describe("record", () => {
  test("appends one change.merged record with the approvals that counted; the log verifies; a repeat writes nothing", async () => {
    const state = stateFile("ok.json", {
      ...STATE,
      reviews: [{ user: "lead", state: "APPROVED", commitId: head }],
    });
    const log = join(dir, "log-ok");
    const first = await runCli(args(state, log), { cwd: repo.dir });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^recorded change\.merged seq 1 \(4242:7:[0-9a-f]{40}\)/);

    const store = new DirStore(log);
    const lines: string[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) lines.push(l);
    const merged = lines.map((l) => JSON.parse(l)).find((r) => r.type === "change.merged");
    expect(merged.merge_commit_sha).toBe(repo.sha("main"));
    expect(merged.head_sha).toBe(head);
    expect(merged.linked_tickets).toContain("OPS-12");
    expect(JSON.stringify(merged.approvals)).toContain('"lead"');
    expect(merged.verdicts.approved_before_merge).toBe(true);
    expect((await verifyLog(store)).ok).toBe(true);

    const again = await runCli(args(state, log), { cwd: repo.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already in the log: nothing written/);
    const linesAfter: string[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) linesAfter.push(l);
    expect(linesAfter).toEqual(lines);
  });

  test("a stale approval is recorded as an exception, not as an approval", async () => {
    const state = stateFile("stale.json", {
      ...STATE,
      reviews: [{ user: "lead", state: "APPROVED", commitId: "0".repeat(40) }],
    });
    const log = join(dir, "log-stale");
    const run = await runCli(args(state, log), { cwd: repo.dir });
    expect(run.code).toBe(0);
    const store = new DirStore(log);
    const lines: string[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) lines.push(l);
    const merged = lines.map((l) => JSON.parse(l)).find((r) => r.type === "change.merged");
    expect(merged.verdicts.approved_before_merge).toBe(false);
    expect(merged.result).toBe("exception");
    expect(merged.exceptions.map((e: { code: string }) => e.code)).toEqual(
      expect.arrayContaining(["STALE_APPROVAL"]),
    );
  });

  test("without a pullRequest block, or without a signing key, nothing is written and the exit code is 2", async () => {
    const { pullRequest: _pr, ...noPr } = STATE;
    const missing = await runCli(args(stateFile("nopr.json", noPr), join(dir, "log-nopr")), {
      cwd: repo.dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs a `pullRequest` block/);
    expect(existsSync(join(dir, "log-nopr"))).toBe(false);
    const noKey = args(stateFile("nokey.json", STATE), join(dir, "log-nokey")).slice(0, -2);
    const run = await runCli(noKey, { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/signing key/);
    expect(existsSync(join(dir, "log-nokey"))).toBe(false);
  });
});
