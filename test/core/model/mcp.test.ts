/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are literal config text in these inputs */
import { describe, expect, test } from "@jest/globals";
import { extractMcpServers, parseLaunch, shellScript } from "../../../src/core/model/mcp.js";
import type { McpServer } from "../../../src/core/model/types.js";
import { fileContext } from "../../helpers/risk.js";

const one = (formatId: string, data: unknown, key: string): McpServer => {
  const s = extractMcpServers(formatId, data).get(key);
  if (!s) throw new Error(`no server ${key}`);
  return s;
};

describe("extractMcpServers: client configs with a root mcpServers map", () => {
  test("a stdio entry keeps command, args, env as written, and infers the transport", () => {
    const s = one(
      "mcp-project",
      {
        mcpServers: {
          github: {
            command: "npx",
            args: ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
            env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", PORT: 8080 },
            cwd: "./tools",
          },
        },
      },
      "github",
    );
    expect(s.key).toBe("github");
    expect(s.pointer).toEqual(["mcpServers", "github"]);
    expect(s.transport).toBe("stdio");
    expect(s.command).toBe("npx");
    expect(s.args).toEqual(["-y", "@modelcontextprotocol/server-github@2025.4.8"]);
    expect([...s.env]).toEqual([
      ["GITHUB_TOKEN", "${GITHUB_TOKEN}"],
      ["PORT", "8080"],
    ]);
    expect(s.cwd).toBe("./tools");
    expect(s.url).toBeUndefined();
    expect(s.launch).toEqual({
      runner: "npx",
      name: "@modelcontextprotocol/server-github",
      version: "2025.4.8",
      flags: [],
    });
    expect(s.autoApprove).toEqual([]);
    expect(s.trust).toBeUndefined();
    expect(s.disabled).toBeUndefined();
  });

  test("remote entries: url and headers, transport from type or inferred", () => {
    const servers = extractMcpServers("mcp-project", {
      mcpServers: {
        a: {
          type: "http",
          url: "https://mcp.example.com/mcp",
          headers: { Authorization: "Bearer ${TOKEN}" },
        },
        b: { type: "sse", url: "https://mcp.example.com/sse" },
        c: { url: "https://mcp.example.com/mcp" },
        d: { type: "streamable-http", url: "https://x.example/mcp" },
        e: { type: "ws", url: "wss://x.example/mcp" },
      },
    });
    expect(servers.get("a")?.transport).toBe("http");
    expect(servers.get("a")?.url).toBe("https://mcp.example.com/mcp");
    expect([...(servers.get("a")?.headers ?? [])]).toEqual([["Authorization", "Bearer ${TOKEN}"]]);
    expect(servers.get("b")?.transport).toBe("sse");
    expect(servers.get("c")?.transport).toBe("http");
    expect(servers.get("d")?.transport).toBe("http");
    expect(servers.get("e")?.transport).toBe("unknown");
  });

  test("Cline/Roo/Kiro extras: alwaysAllow and autoApprove lists, disabled, Windsurf serverUrl", () => {
    const servers = extractMcpServers("mcp-other", {
      mcpServers: {
        a: {
          command: "node",
          args: ["s.js"],
          alwaysAllow: ["read", "list"],
          autoApprove: ["list", "write"],
          disabled: true,
        },
        b: { serverUrl: "https://w.example/mcp", enabled: false },
        c: { command: "x", disabled: false },
      },
    });
    expect(servers.get("a")?.autoApprove).toEqual(["read", "list", "write"]);
    expect(servers.get("a")?.disabled).toBe(true);
    expect(servers.get("b")?.url).toBe("https://w.example/mcp");
    expect(servers.get("b")?.disabled).toBe(true);
    expect(servers.get("c")?.disabled).toBe(false);
  });

  test("Gemini: httpUrl is streamable http, url is SSE, trust is kept", () => {
    const servers = extractMcpServers("gemini-settings", {
      mcpServers: {
        h: { httpUrl: "https://g.example/mcp", trust: true, includeTools: ["a"] },
        s: { url: "https://g.example/sse", trust: false },
      },
    });
    expect(servers.get("h")?.transport).toBe("http");
    expect(servers.get("h")?.url).toBe("https://g.example/mcp");
    expect(servers.get("h")?.trust).toBe(true);
    expect(servers.get("s")?.transport).toBe("sse");
    expect(servers.get("s")?.trust).toBe(false);
  });

  test('Copilot: type local is stdio and tools ["*"] auto-approves everything; a named list does not', () => {
    const servers = extractMcpServers("mcp-copilot", {
      mcpServers: {
        all: { type: "local", command: "npx", args: ["-y", "x@1.0.0"], tools: ["*"] },
        some: { type: "local", command: "npx", args: ["-y", "y@1.0.0"], tools: ["a", "b"] },
      },
    });
    expect(servers.get("all")?.transport).toBe("stdio");
    expect(servers.get("all")?.autoApprove).toEqual(["*"]);
    expect(servers.get("some")?.autoApprove).toEqual([]);
    // `tools` in a non-Copilot client is not an approval list.
    expect(one("mcp-cursor", { mcpServers: { x: { command: "a", tools: ["*"] } } }, "x").autoApprove).toEqual(
      [],
    );
  });

  test("VS Code reads the root `servers` map (not mcpServers), JSONC included", () => {
    const ctx = fileContext({
      path: ".vscode/mcp.json",
      before: undefined,
      after: `{
  // comment
  "servers": {
    "pw": { "type": "stdio", "command": "npx", "args": ["@playwright/mcp@0.0.41"], },
  },
  "mcpServers": { "ignored": { "command": "x" } }
}
`,
    });
    const servers = ctx.after!.model.mcpServers;
    expect([...servers.keys()]).toEqual(["pw"]);
    expect(servers.get("pw")?.launch).toEqual({
      runner: "npx",
      name: "@playwright/mcp",
      version: "0.0.41",
      flags: [],
    });
    expect(ctx.locate(servers.get("pw")!.pointer).line).toBe(4);
  });

  test("odd input never throws and yields no servers or skips bad entries", () => {
    for (const data of [
      undefined,
      null,
      42,
      "x",
      [],
      { mcpServers: [] },
      { mcpServers: "x" },
      { mcpServers: null },
    ])
      expect(extractMcpServers("mcp-project", data).size).toBe(0);
    const s = one(
      "mcp-project",
      {
        mcpServers: {
          bad: "npx",
          ok: { command: 5, args: "x", env: [], headers: null, alwaysAllow: "all", trust: "yes" },
        },
      },
      "ok",
    );
    expect(s.command).toBeUndefined();
    expect(s.args).toEqual([]);
    expect(s.env.size).toBe(0);
    expect(s.autoApprove).toEqual([]);
    expect(s.trust).toBeUndefined();
    expect(s.transport).toBe("unknown");
    expect(extractMcpServers("mcp-project", { mcpServers: { bad: "npx" } }).size).toBe(0);
    expect(extractMcpServers("unknown-format", { mcpServers: { a: { command: "x" } } }).size).toBe(0);
  });
});

