import { describe, expect, test } from "@jest/globals";
import { TOOLS_RULES } from "../../../../../src/core/risk/rules/tools.js";

describe("tools group", () => {
  test("TOOL rules are registered in id order with complete metadata", () => {
    expect(TOOLS_RULES.map((r) => [r.id, r.severity])).toEqual([
      ["TOOL-001", "high"],
      ["TOOL-002", "medium"],
      ["TOOL-003", "medium"],
      ["TOOL-004", "info"],
    ]);
    for (const r of TOOLS_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.trigger.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.owasp.length).toBeGreaterThan(0);
      expect(r.atlas.every((a) => /^AML\.T\d{4}$/.test(a))).toBe(true);
      expect(r.textRule).toBeUndefined();
    }
  });
});
