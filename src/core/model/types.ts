import type { PointerSegment } from "../parse/document.js";

/**
 * What an agent-config file grants, independent of its syntax: the semantic model that risk rules compare
 * before and after a change. Every entity carries the JSON pointer it came from, so findings can point at
 * its line. Models are built by `extractModel` (one extractor per format family) from parsed data.
 */
export interface AgentModel {
  /** MCP servers by their key (server name). */
  mcpServers: Map<string, McpServer>;
  /** Permission settings (Claude Code, Codex, Gemini, Copilot/Cline auto-approve…), if the file has any. */
  permissions?: Permissions;
  /** Tool definitions (MCP tool manifests, agent tool lists with schemas), by tool name. */
  tools: Map<string, ToolDef>;
  /** Text an agent reads as instructions: prompt bodies, system messages, descriptions. */
  texts: TextField[];
  /** Model choice and sampling settings. */
  model?: ModelSettings;
}

export interface McpServer {
  key: string;
  pointer: PointerSegment[];
  transport: "stdio" | "http" | "sse" | "unknown";
  command?: string;
  args: string[];
  /** Environment variables passed to the server: name → value as written (may be a `${VAR}` reference). */
  env: Map<string, string>;
  url?: string;
  /** Header name → value as written. */
  headers: Map<string, string>;
  /** The package launched by npx/uvx/pipx/bunx/docker, when recognisable. */
  launch?: PackageLaunch;
  /** Client-side trust flags on this server: `trust: true`, `alwaysAllow`/`autoApprove` lists, `tools: ["*"]`. */
  autoApprove: string[];
  trust?: boolean;
  disabled?: boolean;
  cwd?: string;
}

export interface PackageLaunch {
  runner: "npx" | "uvx" | "pipx" | "bunx" | "pnpm" | "yarn" | "docker" | "podman" | "git" | "other";
  /** Package, image or repository, without version. */
  name: string;
  /** Version, tag or digest when pinned ("latest" counts as unpinned). */
  version?: string;
  /** Docker/podman flags that widen scope (`--privileged`, `-v /:/host`, `--network host`). */
  flags: string[];
}

export type PermissionDecision = "allow" | "ask" | "deny";

export interface PermissionRule {
  decision: PermissionDecision;
  /** The rule as written, e.g. `Bash(npm test:*)`, `WebFetch(domain:example.com)`, `mcp__github`. */
  rule: string;
  /** Tool name (`Bash`, `Read`, `WebFetch`, `mcp__server__tool`…). */
  tool: string;
  /** The specifier inside the parentheses, if any (undefined = the whole tool). */
  specifier?: string;
  pointer: PointerSegment[];
}

export interface Hook {
  event: string;
  matcher?: string;
  type: string;
  command?: string;
  url?: string;
  pointer: PointerSegment[];
}

export interface Permissions {
  rules: PermissionRule[];
  /** Claude `permissions.defaultMode`, Claude subagent `permissionMode`. */
  defaultMode?: { value: string; pointer: PointerSegment[] };
  /** Codex `approval_policy` and `sandbox_mode`. */
  approvalPolicy?: { value: string; pointer: PointerSegment[] };
  sandboxMode?: { value: string; pointer: PointerSegment[] };
  hooks: Hook[];
  /** Sandbox network allowlist (`sandbox.network.allowedDomains`), and whether the sandbox is on. */
  sandbox?: { enabled?: boolean; allowedDomains: string[]; pointer: PointerSegment[] };
  /** Writable or readable extra directories (`additionalDirectories`, Codex `writable_roots`). */
  directories: { path: string; pointer: PointerSegment[] }[];
  /** Claude `enableAllProjectMcpServers` / `enabledMcpjsonServers`. */
  mcpAutoEnable: { all?: boolean; servers: string[]; pointer: PointerSegment[] };
  /** Settings that send model traffic or credentials elsewhere: `env.ANTHROPIC_BASE_URL`, `apiKeyHelper`… */
  endpoints: { key: string; value: string; pointer: PointerSegment[] }[];
  /** Numeric limits (max turns, budgets, timeouts) by name. */
  limits: Map<string, { value: number; pointer: PointerSegment[] }>;
  /**
   * Switches rules compare, by dotted path (`permissions.disableBypassPermissionsMode`,
   * `sandbox.allowUnsandboxedCommands`, Codex `shell_environment_policy.inherit`, Codex profile modes…).
   */
  switches?: Map<string, { value: string | number | boolean; pointer: PointerSegment[] }>;
  /** Tools an agent may use (subagent `tools`, Copilot agent `tools`, command `allowed-tools`); undefined = inherits all. */
  toolGrants?: { tools: string[]; pointer: PointerSegment[] };
}

export interface ToolDef {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: Record<string, unknown>;
  pointer: PointerSegment[];
}

export interface TextField {
  /** What the text is: a prompt body, a system message, a tool or server description… */
  kind: "prompt" | "system" | "description" | "instruction";
  text: string;
  pointer: PointerSegment[];
  /** 1-based line where the text starts in the file (markdown bodies; structured values use the pointer). */
  line?: number;
}

export interface ModelSettings {
  id?: { value: string; pointer: PointerSegment[] };
  temperature?: { value: number; pointer: PointerSegment[] };
  maxTokens?: { value: number; pointer: PointerSegment[] };
}

export function emptyModel(): AgentModel {
  return { mcpServers: new Map(), tools: new Map(), texts: [] };
}