describe("extractMcpServers: Codex, agent front matter, ADK, registry", () => {
  test("Codex [mcp_servers.<name>] tables: env, env_vars, bearer token, header tables, enabled, approval mode", () => {
    const ctx = fileContext({
      path: ".codex/config.toml",
      before: undefined,
      after: `model = "o3"

[mcp_servers.docs]
command = "uvx"
args = ["mcp-docs==1.4.0"]
env = { LOG = "debug" }
env_vars = ["HOME_TOKEN"]
default_tools_approval_mode = "approve"

[mcp_servers.remote]
url = "https://mcp.example.com/mcp"
bearer_token_env_var = "EXAMPLE_TOKEN"
http_headers = { "X-Org" = "acme" }
env_http_headers = { "X-Key" = "EXAMPLE_KEY" }
enabled = false

[mcp_servers.remote.tools.delete_all]
approval_mode = "approve"
`,
    });
    const servers = ctx.after!.model.mcpServers;
    const docs = servers.get("docs")!;
    expect(docs.transport).toBe("stdio");
    expect(docs.launch).toEqual({ runner: "uvx", name: "mcp-docs", version: "1.4.0", flags: [] });
    expect([...docs.env]).toEqual([
      ["LOG", "debug"],
      ["HOME_TOKEN", "${HOME_TOKEN}"],
    ]);
    expect(docs.autoApprove).toEqual(["*"]);
    expect(ctx.locate(docs.pointer).line).toBe(3);
    const remote = servers.get("remote")!;
    expect(remote.transport).toBe("http");
    expect(remote.url).toBe("https://mcp.example.com/mcp");
    expect(Object.fromEntries(remote.headers)).toEqual({
      "X-Org": "acme",
      "X-Key": "${EXAMPLE_KEY}",
      Authorization: "Bearer ${EXAMPLE_TOKEN}",
    });
    expect(remote.disabled).toBe(true);
    expect(remote.autoApprove).toEqual(["delete_all"]);
  });

  test("Claude subagent front matter: a map, or a list mixing server names and inline entries", () => {
    const map = fileContext({
      path: ".claude/agents/a.md",
      before: undefined,
      after:
        '---\nname: a\ndescription: d\nmcpServers:\n  db:\n    command: npx\n    args: ["-y", "db-mcp"]\n---\nBody\n',
    });
    const db = map.after!.model.mcpServers.get("db")!;
    expect(db.pointer).toEqual(["mcpServers", "db"]);
    expect(db.launch).toEqual({ runner: "npx", name: "db-mcp", flags: [] });
    expect(map.locate(db.pointer).line).toBe(6);

    const list = extractMcpServers("claude-agent", {
      name: "a",
      mcpServers: ["github", { web: { type: "http", url: "https://w.example/mcp" } }],
    });
    expect([...list.keys()]).toEqual(["web"]);
    expect(list.get("web")?.pointer).toEqual(["mcpServers", 1, "web"]);
  });

  test("Copilot custom agent front matter `mcp-servers`", () => {
    const ctx = fileContext({
      path: ".github/agents/x.agent.md",
      before: undefined,
      after:
        "---\nname: x\ndescription: d\nmcp-servers:\n  opik:\n    type: 'local'\n    command: 'npx'\n    args: ['-y', 'opik-mcp']\n    tools: ['*']\n---\n# X\n",
    });
    const s = ctx.after!.model.mcpServers.get("opik")!;
    expect(s.pointer).toEqual(["mcp-servers", "opik"]);
    expect(s.transport).toBe("stdio");
    expect(s.autoApprove).toEqual(["*"]);
    expect(s.launch?.name).toBe("opik-mcp");
  });

  test("Google ADK: MCPToolset tools with stdio or connection params", () => {
    const servers = extractMcpServers("adk-agent-config", {
      name: "a",
      tools: [
        { name: "google_search" },
        {
          name: "MCPToolset",
          args: {
            stdio_server_params: {
              command: "npx",
              args: ["-y", "@notionhq/notion-mcp-server"],
              env: { K: "v" },
            },
          },
        },
        {
          name: "google.adk.tools.mcp_tool.MCPToolset",
          args: {
            tool_name_prefix: "web",
            sse_connection_params: { url: "https://s.example/sse", headers: { A: "b" } },
          },
        },
        {
          name: "MCPToolset",
          args: {
            stdio_connection_params: {
              server_params: { command: "uvx", args: ["x-mcp==2.0.0"] },
              timeout: 5,
            },
          },
        },
        "MCPToolset",
      ],
    });
    expect([...servers.keys()]).toEqual(["MCPToolset #1", "web", "MCPToolset #3"]);
    const first = servers.get("MCPToolset #1")!;
    expect(first.pointer).toEqual(["tools", 1, "args", "stdio_server_params"]);
    expect(first.launch).toEqual({ runner: "npx", name: "@notionhq/notion-mcp-server", flags: [] });
    expect(first.env.get("K")).toBe("v");
    const web = servers.get("web")!;
    expect(web.transport).toBe("sse");
    expect(web.url).toBe("https://s.example/sse");
    expect(web.headers.get("A")).toBe("b");
    expect(servers.get("MCPToolset #3")?.pointer).toEqual([
      "tools",
      3,
      "args",
      "stdio_connection_params",
      "server_params",
    ]);
    expect(servers.get("MCPToolset #3")?.launch?.version).toBe("2.0.0");
  });

  test("MCP Registry server.json: packages launch by registry type, remotes by url", () => {
    const servers = extractMcpServers("mcp-registry-server", {
      name: "io.github.x/y",
      packages: [
        {
          registryType: "npm",
          identifier: "@x/y-mcp",
          version: "1.2.3",
          transport: { type: "stdio" },
          environmentVariables: [
            { name: "Y_TOKEN", isSecret: true },
            { name: "MODE", default: "ro" },
          ],
        },
        { registryType: "pypi", identifier: "y-mcp", transport: { type: "stdio" } },
        {
          registryType: "oci",
          identifier: "ghcr.io/x/y:${VERSION}",
          transport: { type: "stdio" },
          runtimeArguments: [
            { type: "positional", value: "run" },
            { type: "named", name: "-i", value: "true", format: "boolean" },
            { type: "named", name: "-v", value: "/:/host" },
            { type: "named", name: "-e", value: "TOKEN={token}" },
          ],
        },
        { registryType: "oci", identifier: "docker.io/x/z", version: "latest", transport: { type: "stdio" } },
      ],
      remotes: [
        {
          type: "streamable-http",
          url: "https://y.example/mcp",
          headers: [{ name: "Authorization", value: "Bearer {t}" }],
        },
      ],
    });
    expect([...servers.keys()]).toEqual([
      "packages[0]",
      "packages[1]",
      "packages[2]",
      "packages[3]",
      "remotes[0]",
    ]);
    const npm = servers.get("packages[0]")!;
    expect(npm.command).toBe("npx");
    expect(npm.launch).toEqual({ runner: "npx", name: "@x/y-mcp", version: "1.2.3", flags: [] });
    expect(Object.fromEntries(npm.env)).toEqual({ Y_TOKEN: "", MODE: "ro" });
    expect(servers.get("packages[1]")?.launch).toEqual({ runner: "uvx", name: "y-mcp", flags: [] });
    const oci = servers.get("packages[2]")!;
    expect(oci.args).toEqual(["run", "-i", "-v", "/:/host", "-e", "TOKEN={token}", "ghcr.io/x/y:${VERSION}"]);
    expect(oci.launch).toEqual({
      runner: "docker",
      name: "ghcr.io/x/y",
      version: "${VERSION}",
      flags: ["-v /:/host"],
    });
    expect(servers.get("packages[3]")?.launch).toEqual({
      runner: "docker",
      name: "docker.io/x/z",
      flags: [],
    });
    const remote = servers.get("remotes[0]")!;
    expect(remote.transport).toBe("http");
    expect(remote.url).toBe("https://y.example/mcp");
    expect(remote.headers.get("Authorization")).toBe("Bearer {t}");
  });
});

