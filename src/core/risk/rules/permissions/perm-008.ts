import { covers, isWholeTool, parsePathSpec, parseRuleText } from "../../../model/permission-rules.js";
import type { PermissionRule } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import {
  grantsAreApprovals,
  itemPointer,
  PERM_ATLAS,
  PERM_OWASP,
  permSides,
  ruleComparison,
  show,
} from "./shared.js";

/** Repository paths whose contents steer the agent, the CI or git itself, with sample files inside each. */
const PROTECTED: Record<string, string[]> = {
  ".git": ["config", "HEAD", "hooks/pre-commit"],
  ".github/workflows": ["ci.yml", "release.yaml"],
  ".claude": [
    "settings.json",
    "settings.local.json",
    "agents/a.md",
    "commands/a.md",
    "hooks/a.sh",
    "skills/a/SKILL.md",
  ],
  ".codex": ["config.toml"],
  ".cursor": ["mcp.json", "rules/a.mdc"],
  ".vscode": ["settings.json", "mcp.json", "tasks.json"],
};
const PROTECTED_DIRS = Object.keys(PROTECTED);
/** Sample home files (shell start-up, SSH, agent configs) and system files. */
const HOME_SAMPLES = [
  ".bashrc",
  ".zshrc",
  ".profile",
  ".ssh/authorized_keys",
  ".claude/settings.json",
  ".config/a",
];
const ABS_SAMPLES = [
  "etc/hosts",
  "usr/local/bin/a",
  "home/u/.bashrc",
  "Users/u/.zshrc",
  "root/.ssh/authorized_keys",
];
const EDIT_TOOLS = new Set(["Edit", "Write", "MultiEdit", "NotebookEdit"]);

/** Which protected places an Edit/Write rule reaches, or [] when none. */
export function protectedWrites(rule: { tool: string; specifier?: string }): string[] {
  if (!EDIT_TOOLS.has(rule.tool)) return [];
  if (isWholeTool(rule))
    return ["every path (including .git/, .github/workflows/, .claude/ and your home directory)"];
  const spec = rule.specifier ?? "";
  const { root, glob } = parsePathSpec(spec);
  const reaches = (sample: string) => covers(rule, { tool: rule.tool, specifier: sample });
  if (root === "home")
    return HOME_SAMPLES.some((s) => reaches(`~/${s}`)) || glob.startsWith("*")
      ? ["your home directory (~)"]
      : [];
  if (root === "abs") {
    if (ABS_SAMPLES.some((s) => reaches(`//${s}`)) || glob.startsWith("*"))
      return ["the filesystem root (/)"];
    const dirs = PROTECTED_DIRS.filter((d) => `/${glob}/`.includes(`/${d}/`));
    return dirs.map((d) => `${d}/`);
  }
  const prefix = root === "settings" ? "/" : "./";
  const out: string[] = [];
  for (const d of PROTECTED_DIRS) {
    const mentioned = `/${glob}/`.includes(`/${d}/`) || `/${glob}`.endsWith(`/${d}`);
    if (mentioned || (PROTECTED[d] ?? []).some((s) => reaches(`${prefix}${d}/${s}`))) out.push(`${d}/`);
  }
  if (glob.startsWith("../") || glob === "..") out.push("paths outside the repository");
  return out;
}

