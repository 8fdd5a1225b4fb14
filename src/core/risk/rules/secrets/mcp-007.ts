import type { McpServer } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { isPlaceholder, isSecretName, secretAssignments } from "./detect.js";
import { addedLineWith, keyPattern } from "./lines.js";

/** `${VAR}`, `${env:VAR}`, `${input:id}`, `{env:VAR}`, `$VAR`, `%VAR%`: the variable a value forwards. */
const REFERENCE =
  /\$\{(?:env:|input:)?([A-Za-z_][A-Za-z0-9_.-]{0,100})\}|\{env:([A-Za-z_][A-Za-z0-9_]{0,100})\}|\$([A-Za-z_][A-Za-z0-9_]{0,100})|%([A-Za-z_][A-Za-z0-9_]{0,100})%/g;

/** Names of the variables `text` references. */
function references(text: string): string[] {
  if (typeof text !== "string" || !/[$%{]/.test(text)) return [];
  const out: string[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (name) out.push(name);
  }
  return out;
}

const stringEntries = (m: unknown): [string, string][] =>
  m instanceof Map ? [...m.entries()].filter((e): e is [string, string] => typeof e[0] === "string") : [];

/** What credentials a server receives: secret-named env vars and headers, and secret-named references. */
interface Passthrough {
  env: Map<string, string>;
  headers: Map<string, string>;
  /** Secret-named variables referenced from args, URL, command, or values under non-secret names. */
  refs: Map<string, string>;
}

function passthrough(server: McpServer): Passthrough {
  const env = new Map<string, string>();
  const headers = new Map<string, string>();
  const refs = new Map<string, string>();
  const add = (name: string, where: string) => {
    if (isSecretName(name) && !refs.has(name)) refs.set(name, where);
  };
  /** Secret-named references in a value, else secret-named keys inside it (`{"Authorization": …}` in an env var). */
  const scan = (where: string, text: unknown) => {
    if (typeof text !== "string") return;
    const named = references(text).filter((n) => isSecretName(n));
    if (named.length > 0) for (const n of named) add(n, where);
    else for (const a of secretAssignments(text)) add(a.name, where);
  };
  for (const [name, value] of stringEntries(server.env)) {
    if (isSecretName(name)) env.set(name, typeof value === "string" ? value : "");
    else scan(`env ${name}`, value);
  }
  for (const [name, value] of stringEntries(server.headers)) {
    if (isSecretName(name)) headers.set(name, typeof value === "string" ? value : "");
    else scan(`header ${name}`, value);
  }
  const args = Array.isArray(server.args) ? server.args : [];
  args.forEach((a, i) => {
    if (typeof a !== "string") return;
    // docker/podman `-e NAME` forwards the host's variable; `-e NAME=value` sets it.
    const prev = args[i - 1];
    if ((prev === "-e" || prev === "--env") && /^[A-Za-z_][A-Za-z0-9_]{0,100}(?:=|$)/.test(a)) {
      const name = a.split("=")[0] ?? "";
      if (isSecretName(name)) {
        add(name, "its arguments");
        return;
      }
    }
    scan("its arguments", a);
  });
  scan("its URL", server.url);
  scan("its command", server.command);
  return { env, headers, refs };
}

/** How a value is shown: references as written, literals never (MCP-006 reports them). */
function shown(value: string): string {
  if (value === "") return "";
  return isPlaceholder(value) && value.length <= 120 ? ` = ${value}` : " (literal value)";
}

/**
 * MCP-007: a server newly receives credentials: a secret-looking env var or header it did not get before
 * (new server or new key), or a new reference to a secret-named variable in its args, URL or other values.
 * Fires for `${VAR}` references too: the value is safe in the file, but the server now holds the credential.
 */
export const mcp007: RiskRule = {
  id: "MCP-007",
  title: "Credential forwarded to MCP server",
  threat: "data-exfiltration",
  severity: "high",
  trigger:
    "An MCP server is given a secret-looking environment variable or header (`*_TOKEN`, `*_API_KEY`, `*_SECRET`, `*PASSWORD*`, `AWS_*`, `Authorization`…) or a reference to one that it did not receive before, including as a `$" +
    "{VAR}` reference.",
  fix: "Confirm the server needs this credential and is trusted with it; prefer a token scoped to what the server does (read-only, single repository or project), and have the credential's owner approve the change.",
  owasp: ["LLM06", "LLM03"],
  atlas: ["AML.T0083", "AML.T0086"],
  check(file) {
    // A registry server.json declares what its own server needs; nothing is forwarded to a third party.
    if (file.format.id === "mcp-registry-server") return [];
    const servers = file.after?.model.mcpServers;
    if (!(servers instanceof Map) || servers.size === 0) return [];
    const baseServers = file.before?.model.mcpServers;
    const out: RawFinding[] = [];
    for (const server of servers.values()) {
      if (!server || typeof server !== "object") continue;
      const prior = baseServers instanceof Map ? baseServers.get(server.key) : undefined;
      const now = passthrough(server);
      const was = prior ? passthrough(prior) : undefined;
      const known = new Set([
        ...(was?.env.keys() ?? []),
        ...(was?.headers.keys() ?? []),
        ...(was?.refs.keys() ?? []),
      ]);
      const serverLine = Array.isArray(server.pointer) ? file.locate(server.pointer).line : 1;
      /** The first added line holding one of `needles` (in order of preference), else the server's line. */
      const lineOf = (...needles: (string | RegExp)[]) => {
        for (const n of needles) {
          const l = addedLineWith(file.added, n, serverLine, 0);
          if (l > 0) return l;
        }
        return serverLine;
      };
      const scope = prior ? "" : " (new server)";
      const given = new Set<string>();
      for (const [name, value] of now.env) {
        if (was?.env.has(name)) continue;
        given.add(name);
        for (const r of references(value)) given.add(r);
        out.push({
          line: lineOf(keyPattern(name), name, ...references(value)),
          message: `MCP server "${server.key}" now receives ${name}${shown(value)} in its environment${scope}: the server process can read and use this credential, so review who runs it and what the token can do.`,
        });
      }
      for (const [name, value] of now.headers) {
        if (was?.headers.has(name)) continue;
        for (const r of references(value)) given.add(r);
        out.push({
          line: lineOf(keyPattern(name), ...references(value)),
          message: `MCP server "${server.key}" now sends header ${name}${shown(value)}${scope}: the credential goes to ${server.url ? `"${hostOf(server.url)}"` : "the server"} with every request.`,
        });
      }
      for (const [name, where] of now.refs) {
        if (known.has(name) || given.has(name)) continue;
        out.push({
          line: lineOf(name),
          message: `MCP server "${server.key}" now receives ${name} through ${where}${scope}: the server process can read and use this credential.`,
        });
      }
    }
    return out.sort((a, b) => a.line - b.line);
  },
};

function hostOf(url: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/(?:[^/?#@\s]*@)?([^/?#\s:]{1,255})/.exec(url);
  return m?.[1] ?? url.slice(0, 80);
}
