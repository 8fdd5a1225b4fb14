import { isRecord as isObject, type PointerSegment, stringValue as str } from "../parse/document.js";
import type { McpServer, PackageLaunch } from "./types.js";

/**
 * MCP servers a file declares (every client's root shape), by server key.
 *
 * - `mcpServers` map: Claude Code `.mcp.json`, Claude Desktop, Cursor, Copilot CLI, Gemini CLI and the
 *   catch-all clients (Cline, Roo, Kiro, Amazon Q, Windsurf); `servers` in VS Code; `[mcp_servers.<name>]`
 *   tables in Codex; `mcpServers` (map, or list of names and `{name: entry}` maps) in Claude subagent front
 *   matter; `mcp-servers` in Copilot custom-agent front matter.
 * - Google ADK: every `tools[]` entry named `MCPToolset`, keyed by its `tool_name_prefix` or `MCPToolset #n`.
 * - MCP Registry `server.json`: `packages[i]` and `remotes[i]`.
 *
 * Values are kept as written (`${VAR}` references included) so secret checks can judge them. Codex
 * `env_vars`, `env_http_headers` and `bearer_token_env_var` name host variables: they appear as `${NAME}`.
 */
export function extractMcpServers(formatId: string, data: unknown): Map<string, McpServer> {
  const out = new Map<string, McpServer>();
  if (!isObject(data)) return out;
  switch (formatId) {
    case "mcp-project":
    case "mcp-claude-desktop":
    case "mcp-cursor":
    case "mcp-copilot":
    case "mcp-other":
    case "gemini-settings":
      addMap(out, formatId, data.mcpServers, ["mcpServers"]);
      break;
    case "mcp-vscode":
      addMap(out, formatId, data.servers, ["servers"]);
      break;
    case "codex-config":
      addMap(out, formatId, data.mcp_servers, ["mcp_servers"]);
      break;
    case "copilot-agent":
      addMap(out, formatId, data["mcp-servers"], ["mcp-servers"]);
      break;
    case "claude-agent":
      if (Array.isArray(data.mcpServers)) {
        // A list of server names (references to servers configured elsewhere) and inline `{name: entry}` maps.
        data.mcpServers.forEach((item, i) => {
          if (isObject(item)) addMap(out, formatId, item, ["mcpServers", i]);
        });
      } else addMap(out, formatId, data.mcpServers, ["mcpServers"]);
      break;
    case "adk-agent-config":
      addAdk(out, data);
      break;
    case "mcp-registry-server":
      addRegistry(out, data);
      break;
  }
  return out;
}

// --- Client config entries ---------------------------------------------------------------------------

function addMap(
  out: Map<string, McpServer>,
  formatId: string,
  map: unknown,
  pointer: PointerSegment[],
): void {
  if (!isObject(map)) return;
  for (const [key, entry] of Object.entries(map)) {
    if (isObject(entry)) out.set(key, clientEntry(formatId, key, entry, [...pointer, key]));
  }
}

