import type { McpServer, PackageLaunch } from "../../../model/types.js";
import type { PointerSegment } from "../../../parse/document.js";
import { valueAt } from "../../../parse/document.js";
import type { FileContext, RawFinding } from "../../types.js";

/** Shared OWASP ids of the MCP rules (LLM03 supply chain, LLM06 excessive agency). */
export const MCP_OWASP = ["LLM03", "LLM06"];

/** Servers of the base side (empty for added files) and of the head side (empty for removed files). */
export function servers(file: FileContext): {
  before: Map<string, McpServer>;
  after: Map<string, McpServer>;
} {
  return {
    before: file.before?.model.mcpServers ?? new Map(),
    after: file.after?.model.mcpServers ?? new Map(),
  };
}

export { valueAt } from "../../../parse/document.js";

/** The pointer of the first of `fields` the server entry has on the head side, else of the entry. */
export function fieldPointer(
  file: FileContext,
  server: McpServer,
  fields: readonly string[],
): PointerSegment[] {
  const entry = valueAt(file.after?.doc.data, server.pointer);
  if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
    for (const f of fields) if (f in entry) return [...server.pointer, f];
  }
  return server.pointer;
}

/** The pointer of `args[index]` when the entry has that arg on the head side, else of `command`. */
export function argPointer(file: FileContext, server: McpServer, index: number): PointerSegment[] {
  if (index >= 0) {
    const args = valueAt(file.after?.doc.data, [...server.pointer, "args"]);
    if (Array.isArray(args) && index < args.length) return [...server.pointer, "args", index];
  }
  return fieldPointer(file, server, ["command", "identifier"]);
}

/** A finding at a head-side pointer. */
export function at(file: FileContext, pointer: readonly PointerSegment[], message: string): RawFinding {
  const pos = file.locate(pointer);
  return { line: pos.line, column: pos.column, message };
}

/** Index of the arg that names the launched package or image (-1 when none does). */
export function launchArgIndex(server: McpServer): number {
  const launch = server.launch;
  if (!launch) return -1;
  return server.args.findIndex((a) => a.includes(launch.name));
}

// --- Display ---------------------------------------------------------------------------------------------

const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]|\p{Variation_Selector}/gu;

/** Shows invisible and control characters as `⟨U+200B⟩` escapes. */
export function visible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}⟩`,
  );
}

const SECRET_ASSIGNMENT =
  /((?:api[_-]?key|apikey|token|secret|password|passwd|pwd|auth(?:orization)?|credential|private[_-]?key)[\w-]*["']?\s*[=:]\s*["']?)(?!(?:bearer|basic|token)\s|…)([^\s"'&]+)/gi;
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const BEARER = /\b(bearer|basic|token)\s+([^\s"'$][^\s"']*)/gi;
/** A long run without separators (`-`, `/`, `.`) that mixes letters and digits: a key, not a package name. */
const LONG_TOKEN = /[A-Za-z0-9_+=]{20,}/g;

/** Hides values that may be secrets: URL credentials, `key=value` assignments, `Bearer x`, long letter+digit tokens (callers bound the length). */
function redact(text: string): string {
  return text
    .replace(URL_USERINFO, "$1…@")
    .replace(BEARER, (_m, k: string) => `${k} …`)
    .replace(SECRET_ASSIGNMENT, (_m, k: string) => `${k}…`)
    .replace(LONG_TOKEN, (t) => (/[0-9]/.test(t) && /[A-Za-z]/.test(t) ? "…" : t));
}

export function clip(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A safe one-line rendering of text from a config (secrets hidden, invisibles escaped, clipped). */
export function show(text: string, max = 100): string {
  // Clip before redacting so the regexes only ever see a bounded string.
  return visible(
    clip(
      redact(
        clip(text, max * 4)
          .replace(/\s+/g, " ")
          .trim(),
      ),
      max,
    ),
  );
}

/** A URL without credentials, query or fragment, for messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return show(`${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`);
  } catch {
    return show(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1").replace(/[?#].*$/, ""));
  }
}

/** The command line of a stdio server, rendered safely. */
export function commandLine(server: McpServer): string {
  return show([server.command ?? "", ...server.args].join(" "));
}

/** `npm package @a/b@1.2.3`, `container image ghcr.io/x/y (no tag)`, `git source …`. */
export function launchLabel(launch: PackageLaunch): string {
  const kind =
    launch.runner === "docker" || launch.runner === "podman"
      ? "container image"
      : launch.runner === "git"
        ? "git source"
        : launch.runner === "uvx" || launch.runner === "pipx"
          ? "PyPI package"
          : launch.runner === "other"
            ? "package"
            : "npm package";
  const sep =
    launch.runner === "docker" || launch.runner === "podman"
      ? launch.version?.startsWith("sha256:")
        ? "@"
        : ":"
      : launch.runner === "git"
        ? "#"
        : "@";
  // Names and versions are not secrets, but a git URL may carry credentials in its user part.
  const label = launch.name.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
  return `${kind} ${visible(clip(label))}${launch.version !== undefined ? `${sep}${visible(clip(launch.version, 80))}` : ""}`;
}

/** One line about a server: transport and what it runs or where it connects. */
export function describeServer(server: McpServer): string {
  const parts: string[] = [server.transport];
  if (server.url !== undefined) parts.push(displayUrl(server.url));
  if (server.command !== undefined) parts.push(`\`${commandLine(server)}\``);
  if (server.launch) parts.push(`(${launchLabel(server.launch)})`);
  if (server.disabled) parts.push("(disabled)");
  return parts.join(" ");
}

/** Server key as shown in messages. */
export function name(server: McpServer): string {
  return `"${show(server.key, 80)}"`;
}

// --- Remote endpoints ---------------------------------------------------------------------------------------

/** Local proxies that connect a stdio client to a remote MCP server given as an argument. */
const REMOTE_PROXIES = /^(?:mcp-remote|supergateway|mcp-proxy|@modelcontextprotocol\/mcp-remote)$/i;

/** The remote URLs a server connects to: its `url`, or the URL argument of an `mcp-remote`-style proxy. */
export function remoteUrls(
  file: FileContext | undefined,
  server: McpServer,
): { url: string; pointer: PointerSegment[] }[] {
  const out: { url: string; pointer: PointerSegment[] }[] = [];
  if (server.url !== undefined)
    out.push({
      url: server.url,
      pointer: file ? fieldPointer(file, server, ["url", "httpUrl", "serverUrl"]) : server.pointer,
    });
  if (server.launch && REMOTE_PROXIES.test(server.launch.name)) {
    server.args.forEach((a, i) => {
      if (/^(?:https?|wss?):\/\//i.test(a))
        out.push({ url: a, pointer: file ? argPointer(file, server, i) : server.pointer });
    });
  }
  return out;
}
