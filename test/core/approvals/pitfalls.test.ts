import { describe, expect, test } from "@jest/globals";
import {
  CRITICAL_RULE,
  DEFAULT_RULE,
  evaluateApprovals,
  HIGH_RULE,
  POLICY_OWNERS_RULE,
} from "../../../src/core/approvals/index.js";
import type { ResolvedPolicy } from "../../../src/core/policy/resolve.js";
import { change, facts, HEAD, NOW, OLD, policy, reasonOf, review, ruleNamed } from "./helpers.js";

type Args = Parameters<typeof evaluateApprovals>[0];
const run = (over: Partial<Omit<Args, "facts">> & { facts?: Args["facts"] } = {}) =>
  evaluateApprovals({ policy: policy(), change: change(), facts: facts(), now: NOW, ...over });

const SECURITY = `
approvals:
  rules:
    - name: security
      when: { categories: [mcp, tool] }
      requires:
        count: 1
        from: { teams: ["acme/security"] }
`;

describe("identity and commit binding", () => {
  test("approve-then-push: an approval of an earlier commit does not count", () => {
    const r = run({ facts: facts({ reviews: [review("alice", "APPROVED", { commitId: OLD })] }) });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "alice")).toBe("stale-commit");
    const ok = run({ facts: facts({ reviews: [review("alice")] }) });
    expect(ok.approved).toBe(true);
    expect(ruleNamed(ok, DEFAULT_RULE).counted.map((c) => c.login)).toEqual(["alice"]);
  });

  test("a later approval of an older commit does not take back the approval of the head (found by fast-check)", () => {
    const head = review("alice", "APPROVED", { submittedAt: "2026-03-02T10:00:00Z" });
    const older = review("alice", "APPROVED", { commitId: OLD, submittedAt: "2026-03-02T10:01:00Z" });
    const r = run({ facts: facts({ reviews: [head, older] }) });
    expect(r.approved).toBe(true);
    // The approval that counted is the one of the head.
    expect(ruleNamed(r, DEFAULT_RULE).counted).toEqual([{ login: "alice", reviewId: head.id }]);
    // A "changes requested" in between ends that standing: only approvals after it can count.
    const blocked = review("alice", "CHANGES_REQUESTED", { submittedAt: "2026-03-02T10:00:30Z" });
    const after = run({ facts: facts({ reviews: [head, blocked, older] }) });
    expect(after.approved).toBe(false);
    expect(reasonOf(after, "alice")).toBe("stale-commit");
  });

  test("self-approval: the author's own approval never counts", () => {
    const r = run({ facts: facts({ reviews: [review("author")] }) });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "author")).toBe("author");
  });

  test("approval by a pusher does not count", () => {
    const r = run({ facts: facts({ pushers: ["author", "alice"], reviews: [review("alice")] }) });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "alice")).toBe("pusher");
  });

  test("a commit author does not count unless count_committers, and then only if not a pusher", () => {
    const commits = [{ sha: HEAD, authorLogin: "alice", committerLogin: "author", message: "fix" }];
    const f = facts({ commits, reviews: [review("alice")] });
    const r = run({ facts: f });
    expect(reasonOf(r, "alice")).toBe("committer");
    expect(r.approved).toBe(false);
    const allowed = run({ policy: policy("approvals:\n  count_committers: true\n"), facts: f });
    expect(allowed.approved).toBe(true);
    const pushed = run({
      policy: policy("approvals:\n  count_committers: true\n"),
      facts: { ...f, pushers: ["author", "alice"] },
    });
    expect(reasonOf(pushed, "alice")).toBe("pusher");
  });

  test("co-author trailer: the co-author cannot approve, and the trailer grants nobody credit", () => {
    const message = "tweak\n\nCo-authored-by: Alice <1234+alice@users.noreply.github.com>\n";
    const r = run({
      facts: facts({
        commits: [{ sha: HEAD, authorLogin: "author", committerLogin: "author", message }],
        reviews: [review("alice")],
      }),
    });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "alice")).toBe("co-author");
  });

  test("bot approval: a bot with write access does not count", () => {
    const r = run({
      facts: facts({ reviews: [review("helper[bot]")], permissions: { "helper[bot]": "admin" } }),
    });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "helper[bot]")).toBe("bot");
  });

  test("a GitHub App approval allowlisted in one rule counts there, not elsewhere", () => {
    const p = policy(`
approvals:
  rules:
    - name: lockfile bot
      when: { categories: [mcp] }
      requires:
        count: 1
        from: { apps: ["renovate"] }
    - name: humans
      when: { categories: [mcp] }
      requires:
        count: 1
        from: { permission: write }
`);
    const r = run({
      policy: p,
      facts: facts({ reviews: [review("renovate[bot]")], permissions: { "renovate[bot]": "admin" } }),
    });
    expect(ruleNamed(r, "lockfile bot").status).toBe("satisfied");
    expect(ruleNamed(r, "humans").status).toBe("pending");
    expect(ruleNamed(r, "humans").counted).toEqual([]);
    expect(r.approved).toBe(false);
  });

  test('"LGTM" comment and a COMMENTED review never count', () => {
    const r = run({
      facts: facts({
        comments: [
          {
            id: 9,
            author: { login: "alice", type: "User" },
            body: "LGTM 👍",
            createdAt: "2026-03-02T11:00:00Z",
          },
        ],
        reviews: [review("bob", "COMMENTED")],
      }),
    });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "bob")).toBe("not-approved");
    expect(r.ignored.map((i) => i.login)).toEqual(["bob"]);
  });

  test("stale review after a force-push: the old head's approval no longer counts", () => {
    // The adapter lists no content-identical commits: the force-push changed the content.
    const r = run({
      policy: policy("approvals:\n  invalidate_on_push: content\n"),
      facts: facts({ headSha: "n".repeat(40), reviews: [review("alice", "APPROVED", { commitId: HEAD })] }),
    });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "alice")).toBe("stale-commit");
  });

  test("clean rebase keeps the approval only when invalidate_on_push is content", () => {
    const f = facts({
      contentIdenticalCommits: [OLD],
      reviews: [review("alice", "APPROVED", { commitId: OLD })],
    });
    expect(run({ facts: f }).approved).toBe(false);
    expect(run({ policy: policy("approvals:\n  invalidate_on_push: always\n"), facts: f }).approved).toBe(
      false,
    );
    expect(run({ policy: policy("approvals:\n  invalidate_on_push: content\n"), facts: f }).approved).toBe(
      true,
    );
  });

  test("bot-opened PR: the human who started it cannot approve (self-approval)", () => {
    const r = run({
      facts: facts({
        author: { login: "copilot-swe-agent[bot]", type: "Bot" },
        pushers: ["copilot-swe-agent[bot]"],
        commits: [
          { sha: HEAD, authorLogin: "copilot-swe-agent[bot]", committerLogin: null, message: "agent" },
        ],
        requesters: ["alice"],
        reviews: [review("alice")],
      }),
    });
    expect(r.approved).toBe(false);
    expect(reasonOf(r, "alice")).toBe("requester");
    const other = run({
      facts: facts({
        author: { login: "copilot-swe-agent[bot]", type: "Bot" },
        requesters: ["alice"],
        reviews: [review("bob")],
      }),
    });
    expect(other.approved).toBe(true);
  });
});

