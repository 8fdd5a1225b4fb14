import type { RawFinding, RiskRule } from "../../types.js";
import { permSides, valueAt } from "./shared.js";

/** How much a limit must grow to be reported. */
const FACTOR = 10;

/**
 * PERM-010: a limit removed or raised at least tenfold: subagent `maxTurns`; Claude `env` token, timeout,
 * turn and budget caps (`CLAUDE_CODE_MAX_OUTPUT_TOKENS`, `MAX_THINKING_TOKENS`, `BASH_MAX_TIMEOUT_MS`,
 * `MCP_TOOL_TIMEOUT`…); Codex `background_terminal_max_timeout`, `tool_output_token_limit`,
 * `model_max_output_tokens`, `agents.max_threads`/`max_depth`, `mcp_servers.*.tool_timeout_sec`. A removed
 * limit is reported at the base line; limits of a removed MCP server or a deleted file are not.
 */
export const perm010: RiskRule = {
  id: "PERM-010",
  title: "Limit removed or raised tenfold",
  threat: "tool-misuse",
  severity: "low",
  trigger:
    "The change removes a numeric limit (max turns, token caps, timeouts, budgets, thread counts) or raises one to at least 10× its previous value.",
  fix: "Keep a bound on how long and how much the agent may run; raise limits in small steps and say why in the pull request.",
  owasp: ["LLM06", "LLM10"],
  atlas: ["AML.T0081", "AML.T0034"],
  check(file) {
    if (!file.before || !file.after) return [];
    const { before, after } = permSides(file);
    if (!after.present) return [];
    const out: RawFinding[] = [];
    for (const [key, b] of before.perms.limits) {
      const a = after.perms.limits.get(key);
      if (a === undefined) {
        const server = /^mcp_servers\.(.+)\.tool_timeout_sec$/.exec(key);
        if (server && typeof valueAt(after.data, ["mcp_servers", server[1]!]) !== "object") continue;
        out.push({
          ...file.locate(b.pointer, "before"),
          side: "before",
          message: `Limit ${key} (${b.value}) removed: the agent now runs with the client's default, which may be unbounded.`,
        });
      } else if (b.value > 0 && a.value >= b.value * FACTOR) {
        out.push({
          ...file.locate(a.pointer),
          message: `Limit ${key} raised from ${b.value} to ${a.value} (${Math.round(a.value / b.value)}×): the agent can run much longer or produce much more before it is stopped.`,
        });
      }
    }
    return out;
  },
};
