import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import { runCli } from "../helpers/cli.js";
import { TempGitRepo } from "../helpers/temp-git-repo.js";
import { logRecords, merged, pem, REPO, writeLog } from "./log-fixture.js";

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

/** main: init (README) → PR #7 (merge, logged) → PR #8 (merge, not logged) → direct commit to .mcp.json → README only. */
async function setup() {
  const repo = TempGitRepo.create();
  cleanup.push(() => repo.cleanup());
  repo.write("README.md", "hello\n");
  repo.commit("init");
  repo.checkout("feat7", { create: true });
  repo.write(".mcp.json", '{"mcpServers":{"a":{"command":"a"}}}\n');
  repo.commit("add server a");
  repo.checkout("main");
  repo.git(
    "merge",
    "--no-ff",
    "-q",
    "-m",
    "Merge pull request #7 from acme/feat7\n\nAdd server a (JIRA-12)",
    "feat7",
  );
  const pr7 = repo.sha("HEAD");
  repo.checkout("feat8", { create: true });
  repo.write("CLAUDE.md", "# Rules\n");
  repo.commit("add rules");
  repo.checkout("main");
  repo.git("merge", "--no-ff", "-q", "-m", "Merge pull request #8 from acme/feat8\n\nAdd rules", "feat8");
  const pr8 = repo.sha("HEAD");
  repo.write(".mcp.json", '{"mcpServers":{"b":{"command":"b"}}}\n');
  const push = repo.commit("hotfix straight to main");
  repo.write("README.md", "bye\n");
  repo.commit("docs only");
  const { dir: log, key } = await writeLog([merged(7, pr7, "2026-03-01T10:00:00Z")]);
  cleanup.push(() => rmSync(log, { recursive: true, force: true }));
  const keyFile = join(log, "..", `${log.split("/").pop()}.pem`);
  writeFileSync(keyFile, pem(key));
  cleanup.push(() => rmSync(keyFile, { force: true }));
  return { repo, log, keyFile, pr7, pr8, push };
}

const PERIOD = ["--since", "2000-01-01", "--until", "2099-12-31"];

describe("reconcile", () => {
  test("without a key: reports the missing merge and the direct push, writes nothing, exit 1", async () => {
    const { repo, log, pr8, push } = await setup();
    const before = readFileSync(join(log, "state.json"), "utf8");
    const run = await runCli(
      ["reconcile", "--log", log, "--git", repo.dir, ...PERIOD, "--repository", REPO.full_name],
      {
        cwd: repo.dir,
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`MISSING      PR #8 merged`);
    expect(run.stdout).toContain(`as ${pr8.slice(0, 12)}: no change.merged record (CLAUDE.md)`);
    expect(run.stdout).toContain(`DIRECT PUSH  ${push.slice(0, 12)}`);
    expect(run.stdout).not.toContain("PR #7");
    expect(run.stdout).toContain(
      "Totals: 3 in source, 1 logged, 2 missing, 0 backfilled, 1 direct push, 0 duplicates",
    );
    expect(run.stdout).toContain("Not written: no signing key");
    expect(readFileSync(join(log, "state.json"), "utf8")).toBe(before);
  });

  test("--backfill appends the missing merge, the direct push and the run record; the log stays valid", async () => {
    const { repo, log, keyFile, pr7, pr8, push } = await setup();
    const args = ["reconcile", "--log", log, "--git", repo.dir, ...PERIOD, "--repository", REPO.full_name];
    const run = await runCli([...args, "--backfill", "--signing-key", keyFile], { cwd: repo.dir });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(
      "Totals: 3 in source, 1 logged, 2 missing, 2 backfilled, 1 direct push, 0 duplicates",
    );
    expect(run.stdout).toMatch(
      /Written: \d+ records .*change\.merged, change\.direct_push, log\.reconcile_run/,
    );
    // The direct push stays an exception: exit 1 even when everything is now recorded.
    expect(run.code).toBe(1);

    const all = logRecords(log);
    const m8 = all.find((r) => r.type === "change.merged" && r.merge_commit_sha === pr8)!;
    expect(m8).toMatchObject({
      record_id: `${REPO.id}:8:${pr8}`,
      capture_mode: "reconcile",
      delivery_id: null,
      repository: REPO,
      merge_method: "merge",
      head_ref: "feat8",
      base_sha: repo.sha(`${pr8}^1`),
      head_sha: repo.sha(`${pr8}^2`),
      approvals: null,
      verdicts: null,
      result: "exception",
    });
    expect((m8.pr as { title: string }).title).toBe("Add rules");
    expect(m8.unknown).toEqual(
      expect.arrayContaining(["approvals", "merged_by", "verdicts", "required_checks"]),
    );
    expect((m8.files as { path: string }[]).map((f) => f.path)).toEqual(["CLAUDE.md"]);
    const dp = all.find((r) => r.type === "change.direct_push")!;
    expect(dp).toMatchObject({
      after: push,
      before: repo.sha(`${push}^1`),
      capture_mode: "reconcile",
      pusher: null,
    });
    const runRecord = all.find((r) => r.type === "log.reconcile_run")!;
    expect(runRecord.counts).toEqual({
      source: 3,
      logged: 1,
      missing: 2,
      backfilled: 2,
      direct_pushes: 1,
      duplicates: 0,
    });
    expect(all.filter((r) => r.type === "change.merged" && r.merge_commit_sha === pr7)).toHaveLength(1);

    const verify = await runCli(["verify", "--log", log], { cwd: log });
    expect(verify.stdout).toContain("Result: valid");
    expect(verify.code).toBe(0);

    // A second run finds everything logged and backfills nothing again.
    const again = await runCli([...args, "--backfill", "--signing-key", keyFile], { cwd: repo.dir });
    expect(again.stdout).toContain(
      "Totals: 3 in source, 3 logged, 0 missing, 0 backfilled, 1 direct push, 0 duplicates",
    );
    expect(again.stdout).toContain("(logged)");
  });

  test("a period before the changes finds nothing", async () => {
    const { repo, log } = await setup();
    const run = await runCli(
      [
        "reconcile",
        "--log",
        log,
        "--git",
        repo.dir,
        "--since",
        "2001-01-01",
        "--until",
        "2001-12-31",
        "--repository",
        REPO.full_name,
      ],
      { cwd: repo.dir },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 first-parent commits in the period, 0 touching agent configs");
  });

  test("--backfill without the repository's id (no record of it in the log) is a usage error", async () => {
    const { repo, log, keyFile } = await setup();
    const run = await runCli(
      [
        "reconcile",
        "--log",
        log,
        "--git",
        repo.dir,
        ...PERIOD,
        "--repository",
        "other/repo",
        "--backfill",
        "--signing-key",
        keyFile,
      ],
      { cwd: repo.dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--repository-id");
  });
});