/** One entry of a client config (the shared shape plus each client's extras). */
function clientEntry(
  formatId: string,
  key: string,
  e: Record<string, unknown>,
  pointer: PointerSegment[],
): McpServer {
  const command = str(e.command);
  const args = strings(e.args);
  const env = stringMap(e.env);
  const headers = stringMap(e.headers);
  // Codex: http_headers (literal), env_http_headers (header → host variable), bearer_token_env_var.
  for (const [k, v] of stringMap(e.http_headers)) headers.set(k, v);
  for (const [k, v] of stringMap(e.env_http_headers)) headers.set(k, `\${${v}}`);
  const bearer = str(e.bearer_token_env_var);
  if (bearer !== undefined && !headers.has("Authorization"))
    headers.set("Authorization", `Bearer \${${bearer}}`);
  // Codex env_vars: names forwarded from the host environment.
  if (Array.isArray(e.env_vars)) {
    for (const v of e.env_vars) {
      const name = typeof v === "string" ? v : isObject(v) ? str(v.name) : undefined;
      if (name !== undefined && !env.has(name)) env.set(name, `\${${name}}`);
    }
  }
  const httpUrl = str(e.httpUrl);
  const url = str(e.url) ?? httpUrl ?? str(e.serverUrl);
  const autoApprove = [...strings(e.alwaysAllow), ...strings(e.autoApprove)];
  if ((formatId === "mcp-copilot" || formatId === "copilot-agent") && strings(e.tools).includes("*"))
    autoApprove.push("*");
  if (formatId === "codex-config") {
    if (e.default_tools_approval_mode === "approve") autoApprove.push("*");
    if (isObject(e.tools)) {
      for (const [tool, cfg] of Object.entries(e.tools))
        if (isObject(cfg) && cfg.approval_mode === "approve") autoApprove.push(tool);
    }
  }
  const disabled =
    e.disabled === true || e.enabled === false
      ? true
      : e.disabled === false || e.enabled === true
        ? false
        : undefined;
  const launch = parseLaunch(command, args);
  const server: McpServer = {
    key,
    pointer,
    transport: transportOf(str(e.type) ?? str(e.transportType), {
      command,
      url,
      sseUrl: formatId === "gemini-settings" && httpUrl === undefined && str(e.url) !== undefined,
    }),
    args,
    env,
    headers,
    autoApprove: [...new Set(autoApprove)],
  };
  if (command !== undefined) server.command = command;
  if (url !== undefined) server.url = url;
  if (launch) server.launch = launch;
  if (typeof e.trust === "boolean") server.trust = e.trust;
  if (disabled !== undefined) server.disabled = disabled;
  const cwd = str(e.cwd);
  if (cwd !== undefined) server.cwd = cwd;
  return server;
}

function transportOf(
  type: string | undefined,
  has: { command?: string; url?: string; sseUrl?: boolean },
): McpServer["transport"] {
  switch (type?.toLowerCase()) {
    case "stdio":
    case "local":
      return "stdio";
    case "http":
    case "streamable-http":
    case "streamablehttp":
      return "http";
    case "sse":
      return "sse";
  }
  if (type !== undefined) return "unknown";
  if (has.url !== undefined) return has.sseUrl ? "sse" : "http";
  if (has.command !== undefined) return "stdio";
  return "unknown";
}

// --- Google ADK ----------------------------------------------------------------------------------------

/** ADK `tools[]` entries named MCPToolset; their connection params hold command/args/env or url/headers. */
function addAdk(out: Map<string, McpServer>, data: Record<string, unknown>): void {
  if (!Array.isArray(data.tools)) return;
  let n = 0;
  data.tools.forEach((tool, i) => {
    if (!isObject(tool) || typeof tool.name !== "string" || !/mcp_?toolset$/i.test(tool.name)) return;
    n++;
    const args = isObject(tool.args) ? tool.args : {};
    const key = str(args.tool_name_prefix) ?? `MCPToolset #${n}`;
    const base: PointerSegment[] = ["tools", i, "args"];
    for (const field of [
      "stdio_server_params",
      "stdio_connection_params",
      "sse_connection_params",
      "streamable_http_connection_params",
      "connection_params",
    ]) {
      let params = args[field];
      let pointer: PointerSegment[] = [...base, field];
      if (!isObject(params)) continue;
      if (isObject(params.server_params)) {
        params = params.server_params;
        pointer = [...pointer, "server_params"];
      }
      const p = params as Record<string, unknown>;
      const type = field.startsWith("sse") ? "sse" : field.startsWith("streamable") ? "http" : undefined;
      out.set(key, clientEntry("adk-agent-config", key, type ? { ...p, type } : p, pointer));
      return;
    }
    out.set(key, clientEntry("adk-agent-config", key, {}, ["tools", i]));
  });
}

// --- MCP Registry server.json ----------------------------------------------------------------------------

const REGISTRY_RUNNERS: Record<string, PackageLaunch["runner"]> = {
  npm: "npx",
  pypi: "uvx",
  oci: "docker",
};

