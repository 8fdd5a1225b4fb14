import { describe, expect, test } from "@jest/globals";
import { classifyPath, type PathClass, sniffContent } from "../../../src/core/formats/classify.js";
import { BUILTIN_FORMATS, type FormatDef } from "../../../src/core/formats/registry.js";
import { parseText, syntaxFromPath } from "../../../src/core/parse/index.js";
import {
  defaultPolicy,
  loadPolicy,
  POLICY_PATH,
  type ResolvedPolicy,
} from "../../../src/core/policy/resolve.js";
import type { Category } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";

const DEFAULTS = defaultPolicy();

function policy(yaml: string): ResolvedPolicy {
  const load = loadPolicy(yaml, POLICY_PATH, builtinSchemas());
  if (!load.ok) throw new Error(`test policy is invalid: ${JSON.stringify(load.messages)}`);
  return load.policy;
}

/** `format/category/matchedBy` for a path match, `sniff` or `none`: one comparable string per path. */
function describeClass(c: PathClass): string {
  if (c.kind === "match") return `${c.format.id}/${c.category}/${c.matchedBy}`;
  return c.kind;
}

function classify(path: string, p: ResolvedPolicy = DEFAULTS): string {
  return describeClass(classifyPath(path, p));
}

/** What the engine does with a generically named file: the path picks candidates, the content decides. */
function sniff(path: string, text: string, p: ResolvedPolicy = DEFAULTS): string | undefined {
  const c = classifyPath(path, p);
  if (c.kind !== "sniff") return `not sniffed (${describeClass(c)})`;
  const doc = parseText(text, syntaxFromPath(path));
  return sniffContent(c.candidates, doc.data, text)?.id;
}

