import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { evaluateApprovals, type Review } from "../../../src/core/approvals/index.js";
import { change, facts, HEAD, NOW, OLD, policy } from "./helpers.js";

const POLICIES = [
  undefined,
  `
approvals:
  rules:
    - name: security
      requires: { count: 1, from: { teams: [acme/sec] } }
    - name: owners
      requires: { count: 2, from: { teams: [acme/own], permission: maintain }, distinct_from: [security] }
    - name: both
      requires: { count: 2, one_from_each_team: [acme/sec, acme/own], distinct_from: [owners] }
`,
  `
approvals:
  invalidate_on_push: content
  rules:
    - name: pair
      requires: { count: 2, from: { users: [alice, bob, carol, dave] } }
`,
].map((y) => policy(y));

const KNOWN = ["alice", "bob", "carol", "dave", "maint", "admin", "author", "helper[bot]"];
const login = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.string({ unit: fc.constantFrom(..."xyz-"), minLength: 1, maxLength: 4 }),
);
const state = fc.constantFrom<Review["state"]>(
  "APPROVED",
  "APPROVED",
  "CHANGES_REQUESTED",
  "COMMENTED",
  "DISMISSED",
);
const reviews = fc
  .array(
    fc.record({
      login,
      state,
      commitId: fc.constantFrom(HEAD, HEAD, OLD),
      minute: fc.integer({ min: 0, max: 5 }),
    }),
    { maxLength: 10 },
  )
  .map((rs) =>
    rs.map(
      (r, i): Review => ({
        id: i + 1,
        user: { login: r.login, type: r.login.endsWith("[bot]") ? "Bot" : "User" },
        state: r.state,
        commitId: r.commitId,
        submittedAt: `2026-03-02T10:0${r.minute}:00Z`,
      }),
    ),
  );
const scenario = fc.record({
  policy: fc.constantFrom(...POLICIES),
  risk: fc.constantFrom("low" as const, "high" as const, "critical" as const),
  reviews,
  sec: fc.subarray(KNOWN),
  own: fc.subarray(KNOWN),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const judge = (s: Scenario, rs: Review[]) =>
  evaluateApprovals({
    policy: s.policy,
    change: change({ risk: s.risk }),
    facts: facts({
      reviews: rs,
      contentIdenticalCommits: [OLD],
      teams: { "acme/sec": [...s.sec, "newcomer"], "acme/own": [...s.own, "newcomer"] },
      permissions: { ...facts().permissions, newcomer: "admin" },
    }),
    now: NOW,
  });

describe("approval properties", () => {
  test("adding an eligible approval never turns a satisfied gate unsatisfied", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        fc.pre(judge(s, s.reviews).approved);
        const more: Review = {
          id: 999,
          user: { login: "newcomer", type: "User" },
          state: "APPROVED",
          commitId: HEAD,
          submittedAt: "2026-03-02T11:00:00Z",
        };
        expect(judge(s, [...s.reviews, more]).approved).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("removing an approval never satisfies a pending gate", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (s, pick) => {
        const approvals = s.reviews.filter((r) => r.state === "APPROVED");
        fc.pre(approvals.length > 0 && !judge(s, s.reviews).approved);
        const gone = approvals[pick % approvals.length]!;
        expect(
          judge(
            s,
            s.reviews.filter((r) => r !== gone),
          ).approved,
        ).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test("the decision does not depend on the order reviews arrive in", () => {
    fc.assert(
      fc.property(
        scenario.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(s.reviews, { minLength: s.reviews.length, maxLength: s.reviews.length }),
          ),
        ),
        ([s, shuffled]) => {
          expect(judge(s, shuffled)).toEqual(judge(s, s.reviews));
        },
      ),
      { numRuns: 300 },
    );
  });
});
