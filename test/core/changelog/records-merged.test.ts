import { createHash } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import { DEFAULT_RULE } from "../../../src/core/approvals/index.js";
import { baselineSha256, mergedRecord } from "../../../src/core/changelog/records/index.js";
import { validateDraft } from "../../../src/core/changelog/validate-record.js";
import { codes, HEAD, MERGE, OLD, recordSchema, review, scenario } from "./records-fixtures.js";

const EMERGENCY_POLICY = `
approvals:
  emergency:
    enabled: true
    review_within_business_days: 2
`;

describe("change.merged: a clean change", () => {
  const facts = scenario();
  const r = mergedRecord(facts);

  test("passes every test, with the idempotency key and the facts an auditor traces", () => {
    expect(r.type).toBe("change.merged");
    expect(r.record_id).toBe(`1296269:42:${MERGE}`);
    expect(r.verdicts).toEqual({
      approved_before_merge: true,
      approval_on_final_commit: true,
      author_not_approver: true,
      initiator_not_approver: true,
      pusher_not_sole_approver: true,
      checks_passed: true,
      gate_passed: true,
      emergency: false,
    });
    expect(r.result).toBe("pass");
    expect(r.exceptions).toEqual([]);
    expect(r.change_class).toBe("standard");
    expect(r.approvals).toEqual([
      {
        reviewer: { login: "alice", id: "11", type: "User" },
        review_id: String(facts.approval_facts.reviews[0]!.id),
        submitted_at: facts.approval_facts.reviews[0]!.submittedAt,
        commit_id: HEAD,
        counted_for: [DEFAULT_RULE],
      },
    ]);
    expect(r.approved_at).toBe(facts.approval_facts.reviews[0]!.submittedAt);
    expect(r.qualifying_approvals).toBe(1);
    expect(r.required_approvals).toBe(1);
    expect(r.linked_tickets).toEqual(["OPS-17"]);
    expect(r.last_pusher).toEqual({ login: "author", id: "1" });
  });

  test("keeps a hash of the description, never its text", () => {
    const pr = r.pr as Record<string, unknown>;
    expect(pr.description_sha256).toBe(createHash("sha256").update(facts.pr.body).digest("hex"));
    expect(pr.description_chars).toBe(facts.pr.body.length);
    expect(JSON.stringify(r)).not.toContain("Secret prompt text");
  });

  test("is plain JSON (no undefined, no functions) and valid against the schema", () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(validateDraft(r, recordSchema())).toEqual([]);
  });

  test("records every rule, applicable or not, with why", () => {
    const rules = r.approval_rules as { name: string; applies: boolean; status: string; counted: string[] }[];
    const applied = rules.filter((x) => x.applies);
    expect(applied.map((x) => [x.name, x.status, x.counted])).toEqual([
      [DEFAULT_RULE, "satisfied", ["alice"]],
    ]);
    expect(rules.length).toBeGreaterThan(applied.length);
  });
});

