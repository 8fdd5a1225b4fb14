import { describe, expect, test } from "@jest/globals";
import { mcp008 } from "../../../../../src/core/risk/rules/mcp/mcp-008.js";
import { check, fileContext } from "../../../../helpers/risk.js";

const gemini = (trust: boolean | undefined) =>
  `{
  "mcpServers": {
    "db": {
      "command": "npx",
      "args": ["-y", "db-mcp@1.0.0"]${trust === undefined ? "" : `,\n      "trust": ${trust}`}
    }
  }
}
`;

const cline = (allow: string[], key = "alwaysAllow") =>
  `{
  "mcpServers": {
    "fs": {
      "command": "npx",
      "args": ["-y", "fs-mcp@1.0.0"],
      "${key}": ${JSON.stringify(allow)}
    }
  }
}
`;

describe("MCP-008 auto-trust enabled", () => {
  test("Gemini trust: true on a new server", () => {
    const f = check(mcp008, { path: ".gemini/settings.json", after: gemini(true) });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        6,
        'New MCP server "db" is trusted (`trust: true`): every tool call it offers runs without asking the user.',
      ],
    ]);
  });

  test("trust flipped on an existing server; false or unchanged is not reported", () => {
    expect(
      check(mcp008, { path: ".gemini/settings.json", before: gemini(undefined), after: gemini(true) }).map(
        (x) => [x.line, x.message],
      ),
    ).toEqual([
      [
        6,
        'MCP server "db" is now trusted (`trust: true`): every tool call it offers runs without asking the user.',
      ],
    ]);
    expect(
      check(mcp008, { path: ".gemini/settings.json", before: gemini(false), after: gemini(true) }),
    ).toHaveLength(1);
    expect(check(mcp008, { path: ".gemini/settings.json", after: gemini(false) })).toEqual([]);
    expect(
      check(mcp008, { path: ".gemini/settings.json", before: gemini(true), after: gemini(true) }),
    ).toEqual([]);
    // Unrelated edit of a trusted server: not re-reported.
    const edited = gemini(true).replace("db-mcp@1.0.0", "db-mcp@1.0.1");
    expect(check(mcp008, { path: ".gemini/settings.json", before: gemini(true), after: edited })).toEqual([]);
  });

  test("only the alwaysAllow / autoApprove entries the change adds are named", () => {
    const f = check(mcp008, {
      path: ".roo/mcp.json",
      before: cline(["read_file"]),
      after: cline(["read_file", "write_file", "delete_file"]),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        6,
        'MCP server "fs" now auto-approves the tools write_file, delete_file: these calls run without asking the user.',
      ],
    ]);
    const k = check(mcp008, { path: ".kiro/settings/mcp.json", after: cline(["search"], "autoApprove") });
    expect(k.map((x) => x.message)).toEqual([
      'New MCP server "fs" auto-approves the tool search: these calls run without asking the user.',
    ]);
  });

  test("near miss: removing or keeping entries, an empty list", () => {
    expect(check(mcp008, { path: ".roo/mcp.json", before: cline(["a", "b"]), after: cline(["a"]) })).toEqual(
      [],
    );
    expect(check(mcp008, { path: ".roo/mcp.json", after: cline([]) })).toEqual([]);
    expect(check(mcp008, { path: ".roo/mcp.json", before: cline(["a"]), after: cline(["a"]) })).toEqual([]);
  });

  test('Copilot tools: ["*"] is all tools; a named tool list is not auto-trust', () => {
    const agent = (tools: string) =>
      `---\nname: a\ndescription: d\nmcp-servers:\n  opik:\n    type: local\n    command: npx\n    args: ['-y', 'opik-mcp@1.0.0']\n    tools: ${tools}\n---\nBody\n`;
    const f = check(mcp008, { path: ".github/agents/a.agent.md", after: agent("['*']") });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        9,
        'New MCP server "opik" auto-approves all of its tools (`*`): tool calls run without asking the user, including tools the server adds later.',
      ],
    ]);
    expect(check(mcp008, { path: ".github/agents/a.agent.md", after: agent("['search', 'fetch']") })).toEqual(
      [],
    );
    // `tools` in Cursor is not a Copilot allowlist.
    expect(check(mcp008, { path: ".cursor/mcp.json", after: cline(["*"], "tools") })).toEqual([]);
  });

  test("Codex approval mode approve", () => {
    const f = check(mcp008, {
      path: ".codex/config.toml",
      before: '[mcp_servers.x]\ncommand = "x-mcp"\ndefault_tools_approval_mode = "prompt"\n',
      after: '[mcp_servers.x]\ncommand = "x-mcp"\ndefault_tools_approval_mode = "approve"\n',
    });
    expect(f.map((x) => x.line)).toEqual([3]);
    expect(f[0]!.message).toContain("auto-approves all of its tools");
  });

  test("Claude enableAllProjectMcpServers / enabledMcpjsonServers from the permissions model", () => {
    const before = '{\n  "enabledMcpjsonServers": ["github"]\n}\n';
    const after =
      '{\n  "enableAllProjectMcpServers": true,\n  "enabledMcpjsonServers": ["github", "db", "web"]\n}\n';
    const ctx = fileContext({ path: ".claude/settings.json", before, after });
    // Built by hand: the permissions extractor is another module's job.
    const perms = (all: boolean | undefined, servers: string[]) => ({
      rules: [],
      hooks: [],
      directories: [],
      endpoints: [],
      limits: new Map(),
      mcpAutoEnable: { ...(all === undefined ? {} : { all }), servers, pointer: [] },
    });
    ctx.before!.model.permissions = perms(undefined, ["github"]);
    ctx.after!.model.permissions = perms(true, ["github", "db", "web"]);
    expect(mcp008.check(ctx).map((x) => [x.line, x.message])).toEqual([
      [
        2,
        "`enableAllProjectMcpServers: true` starts every server in the project's .mcp.json without asking, including servers added by later pull requests.",
      ],
      [
        3,
        "`enabledMcpjsonServers` now pre-approves db, web: these project MCP servers start without each developer's approval.",
      ],
    ]);
    // Same permissions on both sides: nothing.
    ctx.before!.model.permissions = perms(true, ["github", "db", "web"]);
    expect(mcp008.check(ctx)).toEqual([]);
    // Permissions model absent (extractor not there yet): nothing, no throw.
    ctx.after!.model.permissions = undefined;
    expect(mcp008.check(ctx)).toEqual([]);
  });

  test("self-diff gives nothing", () => {
    const text = cline(["read_file", "write_file"]);
    expect(check(mcp008, { path: ".roo/mcp.json", before: text, after: text })).toEqual([]);
  });
});
