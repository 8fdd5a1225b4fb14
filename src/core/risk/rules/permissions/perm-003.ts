import { covers } from "../../../model/permission-rules.js";
import type { RawFinding, RiskRule } from "../../types.js";
import { PERM_ATLAS, PERM_OWASP, permSides, ruleComparison, show } from "./shared.js";

/** Removed rules × head rules above which findings keep a generic explanation (bench/rules: hostile case). */
const MAX_EXPLAIN_PAIRS = 250_000;

/**
 * PERM-003: a deny or ask rule of the base is no longer covered by any deny (for deny rules) or deny/ask
 * (for ask rules) rule of the head: removed, narrowed, or demoted from deny to ask. Judged by subsumption,
 * so consolidating `Bash(rm -rf:*)` into `Bash(rm:*)` or moving a rule is silent. Reported at the base line.
 * A deny that now only asks is medium; an ask rule that no allow rule overlaps is medium (it only mattered in
 * modes that approve by default); an ask rule an allow rule now approves is PERM-004. Deleting the whole
 * file counts: its deny rules stop applying.
 */
export const perm003: RiskRule = {
  id: "PERM-003",
  title: "Deny or ask rule removed",
  threat: "privilege-escalation",
  severity: "high",
  trigger:
    "A deny or ask rule (Claude `permissions.deny`/`ask`, subagent `disallowedTools`) of the base version is no longer covered by any deny or ask rule of the head: removed, narrowed, or turned from deny into ask.",
  fix: "Keep the deny rule (or an equivalent or broader one); if it must go, say in the pull request why the agent may now do what it blocked, and get the config owner's approval.",
  owasp: PERM_OWASP,
  atlas: PERM_ATLAS,
  check(file) {
    if (!file.before) return [];
    const { after } = permSides(file);
    const cmp = ruleComparison(file);
    const out: RawFinding[] = [];
    const aRules = after.perms.rules;
    const label = file.format.id === "claude-agent" ? "disallowedTools entry" : undefined;
    // Explaining each removal compares it with every head rule; on huge lists keep the finding, skip the detail.
    const explain = cmp.removedDeny.length * aRules.length <= MAX_EXPLAIN_PAIRS;
    const none: typeof aRules = [];
    for (const r of cmp.removedDeny) {
      const kind = label ?? `${r.decision} rule`;
      const candidates = explain ? aRules : none;
      const narrower = candidates.filter((x) => x.decision === r.decision && covers(r, x));
      const nowAsk =
        r.decision === "deny" ? candidates.find((x) => x.decision === "ask" && covers(x, r)) : undefined;
      const allow = candidates.find((x) => x.decision === "allow" && covers(x, r));
      const overlapAllow = allow ?? candidates.find((x) => x.decision === "allow" && covers(r, x));
      const what = !file.after
        ? "removed with the file"
        : narrower.length
          ? `narrowed to ${narrower.map((x) => show(x.rule)).join(", ")}`
          : "removed";
      let effect: string;
      let severity: "high" | "medium" | undefined;
      if (nowAsk) {
        effect = `these calls now only ask (${show(nowAsk.rule)}) instead of being blocked`;
        severity = "medium";
      } else if (allow) {
        effect = `allow rule ${show(allow.rule)} now approves them without asking`;
      } else if (r.decision === "deny") {
        effect = overlapAllow
          ? `part of them is now approved without asking by ${show(overlapAllow.rule)}, the rest falls back to the permission mode`
          : "these calls are no longer blocked: they fall back to the permission mode (asked, or run unasked in acceptEdits/auto/bypass modes)";
      } else {
        effect =
          "these calls no longer force a prompt (they matter in modes that approve by default, such as acceptEdits or auto)";
        severity = "medium";
      }
      out.push({
        ...file.locate(r.pointer, "before"),
        side: "before",
        ...(severity ? { severity } : {}),
        message: `${kind[0]!.toUpperCase()}${kind.slice(1)} ${show(r.rule)} ${what}: ${effect}.`,
      });
    }
    return out.sort((x, y) => x.line - y.line);
  },
};