describe("built-in path globs", () => {
  const cases: [path: string, format: string, category: Category][] = [
    [".mcp.json", "mcp-project", "mcp"],
    ["claude_desktop_config.json", "mcp-claude-desktop", "mcp"],
    [".vscode/mcp.json", "mcp-vscode", "mcp"],
    [".cursor/mcp.json", "mcp-cursor", "mcp"],
    [".gemini/settings.json", "gemini-settings", "mcp"],
    [".claude/settings.json", "claude-settings", "permissions"],
    [".claude/settings.local.json", "claude-settings", "permissions"],
    [".claude/agents/x/y.md", "claude-agent", "prompt"],
    [".claude/agents/reviewer.md", "claude-agent", "prompt"],
    [".claude/commands/z.md", "claude-command", "prompt"],
    ["CLAUDE.md", "instructions-claude-md", "prompt"],
    ["AGENTS.md", "instructions-agents-md", "prompt"],
    ["GEMINI.md", "instructions-gemini-md", "prompt"],
    [".cursorrules", "cursorrules", "prompt"],
    [".cursor/rules/a/b.mdc", "cursor-rule", "prompt"],
    [".github/copilot-instructions.md", "copilot-instructions", "prompt"],
    [".github/instructions/ts.instructions.md", "copilot-path-instructions", "prompt"],
    ["docs/deep/x.instructions.md", "copilot-path-instructions", "prompt"],
    [".github/prompts/create-pr.prompt.md", "copilot-prompt", "prompt"],
    ["a/b/c.prompt.md", "copilot-prompt", "prompt"],
    [".github/agents/my-agent.agent.md", "copilot-agent", "prompt"],
    ["agents/x.agent.md", "copilot-agent", "prompt"],
    [".github/chatmodes/learn.chatmode.md", "copilot-chatmode", "prompt"],
    ["x/y.chatmode.md", "copilot-chatmode", "prompt"],
    ["s.prompt.yml", "github-prompt", "prompt"],
    ["prompts/a/b.prompt.yaml", "github-prompt", "prompt"],
    [".codex/config.toml", "codex-config", "permissions"],
    ["config/agents.yaml", "crewai-agents", "prompt"],
    ["config/tasks.yaml", "crewai-tasks", "prompt"],
    ["src/crew/config/agents.yml", "crewai-agents", "prompt"],
    ["promptfooconfig.yaml", "promptfoo", "model"],
    ["examples/x/promptfooconfig.yaml", "promptfoo", "model"],
    [".github/agent-change-control.yml", "agent-change-control-policy", "policy"],
    [".github/agent-change-control.yaml", "agent-change-control-policy", "policy"],
  ];
  test.each(cases)("%s → %s (%s)", (path, format, category) => {
    expect(classify(path)).toBe(`${format}/${category}/path`);
  });

  test.each([
    ["packages/x/.mcp.json", "mcp-project/mcp/path"],
    ["plugins/p/.mcp.json", "mcp-project/mcp/path"],
    ["apps/web/.vscode/mcp.json", "mcp-vscode/mcp/path"],
    ["apps/web/.cursor/mcp.json", "mcp-cursor/mcp/path"],
    ["services/api/.claude/settings.json", "claude-settings/permissions/path"],
    ["services/api/.claude/commands/deploy/prod.md", "claude-command/prompt/path"],
    ["packages/lib/CLAUDE.md", "instructions-claude-md/prompt/path"],
    ["packages/lib/AGENTS.md", "instructions-agents-md/prompt/path"],
    ["tools/.codex/config.toml", "codex-config/permissions/path"],
  ])("nested: %s → %s", (path, expected) => {
    expect(classify(path)).toBe(expected);
  });

  test.each([
    "docs/CLAUDE.md.bak",
    "CLAUDE.md.bak",
    ".mcp.json.example",
    "examples/.mcp.json.example",
    "src/agents.ts",
    "mcp.json5",
    "claude.md.txt",
    "README.md",
    "docs/AGENTS.txt",
    ".claude/settings.json.orig",
    ".vscode/mcp.jsonc",
    ".cursor/rules/a.md",
    "src/config/agents.ts",
    "promptfooconfig.yaml.bak",
    "src/index.ts",
  ])("near miss %s is not an agent config", (path) => {
    expect(classify(path)).toBe("none");
  });

  test.each(["prompt.yml", "docs/agent-change-control.yml", "config/agents.json", "promptfoo.yaml"])(
    "near miss %s is not recognised by path (at most read for content)",
    (path) => {
      expect(classify(path)).toMatch(/^(none|sniff)$/);
    },
  );

  test("the policy file is recognised only where it is read (the .github folder at the root)", () => {
    expect(classify("sub/.github/agent-change-control.yml")).not.toMatch(/^agent-change-control-policy/);
  });

  test("server.json is never decided by path: it is read and its content decides", () => {
    const c = classifyPath("server.json", DEFAULTS);
    expect(c.kind).toBe("sniff");
    if (c.kind !== "sniff") return;
    expect(c.candidates.map((f) => f.id)).toContain("mcp-registry-server");
    expect(classifyPath("servers/github/server.json", DEFAULTS).kind).toBe("sniff");
  });

  test("every built-in format with globs is reachable: its first glob's example path classifies to it", () => {
    // A format listed after a broader glob that always wins would be dead; catch such ordering mistakes.
    const examples: Record<string, string> = {
      "claude-hooks": "plugins/p/hooks/hooks.json",
      "claude-skill": ".claude/skills/pdf/SKILL.md",
      "instructions-other": ".windsurfrules",
      prompty: "prompts/x.prompty",
      "mcp-copilot": "mcp.json",
      "mcp-other": ".amazonq/mcp.json",
      "adk-agent-config": "agents/root_agent.yaml",
      "nemo-guardrails": "rails/flows.co",
      autogen: "OAI_CONFIG_LIST",
      "semantic-kernel": "plugins/Writer/Poem/skprompt.txt",
      "policy-rego": "policies/tools.rego",
      "policy-cedar": "policies/tools.cedar",
    };
    for (const [id, path] of Object.entries(examples)) {
      expect(`${path} → ${classify(path)}`).toBe(
        `${path} → ${id}/${BUILTIN_FORMATS.find((f) => f.id === id)!.category}/path`,
      );
    }
  });
});

