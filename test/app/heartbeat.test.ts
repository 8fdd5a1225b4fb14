import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { configProblems, heartbeatConfig, parseHeartbeatTargets } from "../../src/app/config.js";
import {
  type AppAuth,
  discoverLogTargets,
  type HeartbeatLog,
  runHeartbeatSweep,
  type SweepSummary,
  startHeartbeats,
} from "../../src/app/heartbeat.js";
import { ConfigError, startServer } from "../../src/app/server.js";
import { FakeGitBackend } from "../../src/changelog/fake-git.js";
import { appendRecords, rfc3339 } from "../../src/changelog/writer.js";
import { verifyCheckpoint } from "../../src/core/changelog/checkpoint.js";
import type { LogState } from "../../src/core/changelog/types.js";
import type { Octokit } from "../../src/github/octokit.js";
import { mergeDraft, signingKey } from "../changelog/helpers.js";
import { guardNock } from "./helpers/nock-guard.js";

/** The app's heartbeats at the HTTP level (every interceptor consumed, no request unmatched), and its timer. */

const API = "https://api.github.com";
const HEAD = "a".repeat(40);
const NEW = "b".repeat(40);
const KEY = signingKey();
/** A day and a second after the merge the due logs hold: a 24-hour heartbeat is due. */
const LAST_MERGE = "2026-03-01T12:00:00Z";
const NOW = new Date("2026-03-02T12:00:01Z");

const octokit = (token: string) =>
  new ProbotOctokit({ auth: { token }, retry: { enabled: false }, throttle: { enabled: false } }) as Octokit;
/** The app authenticates as itself with "app-jwt" and as installation N with "inst-N". */
const app: AppAuth = { auth: async (id?: number) => octokit(id === undefined ? "app-jwt" : `inst-${id}`) };

interface Line {
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}
function recorder(): HeartbeatLog & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: Line["level"]) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

/** The files of a log holding one merge recorded at `at` and no checkpoint yet (written by the real writer). */
async function logHolding(at: string): Promise<ReadonlyMap<string, string>> {
  const backend = new FakeGitBackend();
  await appendRecords(backend, [mergeDraft(1, at)], {
    signingKey: KEY,
    origin: "cc8.github.com/acme/audit",
    now: () => new Date(at),
  });
  return backend.files();
}

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}
interface CommitInput {
  expectedHeadOid: string;
  branch: { repositoryNameWithOwner: string; branchName: string };
  fileChanges: { additions: { path: string; contents: string }[] };
}
const parse = (body: unknown) => (typeof body === "string" ? JSON.parse(body) : body) as GraphqlBody;
const blob = (text: string) => ({
  oid: "1".repeat(40),
  byteSize: Buffer.byteLength(text),
  text,
  isTruncated: false,
});

/**
 * Serves one log branch over GraphQL: its snapshot once; with `writable`, blob reads at HEAD (any number) and
 * exactly one createCommitOnBranch, whose input is pushed to the returned array.
 */