describe("policy source and membership", () => {
  const RELEASE = `
approvals:
  rules:
    - name: release
      when: { target_branches: ["release/*"] }
      requires:
        count: 2
        from: { permission: maintain }
`;
  test("base retargeted to a branch with a weaker policy: rules key on the real base", () => {
    // The adapter always passes the default-branch policy; only `baseRef` says where the PR now points.
    const p = policy(RELEASE);
    const onRelease = run({
      policy: p,
      facts: facts({ baseRef: "release/1.0", reviews: [review("alice")] }),
    });
    expect(ruleNamed(onRelease, "release").status).toBe("pending");
    expect(ruleNamed(onRelease, "release").because).toBe(
      "any agent-config change; target branch release/1.0 matches release/*",
    );
    expect(onRelease.approved).toBe(false);
    const onMain = run({ policy: p, facts: facts({ baseRef: "main", reviews: [review("alice")] }) });
    expect(ruleNamed(onMain, "release").status).toBe("not-applicable");
    // No policy rule applies, so the fallback default does: still one approval from write access.
    expect(ruleNamed(onMain, DEFAULT_RULE).status).toBe("satisfied");
  });

  test("policy-file PR judged under the old policy: policy owners from the policy passed in", () => {
    const old = policy("approvals:\n  policy_owners: { teams: [acme/platform] }\n");
    const c = change({
      files: [
        {
          path: ".github/agent-change-control.yml",
          category: "policy",
          format: "agent-change-control-policy",
        },
      ],
    });
    // The PR's copy would name alice as policy owner; it is irrelevant: only the old policy is consulted.
    const f = facts({ reviews: [review("alice")], teams: { "acme/platform": ["bob"] } });
    const r = evaluateApprovals({ policy: old, change: c, facts: f, now: NOW });
    const owners = ruleNamed(r, POLICY_OWNERS_RULE);
    expect(owners.status).toBe("pending");
    expect(owners.because).toBe("changes .github/agent-change-control.yml (the policy file)");
    expect(owners.canApprove.teams).toEqual(["acme/platform"]);
    expect(r.approved).toBe(false);
    const ok = evaluateApprovals({
      policy: old,
      change: c,
      facts: { ...f, reviews: [review("bob")] },
      now: NOW,
    });
    expect(ok.approved).toBe(true);
  });

  test("a CODEOWNERS-only change needs the policy owners (admins by default)", () => {
    const c = change({ files: [], changedPaths: [".github/CODEOWNERS", "src/x.ts"] });
    const r = evaluateApprovals({
      policy: policy(),
      change: c,
      facts: facts({ reviews: [review("alice")] }),
      now: NOW,
    });
    expect(ruleNamed(r, POLICY_OWNERS_RULE).status).toBe("pending");
    expect(ruleNamed(r, DEFAULT_RULE).status).toBe("not-applicable");
    const ok = evaluateApprovals({
      policy: policy(),
      change: c,
      facts: facts({ reviews: [review("admin")] }),
      now: NOW,
    });
    expect(ok.approved).toBe(true);
  });

  test("no agent-config change and no CODEOWNERS change: nothing applies, approved", () => {
    const r = evaluateApprovals({
      policy: policy(SECURITY),
      change: change({ files: [], changedPaths: ["src/a.ts"] }),
      facts: facts(),
      now: NOW,
    });
    expect(r.rules.every((x) => x.status === "not-applicable")).toBe(true);
    expect(r.approved).toBe(true);
  });

  test("team member removed: not in facts.teams, not counted", () => {
    const p = policy(SECURITY);
    const member = run({
      policy: p,
      facts: facts({ reviews: [review("alice")], teams: { "acme/security": ["alice"] } }),
    });
    expect(member.approved).toBe(true);
    const removed = run({
      policy: p,
      facts: facts({ reviews: [review("alice")], teams: { "acme/security": ["bob"] } }),
    });
    expect(removed.approved).toBe(false);
    expect(reasonOf(removed, "alice")).toBe("not-in-approver-set");
  });

  test("a policy with rules, none applying to an agent-config change: the default applies (fail closed)", () => {
    const p = policy(SECURITY);
    const c = change({ files: [{ path: "CLAUDE.md", category: "prompt", format: "claude-memory" }] });
    const r = evaluateApprovals({ policy: p, change: c, facts: facts(), now: NOW });
    expect(ruleNamed(r, "security").status).toBe("not-applicable");
    expect(ruleNamed(r, DEFAULT_RULE).status).toBe("pending");
    expect(r.approved).toBe(false);
  });
});