function addRegistry(out: Map<string, McpServer>, data: Record<string, unknown>): void {
  if (Array.isArray(data.packages)) {
    data.packages.forEach((pkg, i) => {
      if (!isObject(pkg)) return;
      const key = `packages[${i}]`;
      const registryType = str(pkg.registryType)?.toLowerCase() ?? "";
      const identifier = str(pkg.identifier);
      const runner = REGISTRY_RUNNERS[registryType] ?? "other";
      const runtimeArgs = registryArgs(pkg.runtimeArguments);
      const args = [
        ...runtimeArgs,
        ...(identifier !== undefined ? [identifier] : []),
        ...registryArgs(pkg.packageArguments),
      ];
      const transport = isObject(pkg.transport) ? pkg.transport : {};
      const url = str(transport.url);
      const server: McpServer = {
        key,
        pointer: ["packages", i],
        transport: transportOf(str(transport.type), { url, command: "package" }),
        command: str(pkg.runtimeHint) ?? (runner === "other" ? registryType || "package" : runner),
        args,
        env: keyValues(pkg.environmentVariables),
        headers: keyValues(transport.headers),
        autoApprove: [],
      };
      if (url !== undefined) server.url = url;
      if (identifier !== undefined) {
        const version = str(pkg.version);
        if (runner === "docker") {
          const image = parseImage(
            version !== undefined && !hasImageTag(identifier) ? `${identifier}:${version}` : identifier,
          );
          server.launch = {
            runner,
            name: image.name,
            ...opt("version", image.version),
            flags: dockerScan(withoutRunVerb(runtimeArgs)).flags,
          };
        } else {
          const pinned = version !== undefined && version !== "" && version.toLowerCase() !== "latest";
          server.launch = {
            runner,
            name: identifier,
            ...opt("version", pinned ? version : undefined),
            flags: [],
          };
        }
      }
      out.set(key, server);
    });
  }
  if (Array.isArray(data.remotes)) {
    data.remotes.forEach((remote, i) => {
      if (!isObject(remote)) return;
      const key = `remotes[${i}]`;
      const url = str(remote.url);
      const server: McpServer = {
        key,
        pointer: ["remotes", i],
        transport: transportOf(str(remote.type), { url }),
        args: [],
        env: new Map(),
        headers: keyValues(remote.headers),
        autoApprove: [],
      };
      if (url !== undefined) server.url = url;
      out.set(key, server);
    });
  }
}

/** Runtime arguments after a leading `run` / `container run` (registry entries often spell the verb out). */
function withoutRunVerb(args: readonly string[]): string[] {
  const i = args[0] === "container" ? 1 : 0;
  return args[i] === "run" ? args.slice(i + 1) : [...args];
}

/** Registry arguments as a command line: positional values, named flags (booleans without a value). */
function registryArgs(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const a of list) {
    if (!isObject(a)) continue;
    const value =
      str(a.value) ?? str(a.default) ?? (str(a.valueHint) !== undefined ? `<${a.valueHint}>` : undefined);
    if (a.type === "named") {
      const name = str(a.name);
      if (name === undefined) continue;
      out.push(name);
      if (value !== undefined && a.format !== "boolean") out.push(value);
    } else if (value !== undefined) out.push(value);
  }
  return out;
}

/** Registry `environmentVariables[]` / `headers[]`: name → value (or default) as written, "" when unset. */
function keyValues(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObject(kv)) continue;
    const name = str(kv.name);
    if (name !== undefined) out.set(name, str(kv.value) ?? str(kv.default) ?? "");
  }
  return out;
}

// --- Launch parsing ----------------------------------------------------------------------------------------

const KNOWN_PROGRAMS = new Set([
  "npx",
  "bunx",
  "bun",
  "pnpm",
  "pnpx",
  "yarn",
  "npm",
  "uvx",
  "uv",
  "pipx",
  "docker",
  "podman",
  "env",
]);
const SH_SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "mksh", "tcsh", "csh"]);
const PS_SHELLS = new Set(["powershell", "pwsh"]);

