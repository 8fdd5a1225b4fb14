import type { RawFinding, RiskRule } from "../../types.js";
import { at, describeServer, MCP_OWASP, name, servers } from "./util.js";

/** MCP-001: every server key that the base side did not have. */
export const mcp001: RiskRule = {
  id: "MCP-001",
  title: "New MCP server",
  threat: "supply-chain",
  severity: "medium",
  trigger: "An MCP server entry is added under a key the file did not have before (any client config).",
  fix: "Confirm the server is approved for this repository: who publishes it, what it runs or connects to, and which credentials it receives. Route the change to the owners of agent configuration.",
  owasp: MCP_OWASP,
  atlas: ["AML.T0104", "AML.T0053"],
  check(file) {
    const { before, after } = servers(file);
    const out: RawFinding[] = [];
    for (const server of after.values()) {
      if (before.has(server.key)) continue;
      out.push(at(file, server.pointer, `New MCP server ${name(server)}: ${describeServer(server)}.`));
    }
    return out;
  },
};
