import { describe, expect, test } from "@jest/globals";
import { extractPermissions, switchesOf } from "../../../src/core/model/permissions.js";
import type { Permissions } from "../../../src/core/model/types.js";
import { fileContext } from "../../helpers/risk.js";

const ex = (format: string, data: unknown) => extractPermissions(format, data);
const must = (p: Permissions | undefined): Permissions => {
  if (!p) throw new Error("no permissions");
  return p;
};

describe("extractPermissions: Claude Code settings", () => {
  const settings = {
    permissions: {
      allow: ["Bash(npm run test:*)", "Read(./src/**)", 42, "mcp__github"],
      ask: ["Bash(git push:*)"],
      deny: ["WebFetch", "Read(./.env)"],
      defaultMode: "acceptEdits",
      additionalDirectories: ["../shared", ""],
      disableBypassPermissionsMode: "disable",
    },
    hooks: {
      PreToolUse: [
        { matcher: "Bash", hooks: [{ type: "command", command: "./check.sh", timeout: 3 }, "junk"] },
        { hooks: [{ type: "http", url: "https://hooks.example.com/x" }] },
      ],
      Stop: "not a list",
      SessionStart: [{ hooks: [{ type: "mcp_tool", server: "s", tool: "t" }] }],
    },
    statusLine: { type: "command", command: "node status.js" },
    sandbox: {
      enabled: true,
      allowUnsandboxedCommands: false,
      network: { allowedDomains: ["registry.npmjs.org", 7], allowAllUnixSockets: false },
      filesystem: { allowWrite: ["~/.cache"] },
    },
    enableAllProjectMcpServers: true,
    enabledMcpjsonServers: ["github", 3],
    env: {
      ANTHROPIC_BASE_URL: "https://gateway.example.com",
      HTTPS_PROXY: "http://proxy:3128",
      CLAUDE_CODE_MAX_OUTPUT_TOKENS: "8000",
      BASH_MAX_TIMEOUT_MS: 600000,
      DEBUG: "1",
      MAX_THINKING_TOKENS: "lots",
    },
    apiKeyHelper: "~/bin/key.sh",
    otelHeadersHelper: "~/bin/otel.sh",
  };

  test("rules with tool and specifier, in list order, with pointers", () => {
    const p = must(ex("claude-settings", settings));
    expect(p.rules.map((r) => [r.decision, r.tool, r.specifier, r.pointer])).toEqual([
      ["allow", "Bash", "npm run test:*", ["permissions", "allow", 0]],
      ["allow", "Read", "./src/**", ["permissions", "allow", 1]],
      ["allow", "mcp__github", undefined, ["permissions", "allow", 3]],
      ["ask", "Bash", "git push:*", ["permissions", "ask", 0]],
      ["deny", "WebFetch", undefined, ["permissions", "deny", 0]],
      ["deny", "Read", "./.env", ["permissions", "deny", 1]],
    ]);
    expect(p.defaultMode).toEqual({ value: "acceptEdits", pointer: ["permissions", "defaultMode"] });
  });

  test("hooks, status line, sandbox, directories, MCP auto-enable", () => {
    const p = must(ex("claude-settings", settings));
    expect(p.hooks).toEqual([
      {
        event: "PreToolUse",
        matcher: "Bash",
        type: "command",
        command: "./check.sh",
        pointer: ["hooks", "PreToolUse", 0, "hooks", 0],
      },
      {
        event: "PreToolUse",
        type: "http",
        url: "https://hooks.example.com/x",
        pointer: ["hooks", "PreToolUse", 1, "hooks", 0],
      },
      { event: "SessionStart", type: "mcp_tool", pointer: ["hooks", "SessionStart", 0, "hooks", 0] },
      { event: "statusLine", type: "command", command: "node status.js", pointer: ["statusLine", "command"] },
    ]);
    expect(p.sandbox).toEqual({
      enabled: true,
      allowedDomains: ["registry.npmjs.org"],
      pointer: ["sandbox"],
    });
    expect(p.directories).toEqual([
      { path: "../shared", pointer: ["permissions", "additionalDirectories", 0] },
      { path: "~/.cache", pointer: ["sandbox", "filesystem", "allowWrite", 0] },
    ]);
    expect(p.mcpAutoEnable).toEqual({ all: true, servers: ["github"], pointer: ["enabledMcpjsonServers"] });
  });

  test("endpoints, helpers, limits and switches", () => {
    const p = must(ex("claude-settings", settings));
    expect(p.endpoints).toEqual([
      {
        key: "env.ANTHROPIC_BASE_URL",
        value: "https://gateway.example.com",
        pointer: ["env", "ANTHROPIC_BASE_URL"],
      },
      { key: "env.HTTPS_PROXY", value: "http://proxy:3128", pointer: ["env", "HTTPS_PROXY"] },
      { key: "apiKeyHelper", value: "~/bin/key.sh", pointer: ["apiKeyHelper"] },
      { key: "otelHeadersHelper", value: "~/bin/otel.sh", pointer: ["otelHeadersHelper"] },
    ]);
    expect([...p.limits]).toEqual([
      [
        "env.CLAUDE_CODE_MAX_OUTPUT_TOKENS",
        { value: 8000, pointer: ["env", "CLAUDE_CODE_MAX_OUTPUT_TOKENS"] },
      ],
      ["env.BASH_MAX_TIMEOUT_MS", { value: 600000, pointer: ["env", "BASH_MAX_TIMEOUT_MS"] }],
    ]);
    const sw = switchesOf(p);
    expect(sw.get("permissions.disableBypassPermissionsMode")?.value).toBe("disable");
    expect(sw.get("sandbox.allowUnsandboxedCommands")).toEqual({
      value: false,
      pointer: ["sandbox", "allowUnsandboxedCommands"],
    });
    expect(sw.get("sandbox.network.allowAllUnixSockets")?.value).toBe(false);
    expect(p.toolGrants).toBeUndefined();
  });

  test("wrong types never throw and give empty parts", () => {
    const odd = {
      permissions: { allow: "Bash", deny: [null, {}, ["x"]], defaultMode: 3, additionalDirectories: "x" },
      hooks: [1, 2],
      sandbox: { enabled: "yes", network: "all" },
      env: ["A=1"],
      statusLine: "echo",
      enabledMcpjsonServers: "all",
    };
    const p = must(ex("claude-settings", odd));
    // A single string is read like a one-line tool list.
    expect(p.rules.map((r) => r.rule)).toEqual(["Bash"]);
    expect(p.defaultMode).toBeUndefined();
    expect(p.hooks).toEqual([]);
    expect(p.sandbox).toEqual({ allowedDomains: [], pointer: ["sandbox"] });
    expect(p.endpoints).toEqual([]);
    expect(p.mcpAutoEnable).toEqual({ servers: [], pointer: [] });
    for (const data of [undefined, null, 3, "x", [1]]) expect(ex("claude-settings", data)).toBeUndefined();
  });

  test("formats without permissions give undefined", () => {
    expect(ex("mcp-project", { mcpServers: {} })).toBeUndefined();
    expect(ex("instructions-claude-md", {})).toBeUndefined();
  });
});

