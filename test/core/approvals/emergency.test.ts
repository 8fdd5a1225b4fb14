import { describe, expect, test } from "@jest/globals";
import { addBusinessDays, evaluateApprovals, type IssueComment } from "../../../src/core/approvals/index.js";
import { change, facts, NOW, policy } from "./helpers.js";

const ENABLED = `
approvals:
  emergency:
    enabled: true
    declarers: { teams: ["acme/incident"] }
    label: emergency
    review_within_business_days: 2
`;
const comment = (id: number, login: string, body: string): IssueComment => ({
  id,
  author: { login, type: "User" },
  body,
  createdAt: "2026-03-06T15:00:00Z", // a Friday
});
const run = (yaml: string | undefined, comments: IssueComment[], labels = ["emergency"]) =>
  evaluateApprovals({
    policy: policy(yaml),
    change: change(),
    facts: facts({ comments, labels, teams: { "acme/incident": ["alice"] } }),
    now: NOW,
  });

describe("break-glass emergency", () => {
  test("emergency by a permitted user approves, with a follow-up due skipping the weekend", () => {
    const r = run(ENABLED, [
      comment(7, "alice", "Prod is down.\n/agent-change-control emergency rollback of bad tool\n"),
    ]);
    expect(r.emergency).toEqual({
      declarer: "alice",
      reason: "rollback of bad tool",
      commentId: 7,
      declaredAt: "2026-03-06T15:00:00Z",
      followUpDue: "2026-03-10",
    });
    expect(r.approved).toBe(true);
    expect(r.refusedEmergencies).toEqual([]);
  });

  test("emergency by a non-permitted user is refused with why", () => {
    const r = run(ENABLED, [comment(8, "bob", "/agent-change-control emergency trust me")]);
    expect(r.emergency).toBeUndefined();
    expect(r.approved).toBe(false);
    expect(r.refusedEmergencies).toEqual([
      {
        commentId: 8,
        login: "bob",
        why: "bob is not allowed to declare an emergency (approvals.emergency.declarers).",
      },
    ]);
  });

  test.each([
    [
      "disabled (the default)",
      undefined,
      "alice",
      "/agent-change-control emergency outage",
      ["emergency"],
      /not enabled/,
    ],
    [
      "without the label",
      ENABLED,
      "alice",
      "/agent-change-control emergency outage",
      [],
      /label "emergency"/,
    ],
    [
      "with an empty reason",
      ENABLED,
      "alice",
      "/agent-change-control emergency   ",
      ["emergency"],
      /needs a reason/,
    ],
  ])("refused when %s", (_what, yaml, login, body, labels, why) => {
    const r = run(yaml, [comment(9, login, body)], labels);
    expect(r.emergency).toBeUndefined();
    expect(r.refusedEmergencies).toHaveLength(1);
    expect(r.refusedEmergencies[0]!.why).toMatch(why);
  });

  test("the command must start its line", () => {
    const r = run(ENABLED, [comment(10, "alice", "do not type `/agent-change-control emergency x` lightly")]);
    expect(r.emergency).toBeUndefined();
    expect(r.refusedEmergencies).toEqual([]);
  });

  test("addBusinessDays skips Saturdays and Sundays", () => {
    expect(addBusinessDays(new Date("2026-03-06T23:00:00Z"), 1)).toBe("2026-03-09");
    expect(addBusinessDays(new Date("2026-03-07T10:00:00Z"), 1)).toBe("2026-03-09");
    expect(addBusinessDays(new Date("2026-03-02T10:00:00Z"), 2)).toBe("2026-03-04");
    expect(addBusinessDays(new Date("2026-03-02T10:00:00Z"), 5)).toBe("2026-03-09");
  });
});
