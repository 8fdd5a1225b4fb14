import type { PackageLaunch } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { argPointer, at, launchArgIndex, launchLabel, MCP_OWASP, name, servers, show } from "./util.js";

/** Which registry a launch resolves through, so `npx x` → `bunx x` stays the same package. */
export function registryFamily(runner: PackageLaunch["runner"]): string {
  switch (runner) {
    case "npx":
    case "bunx":
    case "pnpm":
    case "yarn":
      return "npm";
    case "uvx":
    case "pipx":
      return "pypi";
    case "docker":
    case "podman":
      return "image";
    default:
      return runner;
  }
}

/** Package name as the registry compares it (PyPI folds case and `-_.`; Docker Hub's implicit prefix). */
export function packageId(launch: PackageLaunch): string {
  const family = registryFamily(launch.runner);
  let n = launch.name;
  if (family === "pypi") n = n.toLowerCase().replace(/[-_.]+/g, "-");
  else if (family === "image") n = n.toLowerCase().replace(/^(?:docker\.io\/)?(?:library\/)?/, "");
  else if (family === "git")
    n = n
      .toLowerCase()
      .replace(/^git\+/, "")
      .replace(/\.git$/, "");
  return `${family}:${n}`;
}

function why(launch: PackageLaunch): string {
  switch (registryFamily(launch.runner)) {
    case "image":
      return "no tag, or the mutable `latest` tag, and no `@sha256:` digest";
    case "git":
      return "no commit hash";
    case "pypi":
      return "no exact `==` version";
    default:
      return "no exact version (missing, `latest`, a dist-tag or a range)";
  }
}

/**
 * MCP-002: a new server, or a server whose launch became unpinned, runs whatever the registry serves at
 * start-up. Registries cannot be told apart (an internal registry is treated like the public one): pin it,
 * or accept it with a suppression.
 */
export const mcp002: RiskRule = {
  id: "MCP-002",
  title: "Unpinned MCP server launch",
  threat: "supply-chain",
  severity: "high",
  trigger:
    "A new or changed MCP server launches a package, image or git source without a fixed version: npx/bunx/pnpm dlx/yarn dlx without an exact version or with `@latest`, uvx/pipx without `==version`, an image without a tag or with `:latest` and no digest, a git URL without a commit.",
  fix: "Pin the exact version (`pkg@1.2.3`, `pkg==1.2.3`), the image digest (`image@sha256:…`) or the git commit, so a later release cannot change what the agent runs without review.",
  owasp: MCP_OWASP,
  atlas: ["AML.T0109", "AML.T0010.005", "AML.T0104"],
  check(file) {
    const { before, after } = servers(file);
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      const launch = server.launch;
      if (!launch || launch.version !== undefined) continue;
      const prev = before.get(server.key)?.launch;
      // Already unpinned before, same package: not introduced by this change.
      if (prev && prev.version === undefined && packageId(prev) === packageId(launch)) continue;
      const subject = !before.has(server.key)
        ? `New MCP server ${name(server)} launches`
        : prev && packageId(prev) === packageId(launch)
          ? `MCP server ${name(server)} no longer pins its version (was ${show(prev.version ?? "")}) and launches`
          : `MCP server ${name(server)} now launches`;
      out.push(
        at(
          file,
          argPointer(file, server, launchArgIndex(server)),
          `${subject} ${launchLabel(launch)} with ${why(launch)}: whatever is published next runs with the agent's access.`,
        ),
      );
    }
    return out;
  },
};
