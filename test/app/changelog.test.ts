import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { FakeGitBackend } from "../../src/changelog/fake-git.js";
import { verifyLog } from "../../src/core/changelog/verify.js";
import { API, FakeGitHub } from "./helpers/fake-github.js";
import { guardNock } from "./helpers/nock-guard.js";
import { DEFAULT_SHA, HEAD_SHA, MERGE_BASE, OWNER, pullRequestPayload, REPO } from "./helpers/payloads.js";
import { testProbot } from "./helpers/probot.js";

/** Merged pull requests become change.merged records in the CC8 change log. */

guardNock();

const MERGE_SHA = "9".repeat(40);
const { privateKey } = generateKeyPairSync("ed25519");
const files = [{ filename: ".mcp.json", status: "modified" as const }];
const trees = {
  [MERGE_BASE]: { ".mcp.json": '{ "mcpServers": {} }\n' },
  [HEAD_SHA]: { ".mcp.json": '{ "mcpServers": { "gh": { "command": "gh", "args": ["mcp"] } } }\n' },
};

function mergedPayload(changedFiles = 1) {
  const p = pullRequestPayload({ action: "closed", changedFiles });
  p.pull_request.state = "closed";
  p.pull_request.merged = true;
  p.pull_request.merged_at = "2026-11-25T11:30:00Z";
  p.pull_request.merge_commit_sha = MERGE_SHA;
  p.pull_request.merged_by = { ...p.pull_request.user, login: "maintainer", id: 777 };
  return p;
}

