import { isRecord as isObj, type PointerSegment, stringValue as str } from "../parse/document.js";
import { parsePermissionRule, splitToolList } from "./permission-rules.js";
import type { Hook, PermissionDecision, PermissionRule, Permissions } from "./types.js";

/**
 * Permission settings of one side of a file: what the agent may do without asking, which commands the client
 * runs on its own (hooks, helpers), where model traffic goes, and the safety switches around them.
 *
 * Formats: Claude Code settings, plugin hooks, subagents, slash commands and skills; Codex config.toml;
 * Copilot custom agents, prompt files and chat modes. Every value is type-checked (odd input never throws);
 * every entity keeps the JSON pointer it came from.
 */

/** A safety switch (a flag whose default protects, or whose value loosens): the value as written. */
export interface PermissionSwitch {
  value: string | number | boolean;
  pointer: PointerSegment[];
}

/** What the extractors build: `Permissions` whose switches are always present. */
export interface PermissionsWithSwitches extends Permissions {
  switches: Map<string, PermissionSwitch>;
}

/** The switches extracted with the permissions (empty when there are none). */
export function switchesOf(p: Permissions | undefined): Map<string, PermissionSwitch> {
  return p?.switches ?? new Map();
}

type Obj = Record<string, unknown>;

function empty(): PermissionsWithSwitches {
  return {
    rules: [],
    hooks: [],
    directories: [],
    mcpAutoEnable: { servers: [], pointer: [] },
    endpoints: [],
    limits: new Map(),
    switches: new Map(),
  };
}

