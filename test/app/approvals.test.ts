import { beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { API, FakeGitHub, type FakeRepoState } from "./helpers/fake-github.js";
import { guardNock } from "./helpers/nock-guard.js";
import {
  DEFAULT_SHA,
  example,
  HEAD_SHA,
  INSTALLATION_ID,
  MERGE_BASE,
  OWNER,
  PR_NUMBER,
  pullRequestPayload,
  REPO,
} from "./helpers/payloads.js";
import { testProbot } from "./helpers/probot.js";

/** Designated approvals end to end: review events, live lookups, review requests, break-glass. */

guardNock();
let probot: Probot;
beforeEach(async () => {
  probot = await testProbot();
});

const OLD_HEAD = "e".repeat(40);
const files = [{ filename: ".mcp.json", status: "modified" as const }];
const trees = {
  [MERGE_BASE]: { ".mcp.json": '{ "mcpServers": {} }\n' },
  [HEAD_SHA]: { ".mcp.json": '{ "mcpServers": { "gh": { "command": "gh", "args": ["mcp"] } } }\n' },
};

const receive = (name: string, payload: unknown, id = "d-approvals") =>
  probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);

/** The PR as `pulls.get` returns it now (review and comment events carry only part of it). */
function pullsGet() {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`)
    .reply(200, pullRequestPayload({ changedFiles: 1 }).pull_request);
}

// biome-ignore lint/suspicious/noExplicitAny: payloads are adapted freely in tests
function reviewEvent(state: string, login: string): any {
  const p = example("pull_request_review", "submitted");
  p.installation = { id: INSTALLATION_ID };
  p.review.state = state;
  p.review.user.login = login;
  p.review.commit_id = HEAD_SHA;
  p.pull_request.head.sha = HEAD_SHA;
  return p;
}

function github(state: Partial<FakeRepoState>) {
  return new FakeGitHub({ trees, ...state }).reads(files);
}

describe("review events", () => {
  test("an approval by someone with write access turns the gate green", async () => {
    pullsGet();
    const gh = github({
      reviews: [
        { id: 1, login: "reviewer", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" },
      ],
    })
      .permission("reviewer", "write")
      .createCheckRun()
      .createComment();
    await receive("pull_request_review", reviewEvent("approved", "reviewer"));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toMatch(/any agent-config change \(default\)/);
    expect(run.output.summary).toContain("`reviewer`");
  });

  test("a comment-only review cannot change the result: no request at all", async () => {
    await receive("pull_request_review", reviewEvent("commented", "reviewer"));
  });

  test("approve-then-push: an approval of an earlier commit does not count, and says why", async () => {
    const gh = github({
      reviews: [
        { id: 1, login: "reviewer", state: "APPROVED", commit: OLD_HEAD, at: "2026-11-25T10:00:00Z" },
      ],
    })
      .permission("reviewer", "write")
      .createCheckRun()
      .createComment();
    await receive("pull_request", pullRequestPayload({ action: "synchronize", changedFiles: 1 }));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/approvals pending/);
    expect(run.output.summary).toMatch(/`reviewer`[^\n]*(earlier commit|stale|not the head)/i);
  });

  test("self-approval by the author does not count", async () => {
    const gh = github({
      reviews: [
        { id: 1, login: "Codertocat", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" },
      ],
    })
      .createCheckRun()
      .createComment();
    await receive("pull_request", pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/`Codertocat`[^\n]*author/i);
  });

  test("changes requested by an eligible approver blocks, even next to an approval", async () => {
    const gh = github({
      reviews: [
        { id: 1, login: "reviewer", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" },
        { id: 2, login: "skeptic", state: "CHANGES_REQUESTED", commit: HEAD_SHA, at: "2026-11-25T10:05:00Z" },
      ],
    })
      .permission("reviewer", "write")
      .permission("skeptic", "write")
      .createCheckRun()
      .createComment();
    await receive("pull_request", pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/changes requested by `skeptic`/);
  });
});

describe("team rules", () => {
  const policy =
    "version: 1\napprovals:\n  rules:\n    - name: security\n      requires:\n        count: 1\n        from: { teams: [Codertocat/security] }\n";
  const withPolicy = (state: Partial<FakeRepoState>) =>
    github({ trees: { ...trees, [DEFAULT_SHA]: { ".github/agent-change-control.yml": policy } }, ...state });

  test("a reviewer who left the team no longer counts; the team is asked for a review", async () => {
    const gh = withPolicy({
      reviews: [{ id: 1, login: "former", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" }],
    })
      .membership("Codertocat/security", "former", "none")
      .createCheckRun()
      .createComment()
      .requestReviewers();
    await receive("pull_request", pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("failure");
    expect(gh.sent.reviewRequests).toEqual([{ reviewers: [], team_reviewers: ["security"] }]);
  });

  test("an active member counts; a team already asked is not asked again", async () => {
    const gh = withPolicy({
      reviews: [{ id: 1, login: "sec", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" }],
      reviewRequests: { teams: ["Codertocat/security"] },
    })
      .membership("Codertocat/security", "sec", "active")
      .createCheckRun()
      .createComment();
    await receive("pull_request", pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    expect(gh.sent.checkRunsCreated[0]).toMatchObject({ conclusion: "success" });
  });
});

describe("break-glass", () => {
  const policy =
    "version: 1\napprovals:\n  emergency:\n    enabled: true\n    declarers: { users: [oncall] }\n";
  const withPolicy = (state: Partial<FakeRepoState>) =>
    github({ trees: { ...trees, [DEFAULT_SHA]: { ".github/agent-change-control.yml": policy } }, ...state });

  // biome-ignore lint/suspicious/noExplicitAny: payloads are adapted freely in tests
  function commentEvent(login: string, body: string): any {
    const p = example("issue_comment", "created");
    const pr = pullRequestPayload({ changedFiles: 1 });
    p.repository = pr.repository;
    p.installation = { id: INSTALLATION_ID };
    p.issue.number = PR_NUMBER;
    p.issue.pull_request = { url: pr.pull_request.url };
    p.comment.user.login = login;
    p.comment.body = body;
    return p;
  }

  test("declared by a permitted user: the gate passes with the emergency banner", async () => {
    pullsGet();
    const body = "/agent-change-control emergency prod outage INC-42";
    const gh = withPolicy({ comments: [{ id: 77, body, mine: false, author: "oncall" }] })
      .createCheckRun()
      .createComment();
    await receive("issue_comment", commentEvent("oncall", body));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toMatch(/[Ee]mergency/);
    expect(run.output.summary).toContain("INC-42");
  });

  test("declared by anyone else: ignored and answered once with why", async () => {
    pullsGet();
    const body = "/agent-change-control emergency trust me";
    const gh = withPolicy({ comments: [{ id: 78, body, mine: false, author: "intruder" }] })
      .createCheckRun()
      .createComment()
      .createComment(5002);
    await receive("issue_comment", commentEvent("intruder", body));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string };
    expect(run.conclusion).toBe("failure");
    const answer = String(gh.sent.commentsCreated[1]!.body);
    expect(answer).toContain("agent-change-control:emergency-refused:78");
    expect(answer).toContain("`@intruder`");
  });

  test("any other comment is skipped without a request", async () => {
    await receive("issue_comment", commentEvent("someone", "LGTM 👍"));
  });
});
