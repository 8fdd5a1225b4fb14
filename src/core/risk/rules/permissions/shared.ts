import {
  compareRuleSets,
  isWholeTool,
  mcpParts,
  parseRuleText,
  type RuleSetComparison,
  shellGlobs,
} from "../../../model/permission-rules.js";
import { type PermissionSwitch, switchesOf } from "../../../model/permissions.js";
import type { Permissions } from "../../../model/types.js";
import type { PointerSegment } from "../../../parse/document.js";
import { valueAt } from "../../../parse/document.js";
import type { FindingSeverity } from "../../../types.js";
import { reveal } from "../../reveal.js";
import type { FileContext } from "../../types.js";

/** OWASP LLM06 (excessive agency) and ATLAS AML.T0081 (modify AI agent configuration), AML.T0050 (command interpreter). */
export const PERM_OWASP = ["LLM06"];
export const PERM_ATLAS = ["AML.T0081", "AML.T0050"];

export interface PermSide {
  /** Whether the side exists and its model has permissions at all. */
  present: boolean;
  perms: Permissions;
  switches: Map<string, PermissionSwitch>;
  data: unknown;
}

const EMPTY: Permissions = {
  rules: [],
  hooks: [],
  directories: [],
  mcpAutoEnable: { servers: [], pointer: [] },
  endpoints: [],
  limits: new Map(),
};

/** Both sides' permissions; a missing side (added/removed file) or a side without permissions grants nothing. */
export function permSides(file: FileContext): { before: PermSide; after: PermSide } {
  const side = (s: FileContext["before"]): PermSide => {
    const p = s?.model.permissions;
    return { present: p !== undefined, perms: p ?? EMPTY, switches: switchesOf(p), data: s?.doc.data };
  };
  return { before: side(file.before), after: side(file.after) };
}

const comparisons = new WeakMap<FileContext, RuleSetComparison>();

/** `compareRuleSets` of the file's two sides, computed once per file for all rules of the group. */
export function ruleComparison(file: FileContext): RuleSetComparison {
  let c = comparisons.get(file);
  if (!c) {
    const { before, after } = permSides(file);
    c = compareRuleSets(before.perms.rules, after.perms.rules);
    comparisons.set(file, c);
  }
  return c;
}

export { valueAt } from "../../../parse/document.js";

/** The pointer of `item` inside the list at `pointer` (when the data holds a list there), else `pointer`. */
export function itemPointer(
  data: unknown,
  pointer: readonly PointerSegment[],
  item: string,
): PointerSegment[] {
  const list = valueAt(data, pointer);
  if (Array.isArray(list)) {
    const i = list.findIndex((x) => typeof x === "string" && x.trim() === item);
    if (i >= 0) return [...pointer, i];
  }
  return [...pointer];
}

// ---------------------------------------------------------------------------------------------------------
// Showing values in messages

/** Shows invisible and control characters as `⟨U+200B⟩` (the same rendering as every other report). */
export function escapeInvisible(text: string): string {
  return reveal(text);
}

/** Secret-looking parts of a command or URL: known token prefixes, bearer values, `key=value` secrets, URL passwords. */
const SECRET_PATTERNS: RegExp[] = [
  /\b(?:sk-ant-|sk-proj-|sk-|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza|hf_|npm_|pypi-)[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:token|secret|password|passwd|api[_-]?key|apikey|auth)[A-Za-z0-9_]{0,40}\s{0,3}[=:]\s{0,3})("?)[^\s"'&;|]{4,}/gi,
  /(\/\/[^/\s:@]{1,100}:)[^/\s@]{1,200}@/g,
];

/** Redacts secret-looking parts of a value shown in a message; the shape stays readable. */
export function redactSecrets(text: string): string {
  let out = text;
  out = out.replace(SECRET_PATTERNS[0]!, (m) => `${m.slice(0, 4)}…[redacted]`);
  out = out.replace(SECRET_PATTERNS[1]!, (_m, kind: string) => `${kind} [redacted]`);
  out = out.replace(SECRET_PATTERNS[2]!, (_m, key: string, q: string) => `${key}${q}[redacted]`);
  out = out.replace(SECRET_PATTERNS[3]!, (_m, user: string) => `${user}[redacted]@`);
  return out;
}