describe("extractPermissions: plugin hooks, subagents, commands, skills", () => {
  test("plugin hooks.json", () => {
    const p = must(
      ex("claude-hooks", {
        description: "x",
        hooks: { Stop: [{ hooks: [{ type: "command", command: "bash $PLUGIN_ROOT/stop.sh" }] }] },
      }),
    );
    expect(p.hooks).toEqual([
      {
        event: "Stop",
        type: "command",
        command: "bash $PLUGIN_ROOT/stop.sh",
        pointer: ["hooks", "Stop", 0, "hooks", 0],
      },
    ]);
    expect(p.rules).toEqual([]);
  });

  test("subagent: tools (string or list), disallowedTools as deny rules, permissionMode, hooks, maxTurns", () => {
    const p = must(
      ex("claude-agent", {
        name: "a",
        description: "d",
        tools: "Read, Grep, Bash(git log:*)",
        disallowedTools: ["WebFetch", "Bash(rm:*)"],
        permissionMode: "plan",
        maxTurns: 20,
        hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "x" }] }] },
      }),
    );
    expect(p.toolGrants).toEqual({ tools: ["Read", "Grep", "Bash(git log:*)"], pointer: ["tools"] });
    expect(p.rules.map((r) => [r.decision, r.rule, r.pointer])).toEqual([
      ["deny", "WebFetch", ["disallowedTools", 0]],
      ["deny", "Bash(rm:*)", ["disallowedTools", 1]],
    ]);
    expect(p.defaultMode).toEqual({ value: "plan", pointer: ["permissionMode"] });
    expect(p.limits.get("maxTurns")).toEqual({ value: 20, pointer: ["maxTurns"] });
    expect(p.hooks).toHaveLength(1);
    const list = must(ex("claude-agent", { name: "a", description: "d", tools: ["Read", 3, " Bash "] }));
    expect(list.toolGrants).toEqual({ tools: ["Read", "Bash"], pointer: ["tools"] });
  });

  test("subagent without tools inherits every tool: toolGrants undefined", () => {
    expect(must(ex("claude-agent", { name: "a", description: "d" })).toolGrants).toBeUndefined();
    expect(must(ex("claude-agent", { name: "a", description: "d", tools: 5 })).toolGrants).toBeUndefined();
  });

  test("commands and skills: allowed-tools", () => {
    expect(
      must(ex("claude-command", { "allowed-tools": "Bash(git add:*), Bash(git commit:*)" })).toolGrants,
    ).toEqual({
      tools: ["Bash(git add:*)", "Bash(git commit:*)"],
      pointer: ["allowed-tools"],
    });
    expect(
      must(ex("claude-skill", { name: "s", description: "d", "allowed-tools": ["Read"] })).toolGrants?.tools,
    ).toEqual(["Read"]);
    expect(must(ex("claude-command", { description: "x" })).toolGrants).toBeUndefined();
  });
});

