import { createHmac, generateKeyPairSync } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { configProblems, ENV_VARS } from "../../src/app/config.js";
import { ConfigError, startServer } from "../../src/app/server.js";
import { API, FakeGitHub } from "./helpers/fake-github.js";
import { example, HEAD_SHA, INSTALLATION_ID, MERGE_BASE, pullRequestPayload } from "./helpers/payloads.js";

/** The real HTTP path: environment checks, signature verification by Probot's middleware, health check. */

const SECRET = "s3cr3t-for-tests-only";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const env = (over: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({
  APP_ID: "31337",
  PRIVATE_KEY: privateKey,
  WEBHOOK_SECRET: SECRET,
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "fatal",
  ...over,
});

describe("start-up checks", () => {
  test("refuses to start without WEBHOOK_SECRET", async () => {
    await expect(startServer(env({ WEBHOOK_SECRET: undefined }))).rejects.toThrow(ConfigError);
    await expect(startServer(env({ WEBHOOK_SECRET: "" }))).rejects.toThrow(/WEBHOOK_SECRET is not set/);
  });

  test("refuses Probot's well-known development secret", () => {
    expect(configProblems(env({ WEBHOOK_SECRET: "development" })).join()).toMatch(/publicly known/);
  });

  test("names every missing setting, and never echoes a value", () => {
    const problems = configProblems({ PRIVATE_KEY_PATH: "", APP_ID: "abc", PORT: "http" });
    expect(problems.join("\n")).toMatch(/APP_ID must be/);
    expect(problems.join("\n")).toMatch(/PRIVATE_KEY/);
    expect(problems.join("\n")).toMatch(/WEBHOOK_SECRET/);
    expect(problems.join("\n")).toMatch(/PORT/);
    expect(configProblems(env({ PRIVATE_KEY: "-----BEGIN leaked" })).join()).not.toMatch(/leaked/);
  });

  test("the documented variables include every one the checks read", () => {
    const names = ENV_VARS.map((v) => v.name);
    for (const n of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "GHE_HOST", "PORT"]) {
      expect(names).toContain(n);
    }
  });
});

describe("the running server", () => {
  let server: Server;
  let base: string;

  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    // Start-up asks GitHub (with the app's JWT) for its slug, to recognise its own bot.
    nock(API).get("/app").reply(200, { id: 31337, slug: "agent-change-control" });
    server = await startServer(env());
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const sign = (body: string, secret = SECRET) =>
    `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

  test("answers the health check", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  test("accepts a correctly signed webhook", async () => {
    const body = JSON.stringify(example("installation", "created"));
    const res = await post(body, {
      "x-github-event": "installation",
      "x-github-delivery": "good-1",
      "x-hub-signature-256": sign(body),
    });
    expect(res.status).toBe(200);
  });

  test("rejects a webhook signed with another secret, or with the default 'development' secret", async () => {
    const body = JSON.stringify(example("installation", "created"));
    for (const secret of ["wrong", "development"]) {
      const res = await post(body, {
        "x-github-event": "installation",
        "x-github-delivery": `bad-${secret}`,
        "x-hub-signature-256": sign(body, secret),
      });
      expect(res.status).toBe(400);
    }
  });

  test("rejects an unsigned webhook", async () => {
    const body = JSON.stringify(example("installation", "created"));
    const res = await post(body, { "x-github-event": "installation", "x-github-delivery": "unsigned-1" });
    expect(res.status).toBe(400);
  });

  test("a signed pull_request event is evaluated with an installation token from the JWT exchange", async () => {
    nock(API)
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: "ghs_installation", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
    const gh = new FakeGitHub({ trees: { [MERGE_BASE]: {}, [HEAD_SHA]: { "src/x.ts": "" } } })
      .reads([{ filename: "src/x.ts", status: "added" }])
      .createCheckRun();
    const body = JSON.stringify(pullRequestPayload({ changedFiles: 1 }));
    const res = await post(body, {
      "x-github-event": "pull_request",
      "x-github-delivery": "pr-1",
      "x-hub-signature-256": sign(body),
    });
    expect(res.status).toBe(200);
    gh.done();
    expect(gh.sent.checkRunsCreated[0]).toMatchObject({ conclusion: "neutral" });
  });
});

describe("the running server with CHANGELOG_SIGNING_KEY", () => {
  test("hands the key to the app: a merge the policy requires to be recorded is not refused for want of a key", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    nock(API).get("/app").reply(200, { id: 31337, slug: "agent-change-control" });
    const signing = generateKeyPairSync("ed25519")
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    const server = await startServer(env({ CHANGELOG_SIGNING_KEY: signing }));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      nock(API)
        .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
        .reply(201, { token: "ghs_installation", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
      // `changelog.enabled: true` before the merge: without the key the delivery fails (test/app/changelog.test.ts).
      const policy = "version: 1\nchangelog:\n  enabled: true\n";
      const gh = new FakeGitHub({
        trees: {
          [MERGE_BASE]: { ".github/agent-change-control.yml": policy },
          [HEAD_SHA]: { "src/x.ts": "" },
        },
      }).reads([{ filename: "src/x.ts", status: "added" }]);
      const mergeSha = "9".repeat(40);
      nock(API)
        .get(`/repos/Codertocat/Hello-World/git/commits/${mergeSha}`)
        .reply(200, { sha: mergeSha, message: "x (#2)", parents: [{ sha: MERGE_BASE }] });
      const payload = pullRequestPayload({ action: "closed", changedFiles: 1 });
      Object.assign(payload.pull_request, {
        state: "closed",
        merged: true,
        merged_at: "2026-11-25T11:30:00Z",
        merge_commit_sha: mergeSha,
      });
      const body = JSON.stringify(payload);
      const res = await fetch(`${base}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": "merge-1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      // Judged with the key present: out of scope (no agent config), so nothing to write, and no failure.
      expect(res.status).toBe(200);
      gh.done();
    } finally {
      await new Promise((resolve) => server.close(resolve));
      expect(nock.pendingMocks()).toEqual([]);
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});

describe("log defaults", () => {
  test("info level, JSON off a terminal; explicit settings win", async () => {
    const { withLogDefaults } = await import("../../src/app/server.js");
    expect(withLogDefaults({}, false)).toMatchObject({ LOG_LEVEL: "info", LOG_FORMAT: "json" });
    expect(withLogDefaults({}, true)).toMatchObject({ LOG_FORMAT: "pretty" });
    expect(withLogDefaults({ LOG_LEVEL: "debug", LOG_FORMAT: "pretty" }, false)).toMatchObject({
      LOG_LEVEL: "debug",
      LOG_FORMAT: "pretty",
    });
  });
});
