import { copyFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { appendRecords } from "../../src/changelog/writer.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-git-repo.js";
import { editLine, merged, ORIGIN, writeLog } from "./log-fixture.js";

const dirs: string[] = [];

/** A record draft with another PR title (what a forger would change). */
function retitled(draft: ReturnType<typeof merged>, title: string): ReturnType<typeof merged> {
  return { ...draft, pr: { ...(draft.pr as object), title } };
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function log(): Promise<string> {
  const { dir } = await writeLog([
    merged(1, "a".repeat(40), "2026-03-01T10:00:00Z"),
    merged(2, "b".repeat(40), "2026-03-02T10:00:00Z"),
    merged(3, "c".repeat(40), "2026-03-03T10:00:00Z"),
  ]);
  dirs.push(dir);
  return dir;
}

describe("verify", () => {
  test("a log written by the writer is valid (exit 0), in the cloudtrail-like layout", async () => {
    const dir = await log();
    const run = await runCli(["verify", "--log", dir], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Validating change log cc8\.test\/acme\/audit-log /);
    expect(run.stdout).toMatch(/^Records +log\/2026\/03\/part-0001\.jsonl +valid \(seq 1-\d+\)$/m);
    expect(run.stdout).toMatch(/^Checkpoint +checkpoints\/0+2\.txt +valid/m);
    expect(run.stdout).toContain("Result: valid");
  });

  test("an edited field is INVALID (exit 1) with the file, line and seq of the first broken place", async () => {
    const dir = await log();
    editLine(dir, "log/2026/03/part-0001.jsonl", 2, (l) => l.replace('"Change 2"', '"Change two"'));
    const run = await runCli(["verify", "--log", dir], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "First failure: hash mismatch at log/2026/03/part-0001.jsonl line 2 (seq 2)",
    );
    expect(run.stdout).toContain("Result: INVALID");
  });

  test("--format json gives the report with ok and first_failure", async () => {
    const dir = await log();
    editLine(dir, "log/2026/03/part-0001.jsonl", 1, (l) => l.replace('"Change 1"', '"Change one"'));
    const run = await runCli(["verify", "--log", dir, "--format", "json"], { cwd: dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      first_failure: { line: number; seq: number; reason: string };
    };
    expect(report.ok).toBe(false);
    expect(report.first_failure).toMatchObject({ line: 1, seq: 1, reason: "hash mismatch" });
  });

  test("--since/--until as plain dates count the records of those whole days", async () => {
    const dir = await log();
    const run = await runCli(
      ["verify", "--log", dir, "--since", "2026-03-02", "--until", "2026-03-02", "--format", "json"],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      totals: { records_in_range: number };
      requested: { since: string; until: string };
    };
    expect(report.requested).toEqual({ since: "2026-03-02T00:00:00Z", until: "2026-03-02T23:59:59Z" });
    expect(report.totals.records_in_range).toBe(1);
  });

  test("a missing log directory is a usage error (exit 2) with a clear message", async () => {
    const cwd = makeTempDir();
    dirs.push(cwd);
    const run = await runCli(["verify", "--log", "nope"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("agent-change-control: --log nope: no such directory\n");
  });

  test("--repo without a token is a usage error that names the variables", async () => {
    const cwd = makeTempDir();
    dirs.push(cwd);
    let stderr = "";
    const { main } = await import("../../src/cli/main.js");
    const code = await main(["verify", "--repo", "acme/audit"], {
      stdout: () => {},
      stderr: (s) => {
        stderr += s;
      },
      cwd,
      color: false,
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr).toContain("GITHUB_TOKEN (or GH_TOKEN)");
  });

  test("an unreadable --since is a usage error", async () => {
    const dir = await log();
    const run = await runCli(["verify", "--log", dir, "--since", "last week"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--since");
  });
  test("--witness: a kept checkpoint and a previous export's manifest still extended by the grown log (exit 0); a rewritten log re-signed with the same key fails them (exit 1)", async () => {
    const { dir, key } = await writeLog([
      merged(1, "a".repeat(40), "2026-03-01T10:00:00Z"),
      merged(2, "b".repeat(40), "2026-03-02T10:00:00Z"),
    ]);
    dirs.push(dir);
    const kept = makeTempDir("acc-witness-");
    dirs.push(kept);
    const checkpoint = readdirSync(join(dir, "checkpoints")).sort()[0]!;
    copyFileSync(join(dir, "checkpoints", checkpoint), join(kept, "q1-checkpoint.txt"));
    const exported = await runCli(
      ["export", "--log", dir, "--since", "2026-03-01", "--until", "2026-03-31", "--out", join(kept, "q1")],
      { cwd: dir },
    );
    expect(exported.code).toBe(0);
    // The next quarter: the log grew.
    await appendRecords(new DirStore(dir), [merged(3, "c".repeat(40), "2026-04-02T10:00:00Z")], {
      signingKey: key,
      origin: ORIGIN,
      checkpointEvery: 2,
      now: () => new Date("2026-04-03T00:00:00Z"),
    });
    const witnesses = [
      "--witness",
      join(kept, "q1-checkpoint.txt"),
      "--witness",
      join(kept, "q1", "manifest.json"),
    ];
    const ok = await runCli(["verify", "--log", dir, ...witnesses], { cwd: dir });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("2/2 witnesses valid");

    // Whoever holds the key rebuilds the log with record 1 altered and re-signs it: signatures all pass.
    const forged = await writeLog(
      [
        retitled(merged(1, "a".repeat(40), "2026-03-01T10:00:00Z"), "Nothing to see"),
        merged(2, "b".repeat(40), "2026-03-02T10:00:00Z"),
        merged(3, "c".repeat(40), "2026-04-02T10:00:00Z"),
      ],
      { key },
    );
    dirs.push(forged.dir);
    expect((await runCli(["verify", "--log", forged.dir], { cwd: dir })).code).toBe(0);
    const caught = await runCli(["verify", "--log", forged.dir, ...witnesses], { cwd: dir });
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain("0/2 witnesses valid");
    expect(caught.stdout).toContain("(the first 2 records were rewritten since)");
  });

  test("--witness that is neither a checkpoint nor a manifest is a usage error naming the file", async () => {
    const dir = await log();
    const bad = join(dir, "..", `${dir.split("/").pop()}-bad.txt`);
    writeFileSync(bad, "hello\n");
    dirs.push(bad);
    const run = await runCli(["verify", "--log", dir, "--witness", bad], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--witness ${bad}: neither a checkpoint note nor an export manifest`);
  });
});