describe("extractPermissions: Codex config.toml", () => {
  test("approval, sandbox, writable roots, network, endpoints, notify, limits, switches", () => {
    const p = must(
      ex("codex-config", {
        approval_policy: "on-request",
        sandbox_mode: "workspace-write",
        sandbox_workspace_write: { writable_roots: ["/tmp/build", 1], network_access: true },
        shell_environment_policy: { inherit: "core", ignore_default_excludes: false },
        model_provider: "azure",
        model_providers: { azure: { base_url: "https://x.openai.azure.com/openai" }, bad: "x" },
        notify: ["python3", "notify.py"],
        background_terminal_max_timeout: 300,
        mcp_servers: { fs: { command: "x", tool_timeout_sec: 60 } },
        agents: { max_threads: 4 },
        profiles: { ci: { approval_policy: "never", sandbox_mode: "danger-full-access" } },
      }),
    );
    expect(p.approvalPolicy).toEqual({ value: "on-request", pointer: ["approval_policy"] });
    expect(p.sandboxMode).toEqual({ value: "workspace-write", pointer: ["sandbox_mode"] });
    expect(p.directories).toEqual([
      { path: "/tmp/build", pointer: ["sandbox_workspace_write", "writable_roots", 0] },
    ]);
    expect(p.sandbox).toEqual({
      allowedDomains: ["*"],
      pointer: ["sandbox_workspace_write", "network_access"],
    });
    expect(p.endpoints).toEqual([
      { key: "model_provider", value: "azure", pointer: ["model_provider"] },
      {
        key: "model_providers.azure.base_url",
        value: "https://x.openai.azure.com/openai",
        pointer: ["model_providers", "azure", "base_url"],
      },
    ]);
    expect(p.hooks).toEqual([
      { event: "notify", type: "command", command: "python3 notify.py", pointer: ["notify"] },
    ]);
    expect([...p.limits.keys()]).toEqual([
      "background_terminal_max_timeout",
      "agents.max_threads",
      "mcp_servers.fs.tool_timeout_sec",
    ]);
    const sw = switchesOf(p);
    expect(sw.get("shell_environment_policy.inherit")?.value).toBe("core");
    expect(sw.get("sandbox_workspace_write.network_access")?.value).toBe(true);
    expect(sw.get("profiles.ci.approval_policy")).toEqual({
      value: "never",
      pointer: ["profiles", "ci", "approval_policy"],
    });
    expect(sw.get("profiles.ci.sandbox_mode")?.value).toBe("danger-full-access");
  });

  test("the active profile overrides the top level; granular approval tables", () => {
    const p = must(
      ex("codex-config", {
        profile: "fast",
        approval_policy: { granular: { rules: true } },
        sandbox_mode: "read-only",
        profiles: { fast: { sandbox_mode: "danger-full-access" } },
      }),
    );
    expect(p.approvalPolicy).toEqual({ value: "granular", pointer: ["approval_policy"] });
    expect(p.sandboxMode).toEqual({
      value: "danger-full-access",
      pointer: ["profiles", "fast", "sandbox_mode"],
    });
    expect(must(ex("codex-config", {})).approvalPolicy).toBeUndefined();
  });
});

describe("extractPermissions: Copilot agents, prompts and chat modes", () => {
  test("tools lists; no tools = inherits", () => {
    expect(must(ex("copilot-agent", { tools: ["edit", "runCommands", "github/*"] })).toolGrants).toEqual({
      tools: ["edit", "runCommands", "github/*"],
      pointer: ["tools"],
    });
    expect(must(ex("copilot-prompt", { description: "x" })).toolGrants).toBeUndefined();
    expect(must(ex("copilot-chatmode", { tools: "runCommands" })).toolGrants).toBeUndefined();
  });
});

describe("models built from files locate their lines", () => {
  test("markdown front matter (subagent) and TOML pointers map to source lines", () => {
    const agent = fileContext({
      path: ".claude/agents/a.md",
      after:
        "---\nname: a\ndescription: d\ntools:\n  - Read\n  - Bash\npermissionMode: acceptEdits\n---\nBody\n",
    });
    const p = must(agent.after?.model.permissions);
    expect(p.toolGrants?.tools).toEqual(["Read", "Bash"]);
    expect(agent.locate(["tools", 1]).line).toBe(6);
    expect(agent.locate(p.defaultMode!.pointer).line).toBe(7);

    const codex = fileContext({
      path: ".codex/config.toml",
      after: 'model = "o3"\n\n[sandbox_workspace_write]\nnetwork_access = true\n',
    });
    const c = must(codex.after?.model.permissions);
    expect(codex.locate(c.sandbox!.pointer).line).toBe(4);
  });
});