describe("parseLaunch", () => {
  const launch = (line: string) => {
    const [command, ...args] = line.split(" ");
    return parseLaunch(command, args);
  };

  test.each([
    ["npx -y @modelcontextprotocol/server-github", "npx", "@modelcontextprotocol/server-github", undefined],
    ["npx --yes @scope/pkg@1.2.3 --flag", "npx", "@scope/pkg", "1.2.3"],
    ["npx @eslint/mcp@latest", "npx", "@eslint/mcp", undefined],
    ["npx -y pkg@^1.2.0", "npx", "pkg", undefined],
    ["npx -y pkg@next", "npx", "pkg", undefined],
    ["npx -y pkg@1.2", "npx", "pkg", undefined],
    ["npx -y pkg@1.0.0-beta.2", "npx", "pkg", "1.0.0-beta.2"],
    ["npx --registry https://npm.internal -y pkg@2.0.0", "npx", "pkg", "2.0.0"],
    ["npx --package=tools@3.1.0 tool-bin", "npx", "tools", "3.1.0"],
    ["npx.cmd -y pkg@1.0.0", "npx", "pkg", "1.0.0"],
    ["bunx pkg@1.0.0", "bunx", "pkg", "1.0.0"],
    ["pnpm dlx pkg", "pnpm", "pkg", undefined],
    ["yarn dlx -p pkg@4.0.0 bin", "yarn", "pkg", "4.0.0"],
    ["npm exec -- pkg@1.1.1", "npx", "pkg", "1.1.1"],
    ["uvx mcp-server-fetch", "uvx", "mcp-server-fetch", undefined],
    ["uvx mcp-server-fetch==2025.1.17", "uvx", "mcp-server-fetch", "2025.1.17"],
    ["uvx mcp-server-fetch@latest", "uvx", "mcp-server-fetch", undefined],
    ["uvx mcp-server-fetch@1.0", "uvx", "mcp-server-fetch", "1.0"],
    ["uvx mcp-server-fetch>=1.0", "uvx", "mcp-server-fetch", undefined],
    [
      "uvx --python 3.12 --from awslabs.core-mcp-server==1.0.5 core",
      "uvx",
      "awslabs.core-mcp-server",
      "1.0.5",
    ],
    ["uv tool run pkg[extra]==0.3.0", "uvx", "pkg", "0.3.0"],
    ["pipx run pkg==1.0.0", "pipx", "pkg", "1.0.0"],
    ["pipx run --spec pkg cmd", "pipx", "pkg", undefined],
    ["docker run -i --rm mcp/fetch", "docker", "mcp/fetch", undefined],
    ["docker run -i --rm ghcr.io/x/y:latest", "docker", "ghcr.io/x/y", undefined],
    ["docker run -i --rm ghcr.io/x/y:1.4", "docker", "ghcr.io/x/y", "1.4"],
    ["docker run --rm localhost:5000/img", "docker", "localhost:5000/img", undefined],
    ["docker run --rm img@sha256:abc123", "docker", "img", "sha256:abc123"],
    ["docker run --rm img:latest@sha256:abc123", "docker", "img", "latest@sha256:abc123"],
    ["podman container run -e A=1 --name x img:2", "podman", "img", "2"],
    ["npx -y github:owner/repo", "git", "github:owner/repo", undefined],
    ["npx -y owner/repo#0123abcd", "git", "owner/repo", "0123abcd"],
    ["npx -y git+https://github.com/o/r.git#main", "git", "git+https://github.com/o/r.git", undefined],
    [
      "uvx --from git+https://github.com/o/r@0123456789abcdef0123456789abcdef01234567 tool",
      "git",
      "git+https://github.com/o/r",
      "0123456789abcdef0123456789abcdef01234567",
    ],
    [
      "uvx --from git+ssh://git@github.com/o/r.git tool",
      "git",
      "git+ssh://git@github.com/o/r.git",
      undefined,
    ],
  ])("%s", (line, runner, name, version) => {
    const l = launch(line);
    expect(l?.runner).toBe(runner);
    expect(l?.name).toBe(name);
    expect(l?.version).toBe(version);
  });

  test.each([
    "node build/index.js",
    "python -m server",
    "npm run start-stdio",
    "npx ./local-server",
    "npx",
    "docker ps",
    "uv run server.py",
    "gh aw mcp-server",
  ])("no launch: %s", (line) => {
    expect(launch(line)).toBeUndefined();
  });

  test("docker scope flags are collected and normalised", () => {
    const l = parseLaunch("docker", [
      "run",
      "-i",
      "--rm",
      "--privileged",
      "-v",
      "/:/host",
      "--volume=/home/me:/home",
      "--mount",
      "type=bind,source=/etc,target=/etc",
      "--net=host",
      "--pid",
      "host",
      "--network",
      "bridge",
      "--cap-add",
      "SYS_ADMIN",
      "-e",
      "TOKEN",
      "mcp/x:1.0",
      "--privileged",
    ]);
    expect(l).toEqual({
      runner: "docker",
      name: "mcp/x",
      version: "1.0",
      flags: [
        "--privileged",
        "-v /:/host",
        "-v /home/me:/home",
        "--mount type=bind,source=/etc,target=/etc",
        "--network host",
        "--pid host",
        "--cap-add SYS_ADMIN",
      ],
    });
  });

  test("a command string with arguments, and shell wrappers without shell syntax, are looked through", () => {
    expect(parseLaunch("npx -y pkg@1.0.0", [])).toEqual({
      runner: "npx",
      name: "pkg",
      version: "1.0.0",
      flags: [],
    });
    expect(parseLaunch("cmd", ["/c", "npx", "-y", "pkg"])).toEqual({ runner: "npx", name: "pkg", flags: [] });
    expect(parseLaunch("bash", ["-c", "npx -y pkg@2.0.0"])).toEqual({
      runner: "npx",
      name: "pkg",
      version: "2.0.0",
      flags: [],
    });
    expect(parseLaunch("env", ["NODE_ENV=production", "npx", "-y", "pkg"])?.name).toBe("pkg");
    // A script with shell syntax is not one launch.
    expect(parseLaunch("bash", ["-c", "npx -y pkg && curl x"])).toBeUndefined();
    // A path with spaces is not split.
    expect(parseLaunch("/Applications/My App/bin/server", [])).toBeUndefined();
  });
});

