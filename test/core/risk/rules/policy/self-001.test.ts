import { describe, expect, test } from "@jest/globals";
import { self001 } from "../../../../../src/core/risk/rules/policy/self-001.js";
import { check } from "../../../../helpers/risk.js";

const POLICY = ".github/agent-change-control.yml";
const TEXT = "version: 1\nrisk:\n  rules:\n    TOOL-004: high\n";

describe("SELF-001", () => {
  test("a change to the policy file: one finding at line 1 asking for policy owners", () => {
    expect(check(self001, { path: POLICY, before: TEXT, after: TEXT.replace("high", "critical") })).toEqual([
      {
        line: 1,
        message:
          "this change edits the agent-change-control policy, which decides how agent-config changes are checked and approved: approval by the policy owners will be required.",
      },
    ]);
  });

  test("added, removed and renamed policy files", () => {
    expect(check(self001, { path: POLICY, after: TEXT })[0]?.message).toMatch(
      /^this change adds the agent-change-control policy/,
    );
    expect(check(self001, { path: POLICY, before: TEXT })).toEqual([
      {
        line: 1,
        side: "before",
        message: expect.stringMatching(/^this change removes the agent-change-control policy/),
      },
    ]);
    expect(
      check(self001, { path: POLICY, before: TEXT, after: TEXT, previousPath: ".github/old.yml" })[0]
        ?.message,
    ).toMatch(
      /^this change renames \(from \.github\/old\.yml\) and may change the agent-change-control policy/,
    );
  });

  test("a schema the policy names", () => {
    const f = check(self001, {
      path: "schemas/agent.json",
      format: "agent-change-control-schema",
      before: "{}",
      after: '{"type": "object"}',
    });
    expect(f.map((x) => [x.line, x.message.split(",")[0]])).toEqual([
      [1, "this change edits a JSON Schema named by the agent-change-control policy"],
    ]);
  });

  test("self-diff and other files give nothing", () => {
    expect(check(self001, { path: POLICY, before: TEXT, after: TEXT })).toEqual([]);
    expect(
      check(self001, {
        path: ".github/agent-change-controls.yml",
        format: "yaml",
        before: TEXT,
        after: `${TEXT}# x\n`,
      }),
    ).toEqual([]);
    expect(check(self001, { path: "CLAUDE.md", before: "a\n", after: "b\n" })).toEqual([]);
  });
});
