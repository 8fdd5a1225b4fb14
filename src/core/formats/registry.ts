import { isRecord as isObject, type Syntax } from "../parse/document.js";
import type { Category } from "../types.js";

/** What the engine knows about one agent-config format. */
export interface FormatDef {
  id: string;
  title: string;
  category: Category;
  /** How the file is read; `auto` decides by extension (promptfoo and CloudFormation come as YAML or JSON). */
  syntax: Syntax | "auto";
  /** Path globs that identify the format without reading the file. */
  globs: readonly string[];
  /**
   * Generic paths (`**\/config.yml`) that may hold this format: such files are read and `sniff` decides.
   * Every sniffable format is tried in registry order on every candidate file.
   */
  sniffGlobs?: readonly string[];
  sniff?: (data: unknown, text: string) => boolean;
  /** Built-in schema id (a file `schemas/formats/<id>.schema.json`), applied to the data or front matter. */
  schema?: string;
  /** Markdown formats whose front matter must exist. */
  requiresFrontMatter?: boolean;
  /** JSON formats read by tools with a strict JSON parser (comments are reported). */
  strictJson?: boolean;
  /** Where the format is documented, for docs/formats.md. */
  source?: string;
}

const has = (v: unknown, ...keys: string[]) => isObject(v) && keys.every((k) => k in v);

/** A `$schema` key or a `# yaml-language-server: $schema=` modeline naming a known schema. */
function declaresSchema(data: unknown, text: string, pattern: RegExp): boolean {
  if (isObject(data) && typeof data.$schema === "string" && pattern.test(data.$schema)) return true;
  const modeline = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(text.slice(0, 2000));
  return modeline !== null && pattern.test(modeline[1]!);
}

const mcpEntries = (v: unknown): boolean =>
  isObject(v) &&
  Object.values(v).length > 0 &&
  Object.values(v).every(
    (s) => has(s, "command") || has(s, "url") || has(s, "serverUrl") || has(s, "httpUrl"),
  );

const CLAUDE_HOOK_EVENTS =
  /^(PreToolUse|PostToolUse|PostToolUseFailure|Notification|UserPromptSubmit|Stop|SubagentStop|SubagentStart|PreCompact|SessionStart|SessionEnd|PermissionRequest)$/;

/**
 * The built-in formats, most specific first: the first format whose glob matches a path wins. Ids match
 * the folder names of the real-world test corpus.
 */
