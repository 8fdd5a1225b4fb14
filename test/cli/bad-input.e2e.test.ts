/**
 * Hostile and odd inputs in a change. Each scenario is one PR-like commit on its own branch off main, with a
 * valid agent config alongside the bad one: the bad file gets a clear message of its own and the check goes
 * on for the other files of the same change.
 */
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { GitRepo } from "../../src/cli/git-repo.js";
import { blobKey } from "../../src/core/gather.js";
import { type JsonReport, runCheckJson, runCli, STACK_LINE } from "../helpers/cli.js";
import { TempGitRepo } from "../helpers/temp-git-repo.js";

const VALID_AGENTS_MD = "# Agent rules\n\nRun `npm test` before committing.\n";
const VALID_MCP =
  '{\n  "mcpServers": {\n    "fs": { "command": "npx", "args": ["-y", "server-fs"] }\n  }\n}\n';
/** Long enough for git's rename detection to pair the moved file with its origin. */
const MOVABLE = `${Array.from({ length: 30 }, (_, i) => `- rule ${i}: keep this instruction when the file moves`).join("\n")}\n`;
const OLD_AGENT = `---\nname: reviewer\ndescription: Reviews pull requests\n---\n${MOVABLE}`;

const AGENTS_FILE = {
  path: "AGENTS.md",
  status: "added",
  format: "instructions-agents-md",
  category: "prompt",
  matchedBy: "path",
  schema: null,
};
const MCP_FILE = {
  path: ".mcp.json",
  status: "added",
  format: "mcp-project",
  category: "mcp",
  matchedBy: "path",
  schema: "builtin:mcp-project",
};
/** `schema` names what the head content was checked against; content that could not be read names none. */
const MCP_UNCHECKED = { ...MCP_FILE, schema: null };

let repo: TempGitRepo;
let mainSha: string;
beforeAll(() => {
  repo = TempGitRepo.create();
  repo.write("README.md", "# demo\n");
  repo.write("GEMINI.md", "# Gemini rules\n");
  // Invalid on purpose: deleting it must not produce validation errors for its old content.
  repo.write(".vscode/mcp.json", '{ "servers": { "x": ');
  repo.write("CLAUDE.local.md", MOVABLE);
  repo.write(".claude/agents/reviewer.md", OLD_AGENT);
  mainSha = repo.commit("init");
});
afterAll(() => {
  repo.cleanup();
});

/** Commits `change` on a new branch off main and runs `check --head <branch>` (HEAD stays on main). */
async function checkChange(
  branch: string,
  change: (r: TempGitRepo) => void,
): Promise<{ code: number; stderr: string; report: JsonReport; head: string }> {
  repo.checkout(branch, { create: true, from: "main" });
  change(repo);
  const head = repo.commit(branch);
  repo.checkout("main");
  const run = await runCheckJson(["--head", branch], { cwd: repo.dir });
  expect(run.stderr).toBe("");
  expect(run.report.base).toEqual({ ref: "merge-base", sha: mainSha });
  expect(run.report.head).toEqual({ ref: branch, sha: head });
  expect(run.report.validation.filter((m) => m.code === "internal")).toEqual([]);
  return { code: run.code, stderr: run.stderr, report: run.report, head };
}

/** The messages for one path, as [line, column, severity, code]. */
function messagesFor(report: JsonReport, path: string) {
  return report.validation.filter((m) => m.path === path).map((m) => [m.line, m.column, m.severity, m.code]);
}

