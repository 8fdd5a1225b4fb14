import type { McpServer } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { argPointer, at, fieldPointer, launchArgIndex, name, servers, show } from "./util.js";

/** Credential folders under a home directory. */
const CREDENTIAL_DIRS =
  /^(?:~|\$HOME|\$\{HOME\}|\$\{env:HOME\}|\$\{userHome\}|%USERPROFILE%|\/home\/[^/]+|\/Users\/[^/]+|\/root)\/(?:\.ssh|\.aws|\.gnupg|\.kube|\.docker|\.azure|\.config\/gcloud|\.netrc)(?:\/|$)/i;

/**
 * Why a host path is a wide root: the file-system root, a drive root, a home directory, a credential folder,
 * the Docker socket, system folders, or a path that climbs out of the working directory.
 */
export function wideRoot(path: string): string | undefined {
  const p = path.trim().replace(/^["']|["']$/g, "");
  const norm = p.length > 1 ? p.replace(/[\\/]+$/, "") : p;
  if (norm === "/" || norm === "") return p === "" ? undefined : "the whole file system";
  if (/^[a-z]:[\\/]?$/i.test(norm)) return "a whole drive";
  if (/docker\.sock$/.test(norm)) return "the Docker socket, which is root on the host";
  if (CREDENTIAL_DIRS.test(norm)) return "a credential folder";
  if (/^(?:~|\$HOME|\$\{HOME\}|\$\{env:HOME\}|\$\{userHome\}|%USERPROFILE%|%HOMEPATH%)$/i.test(norm))
    return "the home directory";
  if (/^(?:\/home|\/Users|\/root|\/etc|\/var|\/usr|\/proc|\/sys|\/dev|[a-z]:[\\/]Users)$/i.test(norm))
    return "a system folder";
  if (/^(?:\/home|\/Users)\/[^/]+$/.test(norm) || /^[a-z]:[\\/]Users[\\/][^\\/]+$/i.test(norm))
    return "a home directory";
  if (/(?:^|[\\/])\.\.(?:[\\/]|$)/.test(norm)) return "a folder outside the repository";
  return undefined;
}

/** The host side of a `-v src:dst[:opts]` / `--mount type=bind,source=src,…` flag. */
function mountSource(flag: string): string | undefined {
  if (flag.startsWith("-v ")) {
    const spec = flag.slice(3);
    const drive = /^[a-z]:[\\/]/i.test(spec) ? 2 : 0;
    const colon = spec.indexOf(":", drive);
    return colon < 0 ? undefined : spec.slice(0, colon);
  }
  if (flag.startsWith("--mount ")) {
    for (const part of flag.slice(8).split(",")) {
      const [k, v] = part.split("=", 2);
      if (v !== undefined && /^(?:source|src)$/i.test(k?.trim() ?? "")) return v;
    }
  }
  return undefined;
}

/** Docker flags that widen scope, each with why. Mounts count only when their host side is wide. */
export function wideFlags(server: McpServer): { flag: string; why: string }[] {
  const out: { flag: string; why: string }[] = [];
  for (const flag of server.launch?.flags ?? []) {
    if (flag.startsWith("-v ") || flag.startsWith("--mount ")) {
      const src = mountSource(flag);
      const why = src !== undefined ? wideRoot(src) : undefined;
      if (why) out.push({ flag, why: `mounts ${why}` });
    } else if (flag === "--privileged")
      out.push({ flag, why: "gives the container full access to the host" });
    else if (flag.endsWith(" host")) out.push({ flag, why: "shares the host's namespace" });
    else if (flag.startsWith("--cap-add")) out.push({ flag, why: "adds a kernel capability" });
    else if (flag.startsWith("--device")) out.push({ flag, why: "passes a host device through" });
    else if (flag.startsWith("--security-opt"))
      out.push({ flag, why: "turns off a kernel security profile" });
  }
  return out;
}

/** Index of the arg that holds a normalised flag's value (`/:/host` of `-v /:/host`), or the flag itself. */
function flagArgIndex(server: McpServer, flag: string): number {
  const sp = flag.indexOf(" ");
  const value = sp < 0 ? flag : flag.slice(sp + 1);
  return server.args.findIndex(
    (a) => a === value || a.endsWith(`=${value}`) || (a.length > 2 && a.endsWith(value)),
  );
}

/** Filesystem servers: the reference server and its common ports, by package or image name. */
const FILESYSTEM_SERVER = /(?:^|[/@_-])(?:server-)?filesystem(?:$|[-_])|(?:^|\/)(?:mcp-)?fs-server$/i;

/** Root folders a filesystem server is given (its positional arguments) that are wide. */
export function wideRoots(server: McpServer): { index: number; path: string; why: string }[] {
  const launch = server.launch;
  if (!launch || launch.runner === "docker" || launch.runner === "podman") return [];
  if (!FILESYSTEM_SERVER.test(launch.name)) return [];
  const start = launchArgIndex(server) + 1;
  const out: { index: number; path: string; why: string }[] = [];
  server.args.forEach((a, i) => {
    if (i < start || a.startsWith("-")) return;
    const why = wideRoot(a);
    if (why) out.push({ index: i, path: a, why });
  });
  return out;
}

/**
 * MCP-009: the server's reach grows past the project: a filesystem server rooted at `/`, a home folder or
 * `..`, or a container given host mounts, `--privileged`, host namespaces or capabilities.
 */
export const mcp009: RiskRule = {
  id: "MCP-009",
  title: "MCP server scope widened",
  threat: "privilege-escalation",
  severity: "high",
  trigger:
    "A new or changed MCP server gets a wide reach: filesystem-server roots at `/`, `~`, `$HOME`, a drive root or a parent folder (`..`), or docker/podman `-v /:/…`, home or credential mounts, the Docker socket, `--privileged`, `--network host`, `--pid host` or `--cap-add`.",
  fix: "Limit the server to the folders it needs inside the repository (a subfolder such as `./data`) and drop privileged container flags; mount single folders read-only where possible.",
  owasp: ["LLM06"],
  atlas: ["AML.T0053", "AML.T0101", "AML.T0081"],
  check(file) {
    const { before, after } = servers(file);
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      const prev = before.get(server.key);
      const subject = prev ? `MCP server ${name(server)} now` : `New MCP server ${name(server)}`;
      const hadRoots = new Set(prev ? wideRoots(prev).map((r) => r.path) : []);
      for (const root of wideRoots(server)) {
        if (hadRoots.has(root.path)) continue;
        out.push(
          at(
            file,
            argPointer(file, server, root.index),
            `${subject} gives its filesystem server the root \`${show(root.path)}\` (${root.why}): the agent can read and write everything below it.`,
          ),
        );
      }
      const hadFlags = new Set(prev?.launch?.flags ?? []);
      const flags = wideFlags(server).filter((f) => !hadFlags.has(f.flag));
      if (flags.length > 0) {
        const i = flagArgIndex(server, flags[0]!.flag);
        out.push(
          at(
            file,
            i >= 0 ? argPointer(file, server, i) : fieldPointer(file, server, ["args", "command"]),
            `${subject} runs its container with ${flags.map((f) => `\`${show(f.flag)}\` (${f.why})`).join(", ")}: the server reaches beyond its container.`,
          ),
        );
      }
    }
    return out;
  },
};