describe("shellScript", () => {
  test.each([
    ["sh", ["-c", "echo hi"], "sh", "-c", 0, "echo hi"],
    ["/bin/bash", ["-lc", "npx x"], "bash", "-lc", 0, "npx x"],
    ["cmd.exe", ["/C", "npx", "-y", "x"], "cmd", "/C", 0, "npx -y x"],
    [
      "powershell",
      ["-NoProfile", "-Command", "iex (irm https://x)"],
      "powershell",
      "-Command",
      1,
      "iex (irm https://x)",
    ],
    ["pwsh", ["-enc", "ZQBjAGgAbwA="], "pwsh", "-enc", 0, "ZQBjAGgAbwA="],
    ["/usr/bin/env", ["bash", "-c", "run"], "bash", "-c", 1, "run"],
    ["bash -c", ["run it"], "bash", "-c", -1, "run it"],
  ])("%s %j", (command, args, shell, flag, flagIndex, script) => {
    expect(shellScript(command, args)).toEqual({ shell, flag, flagIndex, script });
  });

  test.each([
    ["bash", ["script.sh"]],
    ["bash", ["--norc", "script.sh"]],
    ["node", ["-c", "x"]],
    ["pwsh", ["-File", "run.ps1"]],
    ["cmd", ["run.bat"]],
  ])("not a shell script: %s %j", (command, args) => {
    expect(shellScript(command, args)).toBeUndefined();
  });
});
