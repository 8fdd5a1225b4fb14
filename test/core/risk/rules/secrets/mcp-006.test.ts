// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { describe, expect, test } from "@jest/globals";
import { mcp006 } from "../../../../../src/core/risk/rules/secrets/mcp-006.js";
import { fileContext } from "../../../../helpers/risk.js";
import { keys } from "./keys.js";

const json = (servers: Record<string, unknown>) => `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`;
const run = (opts: Parameters<typeof fileContext>[0]) => mcp006.check(fileContext(opts));

const github = (env: Record<string, string>) => ({
  command: "npx",
  args: ["-y", "@modelcontextprotocol/server-github"],
  env,
});

describe("MCP-006 literal secrets in MCP server config", () => {
  test("known-format token in env of an added file", () => {
    const token = keys.github();
    const f = run({
      path: ".mcp.json",
      after: json({ github: github({ GITHUB_PERSONAL_ACCESS_TOKEN: token }) }),
    });
    expect(f).toHaveLength(1);
    expect(f[0]?.line).toBe(10);
    expect(f[0]?.message).toContain(
      `MCP server "github" gets a literal GitHub token ghp_…${token.slice(-4)} (40 chars)`,
    );
    expect(f[0]?.message).toContain("in env GITHUB_PERSONAL_ACCESS_TOKEN");
    expect(f[0]?.message).not.toContain(token);
  });

  test("high-entropy value under a secret-looking env name, header, flag and URL", () => {
    const v = keys.generic(32, 5);
    const w = keys.generic(28, 6);
    const x = keys.generic(40, 7);
    const y = keys.generic(24, 8);
    const after = json({
      search: { command: "search-mcp", env: { SEARCH_API_KEY: v, LOG_LEVEL: "debug" } },
      remote: {
        type: "http",
        url: `https://mcp.example.com/mcp?api_key=${w}&region=eu`,
        headers: { "X-Api-Key": x },
      },
      cli: { command: "tool-mcp", args: ["--token", y, "--verbose"] },
    });
    const f = run({ path: ".mcp.json", after });
    expect(f.map((x) => [x.line, /in (.+?) instead/.exec(x.message)?.[1]])).toEqual([
      [6, "env SEARCH_API_KEY"],
      [12, 'its URL query parameter "api_key"'],
      [14, "header X-Api-Key"],
      [21, "its arguments (--token)"],
    ]);
    expect(f[0]?.message).toContain("high-entropy secret");
  });

  test("userinfo password, inline KEY=value arguments and Authorization header arguments", () => {
    const p = keys.generic(20, 11);
    const q = keys.generic(30, 12);
    const after = json({
      db: { command: "npx", args: ["-y", "mcp-postgres", `postgres://agent:${p}@db.internal:5432/app`] },
      docker: { command: "docker", args: ["run", "-i", "--rm", "-e", `API_TOKEN=${q}`, "img/mcp:1.2.0"] },
      remote: {
        command: "npx",
        args: [
          "mcp-remote",
          "https://mcp.example.com/sse",
          "--header",
          `Authorization: Bearer ${keys.jwt()}`,
        ],
      },
    });
    const f = run({ path: ".mcp.json", after });
    expect(
      f.map((x) => [
        x.line,
        /gets a literal (.+?) \S*…/.exec(x.message)?.[1],
        /in (.+?) instead/.exec(x.message)?.[1],
      ]),
    ).toEqual([
      [8, "password", "its URL (user:password@)"],
      [18, "high-entropy secret", "its arguments (API_TOKEN)"],
      [28, "JSON Web Token", "its arguments"],
    ]);
  });

  test("a literal bearer token inside a structured env value under a plain name", () => {
    const t = keys.generic(40, 21);
    const after = json({
      notion: {
        command: "npx",
        env: { OPENAPI_MCP_HEADERS: `{"Authorization": "Bearer ${t}", "Notion-Version": "2022-06-28"}` },
      },
      safe: {
        command: "npx",
        env: { OPENAPI_MCP_HEADERS: '{"Authorization": "Bearer <your_notion_token>"}' },
      },
    });
    const f = run({ path: ".mcp.json", after });
    expect(f.map((x) => [x.line, /in (.+?) instead/.exec(x.message)?.[1]])).toEqual([
      [6, "env OPENAPI_MCP_HEADERS (Authorization)"],
    ]);
    expect(f[0]?.message).not.toContain(t);
  });

  test("Codex config.toml: literal env and http_headers", () => {
    const k = keys.openaiProject(31);
    const h = keys.generic(36, 32);
    const after = [
      "[mcp_servers.ai]",
      'command = "ai-mcp"',
      "[mcp_servers.ai.env]",
      `OPENAI_API_KEY = "${k}"`,
      "",
      "[mcp_servers.remote]",
      'url = "https://mcp.example.com/mcp"',
      `http_headers = { "X-Api-Key" = "${h}" }`,
      'env_http_headers = { "X-Other-Key" = "OTHER_KEY" }',
      "",
    ].join("\n");
    const f = run({ path: ".codex/config.toml", after });
    expect(
      f.map((x) => [
        x.line,
        /gets a literal (.+?) \S*…/.exec(x.message)?.[1],
        /in (.+?) instead/.exec(x.message)?.[1],
      ]),
    ).toEqual([
      [4, "OpenAI API key", "env OPENAI_API_KEY"],
      [8, "high-entropy secret", "header X-Api-Key"],
    ]);
  });

  test("near misses: references, placeholders, non-secret names, low-entropy values", () => {
    const after = json({
      github: github({ GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" }),
      vs: {
        command: "x",
        env: { API_KEY: "${input:api-key}", TOKEN: "${env:MY_TOKEN}", PASSWORD: "<your-password>" },
      },
      plain: {
        command: "y",
        env: { REPO_PATH: "/home/dev/projects/my-repository-2024", MODEL: "gpt-4o-mini-2024-07-18" },
      },
      hashes: { command: "z", env: { CACHE_KEY: keys.generic(32, 3), BUILD_ID: keys.generic(32, 4) } },
      remote: {
        url: "https://mcp.example.com/mcp?api_key=${API_KEY}&session=abc",
        headers: { Authorization: "Bearer ${TOKEN}" },
      },
      db: {
        command: "npx",
        args: ["mcp-postgres", "postgres://agent:${DB_PASSWORD}@localhost/app", "--token", "${TOKEN}"],
      },
    });
    expect(run({ path: ".mcp.json", after })).toEqual([]);
  });

  test("self-diff, unrelated edit and renamed server do not re-report; a changed secret does", () => {
    const token = keys.github(1);
    const before = json({ github: github({ GITHUB_PERSONAL_ACCESS_TOKEN: token, LOG_LEVEL: "info" }) });
    expect(run({ path: ".mcp.json", before, after: before })).toEqual([]);
    const edited = before.replace('"info"', '"debug"');
    expect(run({ path: ".mcp.json", before, after: edited })).toEqual([]);
    const renamed = before.replace('"github":', '"gh":');
    expect(run({ path: ".mcp.json", before, after: renamed })).toEqual([]);
    const rotated = before.replace(token, keys.github(2));
    expect(run({ path: ".mcp.json", before, after: rotated }).map((x) => x.line)).toEqual([10]);
  });

  test("a PEM key in env (JSON-escaped line breaks): reported once, not again on an unrelated edit", () => {
    const before = json({
      signer: { command: "sign-mcp", env: { SIGNING_KEY: keys.pem(40), LOG_LEVEL: "info" } },
    });
    const f = run({ path: ".mcp.json", after: before });
    expect(f.map((x) => [x.line, /literal (.+?) in env/.exec(x.message)?.[1]])).toEqual([
      [6, "private key -----BEGIN PRIVATE KEY----- block"],
    ]);
    expect(run({ path: ".mcp.json", before, after: before.replace('"info"', '"debug"') })).toEqual([]);
  });

  test("the same secret in two servers points at each server's own line", () => {
    const token = keys.github(3);
    const after = json({ a: github({ GITHUB_TOKEN: token }), b: github({ GITHUB_TOKEN: token }) });
    expect(run({ path: ".mcp.json", after }).map((x) => x.line)).toEqual([10, 20]);
  });

  test("odd model values never throw", () => {
    const ctx = fileContext({ path: ".mcp.json", after: json({}) });
    const weird = {
      key: "w",
      pointer: ["mcpServers", "w"],
      transport: "unknown",
      args: [1, null, "--token"],
      env: new Map([["TOKEN", 5]]),
      headers: undefined,
      url: 7,
      autoApprove: [],
    } as never;
    ctx.after?.model.mcpServers.set("w", weird);
    expect(mcp006.check(ctx)).toEqual([]);
  });
});