function serveLog(
  target: { owner: string; repo: string; branch?: string; token: string },
  files: ReadonlyMap<string, string>,
  writable: boolean,
): CommitInput[] {
  const branch = target.branch ?? "agent-change-log";
  const mine = (b: GraphqlBody) => b.variables.owner === target.owner && b.variables.repo === target.repo;
  const entries = [...files]
    .filter(([path]) => !path.includes("/"))
    .map(([name, text]) => ({ name, object: blob(text) }));
  nock(API)
    .matchHeader("authorization", `token ${target.token}`)
    .post("/graphql", (b) => {
      const body = parse(b);
      return (
        body.query.includes("LogSnapshot") && mine(body) && body.variables.ref === `refs/heads/${branch}`
      );
    })
    .reply(200, { data: { repository: { ref: { target: { oid: HEAD, tree: { entries } } } } } });
  const commits: CommitInput[] = [];
  if (!writable) return commits;
  nock(API)
    .persist()
    .matchHeader("authorization", `token ${target.token}`)
    .post("/graphql", (b) => parse(b).query.includes("LogBlob") && mine(parse(b)))
    .reply(200, (_uri, b) => {
      const expression = String(parse(b).variables.expression);
      const path = expression.startsWith(`${HEAD}:`) ? expression.slice(HEAD.length + 1) : undefined;
      const text = path === undefined ? undefined : files.get(path);
      return { data: { repository: { object: text === undefined ? null : blob(text) } } };
    });
  nock(API)
    .matchHeader("authorization", `token ${target.token}`)
    .post("/graphql", (b) => {
      const input = parse(b).variables.input as CommitInput | undefined;
      return (
        parse(b).query.includes("createCommitOnBranch") &&
        input?.branch.repositoryNameWithOwner === `${target.owner}/${target.repo}`
      );
    })
    .reply(200, (_uri, b) => {
      commits.push(parse(b).variables.input as CommitInput);
      return { data: { createCommitOnBranch: { commit: { oid: NEW } } } };
    });
  return commits;
}

const written = (input: CommitInput) =>
  new Map(input.fileChanges.additions.map((a) => [a.path, Buffer.from(a.contents, "base64").toString()]));

/** One installation (`inst-1`) listing the repositories `names` (branches not mocked). */
function oneInstallation(names: string[]): void {
  nock(API)
    .matchHeader("authorization", "token app-jwt")
    .get("/app/installations")
    .query({ per_page: "100" })
    .reply(200, [{ id: 1, suspended_at: null }]);
  nock(API)
    .matchHeader("authorization", "token inst-1")
    .get("/installation/repositories")
    .query({ per_page: "100" })
    .reply(200, {
      total_count: names.length,
      repositories: names.map((name) => ({ name, owner: { login: "acme" }, archived: false })),
    });
}

/** One installation (`inst-1`) whose repositories are `names`; those in `withLog` have the log branch. */
function installedRepos(names: string[], withLog: string[]): void {
  oneInstallation(names);
  for (const name of names) {
    const scope = nock(API)
      .matchHeader("authorization", "token inst-1")
      .get(`/repos/acme/${name}/branches/agent-change-log`);
    if (withLog.includes(name)) scope.reply(200, { name: "agent-change-log" });
    else scope.reply(404, { message: "Branch not found" });
  }
}

