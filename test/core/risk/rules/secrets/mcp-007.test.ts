// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { describe, expect, test } from "@jest/globals";
import { mcp007 } from "../../../../../src/core/risk/rules/secrets/mcp-007.js";
import { keys } from "./keys.js";
import { mcpContext } from "./mcp-context.js";

const json = (servers: Record<string, unknown>) => `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`;
const run = (opts: Parameters<typeof mcpContext>[0]) => mcp007.check(mcpContext(opts));

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
    expect(f.map((x) => [x.line, x.message.split(" now ")[1]?.slice(0, 45)])).toEqual([
      [5, "receives the secret-named variable SEARCH_API"],
      [7, "sends header Authorization = Bearer ${REMOTE_"],
      [15, "receives the secret-named variable DEPLOY_TOK"],
    ]);
    expect(f[1]?.message).toContain('goes to "mcp.example.com" with every request');
    expect(f[0]?.message).toContain("SEARCH_API_KEY through its URL:");
    expect(f[2]?.message).toContain("DEPLOY_TOKEN through its arguments (new server)");
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
    const ctx = mcpContext({ path: ".mcp.json", after: json({}) });
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