/** A value for a message: secrets redacted, invisibles escaped, long values shortened, in backticks. */
export function show(value: string, max = 160): string {
  let v = escapeInvisible(redactSecrets(value.replace(/\r\n|\r|\n/g, " ⏎ ")));
  if (v.length > max) v = `${v.slice(0, max)}…`;
  return `\`${v.replace(/`/g, "ˋ")}\``;
}

// ---------------------------------------------------------------------------------------------------------
// Modes

/**
 * Claude permission modes from strictest to loosest: `dontAsk` (denies whatever would prompt), `plan`
 * (read-only), `default`/`manual` (asks), `acceptEdits` (edits unasked), `auto` (a classifier approves),
 * `bypassPermissions` (nothing asks). `delegate` and unknown values count as `default` (Claude rejects them).
 */
export const CLAUDE_MODES = ["dontAsk", "plan", "default", "acceptEdits", "auto", "bypassPermissions"];

export function claudeModeRank(mode: string | undefined): number {
  if (mode === "manual" || mode === undefined) return 2;
  const i = CLAUDE_MODES.indexOf(mode);
  return i < 0 ? 2 : i;
}

/**
 * Codex `approval_policy` from strictest to loosest: `untrusted` (asks for everything but known-safe reads),
 * `on-request` (the model asks when it needs to leave the sandbox; also a `{ granular = … }` table, which
 * only removes prompt kinds by auto-rejecting them), `on-failure` (runs everything in the sandbox, asks only
 * after a failure), `never` (never asks). Absent = `on-request`, the Codex default.
 */
export const CODEX_APPROVALS = ["untrusted", "on-request", "on-failure", "never"];

export function codexApprovalRank(v: string | undefined): number {
  if (v === undefined || v === "granular") return 1;
  const i = CODEX_APPROVALS.indexOf(v);
  return i < 0 ? 1 : i;
}

/** Codex `sandbox_mode`: `read-only` < `workspace-write` (also the default) < `danger-full-access`. */
export const CODEX_SANDBOXES = ["read-only", "workspace-write", "danger-full-access"];

export function codexSandboxRank(v: string | undefined): number {
  if (v === undefined) return 1;
  const i = CODEX_SANDBOXES.indexOf(v);
  return i < 0 ? 1 : i;
}

// ---------------------------------------------------------------------------------------------------------
// Grant breadth

/** Tools that never prompt in Claude Code or only read within the project: granting them widens nothing. */
const HARMLESS_CLAUDE = new Set([
  "Glob",
  "Grep",
  "LS",
  "LSP",
  "TodoWrite",
  "TodoRead",
  "NotebookRead",
  "BashOutput",
  "KillShell",
  "KillBash",
  "ExitPlanMode",
  "EnterPlanMode",
  "AskUserQuestion",
  "TaskCreate",
  "TaskGet",
  "TaskList",
  "TaskOutput",
  "TaskStop",
  "TaskUpdate",
  "ToolSearch",
  "Monitor",
  "Cd",
]);

/** Copilot / VS Code tools that only read the workspace or the editor state. */
const HARMLESS_COPILOT = new Set([
  "codebase",
  "search",
  "searchresults",
  "usages",
  "problems",
  "findtestfiles",
  "testfailure",
  "changes",
  "vscodeapi",
  "terminallastcommand",
  "terminalselection",
  "read",
  "readfile",
  "listdirectory",
  "filesearch",
  "textsearch",
  "todos",
  "todo",
  "think",
  "selection",
  "extensions",
  "openSimpleBrowser".toLowerCase(),
  "githubrepo",
]);
const COPILOT_EXEC = new Set(["runcommands", "runinterminal", "terminal", "execute", "shell"]);
const COPILOT_RUN = new Set(["runtasks", "runtests", "runnotebooks", "runnotebookcell", "new"]);
const COPILOT_EDIT = new Set(["edit", "editfiles", "createfile", "createdirectory", "editnotebook", "write"]);
const COPILOT_WEB = new Set(["fetch", "web", "websearch", "fetchwebpage"]);

