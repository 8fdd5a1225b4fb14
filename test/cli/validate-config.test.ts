/** `agent-change-control validate-config [file]`: checks a policy file on disk; exit 0 valid, 2 otherwise. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { runCli, STACK_LINE } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-git-repo.js";

let dir: string;
beforeAll(() => {
  dir = makeTempDir("acc-validate-");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return name;
}

describe("validate-config", () => {
  test("a valid policy exits 0", async () => {
    const file = write(
      "good.yml",
      [
        "version: 1",
        "watch:",
        "  include:",
        '    - path: "prompts/**/*.txt"',
        "      category: prompt",
        "  exclude:",
        '    - "test/fixtures/**"',
        "schemas:",
        '  - path: "agents/*.json"',
        "    schema: schemas/agent.schema.json",
        "",
      ].join("\n"),
    );
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run).toEqual({ code: 0, stdout: "good.yml: valid policy\n", stderr: "" });
  });

  test("an empty file is valid (all built-in defaults)", async () => {
    const file = write("empty.yml", "");
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run).toEqual({ code: 0, stdout: "empty.yml: valid policy\n", stderr: "" });
  });

  test("a YAML syntax error exits 2 with its line", async () => {
    const file = write(
      "syntax.yml",
      'version: 1\nwatch:\n  include:\n    - path: "a"\n     category: prompt\n',
    );
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^syntax\.yml:5:\d+: error: YAML syntax error: \S/);
    expect(lines.slice(1)).toEqual(["syntax.yml: invalid policy", ""]);
  });

  test("an unknown top-level key exits 2 with a did-you-mean", async () => {
    const file = write("typo.yml", "version: 1\nwatches:\n  defaults: true\n");
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /^typo\.yml:2:1: error: unknown key "watches" at the top level; did you mean "watch"\?.*\ntypo\.yml: invalid policy\n$/,
    );
  });

  test("a schema violation is positioned at the failing value", async () => {
    const file = write(
      "category.yml",
      'version: 1\nwatch:\n  include:\n    - path: "a/*.txt"\n      category: promptz\n',
    );
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /^category\.yml:5:17: error: watch\.include\[0\]\.category must be one of .*"promptz"\n/,
    );
  });

  test("warnings keep the policy valid and are counted", async () => {
    const file = write(
      "expired.yml",
      [
        "version: 1",
        "risk:",
        "  suppressions:",
        "    - rule: MCP-001",
        '      path: ".mcp.json"',
        "      reason: accepted while migrating the server",
        '      expires: "2000-01-01"',
        "",
      ].join("\n"),
    );
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^expired\.yml:7:\d+: warning: .*expired on 2000-01-01/);
    expect(run.stdout).toMatch(/\nexpired\.yml: valid policy \(1 warning\)\n$/);
  });

  test("a missing file exits 2 with a readable reason", async () => {
    const run = await runCli(["validate-config", "missing.yml"], { cwd: dir });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "agent-change-control: cannot read missing.yml: no such file\n",
    });
  });

  test("a directory exits 2", async () => {
    mkdirSync(join(dir, "a-dir.yml"), { recursive: true });
    const run = await runCli(["validate-config", "a-dir.yml"], { cwd: dir });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "agent-change-control: cannot read a-dir.yml: it is a directory, not a file\n",
    });
  });

  test("without an argument it checks .github/agent-change-control.yml in the cwd", async () => {
    const repoDir = join(dir, "with-default");
    mkdirSync(join(repoDir, ".github"), { recursive: true });
    const none = await runCli(["validate-config"], { cwd: repoDir });
    expect(none).toEqual({
      code: 2,
      stdout: "",
      stderr: "agent-change-control: cannot read .github/agent-change-control.yml: no such file\n",
    });
    writeFileSync(join(repoDir, ".github", "agent-change-control.yml"), "version: 2\n");
    const bad = await runCli(["validate-config"], { cwd: repoDir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(
      /^\.github\/agent-change-control\.yml:1:10: error: version must be 1; got 2\n/,
    );
  });

  test("a file that is too large is rejected without being parsed", async () => {
    const file = write("huge.yml", `# ${"x".repeat(2 * 1024 * 1024)}\nversion: 1\n`);
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(
      "huge.yml:1:1: error: is 2.0 MB, over the 1.0 MB limit for agent-config files; it was not checked\nhuge.yml: invalid policy\n",
    );
  });

  test("invalid UTF-8 is reported, not a crash", async () => {
    const file = write("latin1.yml", Buffer.from([0x76, 0x3a, 0x20, 0xe9, 0x0a]));
    const run = await runCli(["validate-config", file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^latin1\.yml:1:1: error: is not valid UTF-8 \(byte 3\)/);
    expect(run.stdout + run.stderr).not.toMatch(STACK_LINE);
  });
});