describe("discoverLogTargets", () => {
  guardNock();

  test("keeps the repositories with an agent-change-log branch, over pages; skips archived repositories and suspended installations", async () => {
    nock(API)
      .matchHeader("authorization", "token app-jwt")
      .get("/app/installations")
      .query({ per_page: "100" })
      .reply(200, [
        { id: 1, suspended_at: null },
        { id: 2, suspended_at: "2026-01-01T00:00:00Z" },
      ]);
    const repo = (name: string, archived = false) => ({ name, owner: { login: "acme" }, archived });
    nock(API)
      .matchHeader("authorization", "token inst-1")
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(
        200,
        { total_count: 4, repositories: [repo("audit"), repo("web"), repo("old", true)] },
        {
          link: `<${API}/installation/repositories?per_page=100&page=2>; rel="next"`,
        },
      );
    nock(API)
      .matchHeader("authorization", "token inst-1")
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, { total_count: 4, repositories: [repo("ops")] });
    nock(API).get("/repos/acme/audit/branches/agent-change-log").reply(200, { name: "agent-change-log" });
    nock(API).get("/repos/acme/web/branches/agent-change-log").reply(404, { message: "Branch not found" });
    nock(API).get("/repos/acme/ops/branches/agent-change-log").reply(200, { name: "agent-change-log" });

    const log = recorder();
    expect(await discoverLogTargets(app, { log })).toEqual({
      targets: [
        { owner: "acme", repo: "audit", branch: "agent-change-log", installationId: 1 },
        { owner: "acme", repo: "ops", branch: "agent-change-log", installationId: 1 },
      ],
      failed: 0,
    });
    expect(log.lines.filter((l) => l.level !== "info")).toEqual([]);
  });

  test("checks at most `limit` repositories and says so, naming the limit", async () => {
    oneInstallation(["a", "b", "c"]);
    // The third repository's branch is never asked for (it would be an unmatched request).
    nock(API).get("/repos/acme/a/branches/agent-change-log").reply(404, { message: "Branch not found" });
    nock(API).get("/repos/acme/b/branches/agent-change-log").reply(200, { name: "agent-change-log" });
    const log = recorder();
    const found = await discoverLogTargets(app, { log, limit: 2 });
    expect(found.targets.map((t) => t.repo)).toEqual(["b"]);
    const warnings = log.lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/MAX_HEARTBEAT_REPOS \(2\)/);
    expect(warnings[0]!.fields).toEqual({ limit: 2, checked: 2 });
  });

  test("a repository that cannot be checked counts as failed and is logged; the others are still checked", async () => {
    oneInstallation(["flaky", "audit"]);
    nock(API).get("/repos/acme/flaky/branches/agent-change-log").reply(500, { message: "boom" });
    nock(API).get("/repos/acme/audit/branches/agent-change-log").reply(200, { name: "agent-change-log" });
    const log = recorder();
    const found = await discoverLogTargets(app, { log });
    expect(found).toEqual({
      targets: [{ owner: "acme", repo: "audit", branch: "agent-change-log", installationId: 1 }],
      failed: 1,
    });
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: "warn",
        fields: expect.objectContaining({ target: "acme/flaky@agent-change-log", status: 500 }),
      }),
    ]);
  });
});