describe("policy overrides", () => {
  test("watch.include adds paths with the category given; without format, built-in or generic by extension", () => {
    const p = policy(`
watch:
  include:
    - path: "prompts/**/*.txt"
      category: prompt
    - path: ["ai/**/*.json", "ai/**/*.yaml"]
      category: tool
    - path: "agents/**/*.yaml"
      category: prompt
      format: crewai-agents
    - path: "**/.mcp.json"
      category: tool
`);
    expect(classify("prompts/support/greeting.txt", p)).toBe("text/prompt/policy");
    expect(classify("ai/tools/search.json", p)).toBe("json/tool/policy");
    expect(classify("ai/tools/search.yaml", p)).toBe("yaml/tool/policy");
    expect(classify("agents/team/researcher.yaml", p)).toBe("crewai-agents/prompt/policy");
    // A built-in format is kept, but the include's category is the policy's word on what the file controls.
    expect(classify("x/.mcp.json", p)).toBe("mcp-project/tool/policy");
    // Paths the include does not name keep the defaults.
    expect(classify("prompts/support/greeting.md", p)).toBe("none");
    expect(classify("CLAUDE.md", p)).toBe("instructions-claude-md/prompt/path");
  });

  test("watch.exclude wins over built-in globs, formats and include", () => {
    const p = policy(`
watch:
  include:
    - path: "test/fixtures/**/*.txt"
      category: prompt
  exclude: ["test/fixtures/**", "docs/examples/**"]
formats:
  - path: "test/fixtures/forced.json"
    format: mcp-other
`);
    expect(classify("test/fixtures/a/.mcp.json", p)).toBe("none");
    expect(classify("test/fixtures/a/p.txt", p)).toBe("none");
    expect(classify("test/fixtures/forced.json", p)).toBe("none");
    expect(classify("test/fixtures/server.json", p)).toBe("none");
    expect(classify("docs/examples/CLAUDE.md", p)).toBe("none");
    expect(classify("CLAUDE.md", p)).toBe("instructions-claude-md/prompt/path");
  });

  test("defaults: false watches only include and formats, and sniffs nothing", () => {
    const p = policy(`
watch:
  defaults: false
  include:
    - path: "prompts/**"
      category: prompt
formats:
  - path: "config/claude.json"
    format: claude-settings
`);
    expect(classify(".mcp.json", p)).toBe("none");
    expect(classify("CLAUDE.md", p)).toBe("none");
    expect(classify("server.json", p)).toBe("none");
    expect(classify("config.yml", p)).toBe("none");
    expect(classify("prompts/a.md", p)).toBe("markdown/prompt/policy");
    expect(classify("prompts/.mcp.json", p)).toBe("mcp-project/prompt/policy");
    expect(classify("config/claude.json", p)).toBe("claude-settings/permissions/policy");
  });

  test("sniff: false keeps the built-in globs but never reads generic files", () => {
    const p = policy("watch:\n  sniff: false\n");
    expect(classify(".mcp.json", p)).toBe("mcp-project/mcp/path");
    expect(classify("server.json", p)).toBe("none");
    expect(classify("cfn/template.yaml", p)).toBe("none");
    expect(classify("tools/config.json", p)).toBe("none");
    expect(classify("server.json")).toBe("sniff");
  });

  test("formats: first match wins, beats built-in globs and include; category defaults to the format's", () => {
    const p = policy(`
watch:
  include:
    - path: "tools/**"
      category: other
formats:
  - path: "tools/special.json"
    format: mcp-other
  - path: "tools/*.json"
    format: json
    category: tool
  - path: ".mcp.json"
    format: jsonc
  - path: "config/claude.json"
    format: claude-settings
  - path: "CLAUDE.md"
    format: text
    category: policy
`);
    expect(classify("tools/special.json", p)).toBe("mcp-other/mcp/policy");
    expect(classify("tools/search.json", p)).toBe("json/tool/policy");
    expect(classify("tools/readme.md", p)).toBe("markdown/other/policy");
    expect(classify(".mcp.json", p)).toBe("jsonc/other/policy");
    expect(classify("sub/.mcp.json", p)).toBe("mcp-project/mcp/path");
    expect(classify("config/claude.json", p)).toBe("claude-settings/permissions/policy");
    expect(classify("CLAUDE.md", p)).toBe("text/policy/policy");
  });
});

