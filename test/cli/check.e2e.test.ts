/**
 * End-to-end tests of `agent-change-control check` against throwaway git repositories: `main()` runs
 * in-process with a capturing io (the `--format json` report is a documented contract, so its fields are
 * asserted exactly), and one test spawns the built binary from another directory.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { PREVIEW_AUTHOR } from "../../src/cli/approvals.js";
import { CRITICAL_RULE, DEFAULT_RULE, HIGH_RULE } from "../../src/core/approvals/index.js";
import type { ApprovalsJson } from "../../src/core/report/approvals.js";
import { type JsonReport, runCheckJson, runCli, STACK_LINE } from "../helpers/cli.js";
import { makeTempDir, TempGitRepo, testGitEnv } from "../helpers/temp-git-repo.js";

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PACKAGE = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
};
const POLICY = ".github/agent-change-control.yml";

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});
function newRepo(): TempGitRepo {
  const repo = TempGitRepo.create();
  cleanups.push(() => repo.cleanup());
  return repo;
}
function tempDir(): string {
  const dir = makeTempDir("acc-cwd-");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const VALID_MCP = `${JSON.stringify(
  {
    mcpServers: {
      filesystem: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."] },
      docs: { type: "http", url: "https://mcp.example.com/mcp" },
    },
  },
  null,
  2,
)}\n`;
const VALID_SETTINGS = `${JSON.stringify(
  { permissions: { allow: ["Bash(npm test)"], deny: ["Read(./.env)"], defaultMode: "plan" } },
  null,
  2,
)}\n`;
/** Line 4, column 28 holds the number 42 where a command string belongs. */
const INVALID_MCP = [
  "{",
  '  "mcpServers": {',
  '    "fs": { "command": "npx", "args": ["server-fs@1.0.0"] },',
  '    "broken": { "command": 42 }',
  "  }",
  "}",
  "",
].join("\n");

/** The report's fixed header fields for a run without a policy file. */
function header(
  base: { ref: string; sha: string },
  head: { ref: string; sha: string },
  risk: { risk: string; findings: unknown[]; diff: unknown[] } = { risk: "none", findings: [], diff: [] },
) {
  return {
    reportVersion: 1,
    tool: { name: PACKAGE.name, version: PACKAGE.version },
    base,
    head,
    policy: { path: null, ref: base.ref },
    failOn: "high",
    // Findings may be asymmetric matchers (expect.objectContaining) standing in for the report's objects.
    ...(risk as { risk: string; findings: JsonReport["findings"]; diff: unknown[] }),
    approvals: preview(defaultRulesFor(risk.risk)),
  };
}

/** The built-in approval rules (no policy file) a change of this risk tier needs. */
function defaultRulesFor(risk: string): string[] {
  if (risk === "none") return [];
  return [
    DEFAULT_RULE,
    ...(risk === "high" || risk === "critical" ? [HIGH_RULE] : []),
    ...(risk === "critical" ? [CRITICAL_RULE] : []),
  ];
}

/**
 * The `approvals` preview `check` reports: the named rules apply, all pending (no reviews yet); nothing was
 * reviewed, so nothing is ignored or blocking. `approvals.test` in this folder pins the exact set.
 */
function preview(needs: readonly string[]) {
  return expect.objectContaining({
    mode: "preview",
    approved: needs.length === 0,
    ignored: [],
    blockedBy: [],
    emergency: null,
    rules: expect.arrayContaining([
      ...needs.map((name) => expect.objectContaining({ name, status: "pending", counted: [] })),
    ]),
  });
}

/** The risk part of a report that adds VALID_MCP alone: its two servers are new (MCP-001, medium). */
const MCP_ONLY_RISK = {
  risk: "medium",
  findings: [
    expect.objectContaining({ rule: "MCP-001", severity: "medium", path: ".mcp.json", line: 3 }),
    expect.objectContaining({ rule: "MCP-001", severity: "medium", path: ".mcp.json", line: 11 }),
  ],
  diff: [
    { path: ".mcp.json", kind: "mcp-server", name: "filesystem", change: "added", line: 3 },
    { path: ".mcp.json", kind: "mcp-server", name: "docs", change: "added", line: 11 },
  ],
};