describe("runHeartbeatSweep", () => {
  guardNock();

  test("a due log gets exactly one commit, whose state.json and signed checkpoint show the heartbeat", async () => {
    installedRepos(["audit"], ["audit"]);
    const files = await logHolding(LAST_MERGE);
    const commits = serveLog({ owner: "acme", repo: "audit", token: "inst-1" }, files, true);
    const log = recorder();
    const summary = await runHeartbeatSweep(app, { signingKey: KEY, log, now: () => NOW });

    expect(summary).toEqual({ targets: 1, written: 1, notDue: 0, failed: 0 });
    expect(commits).toHaveLength(1);
    expect(commits[0]!.expectedHeadOid).toBe(HEAD);
    expect(commits[0]!.branch).toEqual({
      repositoryNameWithOwner: "acme/audit",
      branchName: "agent-change-log",
    });
    const out = written(commits[0]!);
    const before = JSON.parse(files.get("state.json")!) as LogState;
    const after = JSON.parse(out.get("state.json")!) as LogState;
    expect(before.last_checkpoint_at).toBeUndefined();
    expect(after).toMatchObject({ size: 2, last_checkpoint_size: 1, last_checkpoint_at: rfc3339(NOW) });
    const notes = [...out.keys()].filter((p) => p.startsWith("checkpoints/"));
    expect(notes).toHaveLength(1);
    const check = verifyCheckpoint(out.get(notes[0]!)!, [createPublicKey(KEY)]);
    expect(check.ok && check.checkpoint).toMatchObject({ origin: "cc8.github.com/acme/audit", size: 1 });
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: "info",
        fields: { target: "acme/audit@agent-change-log", treeSize: 1 },
      }),
    );
  });

  test("a log that is not due is read once and not written", async () => {
    installedRepos(["audit"], ["audit"]);
    const recent = rfc3339(new Date(NOW.getTime() - 3_600_000));
    serveLog({ owner: "acme", repo: "audit", token: "inst-1" }, await logHolding(recent), false);
    const summary = await runHeartbeatSweep(app, { signingKey: KEY, log: recorder(), now: () => NOW });
    expect(summary).toEqual({ targets: 1, written: 0, notDue: 1, failed: 0 });
  });

  test("CHANGELOG_HEARTBEAT_HOURS: the window is the sweep's", async () => {
    installedRepos(["audit"], ["audit"]);
    // 23 hours after the last merge: due with a 12-hour window, not with the default 24.
    const at = rfc3339(new Date(NOW.getTime() - 23 * 3_600_000));
    const commits = serveLog({ owner: "acme", repo: "audit", token: "inst-1" }, await logHolding(at), true);
    const summary = await runHeartbeatSweep(app, {
      signingKey: KEY,
      heartbeatHours: 12,
      log: recorder(),
      now: () => NOW,
    });
    expect(summary.written).toBe(1);
    expect(commits).toHaveLength(1);
  });

  test("one failing log is logged (target and status, no token) and does not stop the others", async () => {
    installedRepos(["broken", "audit", "quiet"], ["broken", "audit", "quiet"]);
    nock(API)
      .matchHeader("authorization", "token inst-1")
      .post("/graphql", (b) => parse(b).variables.repo === "broken")
      .reply(502, { message: "Server Error" });
    const commits = serveLog(
      { owner: "acme", repo: "audit", token: "inst-1" },
      await logHolding(LAST_MERGE),
      true,
    );
    const recent = rfc3339(new Date(NOW.getTime() - 60_000));
    serveLog({ owner: "acme", repo: "quiet", token: "inst-1" }, await logHolding(recent), false);

    const log = recorder();
    const summary = await runHeartbeatSweep(app, { signingKey: KEY, log, now: () => NOW });
    expect(summary).toEqual({ targets: 3, written: 1, notDue: 1, failed: 1 });
    expect(commits).toHaveLength(1);
    const errors = log.lines.filter((l) => l.level === "error");
    expect(errors).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ target: "acme/broken@agent-change-log", status: 502 }),
      }),
    ]);
    expect(JSON.stringify(log.lines)).not.toMatch(/inst-1|app-jwt|BEGIN/);
  });

  test("explicit targets replace discovery: installation per repository, its own branch, GitHub's spelling in the origin", async () => {
    // No /app/installations interceptor: discovery would be an unmatched request.
    nock(API)
      .matchHeader("authorization", "token app-jwt")
      .get("/repos/Acme/Audit-Log/installation")
      .reply(200, { id: 7 });
    nock(API)
      .matchHeader("authorization", "token inst-7")
      .get("/repos/Acme/Audit-Log")
      .reply(200, { name: "audit-log", owner: { login: "acme" }, archived: false });
    nock(API).get("/repos/acme/elsewhere/installation").reply(404, { message: "Not Found" });
    const commits = serveLog(
      { owner: "acme", repo: "audit-log", branch: "compliance", token: "inst-7" },
      await logHolding(LAST_MERGE),
      true,
    );

    const log = recorder();
    const summary = await runHeartbeatSweep(app, {
      signingKey: KEY,
      host: "ghe.example.com",
      targets: parseHeartbeatTargets("Acme/Audit-Log@compliance, acme/elsewhere").targets,
      log,
      now: () => NOW,
    });
    expect(summary).toEqual({ targets: 1, written: 1, notDue: 0, failed: 1 });
    expect(commits[0]!.branch).toEqual({
      repositoryNameWithOwner: "acme/audit-log",
      branchName: "compliance",
    });
    const out = written(commits[0]!);
    const note = out.get([...out.keys()].find((p) => p.startsWith("checkpoints/"))!)!;
    expect(note.split("\n")[0]).toBe("cc8.ghe.example.com/acme/audit-log");
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        fields: expect.objectContaining({ target: "acme/elsewhere@agent-change-log", status: 404 }),
        message: expect.stringMatching(/not installed/),
      }),
    );
  });
});

