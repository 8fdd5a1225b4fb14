import { describe, expect, test } from "@jest/globals";
import { RULES } from "../../../../../src/core/risk/catalog.js";
import {
  defaultSeverity,
  POLICY_GROUP_SEVERITIES,
} from "../../../../../src/core/risk/rules/policy/known-rules.js";
import { POLICY_RULES } from "../../../../../src/core/risk/rules/policy.js";

describe("policy group", () => {
  test("POL and SELF rules are registered in id order with complete metadata", () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual(["POL-001", "POL-002", "POL-003", "SELF-001"]);
    for (const r of POLICY_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.trigger.length).toBeGreaterThan(20);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.owasp.length).toBeGreaterThan(0);
      expect(r.atlas).toContain("AML.T0081");
      expect(r.textRule).toBeUndefined();
    }
  });

  test("the hand-kept severities match the rules, and every catalogue rule's default is known", () => {
    expect(Object.fromEntries(POLICY_RULES.map((r) => [r.id, r.severity]))).toEqual(POLICY_GROUP_SEVERITIES);
    for (const r of RULES) expect([r.id, defaultSeverity(r.id)]).toEqual([r.id, r.severity]);
    expect(defaultSeverity("XYZ-999")).toBeUndefined();
    expect(defaultSeverity("constructor")).toBeUndefined();
  });
});