/**
 * The risk part of a report that adds VALID_MCP and VALID_SETTINGS: two new MCP servers (MCP-001, medium) and
 * a narrow new allow rule (PERM-002, low); nothing blocks, the tier is medium.
 */
const VALID_RISK = {
  risk: "medium",
  findings: [
    expect.objectContaining({
      rule: "MCP-001",
      severity: "medium",
      path: ".mcp.json",
      line: 3,
      suppressed: null,
    }),
    expect.objectContaining({
      rule: "MCP-001",
      severity: "medium",
      path: ".mcp.json",
      line: 11,
      suppressed: null,
    }),
    expect.objectContaining({
      rule: "PERM-002",
      severity: "low",
      path: ".claude/settings.json",
      line: 4,
      suppressed: null,
    }),
  ],
  diff: [
    {
      path: ".claude/settings.json",
      kind: "permission",
      name: "allow Bash(npm test)",
      change: "added",
      line: 4,
    },
    {
      path: ".claude/settings.json",
      kind: "permission",
      name: "deny Read(./.env)",
      change: "added",
      line: 7,
    },
    {
      path: ".claude/settings.json",
      kind: "setting",
      name: "defaultMode",
      change: "added",
      detail: "(unset) → plan",
      line: 9,
    },
    { path: ".mcp.json", kind: "mcp-server", name: "filesystem", change: "added", line: 3 },
    { path: ".mcp.json", kind: "mcp-server", name: "docs", change: "added", line: 11 },
  ],
};

const MCP_FILE = {
  path: ".mcp.json",
  status: "added",
  format: "mcp-project",
  category: "mcp",
  matchedBy: "path",
  schema: "builtin:mcp-project",
};
const SETTINGS_FILE = {
  path: ".claude/settings.json",
  status: "added",
  format: "claude-settings",
  category: "permissions",
  matchedBy: "path",
  schema: "builtin:claude-settings",
};