describe("startHeartbeats", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  const SUMMARY: SweepSummary = { targets: 2, written: 1, notDue: 1, failed: 0 };
  const MINUTE = 60_000;

  function schedule(sweep: () => Promise<SweepSummary>, intervalMinutes?: number) {
    const log = recorder();
    const stop = startHeartbeats(
      { ...app, log },
      {
        signingKey: KEY,
        random: () => 0.25,
        sweep,
        ...(intervalMinutes !== undefined ? { intervalMinutes } : {}),
      },
    );
    return { log, stop };
  }

  test("sweeps first after the random share of the interval, then every interval, until stopped", async () => {
    jest.useFakeTimers();
    const sweep = jest.fn(async () => SUMMARY);
    const { log, stop } = schedule(sweep); // default 60 minutes: first sweep at 15
    await jest.advanceTimersByTimeAsync(15 * MINUTE - 1);
    expect(sweep).toHaveBeenCalledTimes(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(sweep).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(60 * MINUTE);
    expect(sweep).toHaveBeenCalledTimes(2);
    expect(log.lines).toContainEqual({ level: "info", fields: { ...SUMMARY }, message: "heartbeat sweep" });
    stop();
    await jest.advanceTimersByTimeAsync(600 * MINUTE);
    expect(sweep).toHaveBeenCalledTimes(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  test("a sweep still running when the next is due: the next is skipped with a warning", async () => {
    jest.useFakeTimers();
    let finish: (s: SweepSummary) => void = () => undefined;
    const sweep = jest.fn(
      () =>
        new Promise<SweepSummary>((resolve) => {
          finish = resolve;
        }),
    );
    const { log, stop } = schedule(sweep, 10); // first sweep at 2.5 minutes
    await jest.advanceTimersByTimeAsync(2.5 * MINUTE);
    expect(sweep).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(20 * MINUTE);
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(log.lines.filter((l) => l.level === "warn" && /still running/.test(l.message))).toHaveLength(2);
    finish(SUMMARY);
    await jest.advanceTimersByTimeAsync(10 * MINUTE);
    expect(sweep).toHaveBeenCalledTimes(2);
    stop();
  });

  test("a failed sweep is logged and the timer goes on", async () => {
    jest.useFakeTimers();
    const sweep = jest
      .fn<() => Promise<SweepSummary>>()
      .mockRejectedValueOnce(Object.assign(new Error("Bad credentials"), { status: 401 }))
      .mockResolvedValue(SUMMARY);
    const { log, stop } = schedule(sweep, 10);
    await jest.advanceTimersByTimeAsync(12.5 * MINUTE);
    expect(sweep).toHaveBeenCalledTimes(2);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        fields: expect.objectContaining({ status: 401 }),
        message: "heartbeat sweep failed",
      }),
    );
    stop();
  });

  test("stopped before the first sweep: it never comes, no timer is left", async () => {
    jest.useFakeTimers();
    const sweep = jest.fn(async () => SUMMARY);
    const { stop } = schedule(sweep);
    expect(jest.getTimerCount()).toBe(1);
    stop();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(600 * MINUTE);
    expect(sweep).not.toHaveBeenCalled();
  });

  test("its timers never keep the process alive (unref'd)", async () => {
    // Every timer it makes is captured (real timers, so hasRef() is Node's own answer).
    const made: NodeJS.Timeout[] = [];
    const realTimeout = globalThis.setTimeout;
    const realInterval = globalThis.setInterval;
    const spies = [
      jest.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
        const t = realTimeout(fn, ms);
        made.push(t);
        return t;
      }) as typeof setTimeout),
      jest.spyOn(globalThis, "setInterval").mockImplementation(((fn: () => void, ms?: number) => {
        const t = realInterval(fn, ms);
        made.push(t);
        return t;
      }) as typeof setInterval),
    ];
    const sweep = jest.fn(async () => SUMMARY);
    // random 0: the first sweep is due at once; the interval timer exists after it.
    const stop = startHeartbeats({ ...app, log: recorder() }, { signingKey: KEY, random: () => 0, sweep });
    try {
      await new Promise((resolve) => realTimeout(resolve, 5));
      expect(sweep).toHaveBeenCalledTimes(1);
      expect(made).toHaveLength(2);
      expect(made.map((t) => t.hasRef())).toEqual([false, false]);
    } finally {
      for (const spy of spies) spy.mockRestore();
      stop();
    }
  });

  test("0 minutes turns heartbeats off: no timer at all", async () => {
    jest.useFakeTimers();
    const sweep = jest.fn(async () => SUMMARY);
    const { log } = schedule(sweep, 0);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(48 * 60 * MINUTE);
    expect(sweep).not.toHaveBeenCalled();
    expect(log.lines.map((l) => l.message)).toEqual([expect.stringMatching(/off/)]);
  });
});

