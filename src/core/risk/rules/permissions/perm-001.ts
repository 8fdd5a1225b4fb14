import type { Hook } from "../../../model/types.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { hookPointer, PERM_ATLAS, PERM_OWASP, permSides, show } from "./shared.js";

/** Command-line flags that switch every approval off (Claude Code, Codex, Gemini CLI, Copilot CLI). */
const BYPASS_FLAGS =
  /(?:--dangerously-skip-permissions|--allow-dangerously-skip-permissions|--permission-mode[= ]+bypassPermissions|--dangerously-bypass-approvals-and-sandbox|--approval-mode[= ]+yolo|--yolo\b|--allow-all-tools\b)/;

/** A hook whose output approves tool calls by itself: `permissionDecision: allow`, `behavior: allow`, `decision: approve`. */
function approvesEverything(h: Hook): boolean {
  if (h.event !== "PreToolUse" && h.event !== "PermissionRequest") return false;
  const c = h.command;
  if (c === undefined || !/allow|approve/.test(c)) return false;
  return (
    /permissionDecision["'\\\s]*:\s*\\?["']?allow/.test(c) ||
    /behavior["'\\\s]*:\s*\\?["']?allow/.test(c) ||
    /decision["'\\\s]*:\s*\\?["']?approve/.test(c)
  );
}

const hookKey = (h: Hook) => `${h.event}\u0000${h.matcher ?? ""}\u0000${h.command ?? ""}`;

/**
 * PERM-001: a mode that switches approvals off. Claude `defaultMode` / subagent `permissionMode` set to
 * `bypassPermissions`; Codex `approval_policy = "never"` together with `sandbox_mode = "danger-full-access"`
 * (the effective values, an active `profile` included, and any profile that sets both); a hook, status line
 * or helper command that starts an agent with a skip-permissions flag; a PreToolUse / PermissionRequest hook
 * that answers "allow" by itself. `dontAsk` is not a bypass: it denies whatever would prompt. `auto` and
 * `acceptEdits` are PERM-004. Codex `danger-full-access` alone is reported here as high (commands run
 * without a sandbox but approvals still apply); `never` alone is PERM-004 (commands stay sandboxed).
 */
export const perm001: RiskRule = {
  id: "PERM-001",
  title: "Permission bypass mode turned on",
  threat: "privilege-escalation",
  severity: "critical",
  trigger:
    'The change sets Claude `defaultMode`/`permissionMode` to `bypassPermissions`, Codex `approval_policy = "never"` with `sandbox_mode = "danger-full-access"` (danger-full-access alone: high), adds a hook or helper command with a skip-permissions flag, or adds a hook that approves tool calls by itself.',
  fix: "Remove the bypass: keep the default mode and pre-approve the specific commands the agent needs with narrow allow rules. If an isolated CI sandbox really needs it, keep it in a CI-only file and suppress this finding there with a reason.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const b = before.perms;
    const a = after.perms;
    const out: RawFinding[] = [];
    const at = (pointer: Parameters<typeof file.locate>[0]) => file.locate(pointer);

    // Claude permission modes.
    if (a.defaultMode?.value === "bypassPermissions" && b.defaultMode?.value !== "bypassPermissions") {
      const key = file.format.id === "claude-agent" ? "permissionMode" : "permissions.defaultMode";
      out.push({
        ...at(a.defaultMode.pointer),
        message: `${key} set to "bypassPermissions"${b.defaultMode ? ` (was "${b.defaultMode.value}")` : ""}: ${
          file.format.id === "claude-agent"
            ? "this subagent runs"
            : "Claude Code sessions in this project run"
        } every tool call — shell commands, file writes, network requests, MCP tools — without a permission prompt, so a prompt injection in any file or web page the agent reads can act immediately.`,
      });
    }

    // Codex: no approvals and no sandbox.
    const full = (approval: string | undefined, sandbox: string | undefined) =>
      approval === "never" && sandbox === "danger-full-access";
    const bFull = full(b.approvalPolicy?.value, b.sandboxMode?.value);
    if (full(a.approvalPolicy?.value, a.sandboxMode?.value) && !bFull) {
      const changed =
        b.sandboxMode?.value !== "danger-full-access" ? a.sandboxMode!.pointer : a.approvalPolicy!.pointer;
      out.push({
        ...at(changed),
        message:
          'Codex now runs with approval_policy = "never" and sandbox_mode = "danger-full-access": every command the model writes runs unsandboxed, with full disk and network access, and nobody is asked (the equivalent of --dangerously-bypass-approvals-and-sandbox).',
      });
    } else if (
      a.sandboxMode?.value === "danger-full-access" &&
      b.sandboxMode?.value !== "danger-full-access"
    ) {
      out.push({
        ...at(a.sandboxMode.pointer),
        severity: "high",
        message: `Codex sandbox_mode set to "danger-full-access"${
          b.sandboxMode ? ` (was "${b.sandboxMode.value}")` : ""
        }: commands run without a sandbox, with full disk and network access; only approval_policy "${
          a.approvalPolicy?.value ?? "on-request"
        }" still stands between the model and the machine.`,
      });
    }
    // Codex profiles (chosen with --profile) that switch both off.
    const profileNames = new Set<string>();
    for (const key of after.switches.keys()) {
      const m = /^profiles\.(.+)\.(?:approval_policy|sandbox_mode)$/.exec(key);
      if (m) profileNames.add(m[1]!);
    }
    for (const name of profileNames) {
      const get = (s: typeof after.switches, k: string) => {
        const v = s.get(`profiles.${name}.${k}`)?.value;
        return typeof v === "string" ? v : undefined;
      };
      if (!full(get(after.switches, "approval_policy"), get(after.switches, "sandbox_mode"))) continue;
      if (full(get(before.switches, "approval_policy"), get(before.switches, "sandbox_mode"))) continue;
      // The active profile is already judged through the effective values above.
      if (a.approvalPolicy?.pointer[1] === name && a.approvalPolicy.pointer[0] === "profiles") continue;
      const sw = after.switches.get(`profiles.${name}.sandbox_mode`)!;
      out.push({
        ...at(sw.pointer),
        message: `Codex profile "${name}" sets approval_policy = "never" and sandbox_mode = "danger-full-access": anyone running \`codex --profile ${name}\` gets unsandboxed commands with no approvals.`,
      });
    }

    // Hooks and helper commands that bypass approvals.
    const known = new Set(before.perms.hooks.map(hookKey));
    const knownEndpoints = new Set(b.endpoints.map((e) => `${e.key}\u0000${e.value}`));
    for (const h of a.hooks) {
      if (known.has(hookKey(h)) || h.command === undefined) continue;
      const where = `${h.event} ${h.event === "statusLine" || h.event === "notify" ? "command" : "hook"}${
        h.matcher ? ` (matcher ${show(h.matcher, 60)})` : ""
      }`;
      const flag = BYPASS_FLAGS.exec(h.command);
      if (flag) {
        out.push({
          ...at(hookPointer(after.data, h)),
          message: `${where} runs an agent with ${flag[0]}: ${show(h.command)}. That agent executes every tool call without asking.`,
        });
      } else if (approvesEverything(h)) {
        out.push({
          ...at(hookPointer(after.data, h)),
          message: `${where} answers "allow" by itself: ${show(h.command)}. A hook that approves every matching tool call replaces the permission prompt — the calls it matches run unasked, whatever the allow/ask rules say.`,
        });
      }
    }
    for (const e of a.endpoints) {
      if (knownEndpoints.has(`${e.key}\u0000${e.value}`)) continue;
      const flag = BYPASS_FLAGS.exec(e.value);
      if (flag)
        out.push({
          ...at(e.pointer),
          message: `${e.key} runs an agent with ${flag[0]}: ${show(e.value)}. That agent executes every tool call without asking.`,
        });
    }
    return out;
  },
};