export const BUILTIN_FORMATS: readonly FormatDef[] = [
  {
    id: "agent-change-control-policy",
    title: "agent-change-control policy",
    category: "policy",
    syntax: "yaml",
    globs: [".github/agent-change-control.yml", ".github/agent-change-control.yaml"],
    schema: "policy",
    source: "docs/configuration.md",
  },
  {
    id: "agent-change-control-schema",
    title: "JSON Schema named by the policy",
    category: "policy",
    syntax: "auto",
    // Matched by classifyPath from the policy's `schemas[].schema` paths, not by a glob.
    globs: [],
    source: "docs/configuration.md#schemas",
  },
  // --- Claude Code -------------------------------------------------------------------------------
  {
    id: "claude-settings",
    title: "Claude Code settings",
    category: "permissions",
    syntax: "json",
    strictJson: true,
    globs: ["**/.claude/settings.json", "**/.claude/settings.local.json", "**/managed-settings.json"],
    sniffGlobs: ["**/*settings*.json"],
    sniff: (d, t) =>
      declaresSchema(d, t, /claude-code-settings/) ||
      (isObject(d) &&
        ((isObject(d.permissions) &&
          ["allow", "ask", "deny", "defaultMode", "disableBypassPermissionsMode"].some(
            (k) => k in (d.permissions as object),
          )) ||
          (isObject(d.hooks) && Object.keys(d.hooks).some((k) => CLAUDE_HOOK_EVENTS.test(k))) ||
          (isObject(d.sandbox) &&
            ["enabled", "network", "autoAllowBashIfSandboxed", "excludedCommands"].some(
              (k) => k in (d.sandbox as object),
            )))),
    schema: "claude-settings",
    source: "https://json.schemastore.org/claude-code-settings.json (relaxed)",
  },
  {
    id: "claude-hooks",
    title: "Claude Code plugin hooks",
    category: "permissions",
    syntax: "json",
    strictJson: true,
    globs: ["**/hooks/hooks.json"],
    schema: "claude-hooks",
  },
  {
    id: "claude-agent",
    title: "Claude Code subagent",
    category: "prompt",
    syntax: "markdown",
    requiresFrontMatter: true,
    globs: ["**/.claude/agents/**/*.md"],
    sniffGlobs: ["**/agents/**/*.md"],
    sniff: (d) => has(d, "name", "description"),
    schema: "claude-agent",
  },
  {
    id: "claude-command",
    title: "Claude Code slash command",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/.claude/commands/**/*.md"],
    schema: "claude-command",
  },
  {
    id: "claude-skill",
    title: "Claude Code skill",
    category: "prompt",
    syntax: "markdown",
    requiresFrontMatter: true,
    globs: ["**/.claude/skills/*/SKILL.md", "**/skills/*/SKILL.md"],
    schema: "claude-skill",
  },
  {
    id: "instructions-claude-md",
    title: "CLAUDE.md memory / instructions",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/CLAUDE.md", "**/CLAUDE.local.md", "**/.claude/rules/**/*.md"],
  },
  {
    id: "instructions-agents-md",
    title: "AGENTS.md instructions",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/AGENTS.md", "**/AGENTS.override.md"],
  },
  {
    id: "instructions-gemini-md",
    title: "GEMINI.md instructions",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/GEMINI.md"],
  },
  // --- Cursor, Copilot and other IDE assistants ----------------------------------------------------
  {
    id: "cursorrules",
    title: "Cursor legacy rules (.cursorrules)",
    category: "prompt",
    syntax: "text",
    globs: ["**/.cursorrules"],
  },
  {
    id: "cursor-rule",
    title: "Cursor rule (.mdc)",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/.cursor/rules/**/*.mdc", "**/*.mdc"],
    schema: "cursor-rule",
  },
  {
    id: "instructions-other",
    title: "Other assistants' instruction files",
    category: "prompt",
    syntax: "markdown",
    globs: [
      "**/.windsurfrules",
      "**/.clinerules",
      "**/.clinerules/**/*.md",
      "**/.junie/guidelines.md",
      "**/.kiro/steering/**/*.md",
    ],
  },
  {
    id: "copilot-instructions",
    title: "GitHub Copilot repository instructions",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/.github/copilot-instructions.md"],
  },
  {
    id: "copilot-path-instructions",
    title: "GitHub Copilot path instructions",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/*.instructions.md"],
    schema: "copilot-path-instructions",
  },
  {
    id: "copilot-prompt",
    title: "GitHub Copilot prompt file",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/*.prompt.md"],
    schema: "copilot-prompt",
  },
  {
    id: "copilot-agent",
    title: "GitHub Copilot custom agent",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/*.agent.md"],
    schema: "copilot-agent",
  },
  {
    id: "copilot-chatmode",
    title: "GitHub Copilot chat mode (legacy)",
    category: "prompt",
    syntax: "markdown",
    globs: ["**/*.chatmode.md"],
    schema: "copilot-chatmode",
  },
  // --- Prompt assets -------------------------------------------------------------------------------
  {
    id: "github-prompt",
    title: "GitHub Models prompt",
    category: "prompt",
    syntax: "yaml",
    globs: ["**/*.prompt.yml", "**/*.prompt.yaml"],
    schema: "github-prompt",
    source: "https://json.schemastore.org/github-prompt.json (with a role enum)",
  },
  {
    id: "prompty",
    title: "Prompty",
    category: "prompt",
    syntax: "markdown",
    requiresFrontMatter: true,
    globs: ["**/*.prompty"],
    schema: "prompty",
  },
  // --- MCP client configs --------------------------------------------------------------------------
  {
    id: "mcp-vscode",
    title: "VS Code MCP servers",
    category: "mcp",
    syntax: "jsonc",
    globs: ["**/.vscode/mcp.json"],
    schema: "mcp-vscode",
  },
  {
    id: "mcp-cursor",
    title: "Cursor MCP servers",
    category: "mcp",
    syntax: "jsonc",
    globs: ["**/.cursor/mcp.json"],
    schema: "mcp-cursor",
  },
  {
    id: "mcp-project",
    title: "Claude Code project MCP servers (.mcp.json)",
    category: "mcp",
    syntax: "json",
    strictJson: true,
    globs: ["**/.mcp.json"],
    schema: "mcp-project",
  },
  {
    id: "mcp-claude-desktop",
    title: "Claude Desktop MCP servers",
    category: "mcp",
    syntax: "json",
    strictJson: true,
    globs: ["**/claude_desktop_config.json"],
    schema: "mcp-claude-desktop",
  },
  {
    id: "gemini-settings",
    title: "Gemini CLI settings",
    category: "mcp",
    syntax: "json",
    globs: ["**/.gemini/settings.json"],
    schema: "gemini-settings",
  },
  {
    id: "mcp-copilot",
    title: "GitHub Copilot CLI / coding agent MCP servers",
    category: "mcp",
    syntax: "json",
    globs: ["mcp.json", "**/.copilot/mcp-config.json", "**/.github/copilot/mcp.json"],
    schema: "mcp-copilot",
  },
  {
    id: "mcp-other",
    title: "Other MCP clients (Amazon Q, Kiro, Roo, Cline, Windsurf…)",
    category: "mcp",
    syntax: "jsonc",
    globs: [
      "**/.amazonq/mcp.json",
      "**/.kiro/settings/mcp.json",
      "**/.roo/mcp.json",
      "**/cline_mcp_settings.json",
      "**/mcp_config.json",
      "**/mcp.json",
    ],
    sniffGlobs: ["**/*.json"],
    sniff: (d) => isObject(d) && mcpEntries(d.mcpServers),
    schema: "mcp-other",
  },
  {
    id: "mcp-registry-server",
    title: "MCP Registry server.json",
    category: "mcp",
    syntax: "json",
    globs: [],
    sniffGlobs: ["**/server.json"],
    sniff: (d, t) =>
      declaresSchema(d, t, /modelcontextprotocol/) || has(d, "name", "packages") || has(d, "name", "remotes"),
    schema: "mcp-registry-server",
    source: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
  },
  {
    id: "codex-config",
    title: "OpenAI Codex config.toml",
    category: "permissions",
    syntax: "toml",
    globs: ["**/.codex/config.toml"],
    schema: "codex-config",
  },
  {
    id: "mcp-tool-manifest",
    title: "Tool definitions (MCP tools/list, function-calling schemas)",
    category: "tool",
    syntax: "json",
    globs: ["**/*.tools.json", "**/tools/*.tool.json"],
    sniffGlobs: ["**/*.json"],
    sniff: (d) => {
      const list = Array.isArray(d) ? d : isObject(d) && Array.isArray(d.tools) ? d.tools : undefined;
      return (
        list !== undefined &&
        list.length > 0 &&
        list.every(
          (t) => has(t, "name") && (has(t, "inputSchema") || has(t, "input_schema") || has(t, "parameters")),
        )
      );
    },
    schema: "mcp-tool-manifest",
  },
  // --- Agent frameworks ----------------------------------------------------------------------------
  {
    id: "crewai-agents",
    title: "CrewAI agents",
    category: "prompt",
    syntax: "yaml",
    globs: ["**/config/agents.yaml", "**/config/agents.yml"],
    schema: "crewai-agents",
  },
  {
    id: "crewai-tasks",
    title: "CrewAI tasks",
    category: "prompt",
    syntax: "yaml",
    globs: ["**/config/tasks.yaml", "**/config/tasks.yml"],
    schema: "crewai-tasks",
  },
  {
    id: "promptfoo",
    title: "promptfoo config",
    category: "model",
    syntax: "auto",
    globs: [
      "**/promptfooconfig.yaml",
      "**/promptfooconfig.yml",
      "**/promptfooconfig.json",
      "**/*.promptfooconfig.yaml",
    ],
    sniffGlobs: ["**/*.yaml", "**/*.yml"],
    sniff: (d, t) => declaresSchema(d, t, /promptfoo\.dev/),
    schema: "promptfoo",
  },
  {
    id: "adk-agent-config",
    title: "Google ADK agent config",
    category: "prompt",
    syntax: "yaml",
    globs: ["**/root_agent.yaml"],
    sniffGlobs: ["**/*.yaml", "**/*.yml"],
    sniff: (d, t) => declaresSchema(d, t, /AgentConfig\.json/) || has(d, "agent_class", "name"),
    schema: "adk-agent-config",
  },
  {
    id: "nemo-guardrails",
    title: "NVIDIA NeMo Guardrails",
    category: "policy",
    syntax: "auto",
    globs: ["**/*.co"],
    sniffGlobs: [
      "**/config.yml",
      "**/config.yaml",
      "**/prompts.yml",
      "**/prompts.yaml",
      "**/*.yml",
      "**/*.yaml",
    ],
    sniff: (d) =>
      isObject(d) &&
      ((isObject(d.rails) &&
        ("input" in d.rails || "output" in d.rails || "dialog" in d.rails || "config" in d.rails)) ||
        (Array.isArray(d.prompts) && d.prompts.length > 0 && d.prompts.every((p) => has(p, "task"))) ||
        (Array.isArray(d.models) && Array.isArray(d.instructions))),
    schema: "nemo-guardrails",
  },
  {
    id: "bedrock-cfn",
    title: "Amazon Bedrock agent (CloudFormation / SAM)",
    category: "tool",
    syntax: "auto",
    globs: [],
    sniffGlobs: ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.template"],
    sniff: (d) =>
      isObject(d) &&
      isObject(d.Resources) &&
      Object.values(d.Resources).some(
        (r) => isObject(r) && typeof r.Type === "string" && r.Type.startsWith("AWS::Bedrock::"),
      ),
  },
  {
    id: "autogen",
    title: "AutoGen OAI_CONFIG_LIST",
    category: "model",
    syntax: "jsonc",
    globs: ["**/OAI_CONFIG_LIST", "**/OAI_CONFIG_LIST*"],
    schema: "autogen",
  },
  {
    id: "semantic-kernel",
    title: "Semantic Kernel prompt",
    category: "prompt",
    syntax: "auto",
    globs: ["**/skprompt.txt"],
    sniffGlobs: ["**/config.json"],
    sniff: (d) => has(d, "schema", "execution_settings") || has(d, "schema", "input_variables"),
    schema: "semantic-kernel",
  },
  {
    id: "langchain-prompt",
    title: "LangChain serialized prompt",
    category: "prompt",
    syntax: "auto",
    globs: [],
    sniffGlobs: ["**/*.yaml", "**/*.yml", "**/*.json"],
    sniff: (d) =>
      isObject(d) &&
      ((typeof d._type === "string" && /^(prompt|few_shot|chat)$/.test(d._type)) ||
        (Array.isArray(d.input_variables) && ("template" in d || "template_path" in d))),
    schema: "langchain-prompt",
  },
  // --- Policy as code ------------------------------------------------------------------------------
  {
    id: "policy-rego",
    title: "OPA Rego policy",
    category: "policy",
    syntax: "text",
    globs: ["**/*.rego"],
  },
  {
    id: "policy-cedar",
    title: "Cedar policy",
    category: "policy",
    syntax: "auto",
    globs: ["**/*.cedar", "**/*.cedarschema"],
    sniffGlobs: ["**/*.json"],
    sniff: (d) =>
      isObject(d) && (d.type === "cedarv1" || (isObject(d.cedar) && Array.isArray(d.cedar.policies))),
    schema: "policy-cedar",
  },
];

/** Formats a policy may name for files it declares, checked for syntax (and a repository schema) only. */
export const GENERIC_FORMATS: readonly FormatDef[] = (
  ["json", "jsonc", "yaml", "toml", "markdown", "text"] as const
).map((syntax) => ({
  id: syntax,
  title: `generic ${syntax}`,
  category: "other" as Category,
  syntax,
  globs: [],
}));

const BY_ID = new Map([...BUILTIN_FORMATS, ...GENERIC_FORMATS].map((f) => [f.id, f]));

export function formatById(id: string): FormatDef | undefined {
  return BY_ID.get(id);
}

export function knownFormatIds(): string[] {
  return [...BY_ID.keys()];
}
