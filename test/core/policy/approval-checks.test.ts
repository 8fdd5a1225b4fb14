import { describe, expect, test } from "@jest/globals";
import { loadPolicy, POLICY_PATH } from "../../../src/core/policy/resolve.js";
import { builtinSchemas } from "../../../src/schemas.js";

const messages = (text: string) =>
  loadPolicy(text, POLICY_PATH, builtinSchemas(), new Date("2026-03-02")).messages.map(
    (m) => `${m.line}:${m.column} ${m.severity} ${m.code}: ${m.message}`,
  );
const rule = (requires: string) => `approvals:\n  rules:\n    - name: r\n      requires:\n${requires}`;

describe("approval rules that can never be satisfied", () => {
  test("count above the listed users", () => {
    expect(messages(rule("        count: 3\n        from: { users: [alice, bob] }\n"))).toEqual([
      '5:16 error unsatisfiable-rule: approval rule "r" needs 3 approvals but its approver set names only 2 accounts that can approve',
    ]);
  });

  test("users that are all bots, without apps", () => {
    expect(messages(rule('        count: 1\n        from: { users: ["helper[bot]"] }\n'))).toEqual([
      '5:16 error unsatisfiable-rule: approval rule "r" needs 1 approval but its approver set names only 0 accounts that can approve (bots in `users` never count: list them in `apps`)',
    ]);
  });

  test("apps only, fewer than count; a team or permission makes the set open", () => {
    expect(messages(rule("        count: 2\n        from: { apps: [renovate] }\n"))).toHaveLength(1);
    expect(messages(rule("        count: 2\n        from: { apps: [renovate], users: [alice] }\n"))).toEqual(
      [],
    );
    expect(messages(rule("        count: 5\n        from: { users: [alice], teams: [acme/sec] }\n"))).toEqual(
      [],
    );
  });

  test("distinct_from naming the rule itself", () => {
    expect(messages(rule("        count: 1\n        distinct_from: [r]\n"))).toEqual([
      '6:25 error distinct-from-self: approval rule "r" names itself in distinct_from; name the other rules its approvers must differ from',
    ]);
  });

  test("one_from_each_team longer than count is a warning: one approver per team is needed", () => {
    expect(messages(rule("        count: 1\n        one_from_each_team: [acme/a, acme/b]\n"))).toEqual([
      '5:16 warning count-below-teams: approval rule "r" has count 1 but one_from_each_team lists 2 teams: it needs 2 distinct approvers, one per team',
    ]);
  });

  test("policy owners and emergency declarers that name nobody", () => {
    expect(
      messages(
        'approvals:\n  policy_owners: { users: [] }\n  emergency:\n    declarers: { users: ["x[bot]"] }\n',
      ),
    ).toEqual([
      "2:18 error unsatisfiable-rule: approvals.policy_owners names nobody who can approve",
      "4:16 error unsatisfiable-rule: approvals.emergency.declarers names nobody who can approve (bots in `users` never count: list them in `apps`)",
    ]);
  });
});