/** Which protected places a directory entry (additionalDirectories, writable_roots, allowWrite) opens. */
export function protectedDirectory(path: string): string[] {
  let p = path.trim().replace(/\\/g, "/");
  if (p === "") return [];
  if (/^(?:\$HOME|\$\{HOME\}|%USERPROFILE%)(?=\/|$)/.test(p))
    p = `~${p.replace(/^(?:\$HOME|\$\{HOME\}|%USERPROFILE%)/, "")}`;
  p = p.replace(/\/+$/, "") || "/";
  if (p === "/" || /^[A-Za-z]:$/.test(p)) return ["the filesystem root (/)"];
  if (p === "~") return ["your home directory (~)"];
  if (p.startsWith("~/")) {
    const rest = p.slice(2);
    return rest.startsWith(".") ? [`a configuration directory in your home (~/${rest.split("/")[0]})`] : [];
  }
  if (p.startsWith("/")) {
    if (/^\/(?:home|Users|root)(?:\/[^/]+)?$/.test(p)) return ["a home directory"];
    if (/^\/(?:etc|usr|bin|sbin|lib|lib64|boot|var|opt|System|Library)(?:\/|$)/.test(p))
      return ["system directories"];
    const found = PROTECTED_DIRS.filter((d) => `${p}/`.includes(`/${d}/`));
    if (/\/\.(?:ssh|aws|gnupg|config|kube|docker)(?:\/|$)/.test(p)) found.push("credential directories");
    return found.map((d) => (d.startsWith(".") ? `${d}/` : d));
  }
  const rel = p.replace(/^(?:\.\/)+/, "");
  if (rel === "." || rel === "") return [];
  if (rel === ".." || rel.startsWith("../"))
    return ["the parent of the repository (it contains this repository's .git/ and other projects)"];
  const out: string[] = [];
  for (const d of PROTECTED_DIRS) {
    if (`${rel}/`.startsWith(`${d}/`) || `${d}/`.startsWith(`${rel}/`)) out.push(`${d}/`);
  }
  return out;
}

/**
 * PERM-008: writable scope widened to protected paths: new `permissions.additionalDirectories`,
 * `sandbox.filesystem.allowWrite`, Codex `sandbox_workspace_write.writable_roots`, and new Edit/Write allow
 * rules (settings `allow`, command/skill `allowed-tools`) that reach `.git/`, `.github/workflows/`,
 * `.claude/`, `.codex/`, `.cursor/`, `.vscode/`, the home directory (`~`, its dot-directories) or the
 * filesystem root. Writing there lets the agent change its own permissions and hooks, CI workflows or git
 * hooks: self-modification that outlives the session.
 */
export const perm008: RiskRule = {
  id: "PERM-008",
  title: "Writable scope widened to protected paths",
  threat: "self-modification",
  severity: "high",
  trigger:
    "The change adds an extra directory (`additionalDirectories`, `sandbox.filesystem.allowWrite`, Codex `writable_roots`) or an Edit/Write allow rule that reaches `.git/`, `.github/workflows/`, `.claude/`, `.codex/`, `.cursor/`, `.vscode/`, the home directory or `/`.",
  fix: "Scope writes to the project's source folders (e.g. `Edit(./src/**)`); keep agent configuration, CI workflows, git internals and the home directory behind a prompt so the agent cannot rewrite its own permissions.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const out: RawFinding[] = [];

    const bDirs = new Set(before.perms.directories.map((d) => d.path.trim()));
    for (const d of after.perms.directories) {
      if (bDirs.has(d.path.trim())) continue;
      const places = protectedDirectory(d.path);
      if (places.length === 0) continue;
      const key = d.pointer.filter((s) => typeof s === "string").join(".");
      out.push({
        ...file.locate(d.pointer),
        message: `${key} now includes ${show(d.path, 100)}, which opens ${places.join(", ")} to the agent: it can rewrite its own settings, hooks, CI workflows or start-up files.`,
      });
    }

    const candidates: {
      rule: PermissionRule | { rule: string; tool: string; specifier?: string };
      pointer: (string | number)[];
    }[] = [];
    for (const r of ruleComparison(file).widenedAllow) candidates.push({ rule: r, pointer: r.pointer });
    if (grantsAreApprovals(file.format.id) && after.perms.toolGrants) {
      const base = before.perms.toolGrants?.tools ?? [];
      for (const t of after.perms.toolGrants.tools) {
        const spec = parseRuleText(t);
        if (base.some((x) => covers(parseRuleText(x), spec))) continue;
        candidates.push({
          rule: { rule: t, ...spec },
          pointer: itemPointer(after.data, after.perms.toolGrants.pointer, t),
        });
      }
    }
    for (const { rule, pointer } of candidates) {
      const places = protectedWrites(rule);
      if (places.length === 0) continue;
      out.push({
        ...file.locate(pointer),
        message: `${show(rule.rule, 100)} lets the agent write ${places.join(", ")} without asking: it can rewrite its own permissions and hooks, CI workflows or git hooks.`,
      });
    }
    return out;
  },
};