/** First words of shell commands that run arbitrary code, reach the network, destroy data or escalate. */
const RISKY_COMMANDS = new Set([
  "bash",
  "sh",
  "zsh",
  "fish",
  "dash",
  "pwsh",
  "powershell",
  "cmd",
  "python",
  "python3",
  "node",
  "deno",
  "bun",
  "perl",
  "ruby",
  "php",
  "lua",
  "osascript",
  "eval",
  "exec",
  "env",
  "xargs",
  "command",
  "builtin",
  "nohup",
  "timeout",
  "time",
  "nice",
  "watch",
  "source",
  "sudo",
  "su",
  "doas",
  "ssh",
  "scp",
  "sftp",
  "rsync",
  "curl",
  "wget",
  "nc",
  "ncat",
  "netcat",
  "telnet",
  "ftp",
  "socat",
  "rm",
  "rmdir",
  "chmod",
  "chown",
  "dd",
  "mkfs",
  "shred",
  "kill",
  "pkill",
  "killall",
  "npx",
  "bunx",
  "uvx",
  "pipx",
  "uv",
  "npm",
  "pnpm",
  "yarn",
  "pip",
  "pip3",
  "cargo",
  "go",
  "make",
  "docker",
  "podman",
  "kubectl",
  "helm",
  "terraform",
  "aws",
  "gcloud",
  "az",
  "gh",
  "git",
  "find",
  "awk",
  "sed",
  "adb",
  "crontab",
  "launchctl",
  "systemctl",
  "base64",
]);

/** Multi-word command prefixes that run arbitrary code, publish, or reach other machines. */
const RISKY_PREFIXES = [
  "adb shell",
  "git push",
  "git config",
  "docker run",
  "docker exec",
  "kubectl exec",
  "kubectl apply",
  "npm exec",
  "npm install",
  "npm publish",
  "pnpm exec",
  "pnpm dlx",
  "yarn dlx",
  "pip install",
  "uv run",
  "uv pip",
  "cargo run",
  "go run",
  "gh api",
];

export interface GrantRisk {
  severity: FindingSeverity;
  /** What the grant allows, as a noun phrase for the message ("any shell command"). */
  reason: string;
}

/**
 * How broad a Claude rule is, or null when granting it changes nothing. `approval`: the rule pre-approves
 * calls (settings `allow`, command/skill `allowed-tools`); `availability`: the tool becomes usable by a
 * subagent, whose calls still go through the permission rules (reads and plain searches are then harmless,
 * edits and fetches medium).
 */
