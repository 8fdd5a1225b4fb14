import type { FindingSeverity } from "../../../types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { itemPointer, PERM_ATLAS, PERM_OWASP, permSides, show } from "./shared.js";

/** Package registries commonly opened for builds: medium, not high (risk-checks false-positive note). */
const REGISTRIES = new Set([
  "registry.npmjs.org",
  "registry.yarnpkg.com",
  "npm.pkg.github.com",
  "pypi.org",
  "files.pythonhosted.org",
  "crates.io",
  "static.crates.io",
  "index.crates.io",
  "proxy.golang.org",
  "sum.golang.org",
  "rubygems.org",
  "repo.maven.apache.org",
  "repo1.maven.org",
  "plugins.gradle.org",
  "registry-1.docker.io",
  "api.nuget.org",
  "pkg.go.dev",
]);

/** Whether an allowlist pattern covers a domain: equal, or `*.suffix` over a subdomain (or `*`). */
function domainCovered(pattern: string, domain: string): boolean {
  const p = pattern.trim().toLowerCase();
  const d = domain.trim().toLowerCase();
  if (p === d || p === "*") return true;
  if (p.startsWith("*.")) {
    const suffix = p.slice(1);
    return d.endsWith(suffix) && d.length > suffix.length;
  }
  return false;
}

function grade(domain: string): { severity: FindingSeverity; why: string } {
  const d = domain.trim().toLowerCase();
  if (d === "*" || d === "*.*" || d === "")
    return { severity: "critical", why: "every domain: sandboxed commands can send data anywhere" };
  if (d.startsWith("*.") && !d.slice(2).includes("."))
    return { severity: "critical", why: `every domain under the top-level domain "${d.slice(2)}"` };
  if (d.includes("*"))
    return {
      severity: "high",
      why: "a wildcard: every subdomain, including ones anyone can create on shared hosting",
    };
  if (REGISTRIES.has(d))
    return { severity: "medium", why: "a package registry (downloads run code; uploads are possible)" };
  return { severity: "high", why: "a new destination sandboxed commands can send data to" };
}

/**
 * PERM-007: network egress widened. Domains added to the Claude sandbox allowlist
 * (`sandbox.network.allowedDomains`) that no base entry covered, graded by breadth (`*` and `*.tld`
 * critical, other wildcards and plain domains high, well-known package registries medium);
 * `sandbox.network.allowAllUnixSockets` turned on (local daemons such as docker.sock become reachable);
 * Codex `sandbox_workspace_write.network_access = true` (all or nothing).
 */
export const perm007: RiskRule = {
  id: "PERM-007",
  title: "Network egress widened",
  threat: "data-exfiltration",
  severity: "high",
  trigger:
    "The change adds domains to the sandbox network allowlist (`sandbox.network.allowedDomains`; wildcards such as `*` or `*.com` are critical), allows all Unix sockets, or sets Codex `sandbox_workspace_write.network_access = true`.",
  fix: "Allow only the exact hosts the workflow needs (for example the one package registry), never wildcards over public suffixes; keep Codex network access off and fetch dependencies before the agent runs.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const out: RawFinding[] = [];

    if (file.format.id === "codex-config") {
      const b = before.switches.get("sandbox_workspace_write.network_access");
      const a = after.switches.get("sandbox_workspace_write.network_access");
      if (a?.value === true && b?.value !== true)
        out.push({
          ...file.locate(a.pointer),
          message: `Codex sandbox_workspace_write.network_access set to true${
            b ? ` (was ${show(String(b.value), 20)})` : ""
          }: commands in the workspace-write sandbox can now reach any host, so code or secrets they read can be sent anywhere.`,
        });
      return out;
    }

    const bDomains = before.perms.sandbox?.allowedDomains ?? [];
    const aDomains = after.perms.sandbox?.allowedDomains ?? [];
    const seen = new Set<string>();
    for (const d of aDomains) {
      if (seen.has(d) || bDomains.some((p) => domainCovered(p, d))) continue;
      seen.add(d);
      const g = grade(d);
      out.push({
        ...file.locate(itemPointer(after.data, ["sandbox", "network", "allowedDomains"], d)),
        severity: g.severity,
        message: `Sandbox network allowlist now includes ${show(d, 80)}: ${g.why}.`,
      });
    }

    const bs = before.switches.get("sandbox.network.allowAllUnixSockets");
    const as = after.switches.get("sandbox.network.allowAllUnixSockets");
    if (as?.value === true && bs?.value !== true)
      out.push({
        ...file.locate(as.pointer),
        message:
          "sandbox.network.allowAllUnixSockets set to true: sandboxed commands can talk to every local Unix socket, including the Docker daemon (docker.sock), which amounts to leaving the sandbox.",
      });
    return out;
  },
};
