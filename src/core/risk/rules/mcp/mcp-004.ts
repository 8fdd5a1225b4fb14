import type { RawFinding, RiskRule } from "../../types.js";
import { at, displayUrl, MCP_OWASP, name, remoteUrls, servers } from "./util.js";

/** Public tunnel and IP-in-hostname services: the endpoint is someone's laptop or any IP. */
const TUNNEL_SUFFIXES = [
  "ngrok.io",
  "ngrok.app",
  "ngrok.dev",
  "ngrok-free.app",
  "ngrok-free.dev",
  "trycloudflare.com",
  "loca.lt",
  "localtunnel.me",
  "serveo.net",
  "serveousercontent.com",
  "pagekite.me",
  "localhost.run",
  "lhr.life",
  "lhr.rocks",
  "tunnelmole.net",
  "telebit.io",
  "loclx.io",
  "bore.pub",
  "pinggy.link",
  "pinggy.io",
  "devtunnels.ms",
  "zrok.io",
  "sharedwithexpose.com",
  "localto.net",
  "nip.io",
  "sslip.io",
  "xip.io",
];

/** Cloud instance-metadata endpoints (credentials of the machine the agent runs on). */
const METADATA_HOSTS = new Set([
  "169.254.169.254",
  "169.254.170.2",
  "100.100.100.200",
  "metadata.google.internal",
  "metadata",
  "[fd00:ec2::254]",
]);

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** An IPv4-mapped IPv6 literal (`[::ffff:a9fe:a9fe]`) as dotted IPv4, else the host unchanged. */
function unmapIpv6(host: string): string {
  const m = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/i.exec(host);
  if (!m) return host;
  const hi = Number.parseInt(m[1]!, 16);
  const lo = Number.parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function isLoopback(host: string): boolean {
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    host === "[::]" ||
    host === "0.0.0.0" ||
    (IPV4.test(host) && host.startsWith("127."))
  );
}

function onAllowlist(host: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase().replace(/\.$/, "");
    if (e.startsWith("*.")) return host.endsWith(e.slice(1));
    return host === e;
  });
}

/** A URL whose host is a `${VAR}` / `${input:x}` / `{var}` placeholder cannot be judged by host. */
const TEMPLATED_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[${}]/i;

/** Why a remote MCP URL is risky; each reason keyed by kind and host so unchanged risks are not repeated. */
export function urlRisks(url: string, allowed: readonly string[]): { key: string; text: string }[] {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return [];
  }
  const scheme = u.protocol;
  if (!["http:", "https:", "ws:", "wss:"].includes(scheme)) return [];
  const out: { key: string; text: string }[] = [];
  const templated = TEMPLATED_HOST.test(url.trim());
  const host = unmapIpv6(u.hostname.toLowerCase().replace(/\.$/, ""));
  const plain = scheme === "http:" || scheme === "ws:";
  if (templated) {
    return [];
  }
  const loopback = isLoopback(host);
  const metadata = METADATA_HOSTS.has(host) || (IPV4.test(host) && host.startsWith("169.254."));
  if (metadata)
    out.push({
      key: `metadata:${host}`,
      text: `${host} is a cloud instance-metadata address: the server can read the host machine's cloud credentials`,
    });
  else if (loopback)
    out.push({
      key: `loopback:${host}`,
      text: `${host} is the developer's own machine: a committed config makes every checkout trust whatever listens on that port`,
    });
  else {
    if (plain)
      out.push({
        key: `plain:${host}`,
        text: `plain ${scheme.slice(0, -1)}:// to a non-loopback host sends tool calls, results and any credentials unencrypted`,
      });
    if (IPV4.test(host) || host.startsWith("["))
      out.push({
        key: `ip:${host}`,
        text: `the host is the IP literal ${host}, with no name to verify a certificate or owner against`,
      });
    const tunnel = TUNNEL_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
    if (tunnel)
      out.push({
        key: `tunnel:${host}`,
        text: `${host} is a public tunnel / wildcard-DNS service (${tunnel}): it points at whoever runs the tunnel`,
      });
  }
  if (allowed.length > 0 && !loopback && !metadata && !onAllowlist(host, allowed))
    out.push({ key: `allowlist:${host}`, text: `${host} is not on the policy's allowed MCP hosts` });
  return out;
}

/**
 * MCP-004: a new or changed remote MCP endpoint is risky by where it points. Only risks the base side did
 * not already have (same kind, same host) are reported.
 */
export const mcp004: RiskRule = {
  id: "MCP-004",
  title: "Risky remote MCP server URL",
  threat: "data-exfiltration",
  severity: "high",
  trigger:
    "A new or changed remote MCP server URL uses plain http:// to a non-loopback host, an IP literal, a tunnel domain (ngrok, trycloudflare, localtunnel…), localhost in a committed config, a cloud metadata address, or a host outside the policy's `risk.allowed_mcp_hosts`.",
  fix: "Point the server at a named HTTPS endpoint run by a trusted party and listed in `risk.allowed_mcp_hosts`; keep local development servers in an uncommitted user-level config.",
  owasp: MCP_OWASP,
  atlas: ["AML.T0086", "AML.T0104"],
  check(file) {
    const { before, after } = servers(file);
    const allowed = file.settings.allowedMcpHosts;
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      const prev = before.get(server.key);
      const known = new Set<string>();
      if (prev)
        for (const r of remoteUrls(undefined, prev))
          for (const k of urlRisks(r.url, allowed)) known.add(k.key);
      for (const remote of remoteUrls(file, server)) {
        const risks = urlRisks(remote.url, allowed).filter((r) => !known.has(r.key));
        if (risks.length === 0) continue;
        const subject = prev
          ? `MCP server ${name(server)} now connects to`
          : `New MCP server ${name(server)} connects to`;
        out.push(
          at(
            file,
            remote.pointer,
            `${subject} ${displayUrl(remote.url)}: ${risks.map((r) => r.text).join("; ")}.`,
          ),
        );
      }
    }
    return out;
  },
};
