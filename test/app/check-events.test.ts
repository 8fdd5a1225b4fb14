import { beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { CHECK_NAME } from "../../src/core/report/check-run.js";
import { API, FakeGitHub } from "./helpers/fake-github.js";
import { guardNock } from "./helpers/nock-guard.js";
import {
  example,
  HEAD_SHA,
  INSTALLATION_ID,
  MERGE_BASE,
  OWNER,
  PR_NUMBER,
  pullRequestPayload,
  REPO,
} from "./helpers/payloads.js";
import { APP_ID, testProbot } from "./helpers/probot.js";

/** "Re-run" buttons: check_run.rerequested and check_suite.rerequested; check_suite.requested needs no work. */

let probot: Probot;

beforeEach(async () => {
  probot = await testProbot();
});

guardNock();

const receive = (name: string, payload: unknown) =>
  probot.receive({ id: "d-2", name, payload } as Parameters<Probot["receive"]>[0]);

const state = {
  trees: { [MERGE_BASE]: { "AGENTS.md": "# A\n" }, [HEAD_SHA]: { "AGENTS.md": "# A\n\nB\n" } },
};

/** The PR as `GET /pulls/2` returns it: the example payload's pull request at our head. */
function pullsGet() {
  const pr = pullRequestPayload({ changedFiles: 1 });
  nock(API).get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, pr.pull_request);
  return pr;
}

// biome-ignore lint/suspicious/noExplicitAny: payloads are adapted freely in tests
function checkRunRerequested(adapt: (p: any) => void = () => {}) {
  const p = example("check_run", "rerequested");
  const pr = pullRequestPayload({ changedFiles: 1 });
  p.repository = pr.repository;
  p.installation = { id: INSTALLATION_ID };
  p.check_run.app.id = APP_ID;
  p.check_run.name = CHECK_NAME;
  p.check_run.head_sha = HEAD_SHA;
  p.check_run.external_id = `pr:${PR_NUMBER}:0123abcd`;
  p.check_run.pull_requests = [];
  adapt(p);
  return p;
}

describe("check_run.rerequested", () => {
  test("on our check: finds the PR from the run's external id (fork-safe) and publishes a new run", async () => {
    pullsGet();
    const gh = new FakeGitHub(state)
      .reads([{ filename: "AGENTS.md", status: "modified" }])
      .createCheckRun()
      .createComment();
    await receive("check_run", checkRunRerequested());
    gh.done();
    expect(gh.sent.checkRunsCreated).toHaveLength(1);
  });

  test("publishes again even when the same result is already on the commit (the user asked for a re-run)", async () => {
    pullsGet();
    const first = new FakeGitHub(state)
      .reads([{ filename: "AGENTS.md", status: "modified" }])
      .createCheckRun()
      .createComment();
    await receive("check_run", checkRunRerequested());
    first.done();
    const run = first.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    pullsGet();
    const second = new FakeGitHub({
      ...state,
      checkRuns: [{ id: 4001, status: "completed", conclusion: run.conclusion, summary: run.output.summary }],
      comments: [{ id: 5001, body: String(first.sent.commentsCreated[0]!.body), mine: true }],
    })
      .reads([{ filename: "AGENTS.md", status: "modified" }])
      .createCheckRun();
    await receive("check_run", checkRunRerequested());
    second.done();
    expect(second.sent.checkRunsCreated).toHaveLength(1);
    expect(second.sent.commentsUpdated).toEqual([]);
  });

  test("a re-run of another app's check, or of another check of ours, is not ours to answer", async () => {
    await receive(
      "check_run",
      checkRunRerequested((p) => (p.check_run.app.id = APP_ID + 1)),
    );
    await receive(
      "check_run",
      checkRunRerequested((p) => (p.check_run.name = "ci/build")),
    );
  });
});

describe("check_suite", () => {
  // biome-ignore lint/suspicious/noExplicitAny: payloads are adapted freely in tests
  function suite(action: string): any {
    const p = example("check_suite", action);
    const pr = pullRequestPayload({ changedFiles: 1 });
    p.repository = pr.repository;
    p.installation = { id: INSTALLATION_ID };
    p.check_suite.head_sha = HEAD_SHA;
    p.check_suite.pull_requests = [
      { number: PR_NUMBER, head: { sha: HEAD_SHA }, base: { ref: "master", repo: { id: pr.repository.id } } },
    ];
    return p;
  }

  test("requested needs no work: the pull_request event for the same push evaluates it", async () => {
    await receive("check_suite", suite("requested"));
  });

  test("rerequested re-evaluates each open PR whose head is the suite's commit", async () => {
    pullsGet();
    const gh = new FakeGitHub(state)
      .reads([{ filename: "AGENTS.md", status: "modified" }])
      .createCheckRun()
      .createComment();
    await receive("check_suite", suite("rerequested"));
    gh.done();
    expect(gh.sent.checkRunsCreated[0]).toMatchObject({ head_sha: HEAD_SHA });
  });
});

test("installation events are logged and need no request", async () => {
  const p = example("installation", "created");
  await receive("installation", p);
});