describe("changes requested", () => {
  test("changes-requested blocks, and unblocks when the reviewer approves later", () => {
    const blocked = run({
      facts: facts({
        reviews: [review("alice", "APPROVED", { id: 1 }), review("bob", "CHANGES_REQUESTED", { id: 2 })],
      }),
    });
    expect(blocked.approved).toBe(false);
    expect(blocked.blockedBy).toEqual([{ login: "bob", reviewId: 2 }]);
    const later = run({
      facts: facts({
        reviews: [
          review("alice", "APPROVED", { id: 1 }),
          review("bob", "CHANGES_REQUESTED", { id: 2 }),
          review("bob", "APPROVED", { id: 3 }),
        ],
      }),
    });
    expect(later.blockedBy).toEqual([]);
    expect(later.approved).toBe(true);
  });

  test("changes-requested unblocks when dismissed; a later comment does not unblock", () => {
    const commented = run({
      facts: facts({
        reviews: [
          review("alice", "APPROVED", { id: 1 }),
          review("bob", "CHANGES_REQUESTED", { id: 2 }),
          review("bob", "COMMENTED", { id: 3 }),
        ],
      }),
    });
    expect(commented.approved).toBe(false);
    const dismissed = run({
      facts: facts({
        reviews: [
          review("alice", "APPROVED", { id: 1 }),
          review("bob", "CHANGES_REQUESTED", { id: 2 }),
          review("bob", "DISMISSED", { id: 3 }),
        ],
      }),
    });
    expect(dismissed.approved).toBe(true);
    expect(reasonOf(dismissed, "bob")).toBe("not-approved");
  });

  test("changes requested by someone outside every approver set does not block", () => {
    const r = run({ facts: facts({ reviews: [review("alice"), review("stranger", "CHANGES_REQUESTED")] }) });
    expect(r.blockedBy).toEqual([]);
    expect(r.approved).toBe(true);
    expect(reasonOf(r, "stranger")).toBe("changes-requested");
  });
});