describe("heartbeat settings", () => {
  test("defaults: every 60 minutes, a 24-hour window, discovery", () => {
    expect(heartbeatConfig({})).toEqual({ intervalMinutes: 60, heartbeatHours: 24 });
    expect(
      heartbeatConfig({
        CHANGELOG_HEARTBEAT_MINUTES: "0",
        CHANGELOG_HEARTBEAT_HOURS: "6",
        CHANGELOG_HEARTBEAT_TARGETS: "acme/audit",
      }),
    ).toEqual({ intervalMinutes: 0, heartbeatHours: 6, targets: [{ owner: "acme", repo: "audit" }] });
  });

  test("targets: owner/repo or owner/repo@branch, comma separated, repeats dropped, bad entries named", () => {
    expect(parseHeartbeatTargets(" acme/audit , acme/x.y@log/main,,ACME/Audit ")).toEqual({
      targets: [
        { owner: "acme", repo: "audit" },
        { owner: "acme", repo: "x.y", branch: "log/main" },
      ],
      problems: [],
    });
    const bad = parseHeartbeatTargets("acme, acme/audit@, a/b/c, acme/ok@has space, acme/x@a..b");
    expect(bad.targets).toEqual([]);
    expect(bad.problems).toHaveLength(5);
    expect(bad.problems[0]).toMatch(/"acme" is not owner\/repo/);
  });

  test("the server refuses bad heartbeat settings", () => {
    const problems = (env: NodeJS.ProcessEnv) =>
      configProblems({ APP_ID: "1", PRIVATE_KEY: "k", WEBHOOK_SECRET: "s", ...env });
    expect(problems({ CHANGELOG_HEARTBEAT_MINUTES: "60", CHANGELOG_HEARTBEAT_HOURS: "744" })).toEqual([]);
    expect(problems({ CHANGELOG_HEARTBEAT_MINUTES: "1441" }).join()).toMatch(/CHANGELOG_HEARTBEAT_MINUTES/);
    expect(problems({ CHANGELOG_HEARTBEAT_MINUTES: "-1" }).join()).toMatch(/CHANGELOG_HEARTBEAT_MINUTES/);
    expect(problems({ CHANGELOG_HEARTBEAT_HOURS: "0" }).join()).toMatch(/CHANGELOG_HEARTBEAT_HOURS/);
    expect(problems({ CHANGELOG_HEARTBEAT_HOURS: "1.5" }).join()).toMatch(/CHANGELOG_HEARTBEAT_HOURS/);
    expect(problems({ CHANGELOG_HEARTBEAT_TARGETS: "nope" }).join()).toMatch(/"nope"/);
    expect(problems({ CHANGELOG_HEARTBEAT_TARGETS: " , " }).join()).toMatch(/names no log/);
  });

  test("the server reads the signing key before it starts: a key that is not Ed25519 is refused", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    nock.disableNetConnect();
    const start = startServer({
      APP_ID: "1",
      PRIVATE_KEY: "k",
      WEBHOOK_SECRET: "s",
      CHANGELOG_SIGNING_KEY: String(rsa),
      LOG_LEVEL: "fatal",
    });
    try {
      await expect(start).rejects.toThrow(ConfigError);
      await expect(start).rejects.toThrow(/Ed25519/);
    } finally {
      nock.enableNetConnect();
    }
  });
});