describe("content sniffing", () => {
  const recognised: [format: string, path: string, text: string][] = [
    ["claude-settings", "config/claude-settings.json", '{"permissions": {"allow": ["Bash(npm test)"]}}'],
    ["claude-settings", "managed/team-settings.json", '{"permissions": {"defaultMode": "plan"}}'],
    [
      "claude-settings",
      "ci/settings.ci.json",
      '{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]}}',
    ],
    ["claude-settings", "sandbox-settings.json", '{"sandbox": {"enabled": true}}'],
    [
      "claude-settings",
      "org-settings.json",
      '{"$schema": "https://json.schemastore.org/claude-code-settings.json", "model": "opus"}',
    ],
    [
      "claude-agent",
      "plugins/p/agents/reviewer.md",
      "---\nname: reviewer\ndescription: Reviews\n---\nBody\n",
    ],
    ["mcp-other", "tools/servers.json", '{"mcpServers": {"gh": {"command": "gh", "args": ["mcp"]}}}'],
    ["mcp-other", "ide/remote.json", '{"mcpServers": {"r": {"serverUrl": "https://mcp.example.com"}}}'],
    [
      "mcp-registry-server",
      "server.json",
      '{"$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json", "name": "io.github.a/b"}',
    ],
    ["mcp-registry-server", "server.json", '{"name": "io.github.a/b", "packages": []}'],
    ["mcp-registry-server", "srv/server.json", '{"name": "io.github.a/b", "remotes": []}'],
    [
      "promptfoo",
      "evals/smoke.yaml",
      "# yaml-language-server: $schema=https://promptfoo.dev/config-schema.json\nprompts: [hi]\n",
    ],
    ["promptfoo", "evals/smoke.yml", "$schema: https://promptfoo.dev/config-schema.json\nprompts: [hi]\n"],
    ["adk-agent-config", "agents/helper.yaml", "agent_class: LlmAgent\nname: helper\n"],
    [
      "adk-agent-config",
      "agents/helper.yml",
      "# yaml-language-server: $schema=https://raw.githubusercontent.com/google/adk-python/main/src/google/adk/agents/config_schemas/AgentConfig.json\nname: helper\n",
    ],
    ["nemo-guardrails", "guard/config.yml", "rails:\n  input:\n    flows: [self check input]\n"],
    ["nemo-guardrails", "guard/prompts.yml", "prompts:\n  - task: self_check_input\n    content: x\n"],
    ["nemo-guardrails", "guard/config.yaml", "models: []\ninstructions: []\n"],
    ["bedrock-cfn", "infra/template.yaml", "Resources:\n  Agent:\n    Type: AWS::Bedrock::Agent\n"],
    [
      "bedrock-cfn",
      "infra/stack.json",
      '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}, "G": {"Type": "AWS::Bedrock::Guardrail"}}}',
    ],
    ["semantic-kernel", "Plugins/Poem/config.json", '{"schema": 1, "execution_settings": {}}'],
    ["semantic-kernel", "Plugins/Poem/config.json", '{"schema": 1, "input_variables": []}'],
    ["langchain-prompt", "prompts/qa.yaml", "_type: prompt\ninput_variables: [q]\ntemplate: '{q}'\n"],
    ["langchain-prompt", "prompts/qa.json", '{"input_variables": ["q"], "template": "{q}"}'],
    ["policy-cedar", "authz/config.json", '{"type": "cedarv1", "cedar": {"policies": []}}'],
    ["policy-cedar", "authz/other.json", '{"cedar": {"policies": ["permit(principal, action, resource);"]}}'],
    [
      "mcp-tool-manifest",
      "api/tools.json",
      '{"tools": [{"name": "search", "inputSchema": {"type": "object"}}]}',
    ],
    ["mcp-tool-manifest", "api/functions.json", '[{"name": "search", "parameters": {"type": "object"}}]'],
  ];
  test.each(recognised)("recognises %s in %s", (format, path, text) => {
    expect(sniff(path, text)).toBe(format);
  });

  test("every sniffable built-in format has a recognition case above", () => {
    const sniffable = BUILTIN_FORMATS.filter((f: FormatDef) => f.sniff).map((f) => f.id);
    expect(new Set(recognised.map(([f]) => f))).toEqual(new Set(sniffable));
  });

  test.each([
    ["a package.json, even one naming MCP servers", "package.json", '{"name": "x", "version": "1.0.0"}'],
    [
      "a package.json in a subfolder",
      "packages/a/package.json",
      '{"name": "a", "mcpServers": {"x": {"command": "y"}}}',
    ],
    [
      "a GitHub workflow",
      ".github/workflows/ci.yml",
      "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    ],
    ["dependabot", ".github/dependabot.yml", "version: 2\nupdates: []\n"],
    ["files under node_modules", "node_modules/x/server.json", '{"name": "a/b", "packages": []}'],
  ])("never reads %s (path excluded from sniffing)", (_what, path, text) => {
    expect(sniff(path, text)).toBe("not sniffed (none)");
  });

  test.each([
    ["a random config.json", "app/config.json", '{"port": 8080, "schema": "v1", "debug": true}'],
    [
      "package.json content in server.json",
      "server.json",
      '{"name": "my-app", "version": "1.0.0", "dependencies": {}}',
    ],
    [
      "a workflow-shaped YAML elsewhere",
      "ci/build.yml",
      "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    ],
    ["an empty mcpServers object", "tools/mcp-servers.json", '{"mcpServers": {}}'],
    ["mcpServers entries without command or url", "tools/x.json", '{"mcpServers": {"a": {"name": "b"}}}'],
    [
      "a CloudFormation template without Bedrock",
      "infra/template.yaml",
      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
    ],
    ["VS Code editor settings", ".vscode/settings.json", '{"editor.tabSize": 2, "files.exclude": {}}'],
    ["settings with an unrelated permissions key", "app/settings.json", '{"permissions": {"admin": true}}'],
    ["agents/*.md without front matter", "docs/agents/overview.md", "# Agents\n\nname: x\ndescription: y\n"],
    ["a YAML list", "data/list.yaml", "- a\n- b\n"],
    ["a scalar", "data/value.json", "42"],
    ["a file that does not parse", "tools/broken.json", '{"mcpServers": {"a": '],
    ["a null document", "data/empty.yaml", "~\n"],
  ])("rejects %s", (_what, path, text) => {
    expect(sniff(path, text)).toBeUndefined();
  });
});
