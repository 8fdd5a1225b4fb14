import { covers } from "../../../model/permission-rules.js";
import type { PermissionSwitch } from "../../../model/permissions.js";
import type { FindingSeverity } from "../../../types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { PERM_ATLAS, PERM_OWASP, type PermSide, permSides, ruleComparison, show, valueAt } from "./shared.js";

/**
 * A protective switch: `protects(value)` says whether a value (undefined = absent, i.e. the client default)
 * keeps the protection on. A finding fires when the base protected and the head does not.
 */
interface Guard {
  key: string;
  protects: (v: PermissionSwitch["value"] | undefined) => boolean;
  severity: FindingSeverity;
  effect: string;
}

const GUARDS: Guard[] = [
  {
    key: "permissions.disableBypassPermissionsMode",
    protects: (v) => v === "disable",
    severity: "critical",
    effect:
      'bypassPermissions mode (--dangerously-skip-permissions, defaultMode "bypassPermissions") can be turned on again',
  },
  {
    key: "permissions.disableAutoMode",
    protects: (v) => v === "disable",
    severity: "high",
    effect: "auto mode, where a classifier instead of a person approves actions, can be turned on again",
  },
  {
    key: "disableAutoMode",
    protects: (v) => v === "disable",
    severity: "high",
    effect: "auto mode, where a classifier instead of a person approves actions, can be turned on again",
  },
  {
    key: "sandbox.allowUnsandboxedCommands",
    // Claude Code's default is true: commands may ask to leave the sandbox (dangerouslyDisableSandbox).
    protects: (v) => v === false,
    severity: "critical",
    effect:
      "commands can again ask to run outside the sandbox (dangerouslyDisableSandbox), with full file-system and network access",
  },
  {
    key: "allowManagedPermissionRulesOnly",
    protects: (v) => v === true,
    severity: "high",
    effect: "allow/ask/deny rules from user and project settings apply again, next to the managed ones",
  },
  {
    key: "allowManagedHooksOnly",
    protects: (v) => v === true,
    severity: "high",
    effect: "hooks from user, project and plugin settings run again, not only managed ones",
  },
  {
    key: "allowManagedMcpServersOnly",
    protects: (v) => v === true,
    severity: "high",
    effect: "MCP servers outside the managed allowlist can be used again",
  },
  {
    key: "shell_environment_policy.inherit",
    // Codex's default is "all": every variable of the parent environment reaches commands.
    protects: (v) => v === "core" || v === "none",
    severity: "high",
    effect: "commands Codex runs inherit the whole environment again, including tokens and cloud credentials",
  },
  {
    key: "shell_environment_policy.ignore_default_excludes",
    protects: (v) => v !== true,
    severity: "high",
    effect:
      "variables whose names contain KEY, SECRET or TOKEN are no longer filtered out of the commands' environment",
  },
];

function sandboxEnabled(side: PermSide): boolean {
  return side.perms.sandbox?.enabled === true;
}

/**
 * PERM-005: a default or ordering loosened. Protective switches turned off (`disableBypassPermissionsMode`
 * removed, `sandbox.enabled` true → false or removed, `allowUnsandboxedCommands` no longer false, managed-only
 * switches, Codex `shell_environment_policy` opened up), and new allow rules that cover an existing deny or
 * ask rule. Claude Code checks deny rules, then ask, then allow, so such an allow never overrides the deny:
 * what it matches beyond the deny runs unasked and the deny pattern becomes the only guard against
 * equivalent commands it does not spell out. That shadowing case is medium (PERM-002 already reports the
 * widening itself) and only concerns deny/ask rules the base already had; switches are graded as listed
 * above. A switch that is absent takes the client's default, so an added file is compared with the defaults
 * (Codex `ignore_default_excludes = true` in a new file is reported; `allowUnsandboxedCommands: true` is not,
 * being the default) and a deleted file loses its switches.
 */
export const perm005: RiskRule = {
  id: "PERM-005",
  title: "Protective default or ordering loosened",
  threat: "privilege-escalation",
  severity: "critical",
  trigger:
    "The change turns off a protective switch (`disableBypassPermissionsMode`, `sandbox.enabled`, `sandbox.allowUnsandboxedCommands: false`, managed-only settings, Codex `shell_environment_policy`), or adds an allow rule that covers an existing deny or ask rule.",
  fix: "Restore the switch; if the sandbox or the managed-only setting must change, get the config owner's approval and record why. Instead of a broad allow next to a deny, allow the specific commands that are needed.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    const { before, after } = permSides(file);
    const out: RawFinding[] = [];
    const at = (a: PermissionSwitch | undefined, b: PermissionSwitch | undefined) =>
      a
        ? file.locate(a.pointer)
        : b
          ? { ...file.locate(b.pointer, "before"), side: "before" as const }
          : file.locate([]);

    for (const g of GUARDS) {
      const b = before.switches.get(g.key);
      const a = after.switches.get(g.key);
      if (!g.protects(b?.value) || g.protects(a?.value)) continue;
      out.push({
        ...at(a, b),
        severity: g.severity,
        message: `${g.key} ${a ? `${b ? "changed" : "set"} to ${show(String(a.value), 40)}` : file.after ? "removed" : "removed with the file"}${
          b ? ` (was ${show(String(b.value), 40)})` : ""
        }: ${g.effect}.`,
      });
    }

    // Claude sandbox on → off
    if (sandboxEnabled(before) && !sandboxEnabled(after)) {
      const enabledAfter = valueAt(after.data, ["sandbox", "enabled"]) !== undefined;
      out.push({
        ...(enabledAfter
          ? file.locate(["sandbox", "enabled"])
          : { ...file.locate(["sandbox", "enabled"], "before"), side: "before" as const }),
        message: `The Bash sandbox was turned off (sandbox.enabled ${
          enabledAfter ? "set to false" : file.after ? "removed" : "removed with the file"
        }): shell commands now run with the user's full file-system and network access instead of inside the sandbox's write and domain limits.`,
      });
    }

    // Allow rules that cover an existing deny/ask rule
    if (file.after) {
      // Only deny/ask rules that were already there: a new allow next to a new deny is one deliberate edit.
      const existing = new Set(
        before.perms.rules.filter((r) => r.decision !== "allow").map((r) => `${r.decision} ${r.rule}`),
      );
      const restrictive = after.perms.rules.filter(
        (r) => r.decision !== "allow" && existing.has(`${r.decision} ${r.rule}`),
      );
      for (const x of ruleComparison(file).widenedAllow) {
        const shadowed = restrictive.filter((d) => covers(x, d));
        if (shadowed.length === 0) continue;
        const names = shadowed.map((d) => `${d.decision} ${show(d.rule)}`).join(", ");
        const same = shadowed.every((d) => covers(d, x));
        out.push({
          ...file.locate(x.pointer),
          severity: "medium",
          message: same
            ? `Allow rule ${show(x.rule)} duplicates ${names}: Claude Code checks deny and ask rules first, so the allow has no effect now — but it silently takes over the moment that rule is removed.`
            : `Allow rule ${show(x.rule)} covers ${names}: Claude Code checks deny and ask rules first, so calls matching ${
                shadowed.length > 1 ? "those rules" : "that rule"
              } are still ${shadowed.every((d) => d.decision === "deny") ? "blocked" : "handled by them"}, but everything else ${show(
                x.rule,
              )} matches now runs without asking — the deny pattern is the only guard, and equivalent commands it does not spell out (other flags, wrappers such as \`bash -c\` or \`xargs\`) are allowed.`,
        });
      }
    }
    return out;
  },
};