describe("check: what changed", () => {
  let repo: TempGitRepo;
  let fork: string;
  beforeAll(() => {
    repo = newRepo();
    repo.write("README.md", "# demo\n");
    repo.write("src/index.ts", "export const x = 1;\n");
    fork = repo.commit("init");
  });

  test("a change without agent configs passes with no files", async () => {
    repo.checkout("no-configs", { create: true, from: "main" });
    repo.write("src/index.ts", "export const x = 2;\n");
    repo.write("docs/guide.md", "# guide\n");
    const head = repo.commit("code only");

    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.report).toEqual({
      ...header({ ref: "merge-base", sha: fork }, { ref: "HEAD", sha: head }),
      result: "pass",
      reasons: [],
      summary: { files: 0, errors: 0, warnings: 0, findings: 0, suppressed: 0 },
      files: [],
      validation: [],
    });
  });

  test("a valid .mcp.json and .claude/settings.json pass with their formats and categories", async () => {
    repo.checkout("valid", { create: true, from: "main" });
    repo.write(".mcp.json", VALID_MCP);
    repo.write(".claude/settings.json", VALID_SETTINGS);
    repo.write("src/index.ts", "export const x = 3;\n");
    const head = repo.commit("add agent configs");

    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.stderr).toBe("");
    expect(run.report).toEqual({
      ...header({ ref: "merge-base", sha: fork }, { ref: "HEAD", sha: head }, VALID_RISK),
      result: "pass",
      reasons: [],
      summary: { files: 2, errors: 0, warnings: 0, findings: 3, suppressed: 0 },
      files: [SETTINGS_FILE, MCP_FILE],
      validation: [],
    });
    expect(run.code).toBe(0);
  });

  test("an invalid file fails with the message at the failing value's line and column", async () => {
    repo.checkout("invalid", { create: true, from: "main" });
    repo.write(".mcp.json", INVALID_MCP);
    repo.write(".claude/settings.json", VALID_SETTINGS);
    const head = repo.commit("break .mcp.json");

    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.report).toEqual({
      ...header(
        { ref: "merge-base", sha: fork },
        { ref: "HEAD", sha: head },
        {
          // A file that does not validate is itself a high finding (POL-003): the gate fails closed twice over.
          risk: "high",
          findings: [
            expect.objectContaining({ rule: "POL-003", severity: "high", path: ".mcp.json", line: 4 }),
            expect.objectContaining({ rule: "MCP-001", severity: "medium", path: ".mcp.json", line: 3 }),
            expect.objectContaining({ rule: "MCP-001", severity: "medium", path: ".mcp.json", line: 4 }),
            expect.objectContaining({
              rule: "PERM-002",
              severity: "low",
              path: ".claude/settings.json",
              line: 4,
            }),
          ],
          diff: [
            {
              path: ".claude/settings.json",
              kind: "permission",
              name: "allow Bash(npm test)",
              change: "added",
              line: 4,
            },
            {
              path: ".claude/settings.json",
              kind: "permission",
              name: "deny Read(./.env)",
              change: "added",
              line: 7,
            },
            {
              path: ".claude/settings.json",
              kind: "setting",
              name: "defaultMode",
              change: "added",
              detail: "(unset) → plan",
              line: 9,
            },
            { path: ".mcp.json", kind: "mcp-server", name: "fs", change: "added", line: 3 },
            { path: ".mcp.json", kind: "mcp-server", name: "broken", change: "added", line: 4 },
          ],
        },
      ),
      result: "fail",
      reasons: ["1 validation error", "1 finding at or above high"],
      summary: { files: 2, errors: 1, warnings: 0, findings: 4, suppressed: 0 },
      files: [SETTINGS_FILE, MCP_FILE],
      validation: [
        {
          path: ".mcp.json",
          line: 4,
          column: 28,
          severity: "error",
          code: "schema",
          message: expect.stringMatching(/^mcpServers\.broken\.command must be a string, not the number 42/),
        },
      ],
    });
    // The position is that of `42` in the file as committed.
    const line = INVALID_MCP.split("\n")[3]!;
    expect(line.slice(27, 29)).toBe("42");
  });

  test("--fail-on is reported and validated", async () => {
    repo.checkout("valid");
    const ok = await runCheckJson(["--fail-on", "critical"], { cwd: repo.dir });
    expect(ok.code).toBe(0);
    expect(ok.report.failOn).toBe("critical");

    const bad = await runCli(["check", "--fail-on", "severe"], { cwd: repo.dir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain(
      "option '--fail-on <severity>' argument 'severe' is invalid. Allowed choices are info, low, medium, high, critical.",
    );
  });
});

