import { describe, expect, test } from "@jest/globals";
import { lookupNeeds } from "../../../src/core/approvals/index.js";
import { change, facts, policy, review } from "./helpers.js";

describe("lookupNeeds", () => {
  test("asks about reviewers (not the author, not bots) for the applicable rules' teams and permissions", () => {
    const p = policy(`
approvals:
  rules:
    - name: security
      when: { categories: [mcp] }
      requires: { count: 1, from: { teams: [acme/sec], permission: admin } }
    - name: prompts
      when: { categories: [prompt] }
      requires: { count: 1, from: { teams: [acme/prompts] } }
  emergency:
    enabled: true
    declarers: { teams: [acme/incident] }
`);
    const {
      teams: _t,
      permissions: _p,
      ...f
    } = facts({
      reviews: [review("bob"), review("author"), review("renovate[bot]"), review("alice", "COMMENTED")],
      comments: [
        {
          id: 1,
          author: { login: "carol", type: "User" },
          body: "/agent-change-control emergency x",
          createdAt: "2026-03-02T10:00:00Z",
        },
      ],
    });
    expect(lookupNeeds(p, change(), f)).toEqual({
      teams: [
        { team: "acme/incident", logins: ["carol"] },
        { team: "acme/sec", logins: ["bob"] },
      ],
      permissionsFor: ["bob"],
    });
  });
});