describe("bad input in a change", () => {
  test("malformed JSON in .mcp.json: syntax error with its line; the other file is still checked", async () => {
    const { code, report } = await checkChange("malformed-json", (r) => {
      r.write(
        ".mcp.json",
        '{\n  "mcpServers": {\n    "fs": { "command": "npx" }\n    "web": { "url": "https://example.com/mcp" }\n  }\n}\n',
      );
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(code).toBe(1);
    expect(report.files).toEqual([MCP_UNCHECKED, AGENTS_FILE]);
    expect(report.validation).toEqual([
      {
        path: ".mcp.json",
        line: 4,
        column: 5,
        severity: "error",
        code: "syntax",
        message: expect.stringMatching(/^JSON syntax error: expected ',' between items/),
      },
    ]);
    // The unparseable file is a POL-003 finding (high): a change that breaks a config fails closed.
    expect(report.summary).toEqual({ files: 2, errors: 1, warnings: 0, findings: 1, suppressed: 0 });
    expect(report.findings.map((f) => [f.rule, f.path])).toEqual([["POL-003", ".mcp.json"]]);
  });

  test("a binary file at .claude/settings.json is reported as binary", async () => {
    const { code, report } = await checkChange("binary", (r) => {
      r.write(".claude/settings.json", Buffer.from([0x7b, 0x0a, 0x00, 0x01, 0x02, 0xff, 0x7d]));
      r.write(".mcp.json", VALID_MCP);
    });
    expect(code).toBe(1);
    expect(report.files.map((f) => [f.path, f.format, f.category])).toEqual([
      [".claude/settings.json", "claude-settings", "permissions"],
      [".mcp.json", "mcp-project", "mcp"],
    ]);
    expect(report.validation).toEqual([
      {
        path: ".claude/settings.json",
        line: 2,
        column: 1,
        severity: "error",
        code: "binary",
        message: "is binary (NUL byte at offset 2); agent configs must be text",
      },
    ]);
  });

  test("a 5 MB CLAUDE.md is too large, and its content is never read", async () => {
    const size = 5 * 1024 * 1024;
    const { code, report, head } = await checkChange("too-large", (r) => {
      r.write("CLAUDE.md", Buffer.alloc(size, "a"));
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(code).toBe(1);
    expect(report.files.map((f) => [f.path, f.status, f.format])).toEqual([
      ["AGENTS.md", "added", "instructions-agents-md"],
      ["CLAUDE.md", "added", "instructions-claude-md"],
    ]);
    expect(report.validation).toEqual([
      {
        path: "CLAUDE.md",
        line: 1,
        column: 1,
        severity: "error",
        code: "too-large",
        message: "is 5.0 MB, over the 1.0 MB limit for agent-config files; it was not checked",
      },
    ]);
    // The reader the CLI uses stops at the size from the tree: no bytes of the big blob are loaded.
    const git = await GitRepo.open(repo.dir);
    const blobs = await git.readBlobs(
      [
        { ref: head, path: "CLAUDE.md" },
        { ref: head, path: "AGENTS.md" },
      ],
      1024 * 1024,
    );
    expect(blobs.get(blobKey(head, "CLAUDE.md"))).toEqual({ size, mode: "file" });
    expect(blobs.get(blobKey(head, "AGENTS.md"))?.data?.length).toBe(VALID_AGENTS_MD.length);
  });

  test("a YAML alias bomb in x.prompt.yml is refused, not expanded", async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    let previous = "a";
    for (const name of "bcdefghi") {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
      previous = name;
    }
    lines.push(`messages: *${previous}`);
    const { code, report } = await checkChange("alias-bomb", (r) => {
      r.write("x.prompt.yml", `${lines.join("\n")}\n`);
      r.write(".mcp.json", VALID_MCP);
    });
    expect(code).toBe(1);
    expect(report.files).toEqual([
      MCP_FILE,
      {
        path: "x.prompt.yml",
        status: "added",
        format: "github-prompt",
        category: "prompt",
        matchedBy: "path",
        schema: null,
      },
    ]);
    expect(report.validation).toEqual([
      {
        path: "x.prompt.yml",
        line: 2,
        column: 8,
        severity: "error",
        code: "alias-bomb",
        message: expect.stringContaining("alias bomb"),
      },
    ]);
  });

  test("10,000-deep nested JSON in .mcp.json is refused at the depth limit", async () => {
    const prefix = '{"mcpServers":';
    const { code, report } = await checkChange("deep-json", (r) => {
      r.write(".mcp.json", `${prefix}${"[".repeat(10_000)}${"]".repeat(10_000)}}\n`);
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(code).toBe(1);
    expect(report.files).toEqual([MCP_UNCHECKED, AGENTS_FILE]);
    expect(report.validation).toEqual([
      {
        path: ".mcp.json",
        line: 1,
        // The `{` is depth 1, so depth 101 is the 100th `[`.
        column: prefix.length + 100,
        severity: "error",
        code: "too-deep",
        message: "nesting is deeper than 100 levels; the file was not parsed",
      },
    ]);
  });

  test("invalid UTF-8 in AGENTS.md is reported at its line", async () => {
    const { code, report } = await checkChange("bad-utf8", (r) => {
      r.write(
        "AGENTS.md",
        Buffer.concat([Buffer.from("# Rules\nok\n"), Buffer.from([0xc3, 0x28]), Buffer.from(" x\n")]),
      );
      r.write(".mcp.json", VALID_MCP);
    });
    expect(code).toBe(1);
    expect(report.files).toEqual([MCP_FILE, AGENTS_FILE]);
    expect(report.validation).toEqual([
      {
        path: "AGENTS.md",
        line: 3,
        column: 1,
        severity: "error",
        code: "invalid-utf8",
        message: "is not valid UTF-8 (byte 11); agent tools may read it differently from reviewers",
      },
    ]);
  });

  test("a symlink at .mcp.json is flagged; its target is not followed", async () => {
    const { code, report } = await checkChange("symlink", (r) => {
      r.write("shared/servers.data", '{ "mcpServers": { "x": { "command": 42 } } }\n');
      r.symlink(".mcp.json", "shared/servers.data");
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(report.files).toEqual([MCP_UNCHECKED, AGENTS_FILE]);
    expect(report.validation).toEqual([
      {
        path: ".mcp.json",
        line: 1,
        column: 1,
        severity: "error",
        code: "symlink",
        message: expect.stringContaining("is a symbolic link. Agent tools follow it"),
      },
    ]);
    // Fails closed: the link's target can change without the check seeing it.
    expect(report.result).toBe("fail");
    expect(code).toBe(1);
  });

  test("a deleted file is listed as removed with no validation of its old content", async () => {
    const { code, report } = await checkChange("delete", (r) => {
      r.remove("GEMINI.md");
      r.remove(".vscode/mcp.json");
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(code).toBe(0);
    expect(report.files).toEqual([
      {
        path: ".vscode/mcp.json",
        status: "removed",
        format: "mcp-vscode",
        category: "mcp",
        matchedBy: "path",
        schema: null,
      },
      AGENTS_FILE,
      {
        path: "GEMINI.md",
        status: "removed",
        format: "instructions-gemini-md",
        category: "prompt",
        matchedBy: "path",
        schema: null,
      },
    ]);
    expect(report.validation).toEqual([]);
  });

  test("a renamed file has status renamed and its previous path", async () => {
    const { code, report } = await checkChange("rename", (r) => {
      r.move("CLAUDE.local.md", ".claude/rules/style.md");
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(code).toBe(0);
    expect(report.files).toEqual([
      {
        path: ".claude/rules/style.md",
        previousPath: "CLAUDE.local.md",
        status: "renamed",
        format: "instructions-claude-md",
        category: "prompt",
        matchedBy: "path",
        schema: null,
      },
      AGENTS_FILE,
    ]);
    expect(report.validation).toEqual([]);
  });

  test("a file renamed away from a watched path is reported with a warning", async () => {
    const { code, report } = await checkChange("rename-away", (r) => {
      r.move(".claude/agents/reviewer.md", "docs/reviewer-agent.md");
      r.write("AGENTS.md", VALID_AGENTS_MD);
    });
    expect(code).toBe(0);
    expect(report.files).toEqual([
      AGENTS_FILE,
      {
        path: "docs/reviewer-agent.md",
        previousPath: ".claude/agents/reviewer.md",
        status: "renamed",
        format: "claude-agent",
        category: "prompt",
        matchedBy: "path",
        schema: null,
      },
    ]);
    expect(report.validation).toEqual([
      {
        path: "docs/reviewer-agent.md",
        line: 1,
        column: 1,
        severity: "warning",
        code: "renamed-away",
        message: expect.stringContaining(
          "renamed from .claude/agents/reviewer.md (Claude Code subagent) to a path agent tools do not read",
        ),
      },
    ]);
    expect(report.summary).toEqual({ files: 2, errors: 0, warnings: 1, findings: 0, suppressed: 0 });
  });

  test("names with spaces and unicode under .claude/agents/ are reported verbatim", async () => {
    const good = ".claude/agents/Code Reviewer ünïcødé 🚀.md";
    const bad = ".claude/agents/sous-dossier/agent à moitié.md";
    const { code, report } = await checkChange("unicode-names", (r) => {
      r.write(good, "---\nname: code-reviewer\ndescription: Reviews code\n---\nYou review code.\n");
      r.write(bad, "---\nname: half\n---\nNo description.\n");
      r.write(".mcp.json", VALID_MCP);
    });
    expect(code).toBe(1);
    const agent = (path: string) => ({
      path,
      status: "added",
      format: "claude-agent",
      category: "prompt",
      matchedBy: "path",
      schema: "builtin:claude-agent",
    });
    expect(report.files).toEqual([agent(good), agent(bad), MCP_FILE]);
    expect(messagesFor(report, good)).toEqual([]);
    expect(messagesFor(report, bad)).toEqual([[2, 1, "error", "schema"]]);
    expect(report.validation.find((m) => m.path === bad)?.message).toContain(
      'missing required key "description"',
    );

    // The text report shows the same names, not git's octal-escaped form.
    const text = await runCli(["check", "--head", "unicode-names"], { cwd: repo.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`  added   ${good}`);
    expect(text.stdout).toContain(`${bad}:2:1`);
    expect(text.stdout).not.toMatch(/\\\d{3}/);
    expect(text.stdout + text.stderr).not.toMatch(STACK_LINE);
  });
});
