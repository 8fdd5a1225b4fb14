import type { RiskRule } from "../../types.js";

const SELF_FORMATS = new Set(["agent-change-control-policy", "agent-change-control-schema"]);

export const self001: RiskRule = {
  id: "SELF-001",
  title: "Change to this project's policy or a schema it names",
  threat: "self-modification",
  severity: "critical",
  trigger:
    "The change adds, edits, renames or removes the agent-change-control policy file or a JSON Schema the policy names: the rules that judge agent-config changes are themselves being changed.",
  fix: "Have a policy owner (approvals.policy_owners, by default repository admins) review and approve the change; keep policy changes in their own pull request.",
  owasp: ["LLM06"],
  atlas: ["AML.T0081"],
  check(file) {
    if (!SELF_FORMATS.has(file.format.id)) return [];
    const unchanged =
      file.status === "modified" && file.before !== undefined && file.before.text === file.after?.text;
    if (unchanged) return [];
    const what =
      file.format.id === "agent-change-control-policy"
        ? "the agent-change-control policy"
        : "a JSON Schema named by the agent-change-control policy";
    const how =
      file.status === "added"
        ? "adds"
        : file.status === "removed"
          ? "removes"
          : file.status === "renamed"
            ? `renames (from ${file.previousPath ?? "?"}) and may change`
            : "edits";
    return [
      {
        line: 1,
        ...(file.status === "removed" ? { side: "before" as const } : {}),
        message: `this change ${how} ${what}, which decides how agent-config changes are checked and approved: approval by the policy owners will be required.`,
      },
    ];
  },
};