describe("quorum", () => {
  const DISTINCT = `
approvals:
  rules:
    - name: security
      requires:
        count: 1
        from: { teams: ["acme/security"] }
    - name: owners
      requires:
        count: 1
        from: { teams: ["acme/owners"] }
        distinct_from: [security]
`;
  test("distinct approvers across two rules: one person cannot satisfy both", () => {
    const teams = { "acme/security": ["alice", "bob"], "acme/owners": ["alice"] };
    const p = policy(DISTINCT);
    const one = run({ policy: p, facts: facts({ teams, reviews: [review("alice")] }) });
    expect(one.approved).toBe(false);
    // Alice goes where only she can go (owners): the matching, not first-come, decides.
    const two = run({
      policy: p,
      facts: facts({
        teams,
        reviews: [review("alice", "APPROVED", { id: 1 }), review("bob", "APPROVED", { id: 2 })],
      }),
    });
    expect(two.approved).toBe(true);
    expect(ruleNamed(two, "owners").counted.map((c) => c.login)).toEqual(["alice"]);
    expect(ruleNamed(two, "security").counted.map((c) => c.login)).toEqual(["bob"]);
    const pending = one.rules.filter((x) => x.status === "pending");
    expect(pending).toHaveLength(1);
    expect(pending[0]!.notCounted).toEqual([
      { login: "alice", reviewId: expect.any(Number), reason: "counted-for-distinct-rule" },
    ]);
  });

  test("one_from_each_team: each team needs its own approver", () => {
    const p = policy(`
approvals:
  rules:
    - name: both teams
      requires:
        count: 2
        one_from_each_team: ["acme/security", "acme/platform"]
`);
    const teams = { "acme/security": ["alice", "bob"], "acme/platform": ["alice"] };
    const r = run({ policy: p, facts: facts({ teams, reviews: [review("alice")] }) });
    expect(ruleNamed(r, "both teams").status).toBe("pending");
    // Alice is in both teams but fills one slot only.
    expect(ruleNamed(r, "both teams").missingTeams).toHaveLength(1);
    expect(r.requestReviews.teams).toEqual(ruleNamed(r, "both teams").missingTeams);
    const ok = run({ policy: p, facts: facts({ teams, reviews: [review("alice"), review("bob")] }) });
    expect(ok.approved).toBe(true);
  });

  test("codeowners: an owner of a touched agent-config path of the rule counts", () => {
    const p = policy(
      "approvals:\n  rules:\n    - name: owners\n      requires: {count: 1, from: {codeowners: true}}\n",
    );
    const codeowners = {
      path: ".github/CODEOWNERS",
      text: "* @admin\n.mcp.json @acme/mcp-owners\nprompts/ @carol\n",
    };
    const f = facts({ codeowners, teams: { "acme/mcp-owners": ["bob"] } });
    expect(run({ policy: p, facts: { ...f, reviews: [review("carol")] } }).approved).toBe(false);
    expect(run({ policy: p, facts: { ...f, reviews: [review("bob")] } }).approved).toBe(true);
  });
});

