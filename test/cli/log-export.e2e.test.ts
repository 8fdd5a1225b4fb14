import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import { runCli } from "../helpers/cli.js";
import { editLine, merged, writeLog } from "./log-fixture.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Manifest {
  log: { verified: boolean };
  counts: { changes: number };
  files: { name: string; bytes: number; sha256: string }[];
}

async function exported(tamper: boolean) {
  const { dir } = await writeLog([
    merged(1, "a".repeat(40), "2026-01-15T10:00:00Z"),
    merged(2, "b".repeat(40), "2026-02-10T10:00:00Z"),
    merged(3, "c".repeat(40), "2026-04-02T10:00:00Z"),
  ]);
  dirs.push(dir);
  if (tamper) editLine(dir, "log/2026/01/part-0001.jsonl", 1, (l) => l.replace('"Change 1"', '"Change X"'));
  const out = join(dir, "export");
  const run = await runCli(
    ["export", "--log", dir, "--since", "2026-01-01", "--until", "2026-03-31", "--out", "export"],
    { cwd: dir },
  );
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Manifest;
  return { run, out, manifest };
}

describe("export", () => {
  test("writes the files, and the manifest's hashes match what was written", async () => {
    const { run, out, manifest } = await exported(false);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const names = manifest.files.map((f) => f.name);
    expect(names).toEqual([
      "exceptions.csv",
      "population.csv",
      "records.jsonl",
      "report.html",
      "verify-report.txt",
    ]);
    for (const f of manifest.files) {
      const bytes = readFileSync(join(out, f.name));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }
    expect(manifest.log.verified).toBe(true);
    // PRs 1 and 2 fall in the first quarter; PR 3 (April) does not.
    expect(manifest.counts.changes).toBe(2);
    const population = readFileSync(join(out, "population.csv"), "utf8");
    expect(population).toContain("Change 1");
    expect(population).not.toContain("Change 3");
    expect(run.stdout).toContain("2 changes");
    expect(run.stdout).toMatch(/population\.csv +\d+ bytes/);
    expect(run.stdout).toContain("Log verified: valid");
  });

  test("a tampered log still exports, marked unverified, and exits 1", async () => {
    const { run, manifest, out } = await exported(true);
    expect(run.code).toBe(1);
    expect(manifest.log.verified).toBe(false);
    expect(run.stdout).toContain(
      "Log verification FAILED: hash mismatch at log/2026/01/part-0001.jsonl line 1 (seq 1)",
    );
    expect(readFileSync(join(out, "verify-report.txt"), "utf8")).toContain("Result: INVALID");
  });

  test("--since and --until are required", async () => {
    const { dir } = await writeLog([merged(1, "a".repeat(40), "2026-01-15T10:00:00Z")]);
    dirs.push(dir);
    const run = await runCli(["export", "--log", dir, "--out", "x"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--since");
  });
});
