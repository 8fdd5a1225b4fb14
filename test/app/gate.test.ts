import { describe, expect, test } from "@jest/globals";
import { describeFailure, type GatePublisher, runGate } from "../../src/app/gate.js";
import type { CheckRunResult } from "../../src/core/report/check-run.js";
import type { PullRequestInfo } from "../../src/github/facts.js";
import { FakeFacts, type FakeFactsData } from "../../src/github/fake-facts.js";

/** The gate over the in-memory facts: every outcome, without HTTP. */

const PR: PullRequestInfo = {
  owner: "acme",
  repo: "agents",
  number: 7,
  baseRef: "main",
  baseSha: "b".repeat(40),
  headSha: "h".repeat(40),
  defaultBranch: "main",
  changedFiles: 2,
};
const BASE = "m".repeat(40);

type Recorder = GatePublisher & {
  runs: { result: CheckRunResult; fingerprint: string }[];
  comments: string[];
  requested: { users: string[]; teams: string[] }[];
  notices: string[];
};

function recorder(): Recorder {
  const runs: Recorder["runs"] = [];
  const comments: string[] = [];
  const requested: Recorder["requested"] = [];
  const notices: string[] = [];
  return {
    runs,
    comments,
    requested,
    notices,
    async checkRun(result, fingerprint) {
      runs.push({ result, fingerprint });
    },
    async comment(body, existing) {
      comments.push(body);
      return existing ? (existing.body === body ? "unchanged" : "updated") : "created";
    },
    async requestReviews(wanted) {
      requested.push(wanted);
    },
    async notice(body) {
      notices.push(body);
    },
  };
}

const data = (over: Partial<FakeFactsData> = {}): FakeFactsData => ({
  pr: PR,
  files: [
    { path: "CLAUDE.md", status: "modified" },
    { path: "src/app.ts", status: "modified" },
  ],
  mergeBase: BASE,
  trees: {
    [BASE]: { "CLAUDE.md": "# Rules\n", "src/app.ts": "x" },
    [PR.headSha]: { "CLAUDE.md": "# Rules\n\nBe concise.\n", "src/app.ts": "y" },
  },
  // A reviewer with write access approved the head commit.
  people: {
    reviews: [
      {
        id: 1,
        user: { login: "reviewer", type: "User" },
        state: "APPROVED",
        commitId: PR.headSha,
        submittedAt: "2026-11-25T10:00:00Z",
      },
    ],
  },
  permissions: { reviewer: "write" },
  ...over,
});
const facts = (over: Partial<FakeFactsData> = {}) => new FakeFacts(data(over));