export function claudeGrantRisk(
  ruleText: string,
  mode: "approval" | "availability" = "approval",
): GrantRisk | null {
  const r = parseRuleText(ruleText);
  const whole = isWholeTool(r);
  const tool = r.tool === "Task" ? "Agent" : r.tool;
  const avail = mode === "availability";
  const mcp = mcpParts(tool);
  if (mcp) {
    if (mcp.tool === undefined)
      return {
        severity: avail ? "medium" : "high",
        reason: `every tool of MCP server "${mcp.server}", including tools it adds later`,
      };
    if (mcp.server.includes("*") || mcp.tool.includes("*"))
      return { severity: avail ? "medium" : "high", reason: "a wildcard over MCP tools" };
    return { severity: avail ? "low" : "medium", reason: `MCP tool "${mcp.tool}" of server "${mcp.server}"` };
  }
  if (HARMLESS_CLAUDE.has(tool)) return null;
  const spec = r.specifier?.trim() ?? "";
  switch (tool) {
    case "Bash":
    case "PowerShell": {
      if (whole) return { severity: "high", reason: "any shell command" };
      const glob = shellGlobs(spec)[0] ?? spec;
      if (!glob.includes("*")) return { severity: "low", reason: `the exact command ${show(glob, 80)}` };
      if (glob.startsWith("*"))
        return { severity: "high", reason: `any command ending like ${show(glob, 80)}` };
      // Risky when the wildcard sits right after a risky command or prefix: `curl *`, `uv:*`, `adb shell *`.
      const head = glob.replace(/\s*\*.*$/, "").trim();
      const first = head.split(/\s+/, 1)[0]?.replace(/^.*\//, "") ?? "";
      const words = head.split(/\s+/).length;
      if ((words === 1 && RISKY_COMMANDS.has(first)) || RISKY_PREFIXES.includes(head.replace(/\s+/g, " ")))
        return {
          severity: "high",
          reason: `\`${head}\` with any arguments, which can run arbitrary code, reach the network or destroy data`,
        };
      return { severity: "medium", reason: `commands matching ${show(glob, 80)}` };
    }
    case "Edit":
    case "Write":
    case "MultiEdit":
    case "NotebookEdit": {
      if (whole || /^(?:\/\/|~\/|\.\/|\/)?\*\*(?:\/\*)?$/.test(spec))
        return { severity: avail ? "medium" : "high", reason: "writes to any file" };
      if (spec.includes("*"))
        return { severity: avail ? "low" : "medium", reason: `writes to files matching ${show(spec, 80)}` };
      return { severity: "low", reason: `writes to ${show(spec, 80)}` };
    }
    case "Read": {
      if (avail) return null;
      if (whole || spec.startsWith("//") || spec.startsWith("~"))
        return {
          severity: "medium",
          reason: `reads of ${whole ? "any file" : `files matching ${show(spec, 80)}`} outside the project, where credentials such as ~/.ssh and ~/.aws live`,
        };
      return { severity: "low", reason: `reads of files matching ${show(spec, 80)}` };
    }
    case "WebFetch": {
      if (whole || spec.includes("*"))
        return {
          severity: avail ? "medium" : "high",
          reason: "fetches of any URL, a channel to send data out",
        };
      return { severity: "low", reason: `fetches from ${spec.replace(/^domain:/i, "")}` };
    }
    case "WebSearch":
      return { severity: avail ? "low" : "medium", reason: "web searches, whose queries can carry data out" };
    case "Agent":
      return { severity: avail ? "low" : "medium", reason: "subagents" };
    case "Skill":
    case "SlashCommand":
      return { severity: "low", reason: "skills and slash commands" };
    default:
      return { severity: avail ? "low" : "medium", reason: `the ${tool} tool` };
  }
}

/** How broad a Copilot / VS Code tool grant is, or null when it only reads. */
export function copilotGrantRisk(tool: string): GrantRisk | null {
  const t = tool.trim();
  const lower = t.toLowerCase();
  if (t === "*") return { severity: "high", reason: "every tool, including ones added later" };
  const slash = t.indexOf("/");
  if (slash >= 0) {
    const rest = t.slice(slash + 1);
    if (rest === "*" || rest === "")
      return {
        severity: "high",
        reason: `every tool of "${t.slice(0, slash)}", including tools it adds later`,
      };
    return (
      copilotGrantRisk(rest) ?? { severity: "low", reason: `the ${rest} tool of "${t.slice(0, slash)}"` }
    );
  }
  if (HARMLESS_COPILOT.has(lower)) return null;
  if (COPILOT_EXEC.has(lower)) return { severity: "high", reason: "terminal commands" };
  if (COPILOT_RUN.has(lower))
    return {
      severity: "medium",
      reason: "workspace tasks, tests or notebooks, which run code the agent can edit",
    };
  if (COPILOT_WEB.has(lower)) return { severity: "medium", reason: "web fetches" };
  if (COPILOT_EDIT.has(lower)) return { severity: "medium", reason: "file edits" };
  return { severity: "low", reason: `the ${t} tool` };
}

const RANK: Record<FindingSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
export function maxSeverity(a: FindingSeverity, b: FindingSeverity): FindingSeverity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Whether grants of a format are tool pre-approvals (Claude `allowed-tools`) rather than tool availability. */
export function grantsAreApprovals(formatId: string): boolean {
  return formatId === "claude-command" || formatId === "claude-skill";
}

/** Whether a format's tool names are Claude rules (vs Copilot / VS Code tool names). */
export function claudeToolNames(formatId: string): boolean {
  return formatId.startsWith("claude-");
}

/** Where to report a hook: its `command` (or `url`) value when the hook object has one, else the hook. */
export function hookPointer(data: unknown, h: { pointer: PointerSegment[] }): PointerSegment[] {
  for (const k of ["command", "url"]) {
    if (typeof valueAt(data, [...h.pointer, k]) === "string") return [...h.pointer, k];
  }
  return h.pointer;
}
