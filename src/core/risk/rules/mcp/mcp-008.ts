import type { RawFinding, RiskRule } from "../../types.js";
import { at, fieldPointer, name, servers, show, valueAt } from "./util.js";

const list = (names: readonly string[]) =>
  names.length > 5
    ? `${names
        .slice(0, 5)
        .map((n) => show(n, 60))
        .join(", ")} and ${names.length - 5} more`
    : names.map((n) => show(n, 60)).join(", ");

/**
 * MCP-008: tool calls of a server stop asking the user: Gemini `trust: true`, Cline/Roo/Kiro
 * `alwaysAllow`/`autoApprove` entries, Copilot `tools: ["*"]`, Codex `approve` approval modes, and Claude
 * `enableAllProjectMcpServers` / `enabledMcpjsonServers` (from the permissions model).
 */
export const mcp008: RiskRule = {
  id: "MCP-008",
  title: "MCP auto-trust enabled",
  threat: "privilege-escalation",
  severity: "high",
  trigger:
    'A change makes MCP tool calls or servers run without user confirmation: `trust: true`, new `alwaysAllow`/`autoApprove` entries, Copilot `tools: ["*"]`, Codex `approve` approval mode, Claude `enableAllProjectMcpServers: true` or new `enabledMcpjsonServers` entries.',
  fix: "Keep confirmation on: list only the specific read-only tools that may run unprompted, and let each developer approve project MCP servers themselves instead of enabling them in a committed file.",
  owasp: ["LLM06"],
  atlas: ["AML.T0081", "AML.T0053"],
  check(file) {
    const { before, after } = servers(file);
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      const prev = before.get(server.key);
      const subject = prev ? `MCP server ${name(server)}` : `New MCP server ${name(server)}`;
      const verb = prev ? "now auto-approves" : "auto-approves";
      if (server.trust === true && prev?.trust !== true)
        out.push(
          at(
            file,
            fieldPointer(file, server, ["trust"]),
            `${subject} ${prev ? "is now trusted" : "is trusted"} (\`trust: true\`): every tool call it offers runs without asking the user.`,
          ),
        );
      const had = new Set(prev?.autoApprove ?? []);
      const added = server.autoApprove.filter((t) => !had.has(t));
      if (added.length === 0) continue;
      const pointer = fieldPointer(file, server, [
        "alwaysAllow",
        "autoApprove",
        "tools",
        "default_tools_approval_mode",
      ]);
      out.push(
        at(
          file,
          pointer,
          added.includes("*")
            ? `${subject} ${verb} all of its tools (\`*\`): tool calls run without asking the user, including tools the server adds later.`
            : `${subject} ${verb} ${added.length === 1 ? "the tool" : "the tools"} ${list(added)}: these calls run without asking the user.`,
        ),
      );
    }
    // Claude Code settings: project .mcp.json servers enabled without each developer's approval.
    const now = file.after?.model.permissions?.mcpAutoEnable;
    const was = file.before?.model.permissions?.mcpAutoEnable;
    if (now) {
      const keyPointer = (key: string) =>
        valueAt(file.after?.doc.data, [key]) !== undefined ? [key] : now.pointer;
      if (now.all === true && was?.all !== true)
        out.push(
          at(
            file,
            keyPointer("enableAllProjectMcpServers"),
            "`enableAllProjectMcpServers: true` starts every server in the project's .mcp.json without asking, including servers added by later pull requests.",
          ),
        );
      const had = new Set(was?.servers ?? []);
      const added = now.servers.filter((s) => !had.has(s));
      if (added.length > 0)
        out.push(
          at(
            file,
            keyPointer("enabledMcpjsonServers"),
            `\`enabledMcpjsonServers\` now pre-approves ${list(added)}: these project MCP servers start without each developer's approval.`,
          ),
        );
    }
    return out;
  },
};