describe("check: choosing base and head", () => {
  let repo: TempGitRepo;
  let fork: string;
  let featureHead: string;
  let mainHead: string;
  beforeAll(() => {
    repo = newRepo();
    repo.write("README.md", "# demo\n");
    repo.write("src/deep/er/code.ts", "export {};\n");
    fork = repo.commit("init");
    repo.checkout("feature", { create: true });
    repo.write(".mcp.json", VALID_MCP);
    featureHead = repo.commit("feature: add .mcp.json");
    // main moves on after the fork: none of this may appear in the feature branch's report.
    repo.checkout("main");
    repo.write("CLAUDE.md", "# Project rules\n");
    repo.write(".claude/settings.json", '{\n  "model": 5\n}\n');
    mainHead = repo.commit("main: add CLAUDE.md");
    repo.checkout("feature");
  });

  const featureReport = (head: { ref: string; sha: string }): JsonReport => ({
    ...header({ ref: "merge-base", sha: fork }, head, MCP_ONLY_RISK),
    result: "pass",
    reasons: [],
    summary: { files: 1, errors: 0, warnings: 0, findings: 2, suppressed: 0 },
    files: [MCP_FILE],
    validation: [],
  });

  test("--base defaults to the merge-base with main; main's later changes do not appear", async () => {
    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.report).toEqual(featureReport({ ref: "HEAD", sha: featureHead }));
  });

  test("on main itself the base is the previous commit", async () => {
    repo.checkout("main");
    try {
      const run = await runCheckJson([], { cwd: repo.dir });
      expect(run.code).toBe(1);
      // docs/cli.md: a defaulted base is labelled `merge-base` even here.
      expect(run.report.base).toEqual({ ref: "merge-base", sha: fork });
      expect(run.report.head).toEqual({ ref: "HEAD", sha: mainHead });
      expect(run.report.files.map((f) => [f.path, f.status, f.format, f.category])).toEqual([
        [".claude/settings.json", "added", "claude-settings", "permissions"],
        ["CLAUDE.md", "added", "instructions-claude-md", "prompt"],
      ]);
    } finally {
      repo.checkout("feature");
    }
  });

  test("--head other than HEAD, with HEAD checked out elsewhere", async () => {
    repo.checkout("main");
    try {
      const run = await runCheckJson(["--head", "feature"], { cwd: repo.dir });
      expect(run.code).toBe(0);
      expect(run.report).toEqual(featureReport({ ref: "feature", sha: featureHead }));
    } finally {
      repo.checkout("feature");
    }
  });

  test("explicit --base and --head compare exactly those commits", async () => {
    const run = await runCheckJson(["--base", featureHead, "--head", mainHead], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.report.base).toEqual({ ref: featureHead, sha: featureHead });
    expect(run.report.head).toEqual({ ref: mainHead, sha: mainHead });
    expect(run.report.policy).toEqual({ path: null, ref: featureHead });
    expect(run.report.files.map((f) => [f.path, f.status])).toEqual([
      [".claude/settings.json", "added"],
      [".mcp.json", "removed"],
      ["CLAUDE.md", "added"],
    ]);
    expect(run.report.validation).toEqual([
      {
        path: ".claude/settings.json",
        line: 2,
        column: 12,
        severity: "error",
        code: "schema",
        message: expect.stringMatching(/^model must be a string, not the number 5/),
      },
    ]);
  });

  test("runs from an unrelated cwd with an absolute --repo", async () => {
    const cwd = tempDir();
    const run = await runCheckJson(["--repo", repo.dir], { cwd });
    expect(run.code).toBe(0);
    expect(run.report).toEqual(featureReport({ ref: "HEAD", sha: featureHead }));
  });

  test("a relative --repo is resolved against the cwd", async () => {
    const run = await runCheckJson(["--repo", basename(repo.dir)], { cwd: dirname(repo.dir) });
    expect(run.code).toBe(0);
    expect(run.report).toEqual(featureReport({ ref: "HEAD", sha: featureHead }));
  });

  test("--repo may point at a subdirectory; paths stay relative to the repository root", async () => {
    const run = await runCheckJson(["--repo", repo.path("src/deep/er")], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.report).toEqual(featureReport({ ref: "HEAD", sha: featureHead }));
    // Same from inside the subdirectory with the default --repo.
    const inside = await runCheckJson([], { cwd: repo.path("src/deep") });
    expect(inside.report).toEqual(featureReport({ ref: "HEAD", sha: featureHead }));
  });

  test("without a default branch, the base must be given", async () => {
    const other = TempGitRepo.create({ branch: "develop" });
    cleanups.push(() => other.cleanup());
    other.write("README.md", "x\n");
    other.commit("init");
    const run = await runCli(["check"], { cwd: other.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^agent-change-control: cannot choose a base for HEAD: no default branch found/,
    );
    expect(run.stderr).toContain("pass --base <ref>");
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe("check: the policy comes from the base commit", () => {
  test("a policy file added by the change does not apply to it", async () => {
    const repo = newRepo();
    repo.write("README.md", "# demo\n");
    const base = repo.commit("init");
    repo.checkout("feature", { create: true });
    // The change tries to switch the gate off for itself and adds a broken MCP config.
    repo.write(POLICY, "version: 1\nwatch:\n  defaults: false\n  exclude:\n    - '**'\n");
    repo.write(".mcp.json", INVALID_MCP);
    const head = repo.commit("exclude everything");

    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    expect(run.report.policy).toEqual({ path: null, ref: "merge-base" });
    expect(run.report.base).toEqual({ ref: "merge-base", sha: base });
    expect(run.report.head).toEqual({ ref: "HEAD", sha: head });
    expect(run.report.files).toEqual([
      {
        path: POLICY,
        status: "added",
        format: "agent-change-control-policy",
        category: "policy",
        matchedBy: "path",
        schema: "builtin:policy",
      },
      MCP_FILE,
    ]);
    expect(run.report.validation.map((m) => [m.path, m.line, m.column, m.code])).toEqual([
      [".mcp.json", 4, 28, "schema"],
    ]);
  });

  test("an invalid policy file in the change is a validation error of the change, not a usage error", async () => {
    const repo = newRepo();
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.checkout("feature", { create: true });
    repo.write(POLICY, "version: 1\nwatches:\n  defaults: false\n");
    repo.commit("typo in policy");

    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.report.policy).toEqual({ path: null, ref: "merge-base" });
    expect(run.report.validation).toEqual([
      {
        path: POLICY,
        line: 2,
        column: 1,
        severity: "error",
        code: "unknown-key",
        message: expect.stringContaining('unknown key "watches" at the top level; did you mean "watch"?'),
      },
    ]);
  });

  test("a base policy's watch.include makes prompts/**/*.txt files appear as prompts", async () => {
    const repo = newRepo();
    repo.write("README.md", "# demo\n");
    const root = repo.commit("init");
    repo.write(
      POLICY,
      'version: 1\nwatch:\n  include:\n    - path: "prompts/**/*.txt"\n      category: prompt\n',
    );
    const withPolicy = repo.commit("policy");
    repo.checkout("feature", { create: true });
    repo.write("prompts/support/greeting.txt", "You are a helpful support agent.\n");
    repo.write("notes/todo.txt", "not a prompt\n");
    const head = repo.commit("add a prompt");

    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.report.base).toEqual({ ref: "merge-base", sha: withPolicy });
    expect(run.report.head).toEqual({ ref: "HEAD", sha: head });
    expect(run.report.policy).toEqual({ path: POLICY, ref: "merge-base" });
    expect(run.report.files).toEqual([
      {
        path: "prompts/support/greeting.txt",
        status: "added",
        format: "text",
        category: "prompt",
        matchedBy: "policy",
        schema: null,
      },
    ]);
    expect(run.report.validation).toEqual([]);

    // Control: judged from the commit before the policy existed, the same prompt is not watched.
    const before = await runCheckJson(["--base", root], { cwd: repo.dir });
    expect(before.report.policy).toEqual({ path: null, ref: root });
    expect(before.report.files.map((f) => f.path)).toEqual([POLICY]);
  });

  describe("a base policy naming a repository schema", () => {
    let repo: TempGitRepo;
    let base: string;
    const SCHEMA = (max: number) =>
      `${JSON.stringify(
        {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          required: ["name", "timeout"],
          properties: { name: { type: "string" }, timeout: { type: "integer", maximum: max } },
        },
        null,
        2,
      )}\n`;
    beforeAll(() => {
      repo = newRepo();
      repo.write(
        POLICY,
        [
          "version: 1",
          "watch:",
          "  include:",
          '    - path: "agents/*.json"',
          "      category: tool",
          "schemas:",
          '  - path: "agents/*.json"',
          "    schema: schemas/agent.schema.json",
          "",
        ].join("\n"),
      );
      repo.write("schemas/agent.schema.json", SCHEMA(60));
      base = repo.commit("policy and schema");
    });

    const agentFiles = [
      {
        path: "agents/fast.json",
        status: "added",
        format: "json",
        category: "tool",
        matchedBy: "policy",
        schema: "schemas/agent.schema.json",
      },
      {
        path: "agents/slow.json",
        status: "added",
        format: "json",
        category: "tool",
        matchedBy: "policy",
        schema: "schemas/agent.schema.json",
      },
    ];
    const slowError = {
      path: "agents/slow.json",
      line: 3,
      column: 14,
      severity: "error",
      code: "schema",
      message: expect.stringContaining("timeout must be <= 60"),
    };

    test("matching files are validated with the base's schema", async () => {
      repo.checkout("uses-schema", { create: true, from: "main" });
      repo.write("agents/fast.json", '{\n  "name": "fast",\n  "timeout": 30\n}\n');
      repo.write("agents/slow.json", '{\n  "name": "slow",\n  "timeout": 600\n}\n');
      repo.commit("add agents");

      const run = await runCheckJson([], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(run.report.base).toEqual({ ref: "merge-base", sha: base });
      expect(run.report.policy).toEqual({ path: POLICY, ref: "merge-base" });
      expect(run.report.files).toEqual(agentFiles);
      expect(run.report.validation).toEqual([slowError]);
    });

    test("a change that loosens the schema file is still judged by the base's schema", async () => {
      repo.checkout("loosen-schema", { create: true, from: "main" });
      repo.write("agents/fast.json", '{\n  "name": "fast",\n  "timeout": 30\n}\n');
      repo.write("agents/slow.json", '{\n  "name": "slow",\n  "timeout": 600\n}\n');
      repo.write("schemas/agent.schema.json", SCHEMA(6000));
      repo.commit("add agents and loosen the schema");

      const run = await runCheckJson([], { cwd: repo.dir });
      expect(run.code).toBe(1);
      expect(run.report.result).toBe("fail");
      expect(run.report.files.filter((f) => f.path.startsWith("agents/"))).toEqual(agentFiles);
      expect(run.report.validation).toEqual([slowError]);

      // Control: once the loosened schema is on the base (merged to main), the same files pass.
      repo.checkout("main");
      repo.write("schemas/agent.schema.json", SCHEMA(6000));
      const loosened = repo.commit("loosen the schema on main");
      repo.checkout("after-loosen", { create: true });
      repo.write("agents/fast.json", '{\n  "name": "fast",\n  "timeout": 30\n}\n');
      repo.write("agents/slow.json", '{\n  "name": "slow",\n  "timeout": 600\n}\n');
      repo.commit("add agents again");
      const after = await runCheckJson([], { cwd: repo.dir });
      expect(after.report.base).toEqual({ ref: "merge-base", sha: loosened });
      expect(after.report.files).toEqual(agentFiles);
      expect(after.report.validation).toEqual([]);
      expect(after.code).toBe(0);
    });
  });

  test("an invalid base policy stops the check with exit 2 and names file:line:column", async () => {
    const repo = newRepo();
    repo.write(
      POLICY,
      'version: 1\nwatch:\n  include:\n    - path: "prompts/*.txt"\n      category: promptz\n',
    );
    const base = repo.commit("bad policy");
    repo.checkout("feature", { create: true });
    repo.write(".mcp.json", VALID_MCP);
    repo.commit("feature");

    for (const format of ["json", "text"]) {
      const run = await runCli(["check", "--format", format], { cwd: repo.dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      const lines = run.stderr.split("\n");
      expect(lines[0]).toBe(
        `agent-change-control: the policy file ${POLICY} at merge-base (${base.slice(0, 7)}) is invalid, so nothing was checked. The policy is read from the base commit, never from the change: fix it there.`,
      );
      expect(lines[1]).toMatch(
        new RegExp(
          `^${POLICY.replace(/\./g, "\\.")}:5:17: error: watch\\.include\\[0\\]\\.category must be one of .*; got "promptz"$`,
        ),
      );
      expect(lines.slice(2)).toEqual([""]);
      expect(run.stderr).not.toMatch(STACK_LINE);
    }
  });
});

describe("check: output formats and usage errors", () => {
  let repo: TempGitRepo;
  beforeAll(() => {
    repo = newRepo();
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.checkout("feature", { create: true });
    repo.write(".mcp.json", INVALID_MCP);
    repo.write(".claude/settings.json", VALID_SETTINGS);
    repo.commit("configs");
  });

  test("text output without colour has no ANSI codes and an aligned table", async () => {
    const run = await runCli(["check"], { cwd: repo.dir, color: false });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
    expect(run.stdout).not.toMatch(/\u001b\[/);
    const lines = run.stdout.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "Agent-config files changed: 2",
        "  STATUS  PATH                   FORMAT           CATEGORY",
        "  added   .claude/settings.json  claude-settings  permissions",
        "  added   .mcp.json              mcp-project      mcp",
        "Validation: 1 error, 0 warnings",
        "Result: FAIL (1 validation error; 1 finding at or above high)",
      ]),
    );
    expect(lines.find((l) => l.startsWith("  .mcp.json:4:28  error  "))).toBeDefined();
    // The same report with colour does carry escapes, so the check above can fail.
    const coloured = await runCli(["check"], { cwd: repo.dir, color: true });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
    expect(coloured.stdout).toMatch(/\u001b\[/);
  });

  test("markdown output has the files table", async () => {
    const run = await runCli(["check", "--format", "markdown"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("## agent-change-control");
    const table = lines.indexOf("| File | Status | Format | Category |");
    expect(table).toBeGreaterThan(0);
    expect(lines.slice(table + 1, table + 4)).toEqual([
      "| --- | --- | --- | --- |",
      "| `.claude/settings.json` | added | `claude-settings` | permissions |",
      "| `.mcp.json` | added | `mcp-project` | mcp |",
    ]);
    expect(run.stdout).toContain("| ❌ error | `.mcp.json:4:28` |");
  });

  test("an unknown --format is a usage error", async () => {
    const run = await runCli(["check", "--format", "xml"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, markdown.",
    );
  });

  test.each([
    ["--base", "no-such-branch"],
    ["--head", "no-such-branch"],
    ["--base", "HEAD~99"],
  ])("an unknown ref (%s %s) exits 2 with a message and no stack trace", async (option, ref) => {
    const run = await runCli(["check", option, ref], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `agent-change-control: ${option} ${ref}: unknown revision (no such branch, tag or commit in ${repo.dir})\n`,
    );
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  test("a --repo that is missing, not a repository or empty exits 2", async () => {
    const missing = join(tempDir(), "nope");
    const notGit = tempDir();
    const cases: [string, RegExp][] = [
      [
        missing,
        new RegExp(`^agent-change-control: cannot open repository: directory ${missing} does not exist\\n$`),
      ],
      [notGit, new RegExp(`^agent-change-control: ${notGit} is not inside a git repository work tree`)],
      ["", /^agent-change-control: --repo needs a directory \(got an empty string\)\n$/],
    ];
    for (const [dir, message] of cases) {
      const run = await runCli(["check", "--repo", dir], { cwd: repo.dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_LINE);
    }
  });

  test("an unknown command or extra argument is a usage error", async () => {
    const unknown = await runCli(["chek"], { cwd: repo.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'chek'");
    const extra = await runCli(["check", "main"], { cwd: repo.dir });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("error: too many arguments for 'check'");
  });
});

describe("the installed binary", () => {
  const bin = join(PROJECT_ROOT, "bin", "agent-change-control.js");
  let repo: TempGitRepo;
  let base: string;
  let head: string;
  beforeAll(() => {
    // CI starts from a clean clone: build lib/ exactly as `npm run build` does.
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: PROJECT_ROOT, stdio: "pipe" });
    repo = newRepo();
    repo.write("README.md", "# demo\n");
    base = repo.commit("init");
    repo.checkout("feature", { create: true });
    repo.write(".mcp.json", INVALID_MCP);
    head = repo.commit("broken mcp");
  }, 180_000);

  test("runs from another directory with --repo and exits with the check's code", () => {
    expect(existsSync(join(PROJECT_ROOT, "lib", "cli", "main.js"))).toBe(true);
    const cwd = tempDir();
    mkdirSync(join(cwd, "elsewhere"));
    const result = spawnSync(process.execPath, [bin, "check", "--repo", repo.dir, "--format", "json"], {
      cwd: join(cwd, "elsewhere"),
      env: { ...testGitEnv(), NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report).toEqual({
      ...header(
        { ref: "merge-base", sha: base },
        { ref: "HEAD", sha: head },
        {
          risk: "high",
          findings: [
            expect.objectContaining({ rule: "POL-003", severity: "high", path: ".mcp.json", line: 4 }),
            expect.objectContaining({ rule: "MCP-001", severity: "medium", path: ".mcp.json", line: 3 }),
            expect.objectContaining({ rule: "MCP-001", severity: "medium", path: ".mcp.json", line: 4 }),
          ],
          diff: [
            { path: ".mcp.json", kind: "mcp-server", name: "fs", change: "added", line: 3 },
            { path: ".mcp.json", kind: "mcp-server", name: "broken", change: "added", line: 4 },
          ],
        },
      ),
      result: "fail",
      reasons: ["1 validation error", "1 finding at or above high"],
      summary: { files: 1, errors: 1, warnings: 0, findings: 3, suppressed: 0 },
      files: [MCP_FILE],
      validation: [
        {
          path: ".mcp.json",
          line: 4,
          column: 28,
          severity: "error",
          code: "schema",
          message: expect.stringContaining("mcpServers.broken.command must be a string"),
        },
      ],
    });

    const usage = spawnSync(process.execPath, [bin, "check", "--repo", repo.dir, "--base", "nope"], {
      cwd,
      env: testGitEnv(),
      encoding: "utf8",
    });
    expect(usage.status).toBe(2);
    expect(usage.stdout).toBe("");
    expect(usage.stderr).toContain("--base nope: unknown revision");
    expect(usage.stderr).not.toMatch(STACK_LINE);
  });
});

describe("check: the approvals the change will need", () => {
  let repo: TempGitRepo;
  beforeAll(() => {
    repo = newRepo();
    repo.write(
      POLICY,
      [
        "approvals:",
        "  show_approver_names: true",
        "  rules:",
        "    - name: security review",
        "      when: { categories: [mcp] }",
        "      requires:",
        "        count: 1",
        '        from: { teams: ["acme/security"], users: ["alice"] }',
        "    - name: prompt owners",
        "      when: { categories: [prompt] }",
        "      requires: { count: 1, from: { codeowners: true } }",
        "",
      ].join("\n"),
    );
    repo.write("README.md", "# demo\n");
    repo.commit("init");
    repo.checkout("feature", { create: true });
    repo.write(".mcp.json", VALID_MCP);
    repo.commit("add MCP servers");
  });

  const applicable = (report: JsonReport) =>
    (report as JsonReport & { approvals: ApprovalsJson }).approvals.rules
      .filter((r) => r.status !== "not-applicable")
      .map((r) => [r.name, r.status]);

  test("text: the applicable rules and who can approve; the exit code ignores them", async () => {
    const run = await runCli(["check"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Approvals this change will need: 1 rule\n  needs 1         security review  (.mcp.json (mcp) matches categories mcp)\n",
    );
    expect(run.stdout).toContain("can approve: team acme/security; user alice\n");
    expect(run.stdout).not.toContain("prompt owners");
    expect(run.stdout).toContain("Result: PASS\n");
  });

  test("markdown: a table of the rules the change needs, the verdict unchanged", async () => {
    const run = await runCli(["check", "--format", "markdown"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✅ **Pass**");
    expect(run.stdout).toContain("### Approvals this change will need: 1 rule");
    expect(run.stdout).toContain("| security review | needs 1 |");
    expect(run.stdout).toContain("| team `acme/security`; user `alice` |");
  });

  test("json: an approvals preview with exactly the applicable rules; nobody is the author", async () => {
    const run = await runCheckJson([], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.report.result).toBe("pass");
    expect(applicable(run.report)).toEqual([["security review", "pending"]]);
    expect(run.stdout).not.toContain(PREVIEW_AUTHOR);
  });

  test("without a policy file: the built-in tiers (a high-risk change needs a maintainer too)", async () => {
    const plain = newRepo();
    plain.write("README.md", "# demo\n");
    plain.commit("init");
    plain.checkout("feature", { create: true });
    plain.write(".mcp.json", INVALID_MCP);
    plain.commit("broken");
    const run = await runCheckJson([], { cwd: plain.dir });
    expect(run.report.risk).toBe("high");
    expect(applicable(run.report)).toEqual([
      [DEFAULT_RULE, "pending"],
      [HIGH_RULE, "pending"],
    ]);
    // The exit code is the check's (a validation error), not the approvals'.
    expect(run.code).toBe(1);
    expect(run.report.reasons).toEqual(["1 validation error", "1 finding at or above high"]);
  });
});
