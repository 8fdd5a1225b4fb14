import type { McpServer } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import {
  findSecrets,
  isPlaceholder,
  isSecretName,
  looksRandomSecret,
  redact,
  secretAssignments,
} from "./detect.js";
import { addedLineWith } from "./lines.js";

/** A literal credential found in one field of an MCP server. */
interface Literal {
  /** Where in the server: `env GITHUB_TOKEN`, `header Authorization`, `arguments`, `URL query parameter key`. */
  where: string;
  kind: string;
  fingerprint: string;
  /** The credential as written (to find its line and to tell whether the base already had it). */
  needle: string;
}

const VAR_HINT = "$" + "{VAR}";

/**
 * MCP-006: a literal credential in an MCP server's `env`, `headers`, `args`, `command` or URL (query string
 * or userinfo) instead of a variable reference. Structural: reads the head's MCP servers and reports
 * credentials the base version of the file did not already contain.
 */
export const mcp006: RiskRule = {
  id: "MCP-006",
  title: "Literal secret in MCP server configuration",
  threat: "secret-exposure",
  severity: "critical",
  trigger:
    "An MCP server's env, headers, arguments, command or URL (query string or userinfo) gains a literal credential (a known key format, or a high-entropy value under a secret-looking name) instead of a variable reference.",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the `${VAR}` syntax is shown to the author, not interpolated
  fix: "Revoke the credential, then pass it by reference (`${VAR}`, `${env:VAR}`, an input variable or the client's secret store) in env, headers and arguments, so the value never lands in the repository.",
  owasp: ["LLM02", "LLM07", "LLM03"],
  atlas: ["AML.T0083", "AML.T0055"],
  check(file) {
    const servers = file.after?.model.mcpServers;
    if (!(servers instanceof Map) || servers.size === 0) return [];
    const base = file.before?.text ?? "";
    // Credentials the base already had, as parsed values (JSON escapes in the text would hide some of them).
    const had = new Set<string>();
    const baseServers = file.before?.model.mcpServers;
    if (baseServers instanceof Map)
      for (const s of baseServers.values())
        if (s && typeof s === "object") for (const l of literals(s)) had.add(l.needle);
    const out: RawFinding[] = [];
    for (const server of servers.values()) {
      if (!server || typeof server !== "object") continue;
      const seen = new Set<string>();
      const serverLine = Array.isArray(server.pointer) ? file.locate(server.pointer).line : 1;
      for (const lit of literals(server)) {
        if (seen.has(lit.needle) || had.has(lit.needle) || base.includes(lit.needle)) continue;
        seen.add(lit.needle);
        out.push({
          line: addedLineWith(file.added, lit.needle.split("\n")[0] ?? lit.needle, serverLine, serverLine),
          message: `MCP server "${server.key}" gets a literal ${lit.kind} ${lit.fingerprint} in ${lit.where} instead of a variable reference such as ${VAR_HINT}: the credential is committed with the config and shared with everyone who can read it.`,
        });
      }
    }
    return out.sort((a, b) => a.line - b.line);
  },
};

/** Every literal credential in a server's secret-bearing fields. */
export function literals(server: McpServer): Literal[] {
  const out: Literal[] = [];
  const entries = (m: unknown): [string, string][] =>
    m instanceof Map ? [...m.entries()].filter((e): e is [string, string] => typeof e[1] === "string") : [];
  for (const [name, value] of entries(server.env)) out.push(...fromValue(`env ${name}`, name, value));
  for (const [name, value] of entries(server.headers)) out.push(...fromValue(`header ${name}`, name, value));
  const args = Array.isArray(server.args)
    ? server.args.filter((a): a is string => typeof a === "string")
    : [];
  args.forEach((arg, i) => {
    out.push(...fromText("its arguments", arg));
    // `--api-key <value>`: a secret-named flag followed by its value.
    const next = args[i + 1];
    if (
      /^-{1,2}[A-Za-z][\w-]{0,60}$/.test(arg) &&
      isSecretName(arg) &&
      next !== undefined &&
      !next.startsWith("-")
    )
      out.push(...fromValue(`its arguments (${arg})`, arg, next));
    if (arg.includes("://")) out.push(...fromUrl(arg));
  });
  if (typeof server.command === "string") out.push(...fromText("its command", server.command));
  if (typeof server.url === "string") out.push(...fromUrl(server.url));
  return out;
}

/** A value under a name (env var, header, flag). */
function fromValue(where: string, name: string, value: string): Literal[] {
  const known = fromHits(where, value);
  if (known.length > 0) return known;
  const bare = value.trim().replace(/^(?:bearer|basic|token|bot)\s+/i, "");
  if (isSecretName(name)) {
    return looksRandomSecret(bare)
      ? [{ where, kind: "high-entropy secret", fingerprint: redact(bare), needle: bare }]
      : [];
  }
  // A structured value under a plain name (`OPENAPI_MCP_HEADERS: '{"Authorization": "Bearer …"}'`).
  return fromText(where, value);
}

/** Free text (an argument, the command): known formats and `key=value` / `Authorization: Bearer …` forms. */
function fromText(where: string, text: string): Literal[] {
  const out = fromHits(where, text);
  for (const a of secretAssignments(text)) {
    const bare = a.value.replace(/^(?:bearer|basic|token|bot)\s+/i, "");
    if (out.some((o) => o.needle.includes(bare) || bare.includes(o.needle))) continue;
    if (looksRandomSecret(bare))
      out.push({
        where: `${where} (${a.name})`,
        kind: "high-entropy secret",
        fingerprint: redact(bare),
        needle: bare,
      });
  }
  return out;
}

function fromHits(where: string, text: string): Literal[] {
  return findSecrets(text).map((h) => ({
    where,
    kind: h.kind,
    fingerprint: h.fingerprint,
    needle: text.slice(h.start, h.end),
  }));
}

const QUERY_SECRET_NAMES = new Set(["key", "sig", "signature", "code", "auth"]);

/** A URL: known formats anywhere, userinfo credentials, secret-named query parameters. */
function fromUrl(url: string): Literal[] {
  if (url.length > 8192) return [];
  const out = fromHits("its URL", url);
  const has = (needle: string) => out.some((o) => o.needle.includes(needle) || needle.includes(o.needle));
  const userinfo = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/([^/?#@\s]{1,500})@/.exec(url)?.[1];
  if (userinfo) {
    const colon = userinfo.indexOf(":");
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const pass = colon < 0 ? "" : userinfo.slice(colon + 1);
    if (pass !== "" && !isPlaceholder(pass) && !has(pass))
      out.push({
        where: "its URL (user:password@)",
        kind: "password",
        fingerprint: redact(pass),
        needle: pass,
      });
    else if (user !== "" && !has(user) && looksRandomSecret(user, 20))
      out.push({
        where: "its URL (token@)",
        kind: "high-entropy secret",
        fingerprint: redact(user),
        needle: user,
      });
  }
  const q = url.indexOf("?");
  if (q >= 0) {
    const query = url.slice(q + 1).split("#")[0] ?? "";
    for (const pair of query.split("&")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || has(value)) continue;
      const secretName = isSecretName(name) || QUERY_SECRET_NAMES.has(name.toLowerCase());
      if (secretName && looksRandomSecret(safeDecode(value)))
        out.push({
          where: `its URL query parameter "${name}"`,
          kind: "high-entropy secret",
          fingerprint: redact(value),
          needle: value,
        });
    }
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
