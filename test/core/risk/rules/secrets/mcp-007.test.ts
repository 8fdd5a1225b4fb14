// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { describe, expect, test } from "@jest/globals";
import { mcp007 } from "../../../../../src/core/risk/rules/secrets/mcp-007.js";
import { fileContext } from "../../../../helpers/risk.js";
import { keys } from "./keys.js";

const json = (servers: Record<string, unknown>) => `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`;
const run = (opts: Parameters<typeof fileContext>[0]) => mcp007.check(fileContext(opts));

describe("MCP-007 credentials forwarded to MCP servers", () => {
  test("new server with secret-looking env references: one finding per variable, at its line", () => {
    const after = json({
      github: {
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-github"],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}", LOG_LEVEL: "info", AWS_PROFILE: "prod" },
      },
    });
    const f = run({ path: ".mcp.json", after });
    expect(f.map((x) => x.line)).toEqual([10, 12]);
    expect(f[0]?.message).toBe(
      'MCP server "github" now receives GITHUB_PERSONAL_ACCESS_TOKEN = ${GITHUB_TOKEN} in its environment (new server): the server process can read and use this credential, so review who runs it and what the token can do.',
    );
    expect(f[1]?.message).toContain(
      "now receives AWS_PROFILE (literal value) in its environment (new server)",
    );
  });

  test("env key added to an existing server; literal values are never shown", () => {
    const before = json({ s: { command: "srv", env: { LOG_LEVEL: "info" } } });
    const literal = keys.generic(32, 2);
    const after = json({ s: { command: "srv", env: { LOG_LEVEL: "info", OPENAI_API_KEY: literal } } });
    const f = run({ path: ".mcp.json", before, after });
    expect(f.map((x) => x.line)).toEqual([7]);
    expect(f[0]?.message).toContain("now receives OPENAI_API_KEY (literal value) in its environment:");
    expect(f[0]?.message).not.toContain("new server");
    expect(f[0]?.message).not.toContain(literal);
  });

  test("auth headers and secret-named references in args and URL", () => {
    const before = json({ remote: { type: "http", url: "https://mcp.example.com/mcp" } });
    const after = json({
      remote: {
        type: "http",
        url: "https://mcp.example.com/mcp?key=${SEARCH_API_KEY}",
        headers: { Authorization: "Bearer ${REMOTE_TOKEN}", Accept: "application/json" },
      },
      cli: { command: "tool", args: ["--token", "${env:DEPLOY_TOKEN}", "--region", "${REGION}"] },
    });
    const f = run({ path: ".mcp.json", before, after });
    expect(f.map((x) => [x.line, x.message.split(" now ")[1]?.split(" (")[0]?.split(":")[0]])).toEqual([
      [5, "receives SEARCH_API_KEY through its URL"],
      [7, "sends header Authorization = Bearer ${REMOTE_TOKEN}"],
      [15, "receives DEPLOY_TOKEN through its arguments"],
    ]);
    expect(f[1]?.message).toContain('goes to "mcp.example.com" with every request');
    expect(f[0]?.message).toContain("SEARCH_API_KEY through its URL:");
    expect(f[2]?.message).toContain("DEPLOY_TOKEN through its arguments (new server)");
  });

  test("docker -e forwarding and credentials inside structured env values", () => {
    const after = json({
      gdrive: {
        command: "docker",
        args: [
          "run",
          "-i",
          "--rm",
          "-e",
          "GOOGLE_CLIENT_SECRET",
          "-e",
          "LOG_LEVEL",
          "-e",
          "GH_TOKEN=${GH_TOKEN}",
          "img:1.0",
        ],
      },
      notion: {
        command: "npx",
        args: ["-y", "@notionhq/notion-mcp-server"],
        env: {
          OPENAPI_MCP_HEADERS: '{"Authorization": "Bearer ${NOTION_TOKEN}", "Notion-Version": "2022-06-28"}',
        },
      },
      other: { command: "srv", env: { EXTRA: '{"Authorization": "Bearer <token>"}' } },
    });
    const f = run({ path: ".mcp.json", after });
    expect(f.map((x) => [x.line, x.message.split(" now ")[1]?.split(" (")[0]])).toEqual([
      [10, "receives GOOGLE_CLIENT_SECRET through its arguments"],
      [14, "receives GH_TOKEN through its arguments"],
      [25, "receives NOTION_TOKEN through env OPENAPI_MCP_HEADERS"],
      [31, "receives Authorization through env EXTRA"],
    ]);
  });

  test("Codex config.toml: env_vars, bearer_token_env_var and env tables", () => {
    const before = '[mcp_servers.docs]\ncommand = "docs-mcp"\n';
    const after = [
      "[mcp_servers.docs]",
      'command = "docs-mcp"',
      'env_vars = ["DOCS_API_KEY", "LANG"]',
      "",
      "[mcp_servers.linear]",
      'url = "https://mcp.linear.app/mcp"',
      'bearer_token_env_var = "LINEAR_TOKEN"',
      "",
      "[mcp_servers.db]",
      'command = "db-mcp"',
      "[mcp_servers.db.env]",
      'PGPASSWORD = "${PGPASSWORD}"',
      "",
    ].join("\n");
    const f = run({ path: ".codex/config.toml", before, after });
    expect(
      f.map((x) => [x.line, x.message.split(" now ")[1]?.split(/ \(new server\)| in its env|:/)[0]]),
    ).toEqual([
      [3, "receives DOCS_API_KEY = ${DOCS_API_KEY}"],
      [7, "sends header Authorization = Bearer ${LINEAR_TOKEN}"],
      [12, "receives PGPASSWORD = ${PGPASSWORD}"],
    ]);
    expect(f[0]?.message).not.toContain("new server");
    expect(f[1]?.message).toContain('goes to "mcp.linear.app"');
  });

  test("a registry server.json declares its own needs and is not judged", () => {
    const after = `${JSON.stringify(
      {
        name: "io.example/srv",
        version: "1.0.0",
        packages: [
          {
            registryType: "npm",
            identifier: "srv",
            version: "1.0.0",
            transport: { type: "stdio" },
            environmentVariables: [{ name: "SRV_API_KEY", isSecret: true }],
          },
        ],
      },
      null,
      2,
    )}\n`;
    expect(run({ path: "server.json", format: "mcp-registry-server", after })).toEqual([]);
  });

  test("near misses: non-secret env names, existing credentials, removals", () => {
    const after = json({
      fs: {
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-filesystem", "${HOME}/src"],
        env: { NODE_ENV: "production", MAX_TOKENS: "4096", TOKEN_URL: "https://x/oauth" },
      },
    });
    expect(run({ path: ".mcp.json", after })).toEqual([]);
    const before = json({ s: { command: "srv", env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API_KEY: "${K}" } } });
    const fewer = json({ s: { command: "srv", env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } } });
    expect(run({ path: ".mcp.json", before, after: fewer })).toEqual([]);
    // The same variable now also passed as an argument: the server already had it.
    const alsoArg = json({
      s: {
        command: "srv",
        args: ["--token", "${GITHUB_TOKEN}"],
        env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API_KEY: "${K}" },
      },
    });
    expect(run({ path: ".mcp.json", before, after: alsoArg })).toEqual([]);
  });

  test("self-diff, unrelated edit and value change do not re-report", () => {
    const before = json({
      s: { command: "srv", args: ["--verbose"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } },
    });
    expect(run({ path: ".mcp.json", before, after: before })).toEqual([]);
    expect(run({ path: ".mcp.json", before, after: before.replace("--verbose", "--quiet") })).toEqual([]);
    expect(
      run({ path: ".mcp.json", before, after: before.replace('"${GITHUB_TOKEN}"', '"${GH_PAT}"') }),
    ).toEqual([]);
  });

  test("odd model values never throw", () => {
    const ctx = fileContext({ path: ".mcp.json", after: json({}) });
    ctx.after?.model.mcpServers.set("w", {
      key: "w",
      pointer: ["mcpServers", "w"],
      args: [null],
      env: new Map([["API_TOKEN", 5]]),
      headers: "x",
      url: 3,
    } as never);
    expect(mcp007.check(ctx).map((x) => x.message)).toEqual([
      expect.stringContaining("now receives API_TOKEN in its environment (new server)"),
    ]);
  });
});
