import { describe, expect, test } from "@jest/globals";
import { perm002 } from "../../../../../src/core/risk/rules/permissions/perm-002.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf, md } from "./util.js";

const SETTINGS = ".claude/settings.json";
const allow = (...rules: string[]) => json({ permissions: { allow: rules, deny: ["Read(./.env)"] } });

describe("PERM-002 allow list widened (subsumption)", () => {
  test("broad new allow rules are high, at their lines, naming what they widen", () => {
    const before = allow("Bash(npm test)", "Read(./src/**)");
    const after = allow("Bash(npm test)", "Read(./src/**)", "Bash(npm:*)", "Bash", "mcp__github", "WebFetch");
    const f = check(perm002, { path: SETTINGS, before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(after, '"Bash(npm:*)"'), "high"],
      [lineOf(after, '"Bash",'), "high"],
      [lineOf(after, '"mcp__github"'), "high"],
      [lineOf(after, '"WebFetch"'), "high"],
    ]);
    expect(f[0]!.message).toContain("Allow rule `Bash(npm:*)` added, widening `Bash(npm test)`");
    expect(f[0]!.message).toContain("`npm` with any arguments");
    expect(f[1]!.message).toContain("any shell command");
    expect(f[2]!.message).toContain('every tool of MCP server "github"');
    expect(f[3]!.message).toContain("fetches of any URL");
  });

  test("graded by breadth: scoped wildcards medium, exact commands low, read-only tools not at all", () => {
    const after = allow(
      "Bash(npm run test:*)",
      "Bash(git diff *)",
      "Bash(make build)",
      "Grep",
      "Glob",
      "Write(**)",
    );
    const f = check(perm002, { path: SETTINGS, before: allow(), after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(after, "npm run test"), "medium"],
      [lineOf(after, "git diff"), "medium"],
      [lineOf(after, "make build"), "low"],
      [lineOf(after, "Write(**)"), "high"],
    ]);
  });

  test("near misses: narrowing, rewording and reordering within the base's coverage are silent", () => {
    const before = allow("Bash(npm:*)", "Read(./src/**)", "mcp__github", "Edit(./src/**)");
    const after = allow(
      "mcp__github__create_issue",
      "Bash(npm run build)",
      "Read(./src/a.ts)",
      "Write(./src/b.ts)",
      "Bash(npm *)",
    );
    expect(check(perm002, { path: SETTINGS, before, after })).toEqual([]);
  });

  test("self-diff and unrelated edits report nothing", () => {
    const text = allow("Bash", "WebFetch");
    expect(check(perm002, { path: SETTINGS, before: text, after: text })).toEqual([]);
    const edited = json({
      permissions: { allow: ["Bash", "WebFetch"], deny: ["Read(./.env)", "Read(./secrets/**)"] },
      model: "opus",
    });
    expect(check(perm002, { path: SETTINGS, before: text, after: edited })).toEqual([]);
    expect(check(perm002, { path: SETTINGS, before: text })).toEqual([]);
  });

  test("an allow rule inside an existing deny grants nothing", () => {
    const after = allow("Read(./.env)");
    expect(check(perm002, { path: SETTINGS, before: allow(), after })).toEqual([]);
  });

  test("subagent tools removed: it inherits every tool (reported at the base line)", () => {
    const before = md("name: a\ndescription: d\ntools: Read, Grep");
    const after = md("name: a\ndescription: d");
    const f = check(perm002, { path: ".claude/agents/a.md", before, after });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ line: 4, side: "before" });
    expect(f[0]!.severity).toBeUndefined();
    expect(f[0]!.message).toContain("inherits every tool");
    // The other direction (adding a list) is a narrowing.
    expect(check(perm002, { path: ".claude/agents/a.md", before: after, after: before })).toEqual([]);
  });

  test("subagent tools widened: new tools graded for availability, one finding per line", () => {
    const before = md("name: a\ndescription: d\ntools:\n  - Read\n  - Grep");
    const after = md(
      "name: a\ndescription: d\ntools:\n  - Read\n  - Grep\n  - Bash\n  - WebFetch\n  - Write",
    );
    const f = check(perm002, { path: ".claude/agents/a.md", before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [7, "high"],
      [8, "medium"],
      [9, "medium"],
    ]);
    expect(f[0]!.message).toContain("The subagent can now use `Bash` (any shell command)");
    const oneLine = md("name: a\ndescription: d\ntools: Read, Bash, WebFetch");
    const g = check(perm002, {
      path: ".claude/agents/a.md",
      before: md("name: a\ndescription: d\ntools: Read"),
      after: oneLine,
    });
    expect(g.map((x) => [x.line, x.severity])).toEqual([[4, "high"]]);
    expect(g[0]!.message).toContain("`Bash` (any shell command), `WebFetch`");
  });

  test("a new subagent without tools is medium; with only read tools it is silent", () => {
    const f = check(perm002, { path: ".claude/agents/a.md", after: md("name: a\ndescription: d") });
    expect(f.map((x) => x.severity)).toEqual(["medium"]);
    expect(
      check(perm002, {
        path: ".claude/agents/a.md",
        after: md("name: a\ndescription: d\ntools: Read, Grep, Glob"),
      }),
    ).toEqual([]);
  });

  test("command allowed-tools are pre-approvals: adding is reported, removing is not", () => {
    const before = md("description: commit\nallowed-tools: Bash(git status:*)");
    const after = md("description: commit\nallowed-tools: Bash(git status:*), Bash(git push:*)");
    const f = check(perm002, { path: ".claude/commands/commit.md", before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[3, "high"]]);
    expect(f[0]!.message).toContain("`allowed-tools` now pre-approves `Bash(git push:*)`");
    expect(
      check(perm002, { path: ".claude/commands/commit.md", before: after, after: md("description: commit") }),
    ).toEqual([]);
  });

  test("Copilot agent tools: wildcards over MCP servers and terminal tools", () => {
    const before = md("name: a\ndescription: d\ntools: ['codebase', 'search']");
    const after = md(
      "name: a\ndescription: d\ntools: ['codebase', 'search', 'runCommands', 'github/*', 'problems']",
    );
    const f = check(perm002, { path: ".github/agents/a.agent.md", before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[4, "high"]]);
    expect(f[0]!.message).toContain("`runCommands` (terminal commands)");
    expect(f[0]!.message).toContain('`github/*` (every tool of "github"');
    const narrower = md("name: a\ndescription: d\ntools: ['github/*']");
    expect(
      check(perm002, {
        path: ".github/agents/a.agent.md",
        before: narrower,
        after: md("name: a\ndescription: d\ntools: ['github/list_issues']"),
      }),
    ).toEqual([]);
  });
});
