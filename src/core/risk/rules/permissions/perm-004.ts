import type { RawFinding, RiskRule } from "../../types.js";
import {
  claudeModeRank,
  codexApprovalRank,
  PERM_ATLAS,
  PERM_OWASP,
  permSides,
  ruleComparison,
  show,
} from "./shared.js";

const MODE_EFFECT: Record<string, string> = {
  default: "tool calls that need approval are asked again",
  acceptEdits:
    "file edits and common filesystem commands (mkdir, touch, mv, cp) in the working directories run without asking",
  auto: "a background classifier, not a person, approves shell commands, network requests and edits",
  plan: "the agent plans read-only",
};

const APPROVAL_EFFECT: Record<string, string> = {
  "on-request": "the model itself decides when to ask",
  "on-failure":
    "every command runs in the sandbox without asking; approval is only requested after a failure",
  never: "nothing is ever asked: sandboxed commands run unasked and failures go straight back to the model",
  granular: "prompts are controlled per kind",
};

/**
 * PERM-004: approvals weakened. An ask rule moved to allow (the ask rule is gone and an allow rule now
 * covers or overlaps it); the Claude mode made looser (strictest to loosest: dontAsk < plan < default <
 * acceptEdits < auto; bypassPermissions is PERM-001), graded high when it now approves edits or actions
 * without a person (acceptEdits, auto), medium otherwise; Codex approval_policy made looser (untrusted <
 * on-request = granular = absent < on-failure < never), high when it becomes `never`, medium otherwise —
 * except when `never` completes the full bypass PERM-001 reports.
 */
export const perm004: RiskRule = {
  id: "PERM-004",
  title: "Approval weakened",
  threat: "privilege-escalation",
  severity: "high",
  trigger:
    "The change moves a rule from ask to allow, loosens Claude `defaultMode`/`permissionMode` (e.g. default or plan → acceptEdits or auto), or loosens Codex `approval_policy` (untrusted < on-request < on-failure < never).",
  fix: "Keep the prompt for these actions: restore the ask rule or the stricter mode, or pre-approve only the exact commands the workflow needs.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.after) return [];
    const { before, after } = permSides(file);
    const b = before.perms;
    const a = after.perms;
    const out: RawFinding[] = [];

    // ask → allow
    const bAllow = new Set(b.rules.filter((r) => r.decision === "allow").map((r) => r.rule));
    for (const { ask, allow } of ruleComparison(file).askToAllow) {
      const fresh = !bAllow.has(allow.rule);
      out.push({
        ...(fresh ? file.locate(allow.pointer) : file.locate(ask.pointer, "before")),
        ...(fresh ? {} : { side: "before" as const }),
        message: `Ask rule ${show(ask.rule)} was removed and allow rule ${show(allow.rule)} ${
          fresh ? "added" : "already"
        } approves those calls: they now run without asking.`,
      });
    }

    // Claude permission mode
    const bm = b.defaultMode?.value;
    const am = a.defaultMode?.value;
    if (file.before && am !== "bypassPermissions" && claudeModeRank(am) > claudeModeRank(bm)) {
      const key = file.format.id === "claude-agent" ? "permissionMode" : "permissions.defaultMode";
      const target = am ?? "default";
      out.push({
        ...(a.defaultMode
          ? file.locate(a.defaultMode.pointer)
          : file.locate(b.defaultMode!.pointer, "before")),
        ...(a.defaultMode ? {} : { side: "before" as const }),
        ...(target === "acceptEdits" || target === "auto" ? {} : { severity: "medium" as const }),
        message: `${key} ${a.defaultMode ? `changed to "${target}"` : 'removed (now "default")'} from "${bm ?? "default"}": ${
          MODE_EFFECT[target] ?? "the agent is asked less often"
        }.`,
      });
    } else if (!file.before && (am === "acceptEdits" || am === "auto")) {
      const key = file.format.id === "claude-agent" ? "permissionMode" : "permissions.defaultMode";
      out.push({
        ...file.locate(a.defaultMode!.pointer),
        message: `${key} is "${am}": ${MODE_EFFECT[am]}.`,
      });
    }

    // Codex approval_policy
    const ba = b.approvalPolicy?.value;
    const aa = a.approvalPolicy?.value;
    const fullBypass = (ap: string | undefined, sm: string | undefined) =>
      ap === "never" && sm === "danger-full-access";
    const reportedByPerm001 = fullBypass(aa, a.sandboxMode?.value) && !fullBypass(ba, b.sandboxMode?.value);
    if (
      file.format.id === "codex-config" &&
      !reportedByPerm001 &&
      codexApprovalRank(aa) > codexApprovalRank(ba)
    ) {
      const target = aa ?? "on-request";
      out.push({
        ...(a.approvalPolicy
          ? file.locate(a.approvalPolicy.pointer)
          : file.locate(b.approvalPolicy!.pointer, "before")),
        ...(a.approvalPolicy ? {} : { side: "before" as const }),
        ...(target === "never" ? {} : { severity: "medium" as const }),
        message: `Codex approval_policy ${a.approvalPolicy ? `set to "${target}"` : 'removed (now the default "on-request")'}${
          file.before ? ` from "${ba ?? "on-request"}"` : ""
        }: ${APPROVAL_EFFECT[target] ?? "the agent is asked less often"}.`,
      });
    }
    return out;
  },
};
