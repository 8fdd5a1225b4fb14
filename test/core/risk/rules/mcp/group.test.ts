import { describe, expect, test } from "@jest/globals";
import { RULES } from "../../../../../src/core/risk/catalog.js";
import { MCP_RULES } from "../../../../../src/core/risk/rules/mcp.js";

describe("mcp group", () => {
  test("MCP rules are registered in id order with complete metadata", () => {
    expect(MCP_RULES.map((r) => [r.id, r.severity, r.threat])).toEqual([
      ["MCP-001", "medium", "supply-chain"],
      ["MCP-002", "high", "supply-chain"],
      ["MCP-003", "high", "supply-chain"],
      ["MCP-004", "high", "data-exfiltration"],
      ["MCP-005", "critical", "privilege-escalation"],
      ["MCP-008", "high", "privilege-escalation"],
      ["MCP-009", "high", "privilege-escalation"],
    ]);
    for (const r of MCP_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.trigger.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.owasp.length).toBeGreaterThan(0);
      expect(r.owasp.every((o) => /^LLM(0[1-9]|10)$/.test(o))).toBe(true);
      expect(r.atlas.length).toBeGreaterThan(0);
      expect(r.atlas.every((a) => /^AML\.T\d{4}(\.\d{3})?$/.test(a))).toBe(true);
      expect(r.textRule).toBeUndefined();
      expect(RULES).toContain(r);
    }
  });
});