/** A command's program name: basename, lower case, without `.exe`/`.cmd`/`.bat`. */
export function programName(command: string): string {
  const base = command.slice(Math.max(command.lastIndexOf("/"), command.lastIndexOf("\\")) + 1).toLowerCase();
  return base.replace(/\.(exe|cmd|bat|ps1)$/, "");
}

/**
 * What a command line hands to a shell as a script: `sh -c SCRIPT`, `bash -lc SCRIPT`, `cmd /c …`,
 * `powershell -Command …` / `-EncodedCommand …` (also behind `env`). Undefined when no shell runs a script.
 */
export function shellScript(
  command: string | undefined,
  args: readonly string[],
): { shell: string; flag: string; flagIndex: number; script: string } | undefined {
  if (command === undefined) return undefined;
  let words = [...args];
  let prog = command.trim();
  let offset = 0;
  if (/\s/.test(prog)) {
    const parts = prog.split(/\s+/);
    const first = programName(parts[0] ?? "");
    if (SH_SHELLS.has(first) || PS_SHELLS.has(first) || first === "cmd" || first === "env") {
      prog = parts[0] ?? "";
      words = [...parts.slice(1), ...words];
      offset = -(parts.length - 1);
    }
  }
  let name = programName(prog);
  if (name === "env") {
    let i = 0;
    while (i < words.length && (words[i]!.includes("=") || words[i]!.startsWith("-"))) i++;
    if (i >= words.length) return undefined;
    name = programName(words[i]!);
    words = words.slice(i + 1);
    offset += i + 1;
  }
  if (SH_SHELLS.has(name)) {
    const i = words.findIndex((w) => /^-[a-zA-Z]+$/.test(w) && w.includes("c"));
    if (i < 0) return undefined;
    return { shell: name, flag: words[i]!, flagIndex: i + offset, script: words[i + 1] ?? "" };
  }
  if (name === "cmd") {
    const i = words.findIndex((w) => /^\/[ckr]$/i.test(w));
    if (i < 0) return undefined;
    return { shell: name, flag: words[i]!, flagIndex: i + offset, script: words.slice(i + 1).join(" ") };
  }
  if (PS_SHELLS.has(name)) {
    const i = words.findIndex((w) => isPowerShellCommandFlag(w));
    if (i < 0) return undefined;
    return { shell: name, flag: words[i]!, flagIndex: i + offset, script: words.slice(i + 1).join(" ") };
  }
  return undefined;
}