/** Permission settings a file declares, or undefined when the format carries none (or the data is not an object). */
export function extractPermissions(formatId: string, data: unknown): Permissions | undefined {
  if (!isObj(data)) return undefined;
  try {
    switch (formatId) {
      case "claude-settings":
        return claudeSettings(data);
      case "claude-hooks": {
        const p = empty();
        p.hooks = claudeHooks(data.hooks, ["hooks"]);
        return p;
      }
      case "claude-agent":
        return claudeAgent(data);
      case "claude-command":
      case "claude-skill":
        return claudeCommand(data);
      case "codex-config":
        return codexConfig(data);
      case "copilot-agent":
      case "copilot-prompt":
      case "copilot-chatmode":
        return copilot(data);
      default:
        return undefined;
    }
  } catch {
    // A model that cannot be built is no model: rules then see the side as granting nothing.
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shared pieces

function setSwitch(p: PermissionsWithSwitches, key: string, value: unknown, pointer: PointerSegment[]): void {
  if (
    typeof value === "boolean" ||
    typeof value === "string" ||
    (typeof value === "number" && Number.isFinite(value))
  )
    p.switches.set(key, { value, pointer });
}

function setLimit(p: Permissions, key: string, value: unknown, pointer: PointerSegment[]): void {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d{1,15}(?:\.\d{1,6})?$/.test(value.trim())
        ? Number(value)
        : NaN;
  if (Number.isFinite(n)) p.limits.set(key, { value: n, pointer });
}

/** Rules from a list (`["Bash(npm test)", …]`) or a one-line string (`Bash, Read`). */
function ruleList(v: unknown, decision: PermissionDecision, pointer: PointerSegment[]): PermissionRule[] {
  const out: PermissionRule[] = [];
  if (Array.isArray(v)) {
    v.forEach((r, i) => {
      if (typeof r === "string" && r.trim()) out.push(parsePermissionRule(r, decision, [...pointer, i]));
    });
  } else if (typeof v === "string") {
    for (const r of splitToolList(v)) out.push(parsePermissionRule(r, decision, pointer));
  }
  return out;
}

/** A tool list from a YAML list or a comma/space-separated string; undefined when absent or of another type. */
function toolList(v: unknown, pointer: PointerSegment[]): Permissions["toolGrants"] {
  if (Array.isArray(v))
    return {
      tools: v.filter((t): t is string => typeof t === "string" && t.trim() !== "").map((t) => t.trim()),
      pointer,
    };
  if (typeof v === "string") return { tools: splitToolList(v), pointer };
  return undefined;
}

/** Claude hooks map: `{ <Event>: [{ matcher, hooks: [{ type, command | url | … }] }] }` (also Codex `[hooks]`). */
function claudeHooks(v: unknown, pointer: PointerSegment[]): Hook[] {
  const out: Hook[] = [];
  if (!isObj(v)) return out;
  for (const [event, groups] of Object.entries(v)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, gi) => {
      if (!isObj(group) || !Array.isArray(group.hooks)) return;
      const matcher = str(group.matcher);
      group.hooks.forEach((h, hi) => {
        if (!isObj(h)) return;
        const command = str(h.command);
        const url = str(h.url);
        out.push({
          event,
          ...(matcher !== undefined ? { matcher } : {}),
          type: str(h.type) ?? (command !== undefined ? "command" : "unknown"),
          ...(command !== undefined ? { command } : {}),
          ...(url !== undefined ? { url } : {}),
          pointer: [...pointer, event, gi, "hooks", hi],
        });
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Claude Code settings

/** Environment variables that send model traffic, telemetry or all HTTP traffic elsewhere. */
function isEndpointEnv(name: string): boolean {
  const k = name.toUpperCase();
  return (
    k.endsWith("_BASE_URL") ||
    k.endsWith("_ENDPOINT") ||
    k === "HTTPS_PROXY" ||
    k === "HTTP_PROXY" ||
    k === "ALL_PROXY" ||
    k === "NO_PROXY" ||
    k === "CLAUDE_CODE_USE_BEDROCK" ||
    k === "CLAUDE_CODE_USE_VERTEX" ||
    k === "CLAUDE_CODE_USE_FOUNDRY"
  );
}

/** Environment variables that are numeric limits: token caps, timeouts, turn and budget limits. */
function isLimitEnv(name: string): boolean {
  const k = name.toUpperCase();
  return /(?:^|_)(?:MAX|TIMEOUT|LIMIT|BUDGET)(?:_|$)/.test(k);
}

/** Settings whose value is a shell command Claude Code runs to get credentials or headers. */
export const CLAUDE_HELPERS = [
  "apiKeyHelper",
  "awsAuthRefresh",
  "awsCredentialExport",
  "gcpAuthRefresh",
  "otelHeadersHelper",
];
/** Settings that are `{ type: "command", command }` objects Claude Code runs on its own. */
const CLAUDE_COMMAND_SETTINGS = ["statusLine", "subagentStatusLine", "fileSuggestion"];

function claudeSettings(d: Obj): PermissionsWithSwitches {
  const p = empty();
  const perms = isObj(d.permissions) ? d.permissions : undefined;
  if (perms) {
    for (const decision of ["allow", "ask", "deny"] as const)
      p.rules.push(...ruleList(perms[decision], decision, ["permissions", decision]));
    const mode = str(perms.defaultMode);
    if (mode !== undefined) p.defaultMode = { value: mode, pointer: ["permissions", "defaultMode"] };
    if (Array.isArray(perms.additionalDirectories))
      perms.additionalDirectories.forEach((dir, i) => {
        if (typeof dir === "string" && dir.trim())
          p.directories.push({ path: dir, pointer: ["permissions", "additionalDirectories", i] });
      });
    setSwitch(p, "permissions.disableBypassPermissionsMode", perms.disableBypassPermissionsMode, [
      "permissions",
      "disableBypassPermissionsMode",
    ]);
    setSwitch(p, "permissions.disableAutoMode", perms.disableAutoMode, ["permissions", "disableAutoMode"]);
  }
  for (const k of [
    "disableAutoMode",
    "allowManagedPermissionRulesOnly",
    "allowManagedHooksOnly",
    "allowManagedMcpServersOnly",
    "disableAllHooks",
  ])
    setSwitch(p, k, d[k], [k]);

  p.hooks = claudeHooks(d.hooks, ["hooks"]);
  for (const k of CLAUDE_COMMAND_SETTINGS) {
    const s = d[k];
    if (isObj(s) && typeof s.command === "string")
      p.hooks.push({ event: k, type: "command", command: s.command, pointer: [k, "command"] });
  }
  if (isObj(d.policyHelper) && typeof d.policyHelper.path === "string")
    p.hooks.push({
      event: "policyHelper",
      type: "command",
      command: d.policyHelper.path,
      pointer: ["policyHelper", "path"],
    });

  const sandbox = isObj(d.sandbox) ? d.sandbox : undefined;
  if (sandbox) {
    const network = isObj(sandbox.network) ? sandbox.network : undefined;
    const domains = Array.isArray(network?.allowedDomains) ? network.allowedDomains : [];
    p.sandbox = {
      ...(typeof sandbox.enabled === "boolean" ? { enabled: sandbox.enabled } : {}),
      allowedDomains: domains.filter((x): x is string => typeof x === "string"),
      pointer: ["sandbox"],
    };
    for (const k of ["allowUnsandboxedCommands", "autoAllowBashIfSandboxed", "enableWeakerNestedSandbox"])
      setSwitch(p, `sandbox.${k}`, sandbox[k], ["sandbox", k]);
    if (network) {
      for (const k of ["allowAllUnixSockets", "allowLocalBinding", "allowManagedDomainsOnly"])
        setSwitch(p, `sandbox.network.${k}`, network[k], ["sandbox", "network", k]);
    }
    const fs = isObj(sandbox.filesystem) ? sandbox.filesystem : undefined;
    if (fs && Array.isArray(fs.allowWrite))
      fs.allowWrite.forEach((dir, i) => {
        if (typeof dir === "string" && dir.trim())
          p.directories.push({ path: dir, pointer: ["sandbox", "filesystem", "allowWrite", i] });
      });
  }

  const all = typeof d.enableAllProjectMcpServers === "boolean" ? d.enableAllProjectMcpServers : undefined;
  const servers = Array.isArray(d.enabledMcpjsonServers)
    ? d.enabledMcpjsonServers.filter((s): s is string => typeof s === "string")
    : [];
  p.mcpAutoEnable = {
    ...(all !== undefined ? { all } : {}),
    servers,
    pointer: Array.isArray(d.enabledMcpjsonServers)
      ? ["enabledMcpjsonServers"]
      : all !== undefined
        ? ["enableAllProjectMcpServers"]
        : [],
  };

  if (isObj(d.env)) {
    for (const [k, v] of Object.entries(d.env)) {
      if (typeof v !== "string" && typeof v !== "number") continue;
      if (isEndpointEnv(k)) p.endpoints.push({ key: `env.${k}`, value: String(v), pointer: ["env", k] });
      else if (isLimitEnv(k)) setLimit(p, `env.${k}`, v, ["env", k]);
    }
  }
  for (const k of CLAUDE_HELPERS) {
    const v = str(d[k]);
    if (v !== undefined) p.endpoints.push({ key: k, value: v, pointer: [k] });
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Claude Code subagents, slash commands and skills (front matter)

function claudeAgent(d: Obj): PermissionsWithSwitches {
  const p = empty();
  p.rules = ruleList(d.disallowedTools, "deny", ["disallowedTools"]);
  const grants = toolList(d.tools, ["tools"]);
  if (grants) p.toolGrants = grants;
  const mode = str(d.permissionMode);
  if (mode !== undefined) p.defaultMode = { value: mode, pointer: ["permissionMode"] };
  p.hooks = claudeHooks(d.hooks, ["hooks"]);
  setLimit(p, "maxTurns", d.maxTurns, ["maxTurns"]);
  return p;
}

/** `allowed-tools` of commands and skills pre-approves tools while the command or skill is active. */
function claudeCommand(d: Obj): PermissionsWithSwitches {
  const p = empty();
  const grants = toolList(d["allowed-tools"], ["allowed-tools"]);
  if (grants) p.toolGrants = grants;
  p.hooks = claudeHooks(d.hooks, ["hooks"]);
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Codex

function codexApproval(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (isObj(v) && "granular" in v) return "granular";
  return undefined;
}

function codexConfig(d: Obj): PermissionsWithSwitches {
  const p = empty();
  const profiles = isObj(d.profiles) ? d.profiles : undefined;
  const activeName = str(d.profile);
  const active =
    activeName !== undefined && profiles && isObj(profiles[activeName])
      ? (profiles[activeName] as Obj)
      : undefined;

  // Effective values: the active profile (`profile = "…"`) overrides the top level.
  const pick = (key: string): { value: unknown; pointer: PointerSegment[] } | undefined => {
    if (active && active[key] !== undefined && activeName !== undefined)
      return { value: active[key], pointer: ["profiles", activeName, key] };
    return d[key] !== undefined ? { value: d[key], pointer: [key] } : undefined;
  };
  const approval = pick("approval_policy");
  const approvalValue = approval ? codexApproval(approval.value) : undefined;
  if (approval && approvalValue !== undefined)
    p.approvalPolicy = { value: approvalValue, pointer: approval.pointer };
  const sandboxMode = pick("sandbox_mode");
  if (sandboxMode && typeof sandboxMode.value === "string")
    p.sandboxMode = { value: sandboxMode.value, pointer: sandboxMode.pointer };

  // Every profile's modes, for rules that judge profiles chosen with `--profile`.
  if (profiles) {
    for (const [name, prof] of Object.entries(profiles)) {
      if (!isObj(prof)) continue;
      const a = codexApproval(prof.approval_policy);
      if (a !== undefined)
        setSwitch(p, `profiles.${name}.approval_policy`, a, ["profiles", name, "approval_policy"]);
      setSwitch(p, `profiles.${name}.sandbox_mode`, prof.sandbox_mode, ["profiles", name, "sandbox_mode"]);
    }
  }

  const sww = isObj(d.sandbox_workspace_write) ? d.sandbox_workspace_write : undefined;
  if (sww) {
    if (Array.isArray(sww.writable_roots))
      sww.writable_roots.forEach((dir, i) => {
        if (typeof dir === "string" && dir.trim())
          p.directories.push({ path: dir, pointer: ["sandbox_workspace_write", "writable_roots", i] });
      });
    setSwitch(p, "sandbox_workspace_write.network_access", sww.network_access, [
      "sandbox_workspace_write",
      "network_access",
    ]);
    // Network access from the workspace-write sandbox is all or nothing: model it as every domain.
    p.sandbox = {
      allowedDomains: sww.network_access === true ? ["*"] : [],
      pointer:
        sww.network_access !== undefined
          ? ["sandbox_workspace_write", "network_access"]
          : ["sandbox_workspace_write"],
    };
  }

  const sep = isObj(d.shell_environment_policy) ? d.shell_environment_policy : undefined;
  if (sep) {
    setSwitch(p, "shell_environment_policy.inherit", sep.inherit, ["shell_environment_policy", "inherit"]);
    setSwitch(p, "shell_environment_policy.ignore_default_excludes", sep.ignore_default_excludes, [
      "shell_environment_policy",
      "ignore_default_excludes",
    ]);
  }

  const provider = pick("model_provider");
  if (provider && typeof provider.value === "string")
    p.endpoints.push({ key: "model_provider", value: provider.value, pointer: provider.pointer });
  for (const k of ["openai_base_url", "chatgpt_base_url", "experimental_realtime_ws_base_url"]) {
    const v = str(d[k]);
    if (v !== undefined) p.endpoints.push({ key: k, value: v, pointer: [k] });
  }
  if (isObj(d.model_providers)) {
    for (const [name, prov] of Object.entries(d.model_providers)) {
      if (isObj(prov) && typeof prov.base_url === "string")
        p.endpoints.push({
          key: `model_providers.${name}.base_url`,
          value: prov.base_url,
          pointer: ["model_providers", name, "base_url"],
        });
    }
  }

  if (Array.isArray(d.notify) && d.notify.length > 0 && d.notify.every((x) => typeof x === "string"))
    p.hooks.push({
      event: "notify",
      type: "command",
      command: (d.notify as string[]).join(" "),
      pointer: ["notify"],
    });
  p.hooks.push(...claudeHooks(d.hooks, ["hooks"]));

  for (const k of ["background_terminal_max_timeout", "tool_output_token_limit", "model_max_output_tokens"])
    setLimit(p, k, d[k], [k]);
  if (isObj(d.agents))
    for (const k of ["max_threads", "max_depth"]) setLimit(p, `agents.${k}`, d.agents[k], ["agents", k]);
  if (isObj(d.mcp_servers)) {
    for (const [name, server] of Object.entries(d.mcp_servers)) {
      if (isObj(server))
        setLimit(p, `mcp_servers.${name}.tool_timeout_sec`, server.tool_timeout_sec, [
          "mcp_servers",
          name,
          "tool_timeout_sec",
        ]);
    }
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Copilot custom agents, prompt files, chat modes

function copilot(d: Obj): PermissionsWithSwitches {
  const p = empty();
  if (Array.isArray(d.tools)) {
    const grants = toolList(d.tools, ["tools"]);
    if (grants) p.toolGrants = grants;
  }
  return p;
}
