/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are literal config text in these inputs */
import { describe, expect, test } from "@jest/globals";
import { mcp001 } from "../../../../../src/core/risk/rules/mcp/mcp-001.js";
import { check } from "../../../../helpers/risk.js";

const BASE = `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": { "GITHUB_TOKEN": "\${GITHUB_TOKEN}" }
    }
  }
}
`;

const WITH_SENTRY = `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": { "GITHUB_TOKEN": "\${GITHUB_TOKEN}" }
    },
    "sentry": {
      "type": "http",
      "url": "https://mcp.sentry.dev/mcp?token=abc123def456ghi789jkl012"
    }
  }
}
`;

describe("MCP-001 new MCP server", () => {
  test("an added file reports every server with its transport and what it runs", () => {
    const f = check(mcp001, { path: ".mcp.json", after: WITH_SENTRY });
    expect(f.map((x) => x.line)).toEqual([3, 8]);
    expect(f[0]!.message).toBe(
      'New MCP server "github": stdio `npx -y @modelcontextprotocol/server-github@2025.4.8` (npm package @modelcontextprotocol/server-github@2025.4.8).',
    );
    expect(f[1]!.message).toBe('New MCP server "sentry": http https://mcp.sentry.dev/mcp.');
  });

  test("a server added to an existing file is reported; the existing one is not", () => {
    const f = check(mcp001, { path: ".mcp.json", before: BASE, after: WITH_SENTRY });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(8);
    expect(f[0]!.message).toContain('"sentry"');
    // The URL's query (here a token) is never shown.
    expect(f[0]!.message).not.toContain("abc123");
  });

  test("self-diff gives nothing", () => {
    expect(check(mcp001, { path: ".mcp.json", before: WITH_SENTRY, after: WITH_SENTRY })).toEqual([]);
  });

  test("near miss: editing an existing server (new args, env) is not a new server", () => {
    const after = BASE.replace("server-github@2025.4.8", "server-github@2025.5.1").replace(
      '"GITHUB_TOKEN": "${GITHUB_TOKEN}"',
      '"GITHUB_TOKEN": "${GH_TOKEN}", "LOG": "debug"',
    );
    expect(after).not.toBe(BASE);
    expect(check(mcp001, { path: ".mcp.json", before: BASE, after })).toEqual([]);
  });

  test("a removed file or a removed server gives nothing", () => {
    expect(check(mcp001, { path: ".mcp.json", before: WITH_SENTRY })).toEqual([]);
    expect(check(mcp001, { path: ".mcp.json", before: WITH_SENTRY, after: BASE })).toEqual([]);
  });

  test("VS Code `servers` and Codex tables are read too; disabled servers say so", () => {
    const vs = check(mcp001, {
      path: ".vscode/mcp.json",
      before: '{ "servers": {} }\n',
      after:
        '{\n  "servers": {\n    "local": { "command": "node", "args": ["build/index.js"], "disabled": true }\n  }\n}\n',
    });
    expect(vs).toHaveLength(1);
    expect(vs[0]!.line).toBe(3);
    expect(vs[0]!.message).toBe('New MCP server "local": stdio `node build/index.js` (disabled).');
    const codex = check(mcp001, {
      path: ".codex/config.toml",
      before: 'model = "o3"\n',
      after: 'model = "o3"\n\n[mcp_servers.docs]\nurl = "https://docs.example.com/mcp"\n',
    });
    expect(codex.map((x) => [x.line, x.message])).toEqual([
      [3, 'New MCP server "docs": http https://docs.example.com/mcp.'],
    ]);
  });

  test("credentials in command lines are hidden: URL user info, key=value, bearer tokens, long keys", () => {
    const f = check(mcp001, {
      path: ".mcp.json",
      after: JSON.stringify({
        mcpServers: {
          r: {
            command: "npx",
            args: ["mcp-remote@0.1.18", "https://alice:hunter2pass@mcp.example.com/sse"],
          },
          s: {
            command: "node",
            args: [
              "s.js",
              "--header",
              "Authorization: Bearer abcdefghijkl",
              "--api-key=plainsecretvalue",
              "ghp1234567890abcdefghijklmnopqrstuvwxyz",
            ],
          },
        },
      }),
    });
    expect(f.map((x) => x.message)).toEqual([
      'New MCP server "r": stdio `npx mcp-remote@0.1.18 https://…@mcp.example.com/sse` (npm package mcp-remote@0.1.18).',
      'New MCP server "s": stdio `node s.js --header Authorization: Bearer … --api-key=… …`.',
    ]);
  });

  test("invisible characters in a server key are shown as escapes", () => {
    const f = check(mcp001, {
      path: ".mcp.json",
      after: '{ "mcpServers": { "git\u200bhub": { "command": "gh" } } }\n',
    });
    expect(f[0]!.message).toContain('"git⟨U+200B⟩hub"');
  });
});