describe("runGate", () => {
  test("evaluates the watched files only, reading them at the merge base and the head", async () => {
    const f = facts();
    const pub = recorder();
    const report = await runGate(f, pub);
    expect(report.outcome).toMatchObject({ kind: "evaluated", conclusion: "success", files: 1 });
    expect(f.asked.blobs.map((b) => `${b.ref}:${b.path}`).sort()).toEqual(
      [`${BASE}:CLAUDE.md`, `${PR.headSha}:CLAUDE.md`].sort(),
    );
    expect(pub.runs).toHaveLength(1);
    expect(pub.comments).toHaveLength(1);
  });

  test("no agent-config change: neutral, and no comment unless one exists already", async () => {
    const onlyCode = { files: [{ path: "src/app.ts", status: "modified" as const }] };
    const pub = recorder();
    const report = await runGate(facts(onlyCode), pub);
    expect(report.outcome).toMatchObject({ conclusion: "neutral" });
    expect(report.comment).toBe("skipped");
    const again = recorder();
    const withComment = await runGate(
      facts({ ...onlyCode, published: { comment: { id: 1, body: "<!-- old -->" } } }),
      again,
    );
    expect(withComment.comment).toBe("updated");
  });

  test("an identical result already on the head commit is not published twice, unless forced", async () => {
    const first = recorder();
    await runGate(facts(), first);
    const published = {
      checkRun: {
        id: 1,
        status: "completed",
        conclusion: "success",
        fingerprint: first.runs[0]!.fingerprint,
      },
      comment: { id: 2, body: first.comments[0]! },
    };
    const second = recorder();
    const report = await runGate(facts({ published }), second);
    expect(report).toMatchObject({ checkRun: "unchanged", comment: "unchanged" });
    expect(second.runs).toEqual([]);
    const forced = await runGate(facts({ published }), recorder(), { force: true });
    expect(forced.checkRun).toBe("created");
  });

  test("the policy comes from the policy source, not from the pull request's own copy", async () => {
    const loosening = "version: 1\nwatch:\n  defaults: false\n";
    const f = facts({
      files: [
        { path: ".github/agent-change-control.yml", status: "added" },
        { path: "CLAUDE.md", status: "modified" },
      ],
      trees: {
        [BASE]: { "CLAUDE.md": "# Rules\n" },
        [PR.headSha]: { ".github/agent-change-control.yml": loosening, "CLAUDE.md": "# Rules\n\nMore.\n" },
      },
    });
    const report = await runGate(f, recorder());
    // Under the default-branch policy (none: defaults) CLAUDE.md is still watched.
    expect(report.outcome).toMatchObject({ kind: "evaluated", files: 2 });
  });

  test("an invalid policy fails the gate", async () => {
    const pub = recorder();
    const report = await runGate(
      facts({
        policy: { repository: { path: ".github/agent-change-control.yml", text: "watch: [" }, sha: "d" },
      }),
      pub,
    );
    expect(report.outcome.kind).toBe("policy-error");
    expect(pub.runs[0]!.result.conclusion).toBe("failure");
  });

  test.each([
    ["changedFiles", new Error("boom")],
    [
      "mergeBase",
      Object.assign(new Error("x"), {
        status: 503,
        request: { method: "GET", url: "https://api.github.com/repos/acme/agents/compare/a...b?per_page=1" },
      }),
    ],
    ["policy", Object.assign(new Error("x"), { name: "GraphqlResponseError" })],
    ["blobs", new RangeError("too deep")],
  ] as const)("a failing %s fails closed, never success", async (what, error) => {
    const pub = recorder();
    const report = await runGate(facts({ fail: { [what]: error } }), pub);
    expect(report.outcome.kind).toBe("failed-closed");
    expect(pub.runs).toHaveLength(1);
    expect(pub.runs[0]!.result.conclusion).toBe("failure");
  });

  test("more files than GitHub can list fails closed with the count", async () => {
    const pub = recorder();
    const report = await runGate(facts({ pr: { ...PR, changedFiles: 3500 } }), pub);
    expect(report.outcome).toMatchObject({ kind: "failed-closed" });
    expect(pub.runs[0]!.result.summary).toMatch(/3500 files/);
  });

  test("an evaluation that never finishes fails closed at the deadline", async () => {
    class Hanging extends FakeFacts {
      override changedFiles() {
        return new Promise<never>(() => {});
      }
    }
    const pub = recorder();
    const report = await runGate(new Hanging(data()), pub, { timeoutMs: 10 });
    expect(report.outcome).toMatchObject({ kind: "failed-closed" });
    expect(pub.runs[0]!.result.conclusion).toBe("failure");
  });

  test("a publisher that cannot write makes the gate throw (the delivery fails), never report success", async () => {
    const pub = recorder();
    pub.checkRun = async () => {
      throw new Error("GitHub down");
    };
    await expect(runGate(facts(), pub)).rejects.toThrow("GitHub down");
  });
});

describe("describeFailure", () => {
  test("names the request and status of a GitHub error, without query strings or tokens", () => {
    const text = describeFailure(
      Object.assign(new Error("Bad credentials ghs_secret"), {
        status: 502,
        request: {
          method: "GET",
          url: "https://api.github.com/repos/a/b/pulls/1/files?per_page=100&access_token=ghs_secret",
        },
      }),
    );
    expect(text).toBe("GitHub answered HTTP 502 to GET /repos/a/b/pulls/1/files after retries");
  });

  test("says nothing of an unknown error's message (it may hold file contents)", () => {
    expect(describeFailure(new TypeError("unexpected token in 'API_KEY=abc'"))).toBe(
      "internal error (TypeError); please report it",
    );
  });
});