/** The PR approved on its head by `login`, with the gate's check run passing. */
function approvedBy(login: string) {
  return {
    trees,
    reviews: [{ id: 1, login, state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" }],
    checkRuns: [{ id: 4001, status: "completed", conclusion: "success", summary: "" }],
  };
}

/** The read before every judgement of a merge: the merge commit, whose first parent holds the policy. */
function mergeCommitRead(parent = MERGE_BASE) {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/git/commits/${MERGE_SHA}`)
    .reply(200, { sha: MERGE_SHA, message: "Add the gh MCP server (#2)", parents: [{ sha: parent }] });
}

/** The base branch's required checks: its rulesets' and its classic protection's (none unless given). */
function requiredChecksReads(
  options: { rules?: { context: string; integration_id?: number }[]; classic?: string[] } = {},
) {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/rules/branches/master`)
    .query({ per_page: "100" })
    .reply(
      200,
      options.rules
        ? [{ type: "required_status_checks", parameters: { required_status_checks: options.rules } }]
        : [],
    )
    .get(`/repos/${OWNER}/${REPO}/branches/master`)
    .reply(200, {
      name: "master",
      protected: options.classic !== undefined,
      protection: options.classic
        ? { enabled: true, required_status_checks: { contexts: options.classic, checks: [] } }
        : { enabled: false },
    });
}

/** The reads recording adds to an evaluation: the merge commit, the tree at it, the required checks. */
function mergeReads(
  tree: { path: string; sha: string }[],
  checks?: Parameters<typeof requiredChecksReads>[0],
) {
  mergeCommitRead();
  requiredChecksReads(checks);
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/git/trees/${MERGE_SHA}`)
    .query({ recursive: "1" })
    .reply(200, {
      sha: MERGE_SHA,
      truncated: false,
      tree: tree.map((t) => ({ path: t.path, mode: "100644", type: "blob", sha: t.sha })),
    });
}

describe("recording a merge", () => {
  test("an approved merge touching agent configs is appended once, verifiably, with its verdicts", async () => {
    const store = new FakeGitBackend();
    const probot = await testProbot({ changelog: { signingKey: privateKey, store: () => store } });
    const state = approvedBy("maintainer");
    const gh = new FakeGitHub(state).reads(files).permission("maintainer", "maintain");
    mergeReads([
      { path: ".mcp.json", sha: "1".repeat(40) },
      { path: "src/index.ts", sha: "2".repeat(40) },
    ]);
    await probot.receive({ id: "merge-1", name: "pull_request", payload: mergedPayload() });
    gh.done();

    const lines: string[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) lines.push(l);
    const records = lines.map((l) => JSON.parse(l));
    const merged = records.filter((r) => r.type === "change.merged");
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      seq: 1,
      capture_mode: "webhook",
      delivery_id: "merge-1",
      record_id: `${mergedPayload().repository.id}:2:${MERGE_SHA}`,
    });
    expect(JSON.stringify(merged[0])).toContain('"approved_before_merge":true');
    // Only agent-config paths make the baseline.
    expect(JSON.stringify(merged[0])).not.toContain("src/index.ts");
    const report = await verifyLog(store);
    expect(report.ok).toBe(true);
    expect(report.totals.records).toBe(records.length);

    // The same delivery again: nothing new is written.
    const again = new FakeGitHub(state).reads(files).permission("maintainer", "maintain");
    mergeReads([{ path: ".mcp.json", sha: "1".repeat(40) }]);
    await probot.receive({ id: "merge-1", name: "pull_request", payload: mergedPayload() });
    again.done();
    const after: string[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) after.push(l);
    expect(after).toEqual(lines);
  });

  test("a merge without agent configs is not recorded and costs one merge read (the merge commit)", async () => {
    const store = new FakeGitBackend();
    const probot = await testProbot({ changelog: { signingKey: privateKey, store: () => store } });
    const gh = new FakeGitHub({ trees: { [MERGE_BASE]: {}, [HEAD_SHA]: { "src/a.ts": "" } } }).reads([
      { filename: "src/a.ts", status: "added" },
    ]);
    mergeCommitRead();
    await probot.receive({ id: "merge-2", name: "pull_request", payload: mergedPayload() });
    gh.done();
    expect(await store.listRecordFiles()).toEqual([]);
  });

  test("a pull request closed without merging needs no request at all", async () => {
    const probot = await testProbot({
      changelog: { signingKey: privateKey, store: () => new FakeGitBackend() },
    });
    const p = pullRequestPayload({ action: "closed", changedFiles: 1 });
    p.pull_request.state = "closed";
    p.pull_request.merged = false;
    await probot.receive({ id: "closed-1", name: "pull_request", payload: p });
  });

  test("changelog.enabled without a signing key fails loudly (the delivery fails, reconcile finds the gap)", async () => {
    const probot = await testProbot();
    const policy = "version: 1\nchangelog:\n  enabled: true\n";
    // The policy in force before the merge (the merge commit's first parent) decides.
    const gh = new FakeGitHub({
      trees: {
        ...trees,
        [MERGE_BASE]: { ...trees[MERGE_BASE], ".github/agent-change-control.yml": policy },
      },
    }).reads(files);
    mergeCommitRead();
    await expect(
      probot.receive({ id: "merge-3", name: "pull_request", payload: mergedPayload() }),
    ).rejects.toThrow(/CHANGELOG_SIGNING_KEY/);
    gh.done();
  });

  test("a merged change to the policy file also appends policy.changed (blob before and after) right after change.merged", async () => {
    const policyPath = ".github/agent-change-control.yml";
    const oldPolicy = "version: 1\n";
    const newPolicy = "version: 1\nchangelog:\n  checkpoint_every: 50\n";
    const blob = (text: string) =>
      createHash("sha1")
        .update(`blob ${Buffer.byteLength(text)}\0`)
        .update(text)
        .digest("hex");
    const afterSha = blob(newPolicy);
    const store = new FakeGitBackend();
    const probot = await testProbot({ changelog: { signingKey: privateKey, store: () => store } });
    const state = {
      trees: {
        [MERGE_BASE]: { [policyPath]: oldPolicy },
        [HEAD_SHA]: { [policyPath]: newPolicy },
        [DEFAULT_SHA]: { [policyPath]: newPolicy },
      },
      reviews: [{ id: 1, login: "owner", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" }],
      checkRuns: [{ id: 4001, status: "completed", conclusion: "success", summary: "" }],
    };
    const gh = new FakeGitHub(state)
      .reads([{ filename: policyPath, status: "modified" }])
      .permission("owner", "admin");
    mergeReads([
      { path: policyPath, sha: afterSha },
      { path: "src/index.ts", sha: "2".repeat(40) },
    ]);
    await probot.receive({ id: "merge-policy", name: "pull_request", payload: mergedPayload() });
    gh.done();

    const records: Record<string, unknown>[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) records.push(JSON.parse(l));
    const types = records.map((r) => r.type).filter((t) => t !== "log.checkpoint");
    expect(types).toEqual(["change.merged", "policy.changed"]);
    const change = records.find((r) => r.type === "change.merged")!;
    const policy = records.find((r) => r.type === "policy.changed")!;
    expect(policy).toMatchObject({
      seq: (change.seq as number) + 1,
      capture_mode: "webhook",
      delivery_id: "merge-policy",
      subject: { kind: "policy_file", name: policyPath },
      before: blob(oldPolicy),
      after: afterSha,
      changed_by: { login: "maintainer", id: "777" },
      changed_at: "2026-11-25T11:30:00Z",
      commit_sha: MERGE_SHA,
      pr_number: 2,
    });
    expect(policy.before).not.toBe(policy.after);
    expect((await verifyLog(store)).ok).toBe(true);
  });
  test("a merge is judged under the policy just before it, not the default branch's later one", async () => {
    const policyPath = ".github/agent-change-control.yml";
    // Before the merge: two approvals for any agent-config change. The default branch has since relaxed it
    // (a later merge landed before this delivery was handled); reading it would record a pass.
    const strict =
      "version: 1\napprovals:\n  rules:\n    - name: two reviewers\n      requires: { count: 2 }\n";
    const relaxed =
      "version: 1\napprovals:\n  rules:\n    - name: two reviewers\n      requires: { count: 1 }\n";
    const store = new FakeGitBackend();
    const probot = await testProbot({ changelog: { signingKey: privateKey, store: () => store } });
    const state = {
      ...approvedBy("maintainer"),
      trees: {
        [MERGE_BASE]: { ...trees[MERGE_BASE], [policyPath]: strict },
        [HEAD_SHA]: { ...trees[HEAD_SHA], [policyPath]: strict },
        [DEFAULT_SHA]: { ...trees[HEAD_SHA], [policyPath]: relaxed },
      },
    };
    const gh = new FakeGitHub(state).reads(files).permission("maintainer", "maintain");
    mergeReads([{ path: ".mcp.json", sha: "1".repeat(40) }]);
    await probot.receive({ id: "merge-later-policy", name: "pull_request", payload: mergedPayload() });
    gh.done();
    const records: Record<string, unknown>[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) records.push(JSON.parse(l));
    const change = records.find((r) => r.type === "change.merged")!;
    const rules = change.approval_rules as { name: string; status: string; required: number }[];
    expect(rules.find((r) => r.name === "two reviewers")).toMatchObject({ status: "pending", required: 2 });
    expect((change.verdicts as Record<string, boolean>).approved_before_merge).toBe(false);
    expect((change.exceptions as { code: string }[]).map((e) => e.code)).toContain("INSUFFICIENT_APPROVAL");
  });
  test("the base branch's other required checks are recorded as they stood on the merged head", async () => {
    const store = new FakeGitBackend();
    const probot = await testProbot({ changelog: { signingKey: privateKey, store: () => store } });
    const state = approvedBy("maintainer");
    const gh = new FakeGitHub(state).reads(files).permission("maintainer", "maintain");
    // A ruleset requires `build` (from the Actions app, id 15368) and our own check; classic protection
    // requires the `ci/jenkins` status.
    mergeReads([{ path: ".mcp.json", sha: "1".repeat(40) }], {
      rules: [{ context: "build", integration_id: 15368 }, { context: "agent-change-control" }],
      classic: ["ci/jenkins"],
    });
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`)
      .query({ filter: "latest", per_page: "100" })
      .reply(200, {
        total_count: 2,
        check_runs: [
          {
            name: "build",
            status: "completed",
            conclusion: "failure",
            started_at: "2026-11-25T09:00:00Z",
            completed_at: "2026-11-25T09:05:00Z",
            head_sha: HEAD_SHA,
            app: { id: 15368, slug: "github-actions" },
          },
          // The same name from another app does not satisfy a check pinned to Actions.
          {
            name: "build",
            status: "completed",
            conclusion: "success",
            started_at: "2026-11-25T09:10:00Z",
            completed_at: "2026-11-25T09:11:00Z",
            head_sha: HEAD_SHA,
            app: { id: 999, slug: "impostor" },
          },
        ],
      })
      .get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/statuses`)
      .query({ per_page: "100" })
      .reply(200, [{ context: "ci/jenkins", state: "pending", updated_at: "2026-11-25T09:00:00Z" }]);
    await probot.receive({ id: "merge-checks", name: "pull_request", payload: mergedPayload() });
    gh.done();
    const records: Record<string, unknown>[] = [];
    for (const path of await store.listRecordFiles())
      for await (const l of store.readLines(path)) records.push(JSON.parse(l));
    const change = records.find((r) => r.type === "change.merged")!;
    expect(change.required_checks).toEqual([
      expect.objectContaining({ name: "agent-change-control", conclusion: "success" }),
      expect.objectContaining({ name: "build", conclusion: "failure", app_slug: "github-actions" }),
      expect.objectContaining({ name: "ci/jenkins", conclusion: null }),
    ]);
    expect((change.verdicts as Record<string, boolean>).checks_passed).toBe(false);
    expect((change.verdicts as Record<string, boolean>).gate_passed).toBe(true);
    const failed = (change.exceptions as { code: string; detail: string }[]).find(
      (e) => e.code === "CHECKS_FAILED",
    );
    expect(failed?.detail).toBe(
      "Required checks not passing at merge: build (failure), ci/jenkins (not completed).",
    );
  });
});
