import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { CHECK_NAME } from "../../src/core/report/check-run.js";
import { API, FakeGitHub } from "./helpers/fake-github.js";
import { guardNock } from "./helpers/nock-guard.js";
import { HEAD_SHA, MERGE_BASE, OWNER, PR_NUMBER, pullRequestPayload, REPO } from "./helpers/payloads.js";
import { testProbot } from "./helpers/probot.js";

/** GitHub failing: transient errors are retried by Octokit, persistent ones end in a failing check. */

guardNock();

const receive = (probot: Probot, payload: unknown) =>
  probot.receive({ id: "d-1", name: "pull_request", payload } as Parameters<Probot["receive"]>[0]);

const state = {
  trees: { [MERGE_BASE]: { "AGENTS.md": "# A\n" }, [HEAD_SHA]: { "AGENTS.md": "# A\n\nB\n" } },
  reviews: [{ id: 9, login: "maintainer", state: "APPROVED", commit: HEAD_SHA, at: "2026-11-25T10:00:00Z" }],
};

describe("a transient GitHub error", () => {
  test("502 on the file list is retried and the evaluation completes normally", async () => {
    const probot = await testProbot({ retry: true });
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: "100", page: "1" })
      .reply(502, { message: "Bad Gateway" });
    const gh = new FakeGitHub(state)
      .reads([{ filename: "AGENTS.md", status: "modified" }])
      .permission("maintainer", "write")
      .createCheckRun()
      .createComment();
    await receive(probot, pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    expect(gh.sent.checkRunsCreated[0]).toMatchObject({ name: CHECK_NAME, conclusion: "success" });
  });
});

describe("GitHub failing persistently", () => {
  test("the gate fails closed with what went wrong and how to re-run, never success, never in progress", async () => {
    const probot = await testProbot();
    nock(API).post("/graphql").reply(502, { message: "Bad Gateway" });
    const gh = new FakeGitHub(state)
      .listFiles([{ filename: "AGENTS.md", status: "modified" }])
      .compare()
      .createCheckRun();
    await receive(probot, pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as {
      status: string;
      conclusion: string;
      output: { title: string; summary: string };
    };
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/HTTP 502/);
    expect(run.output.summary).toMatch(/\/graphql/);
    expect(run.output.summary).toMatch(/[Rr]e-run/);
    expect(run).toMatchSnapshot("fail-closed check run");
  });

  test("when even the failing check cannot be written, the delivery fails loudly (and no success exists)", async () => {
    const probot = await testProbot();
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: "100", page: "1" })
      .reply(500, {});
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/compare/${"b".repeat(40)}...${HEAD_SHA}`)
      .query({ per_page: "1" })
      .reply(500, {});
    nock(API).post(`/repos/${OWNER}/${REPO}/check-runs`).reply(500, {});
    await expect(receive(probot, pullRequestPayload({ changedFiles: 1 }))).rejects.toThrow();
  });

  test("an evaluation that outlives its deadline fails closed", async () => {
    const probot = await testProbot({ gate: { timeoutMs: 20 } });
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: "100", page: "1" })
      .delay(300)
      .reply(200, []);
    const gh = new FakeGitHub(state).compare().createCheckRun();
    await receive(probot, pullRequestPayload({ changedFiles: 1 }));
    gh.done();
    const run = gh.sent.checkRunsCreated[0] as { conclusion: string; output: { summary: string } };
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/did not finish within/);
    // The abandoned evaluation makes no further request when the slow answer finally arrives.
    await new Promise((resolve) => setTimeout(resolve, 400));
  });
});