describe("change.merged: exceptions", () => {
  test("no approval", () => {
    const r = mergedRecord(scenario({ reviews: [], gate: false }));
    expect((r.verdicts as Record<string, boolean>).approved_before_merge).toBe(false);
    expect(codes(r)).toEqual(["NO_APPROVAL", "GATE_FAILING_AT_MERGE"]);
    expect(r.result).toBe("exception");
    expect(r.approved_at).toBeNull();
  });

  test("an approval of an earlier commit is stale", () => {
    const r = mergedRecord(scenario({ reviews: [review("alice", "APPROVED", { commitId: OLD })] }));
    expect(codes(r)).toEqual(["NO_APPROVAL", "STALE_APPROVAL"]);
    expect(r.other_reviews).toEqual([
      expect.objectContaining({ commit_id: OLD, state: "APPROVED", not_counted_because: "stale-commit" }),
    ]);
  });

  test("an approval of a content-identical earlier head counts as on the final commit", () => {
    const r = mergedRecord(
      scenario({
        policyYaml: "approvals:\n  invalidate_on_push: content\n",
        reviews: [review("alice", "APPROVED", { commitId: OLD })],
        approvalFacts: { contentIdenticalCommits: [OLD] },
      }),
    );
    expect((r.verdicts as Record<string, boolean>).approval_on_final_commit).toBe(true);
    expect(codes(r)).toEqual([]);
  });

  test("the author's own approval is refused by the engine and reported as self-approval", () => {
    const r = mergedRecord(scenario({ reviews: [review("author")] }));
    expect(codes(r)).toEqual(["NO_APPROVAL", "SELF_APPROVAL"]);
  });

  test("an approver counted although they are the author (another engine's decision) fails the verdict", () => {
    const f = scenario({
      reviews: [review("author", "APPROVED", { id: 7 })],
      editApprovals: (res) => ({
        ...res,
        ignored: [],
        approved: true,
        rules: res.rules.map((x) =>
          x.name === DEFAULT_RULE
            ? { ...x, status: "satisfied", counted: [{ login: "author", reviewId: 7 }] }
            : x,
        ),
      }),
    });
    const r = mergedRecord(f);
    const v = r.verdicts as Record<string, boolean>;
    expect(v.author_not_approver).toBe(false);
    expect(v.pusher_not_sole_approver).toBe(false); // the author also pushed
    expect(codes(r)).toEqual(["SELF_APPROVAL", "PUSHER_SOLE_APPROVER"]);
  });

  test("the human who started an agent's PR may not approve it", () => {
    const r = mergedRecord(
      scenario({
        reviews: [review("alice")],
        approvalFacts: {
          author: { login: "copilot-swe-agent[bot]", type: "Bot" },
          requesters: ["alice"],
          pushers: ["copilot-swe-agent[bot]"],
        },
      }),
    );
    expect(r.initiated_by).toEqual([{ login: "alice", id: "11" }]);
    expect(codes(r)).toEqual(["NO_APPROVAL", "SELF_APPROVAL"]);
  });

  test("an approver who pushed to the PR does not count", () => {
    const r = mergedRecord(
      scenario({ reviews: [review("bob")], approvalFacts: { pushers: ["author", "bob"] } }),
    );
    expect(codes(r)).toEqual(["NO_APPROVAL", "PUSHER_SOLE_APPROVER"]);
    expect(r.last_pusher).toEqual({ login: "bob", id: "12" });
  });

  test("an approval after the merge is flagged and does not make it approved before merge", () => {
    const late = review("alice", "APPROVED", { submittedAt: "2026-03-02T12:30:00Z" });
    const r = mergedRecord(scenario({ reviews: [late] }));
    expect((r.verdicts as Record<string, boolean>).approved_before_merge).toBe(false);
    expect(codes(r)).toEqual(["NO_APPROVAL", "APPROVAL_AFTER_MERGE"]);
  });

  test("fewer approvals than a rule requires is insufficient, naming the pending rule", () => {
    const yaml = "approvals:\n  rules:\n    - name: two reviewers\n      requires: { count: 2 }\n";
    const r = mergedRecord(scenario({ policyYaml: yaml, reviews: [review("alice")] }));
    expect(codes(r)).toEqual(["INSUFFICIENT_APPROVAL"]);
    expect((r.exceptions as { detail: string }[])[0]!.detail).toContain("two reviewers");
    expect(r.required_approvals).toBe(2);
  });

  test("merged while changes were requested", () => {
    const r = mergedRecord(scenario({ reviews: [review("alice"), review("bob", "CHANGES_REQUESTED")] }));
    expect(codes(r)).toContain("CHANGES_REQUESTED");
    expect(r.blocked_by).toEqual([expect.objectContaining({ login: "bob" })]);
  });

  test.each([
    ["failure", false],
    [null, false],
    ["cancelled", false],
    ["neutral", true],
    ["skipped", true],
  ])("a required check concluding %s passes: %s", (conclusion, passes) => {
    const r = mergedRecord(scenario({ checks: [{ name: "ci / test", conclusion }] }));
    expect((r.verdicts as Record<string, boolean>).checks_passed).toBe(passes);
    expect(codes(r).includes("CHECKS_FAILED")).toBe(!passes);
  });

  test("an emergency change is an exception pending its follow-up review, not an unapproved change", () => {
    const r = mergedRecord(
      scenario({
        policyYaml: EMERGENCY_POLICY,
        reviews: [],
        comments: [
          {
            id: 9,
            author: { login: "admin", type: "User" },
            body: "/agent-change-control emergency revert the leaking tool",
            createdAt: "2026-03-02T11:00:00Z",
          },
        ],
      }),
    );
    expect(r.change_class).toBe("emergency");
    expect((r.verdicts as Record<string, boolean>).emergency).toBe(true);
    expect(r.emergency).toEqual({
      declared_by: { login: "admin", id: null },
      reason: "revert the leaking tool",
      declared_at: "2026-03-02T11:00:00Z",
      review_due_by: "2026-03-04",
      comment_id: "9",
    });
    expect(codes(r)).toEqual(["EMERGENCY_PENDING_REVIEW"]);
    expect(validateDraft(r, recordSchema())).toEqual([]);
  });
});

describe("change.merged: tickets and baseline", () => {
  test("tickets come from the title, branch and description, in that order, once each", () => {
    const r = mergedRecord(
      scenario({
        title: "Fix #12",
        headRef: "ops-9/OPS-3-fix",
        body: "See OPS-3 and #12, SHA-256 is not a ticket.",
      }),
    );
    expect(r.linked_tickets).toEqual(["#12", "OPS-3"]);
    expect(r.ticket_pattern).toBe("default");
  });

  test("the policy's ticket pattern replaces the default", () => {
    const r = mergedRecord(scenario({ title: "CHG0012345 and OPS-1", ticketPattern: "CHG\\d{7}" }));
    expect(r.linked_tickets).toEqual(["CHG0012345"]);
    expect(r.ticket_pattern).toBe("CHG\\d{7}");
  });

  test("the baseline hash is sha256sum of sorted `path<TAB>blob` lines, whatever the input order", () => {
    const files = [
      { path: "b.md", blob_sha: "b".repeat(40) },
      { path: "a/x.json", blob_sha: "a".repeat(40) },
      { path: "a.md", blob_sha: "c".repeat(40) },
    ];
    const text = `a.md\t${"c".repeat(40)}\na/x.json\t${"a".repeat(40)}\nb.md\t${"b".repeat(40)}\n`;
    expect(baselineSha256(files)).toBe(createHash("sha256").update(text).digest("hex"));
    expect(baselineSha256([...files].reverse())).toBe(baselineSha256(files));
    expect(baselineSha256([{ ...files[0]!, blob_sha: "d".repeat(40) }, ...files.slice(1)])).not.toBe(
      baselineSha256(files),
    );
    const r = mergedRecord(scenario());
    expect(r.baseline_files).toBe(2);
  });
});
