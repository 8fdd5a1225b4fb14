import type { McpServer } from "../../../model/types.js";
import type { PointerSegment } from "../../../parse/document.js";
import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import { packageId } from "./mcp-002.js";
import {
  argPointer,
  at,
  displayUrl,
  fieldPointer,
  launchArgIndex,
  launchLabel,
  MCP_OWASP,
  name,
  remoteUrls,
  servers,
  show,
} from "./util.js";

interface Identity {
  /** What is compared. */
  id: string;
  /** What the reviewer sees (built only when reported). */
  label: () => string;
  pointer: (file: FileContext, server: McpServer) => PointerSegment[];
}

/** Host, port and path of a URL (scheme, query and credentials are not identity). */
function urlId(url: string): string {
  try {
    const u = new URL(url);
    return `url:${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return `url:${url
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .toLowerCase()}`;
  }
}

/**
 * What a server is, as far as trust goes: the remote endpoint (also behind an `mcp-remote` proxy), else the
 * launched package/image/git source (name only, so version bumps are not drift), else the command and the
 * first positional argument (the script or module it runs).
 */
export function identity(server: McpServer): Identity | undefined {
  const remote = remoteUrls(undefined, server)[0];
  if (remote && (server.command === undefined || remote.url !== server.url)) {
    return {
      id: urlId(remote.url),
      label: () => `${server.transport === "stdio" ? "proxied " : ""}URL ${displayUrl(remote.url)}`,
      pointer: (f, s) => remoteUrls(f, s)[0]?.pointer ?? s.pointer,
    };
  }
  const launch = server.launch;
  if (launch) {
    return {
      id: packageId(launch),
      label: () => launchLabel(launch),
      pointer: (f, s) => argPointer(f, s, launchArgIndex(s)),
    };
  }
  const command = server.command;
  if (command !== undefined) {
    const i = server.args.findIndex((a) => !a.startsWith("-"));
    const module = server.args[i - 1] === "-m" ? "-m " : "";
    const target = i >= 0 ? ` ${module}${server.args[i]}` : "";
    return {
      id: `cmd:${command}${target}`,
      label: () => `command \`${show(command + target)}\``,
      pointer: (f, s) => (i >= 0 ? argPointer(f, s, i) : fieldPointer(f, s, ["command"])),
    };
  }
  const url = server.url;
  if (url !== undefined) {
    return {
      id: urlId(url),
      label: () => `URL ${displayUrl(url)}`,
      pointer: (f, s) => fieldPointer(f, s, ["url", "httpUrl", "serverUrl"]),
    };
  }
  return undefined;
}

/**
 * MCP-003: the same server key now points at different code or a different endpoint (the MCPoison
 * pattern, CVE-2025-54136): approvals and allow-lists given to the key carry over to the new server.
 */
export const mcp003: RiskRule = {
  id: "MCP-003",
  title: "MCP server identity drift",
  threat: "supply-chain",
  severity: "high",
  trigger:
    "An existing MCP server key keeps its name but now runs a different command, package or image, or connects to a different URL host or path (a version bump of the same package is not drift).",
  fix: "Give a different server a new key so it is reviewed and approved as new, or confirm that the new package, image or endpoint is published by the same trusted party.",
  owasp: MCP_OWASP,
  atlas: ["AML.T0109", "AML.T0081", "AML.T0104"],
  check(file) {
    const { before, after } = servers(file);
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      const prev = before.get(server.key);
      if (!prev) continue;
      const was = identity(prev);
      const now = identity(server);
      if (!was || !now || was.id === now.id) continue;
      out.push(
        at(
          file,
          now.pointer(file, server),
          `MCP server ${name(server)} kept its key but changed identity: ${was.label()} → ${now.label()}. Approvals and tool permissions granted to ${name(server)} now apply to the new server.`,
        ),
      );
    }
    return out;
  },
};
