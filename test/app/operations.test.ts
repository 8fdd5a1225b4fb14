import { Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { FakeGitHub, ghes } from "./helpers/fake-github.js";
import { guardNock } from "./helpers/nock-guard.js";
import { HEAD_SHA, MERGE_BASE, pullRequestPayload } from "./helpers/payloads.js";
import { testProbot } from "./helpers/probot.js";

/** Running it: GitHub Enterprise Server, and what the logs say (and never say). */

guardNock();

const SECRET_LINE = "API_KEY=sk-live-0123456789abcdef0123456789abcdef";

describe("GitHub Enterprise Server", () => {
  test("every request, REST and GraphQL, goes to the configured host", async () => {
    const host = ghes("ghe.example.com");
    const probot = await testProbot({ baseUrl: host.rest });
    const gh = new FakeGitHub({ trees: { [MERGE_BASE]: {}, [HEAD_SHA]: { "CLAUDE.md": "# Rules\n" } } }, host)
      .reads([{ filename: "CLAUDE.md", status: "added" }])
      .createCheckRun()
      .createComment();
    await probot.receive({
      id: "ghe-1",
      name: "pull_request",
      payload: pullRequestPayload({ changedFiles: 1 }),
    });
    gh.done();
    expect(gh.sent.checkRunsCreated).toHaveLength(1);
  });
});

describe("logs", () => {
  test("one structured line per evaluation with the delivery id; no file contents, no token", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const probot = await testProbot({ log: pino({ level: "debug" }, sink) });
    const gh = new FakeGitHub({
      trees: { [MERGE_BASE]: {}, [HEAD_SHA]: { "CLAUDE.md": `# Rules\n\n${SECRET_LINE}\n` } },
    })
      .reads([{ filename: "CLAUDE.md", status: "added" }])
      .createCheckRun()
      .createComment();
    await probot.receive({
      id: "delivery-42",
      name: "pull_request",
      payload: pullRequestPayload({ changedFiles: 1 }),
    });
    gh.done();
    const evaluated = lines.filter((l) => l.msg === "gate evaluated");
    expect(evaluated).toHaveLength(1);
    expect(evaluated[0]).toMatchObject({
      id: "delivery-42",
      repo: "Codertocat/Hello-World",
      pr: 2,
      head: HEAD_SHA,
      outcome: "evaluated",
      checkRun: "created",
      comment: "created",
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain("sk-live-0123456789abcdef");
    expect(all).not.toContain("test-token");
    expect(all).not.toContain("# Rules");
  });
});