describe("defaults per tier", () => {
  const at = (
    risk: "low" | "high" | "critical",
    reviews: ReturnType<typeof review>[],
    p: ResolvedPolicy = policy(),
  ) => evaluateApprovals({ policy: p, change: change({ risk }), facts: facts({ reviews }), now: NOW });

  test("low: one approval from write access", () => {
    const r = at("low", [review("alice")]);
    expect(r.approved).toBe(true);
    expect(ruleNamed(r, HIGH_RULE).status).toBe("not-applicable");
    expect(ruleNamed(r, HIGH_RULE).because).toBe("risk low < high");
    expect(at("low", [review("reader")]).approved).toBe(false);
  });

  test("high: one from a maintainer or admin", () => {
    expect(at("high", [review("alice")]).approved).toBe(false);
    expect(at("high", [review("maint")]).approved).toBe(true);
  });

  test("critical: two distinct, one of them maintainer or admin", () => {
    expect(at("critical", [review("maint")]).approved).toBe(false);
    expect(at("critical", [review("alice"), review("bob")]).approved).toBe(false);
    const ok = at("critical", [review("maint"), review("alice")]);
    expect(ok.approved).toBe(true);
    expect(ruleNamed(ok, HIGH_RULE).counted.map((c) => c.login)).toEqual(["maint"]);
    expect(ruleNamed(ok, CRITICAL_RULE).counted.map((c) => c.login)).toEqual(["alice"]);
    expect(at("critical", [review("admin"), review("admin2")]).approved).toBe(true);
  });
});

describe("explanations", () => {
  test("canApprove lists users only with show_approver_names, never the author", () => {
    const yaml = (show: boolean) =>
      `approvals:\n  show_approver_names: ${show}\n  rules:\n    - name: named\n      requires:\n        count: 1\n        from: { users: [author, alice], teams: [acme/sec] }\n`;
    expect(ruleNamed(run({ policy: policy(yaml(false)) }), "named").canApprove.users).toEqual([]);
    const shown = ruleNamed(run({ policy: policy(yaml(true)) }), "named").canApprove;
    expect(shown.users).toEqual(["alice"]);
    expect(shown.teams).toEqual(["acme/sec"]);
  });

  test("requestReviews: pending rules' teams and users minus the author and those who reviewed; off when disabled", () => {
    const yaml = (flag: string) =>
      `approvals:\n${flag}  rules:\n    - name: named\n      requires:\n        count: 2\n        from: { users: [author, alice, bob, carol], teams: [acme/sec] }\n`;
    const r = run({
      policy: policy(yaml("")),
      facts: facts({ reviews: [review("bob", "COMMENTED"), review("carol", "CHANGES_REQUESTED")] }),
    });
    expect(r.requestReviews).toEqual({ teams: ["acme/sec"], users: ["alice", "bob"] });
    const off = run({ policy: policy(yaml("  request_reviews: false\n")) });
    expect(off.requestReviews).toEqual({ teams: [], users: [] });
  });
});