function isPowerShellCommandFlag(word: string): boolean {
  const w = word.toLowerCase().replace(/^\//, "-");
  if (w.length < 2 || !w.startsWith("-")) return false;
  if ("-command".startsWith(w)) return true;
  return w === "-e" || w === "-ec" || (w.length >= 4 && "-encodedcommand".startsWith(w));
}

/** Shell syntax that makes a script more than one plain command. */
const SHELL_SYNTAX = /[|&;<>`$()\n\r]/;

/**
 * The package a command launches (npx/bunx/pnpm dlx/yarn dlx/npm exec, uvx/uv tool run, pipx run,
 * docker/podman run, git URLs), when recognisable. A plain `sh -c "npx -y pkg"` or `cmd /c npx -y pkg`
 * wrapper is looked through. `version` is set only when the launch is pinned.
 */
export function parseLaunch(
  command: string | undefined,
  args: readonly string[],
  depth = 0,
): PackageLaunch | undefined {
  if (command === undefined) return undefined;
  let prog = command.trim();
  let words = [...args];
  if (/\s/.test(prog)) {
    // `"command": "npx -y pkg"`: split only when the first word is a program we know (paths may hold spaces).
    const parts = prog.split(/\s+/);
    if (KNOWN_PROGRAMS.has(programName(parts[0] ?? ""))) {
      prog = parts[0] ?? "";
      words = [...parts.slice(1), ...words];
    }
  }
  let name = programName(prog);
  if (name === "env") {
    let i = 0;
    while (i < words.length && (words[i]!.includes("=") || words[i]!.startsWith("-"))) i++;
    if (i >= words.length) return undefined;
    name = programName(words[i]!);
    words = words.slice(i + 1);
  }
  if (depth === 0) {
    const shell = shellScript(command, args);
    if (shell) {
      if (SHELL_SYNTAX.test(shell.script)) return undefined;
      const parts = shell.script
        .trim()
        .replace(/^["']|["']$/g, "")
        .split(/\s+/);
      return parts[0] ? parseLaunch(parts[0], parts.slice(1), 1) : undefined;
    }
  }
  switch (name) {
    case "npx":
      return npmLaunch("npx", words);
    case "bunx":
      return npmLaunch("bunx", words);
    case "bun":
      return words[0] === "x" ? npmLaunch("bunx", words.slice(1)) : undefined;
    case "pnpm":
    case "yarn": {
      const i = words.indexOf("dlx");
      return i < 0 ? undefined : npmLaunch(name, words.slice(i + 1), words.slice(0, i));
    }
    case "pnpx":
      return npmLaunch("pnpm", words);
    case "npm": {
      const i = words.findIndex((w) => w === "exec" || w === "x");
      return i < 0 ? undefined : npmLaunch("npx", words.slice(i + 1));
    }
    case "uvx":
      return pythonLaunch("uvx", words);
    case "uv": {
      if (words[0] === "tool" && (words[1] === "run" || words[1] === "uvx"))
        return pythonLaunch("uvx", words.slice(2));
      return undefined;
    }
    case "pipx": {
      const i = words.indexOf("run");
      return i < 0 ? undefined : pythonLaunch("pipx", words.slice(i + 1));
    }
    case "docker":
    case "podman":
      return containerLaunch(name, words);
  }
  return undefined;
}

/** npm-family flags that take a value (the next word). */
const NPM_VALUE_FLAGS = new Set([
  "--registry",
  "--cache",
  "--userconfig",
  "--prefix",
  "-w",
  "--workspace",
  "--node-options",
  "-c",
  "--call",
  "--shell",
]);

function npmLaunch(
  runner: PackageLaunch["runner"],
  words: readonly string[],
  pre: readonly string[] = [],
): PackageLaunch | undefined {
  // An explicit --package / -p names the package; the positional word is then a binary inside it.
  const spec = flagValue([...pre, ...words], ["-p", "--package"]) ?? firstPositional(words, NPM_VALUE_FLAGS);
  if (spec === undefined || spec === "") return undefined;
  const git = gitLaunch(spec, "npm");
  if (git) return git;
  if (/^(\.{0,2}[\\/]|[a-z]:[\\/]|file:)/i.test(spec) || /^https?:\/\//i.test(spec)) return undefined;
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  const name = at < 0 ? spec : spec.slice(0, at);
  const version = at < 0 ? undefined : spec.slice(at + 1);
  return {
    runner,
    name,
    ...opt("version", version !== undefined && npmPinned(version) ? version : undefined),
    flags: [],
  };
}

/** The value of the first of these flags (`--flag value` or `--flag=value`), if any. */
function flagValue(words: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (names.includes(w)) return words[i + 1];
    const long = names.find((n) => n.startsWith("--") && w.startsWith(`${n}=`));
    if (long) return w.slice(long.length + 1);
  }
  return undefined;
}

/** The first word that is not a flag, skipping the value of flags that take one. */
function firstPositional(words: readonly string[], valueFlags: ReadonlySet<string>): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--") continue;
    if (w.startsWith("-")) {
      if (valueFlags.has(w)) i++;
      continue;
    }
    return w;
  }
  return undefined;
}

/** An exact npm version (`1.2.3`, `1.2.3-beta.1`); tags (`latest`, `next`), ranges and partials are not. */
export function npmPinned(version: string): boolean {
  if (version.includes("${") || version.includes("{{")) return true; // templated: resolved elsewhere
  return /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(version);
}

const PY_VALUE_FLAGS = new Set([
  "--from",
  "--spec",
  "--with",
  "--with-editable",
  "--with-requirements",
  "--python",
  "-p",
  "--index",
  "--index-url",
  "-i",
  "--extra-index-url",
  "--default-index",
  "--find-links",
  "-f",
  "--constraints",
  "-c",
  "--overrides",
  "--pip-args",
  "--directory",
  "--cache-dir",
  "--env-file",
]);

function pythonLaunch(runner: PackageLaunch["runner"], words: readonly string[]): PackageLaunch | undefined {
  const spec = flagValue(words, ["--from", "--spec"]) ?? firstPositional(words, PY_VALUE_FLAGS);
  if (spec === undefined || spec === "") return undefined;
  // PEP 508 direct reference: `name @ git+https://…`
  const direct = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*@\s*(\S+:\/\/\S+)$/.exec(spec);
  const git = gitLaunch(direct ? direct[1]! : spec, "pip");
  if (git) return git;
  if (/^(\.{0,2}[\\/]|[a-z]:[\\/]|file:)/i.test(spec) || /^https?:\/\//i.test(spec)) return undefined;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(===|==|~=|!=|<=|>=|<|>|@)?\s*(.*)$/.exec(spec);
  if (!m) return undefined;
  const name = m[1]!;
  const op = m[3];
  const version = (m[4] ?? "").trim();
  const pinned =
    (op === "==" || op === "===" || op === "@") &&
    version !== "" &&
    version.toLowerCase() !== "latest" &&
    !/[*,]/.test(version);
  return { runner, name, ...opt("version", pinned ? version : undefined), flags: [] };
}

/** A git source: `git+https://…`, `git://…`, `github:o/r`, `o/r` (npm shorthand), `…/repo.git`. */
function gitLaunch(spec: string, style: "npm" | "pip"): PackageLaunch | undefined {
  const lower = spec.toLowerCase();
  const isGit =
    lower.startsWith("git+") ||
    lower.startsWith("git://") ||
    /^(github|gitlab|bitbucket|gist):/.test(lower) ||
    /^[a-z][a-z0-9+.-]*:\/\/[^#]*\.git(?:[#@].*)?$/.test(lower) ||
    (style === "npm" && /^[A-Za-z0-9][\w.-]*\/[\w.-]+(?:#.*)?$/.test(spec));
  if (!isGit) return undefined;
  let name = spec;
  let ref: string | undefined;
  const hash = spec.indexOf("#");
  if (hash >= 0) {
    name = spec.slice(0, hash);
    ref = spec.slice(hash + 1);
  } else {
    // pip style `…/repo.git@ref`: an `@` after the first path slash (not the `git@host` user part).
    const scheme = spec.indexOf("://");
    const pathStart = spec.indexOf("/", scheme >= 0 ? scheme + 3 : 0);
    const at = pathStart >= 0 ? spec.indexOf("@", pathStart) : -1;
    if (at >= 0) {
      name = spec.slice(0, at);
      ref = spec.slice(at + 1);
    }
  }
  // `#commit`, `#sha=…`, `#commit=…`, `#egg=…&subdirectory=…`: only a hex commit pins.
  const commit = ref?.replace(/^(?:commit|sha)[=:]/i, "").split("&")[0];
  const pinned = commit !== undefined && /^[0-9a-f]{7,40}$/i.test(commit);
  return { runner: "git", name, ...opt("version", pinned ? commit : undefined), flags: [] };
}

const DOCKER_BOOL_FLAGS = new Set([
  "--rm",
  "--init",
  "--privileged",
  "--read-only",
  "--interactive",
  "--tty",
  "--detach",
  "--publish-all",
  "--no-healthcheck",
  "--oom-kill-disable",
  "--help",
  "--quiet",
  "--disable-content-trust",
  "--replace",
]);

/** Docker/podman `run` flags that share host namespaces when set to `host`. */
const HOST_NAMESPACE_FLAGS: Record<string, string> = {
  "--network": "--network",
  "--net": "--network",
  "--pid": "--pid",
  "--ipc": "--ipc",
  "--uts": "--uts",
  "--userns": "--userns",
};

/**
 * Scans docker/podman `run` words: the image (first positional) and the flags that widen the container's
 * reach, normalised (`--volume=x` → `-v x`, `--net=host` → `--network host`).
 */
export function dockerScan(words: readonly string[]): {
  image?: string;
  imageIndex: number;
  flags: string[];
} {
  const flags: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--") {
      return { ...opt("image", words[i + 1]), imageIndex: i + 1, flags };
    }
    if (!w.startsWith("-") || w === "-") return { image: w, imageIndex: i, flags };
    const eq = w.indexOf("=");
    let flag = w;
    let value: string | undefined;
    if (w.startsWith("--") && eq >= 0) {
      flag = w.slice(0, eq);
      value = w.slice(eq + 1);
    } else if (DOCKER_BOOL_FLAGS.has(w) || /^-[itdPq]+$/.test(w)) value = undefined;
    else if (w.startsWith("--") || /^-[a-zA-Z]$/.test(w)) value = words[++i];
    else {
      // A short flag glued to its value: `-v/path:/x`, `-eFOO=1`.
      flag = w.slice(0, 2);
      value = w.slice(2);
    }
    if (flag === "--privileged" && value !== "false") flags.push("--privileged");
    else if ((flag === "-v" || flag === "--volume") && value !== undefined) flags.push(`-v ${value}`);
    else if (flag === "--mount" && value !== undefined) flags.push(`--mount ${value}`);
    else if (flag in HOST_NAMESPACE_FLAGS && value?.toLowerCase() === "host")
      flags.push(`${HOST_NAMESPACE_FLAGS[flag]} host`);
    else if (flag === "--cap-add" && value !== undefined) flags.push(`--cap-add ${value}`);
    else if (flag === "--device" && value !== undefined) flags.push(`--device ${value}`);
    else if (
      flag === "--security-opt" &&
      value !== undefined &&
      /unconfined|no-new-privileges[:=]false/i.test(value)
    )
      flags.push(`--security-opt ${value}`);
  }
  return { imageIndex: -1, flags };
}

function containerLaunch(runner: "docker" | "podman", words: readonly string[]): PackageLaunch | undefined {
  let i = 0;
  // Global flags before the subcommand (`docker --context x run`) are rare; `container run` is the long form.
  while (i < words.length && words[i]!.startsWith("-")) i += words[i]!.includes("=") ? 1 : 2;
  if (words[i] === "container") i++;
  if (words[i] !== "run") return undefined;
  const scan = dockerScan(words.slice(i + 1));
  if (scan.image === undefined) return undefined;
  const image = parseImage(scan.image);
  return { runner, name: image.name, ...opt("version", image.version), flags: scan.flags };
}

function hasImageTag(ref: string): boolean {
  const at = ref.indexOf("@");
  const base = at >= 0 ? ref.slice(0, at) : ref;
  return at >= 0 || base.lastIndexOf(":") > base.lastIndexOf("/");
}

/** `[registry[:port]/]name[:tag][@digest]`: a digest or a tag other than `latest` pins the image. */
export function parseImage(ref: string): { name: string; version?: string } {
  const at = ref.indexOf("@");
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(":");
  const hasTag = colon > base.lastIndexOf("/");
  const name = hasTag ? base.slice(0, colon) : base;
  const tag = hasTag ? base.slice(colon + 1) : undefined;
  if (digest) return { name, version: tag ? `${tag}@${digest}` : digest };
  if (tag && tag.toLowerCase() !== "latest") return { name, version: tag };
  return { name };
}

// --- Helpers ---------------------------------------------------------------------------------------------

/** Array items that are strings, numbers or booleans, as strings (anything else is left out). */
function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v)
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") out.push(String(x));
  return out;
}

function stringMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v))
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") out.set(k, String(x));
  return out;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
