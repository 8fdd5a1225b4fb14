import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { GitHubStore } from "../../src/changelog/github-store.js";
import { ConflictError } from "../../src/changelog/store.js";
import { appendRecords } from "../../src/changelog/writer.js";
import type { Octokit } from "../../src/github/octokit.js";
import { guardNock } from "../app/helpers/nock-guard.js";
import { mergeDraft, ORIGIN, signingKey } from "./helpers.js";

/** The GitHub store at the HTTP level: real request bodies, every interceptor consumed (guardNock). */

const API = "https://api.github.com";
const HEAD = "a".repeat(40);
const NEW = "b".repeat(40);
guardNock();

const store = () =>
  new GitHubStore({
    octokit: new ProbotOctokit({
      auth: { token: "t" },
      retry: { enabled: false },
      throttle: { enabled: false },
    }) as Octokit,
    owner: "acme",
    repo: "audit",
  });

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown> & { input?: CommitInput };
}
interface CommitInput {
  expectedHeadOid: string;
  branch: { repositoryNameWithOwner: string; branchName: string };
  message: { headline: string; body?: string };
  fileChanges: { additions: { path: string; contents: string }[] };
}
const decoded = (input: CommitInput) =>
  Object.fromEntries(
    input.fileChanges.additions.map((a) => [a.path, Buffer.from(a.contents, "base64").toString()]),
  );

function graphql(
  match: (body: GraphqlBody) => boolean,
  reply: Record<string, unknown>,
  seen?: GraphqlBody[],
) {
  nock(API)
    .post("/graphql", (raw) => {
      const body = raw as GraphqlBody;
      if (!match(body)) return false;
      seen?.push(body);
      return true;
    })
    .reply(200, reply);
}

describe("GitHubStore", () => {
  test("snapshot: a missing branch is the empty log; an existing one yields its oid and state.json", async () => {
    graphql((b) => b.query.includes("LogSnapshot") && b.variables.ref === "refs/heads/agent-change-log", {
      data: { repository: { ref: null } },
    });
    expect(await store().snapshot()).toEqual({ version: "", state: undefined });
    const state = { size: 3, last_hash: "f".repeat(64), frontier: [], last_checkpoint_size: 0 };
    graphql((b) => b.query.includes("LogSnapshot"), {
      data: {
        repository: {
          ref: {
            target: {
              oid: HEAD,
              tree: {
                entries: [
                  { name: "README.md", object: { oid: "1", byteSize: 5, text: "hello", isTruncated: false } },
                  { name: "log", object: {} },
                  {
                    name: "state.json",
                    object: { oid: "2", byteSize: 9, text: JSON.stringify(state), isTruncated: false },
                  },
                ],
              },
            },
          },
        },
      },
    });
    expect(await store().snapshot()).toEqual({ version: HEAD, state });
  });

  test("appends send the whole new file at the expected head, in one createCommitOnBranch", async () => {
    const seen: GraphqlBody[] = [];
    graphql(
      (b) => b.query.includes("LogBlob") && b.variables.expression === `${HEAD}:log/2026/03/part-0001.jsonl`,
      {
        data: {
          repository: { object: { oid: "c".repeat(40), byteSize: 4, text: "old\n", isTruncated: false } },
        },
      },
    );
    graphql(
      (b) => b.query.includes("createCommitOnBranch"),
      { data: { createCommitOnBranch: { commit: { oid: NEW } } } },
      seen,
    );
    const version = await store().commit(
      HEAD,
      [
        { path: "log/2026/03/part-0001.jsonl", append: "new\n" },
        { path: "state.json", content: "{}\n" },
      ],
      "Change log: record 2\n\n2 change.merged x\n",
    );
    expect(version).toBe(NEW);
    const input = seen[0]!.variables.input!;
    expect(input.expectedHeadOid).toBe(HEAD);
    expect(input.branch).toEqual({ repositoryNameWithOwner: "acme/audit", branchName: "agent-change-log" });
    expect(input.message).toEqual({ headline: "Change log: record 2", body: "2 change.merged x" });
    expect(decoded(input)).toEqual({ "log/2026/03/part-0001.jsonl": "old\nnew\n", "state.json": "{}\n" });
  });

  test("a blob over the GraphQL text cut-off is read through REST git/blobs", async () => {
    const blobSha = "d".repeat(40);
    graphql((b) => b.query.includes("LogBlob"), {
      data: { repository: { object: { oid: blobSha, byteSize: 600_000, text: "trunc", isTruncated: true } } },
    });
    nock(API)
      .get(`/repos/acme/audit/git/blobs/${blobSha}`)
      .reply(200, {
        sha: blobSha,
        encoding: "base64",
        content: Buffer.from("full text\n").toString("base64"),
      });
    const seen: GraphqlBody[] = [];
    graphql(
      (b) => b.query.includes("createCommitOnBranch"),
      { data: { createCommitOnBranch: { commit: { oid: NEW } } } },
      seen,
    );
    await store().commit(HEAD, [{ path: "log/2026/03/part-0001.jsonl", append: "more\n" }], "m");
    expect(decoded(seen[0]!.variables.input!)).toEqual({
      "log/2026/03/part-0001.jsonl": "full text\nmore\n",
    });
  });

  test("STALE_DATA (the branch moved) becomes ConflictError; other errors do not", async () => {
    graphql((b) => b.query.includes("createCommitOnBranch"), {
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: "STALE_DATA",
          path: ["createCommitOnBranch"],
          message: `Expected branch to point to "${HEAD}" but it did not. Pull and try again.`,
        },
      ],
    });
    await expect(store().commit(HEAD, [{ path: "state.json", content: "{}" }], "m")).rejects.toThrow(
      ConflictError,
    );
    graphql((b) => b.query.includes("createCommitOnBranch"), {
      data: { createCommitOnBranch: null },
      errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }],
    });
    const other = store().commit(HEAD, [{ path: "state.json", content: "{}" }], "m");
    await expect(other).rejects.toThrow(/not accessible/);
    await expect(other).rejects.not.toThrow(ConflictError);
  });

  test("indexedRecords asks for all ids in one query, at the given version", async () => {
    const ids = [mergeDraft(1).record_id, mergeDraft(2).record_id];
    const seen: GraphqlBody[] = [];
    graphql(
      (b) => b.query.includes("LogIndex"),
      { data: { repository: { r0: null, r1: { oid: "e".repeat(40) } } } },
      seen,
    );
    expect(await store().indexedRecords(ids, HEAD)).toEqual(new Set([ids[1]]));
    expect(seen[0]!.variables).toMatchObject({
      e0: `${HEAD}:index/42/1-0000000000000000000000000000000000000001.json`,
      e1: `${HEAD}:index/42/2-0000000000000000000000000000000000000002.json`,
    });
  });

  test("lists record files through the nested tree, sorted", async () => {
    graphql((b) => b.query.includes("LogSnapshot"), {
      data: { repository: { ref: { target: { oid: HEAD, tree: { entries: [] } } } } },
    });
    graphql((b) => b.query.includes("LogList") && b.variables.expression === `${HEAD}:log`, {
      data: {
        repository: {
          object: {
            entries: [
              {
                name: "2026",
                type: "tree",
                object: {
                  entries: [
                    {
                      name: "03",
                      type: "tree",
                      object: { entries: [{ name: "part-0001.jsonl", type: "blob" }] },
                    },
                    {
                      name: "02",
                      type: "tree",
                      object: {
                        entries: [
                          { name: "part-0002.jsonl", type: "blob" },
                          { name: "part-0001.jsonl", type: "blob" },
                          { name: "notes.txt", type: "blob" },
                        ],
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    expect(await store().listRecordFiles()).toEqual([
      "log/2026/02/part-0001.jsonl",
      "log/2026/02/part-0002.jsonl",
      "log/2026/03/part-0001.jsonl",
    ]);
  });

  test("the first record creates the branch as a root commit, then commits on it", async () => {
    graphql((b) => b.query.includes("LogSnapshot"), { data: { repository: { ref: null } } });
    const rest: unknown[] = [];
    nock(API)
      .post("/repos/acme/audit/git/trees", (b: object) => rest.push(b) > 0)
      .reply(201, { sha: "7".repeat(40) })
      .post("/repos/acme/audit/git/commits", (b: object) => rest.push(b) > 0)
      .reply(201, { sha: HEAD })
      .post("/repos/acme/audit/git/refs", (b: object) => rest.push(b) > 0)
      .reply(201, { ref: "refs/heads/agent-change-log" });
    const seen: GraphqlBody[] = [];
    graphql(
      (b) => b.query.includes("createCommitOnBranch"),
      { data: { createCommitOnBranch: { commit: { oid: NEW } } } },
      seen,
    );
    const result = await appendRecords(store(), [mergeDraft(1)], {
      signingKey: signingKey(),
      origin: ORIGIN,
      now: () => new Date("2026-03-01T12:00:00Z"),
    });
    expect(result.version).toBe(NEW);
    expect(rest[1]).toMatchObject({ parents: [], tree: "7".repeat(40) });
    expect(rest[2]).toEqual({ ref: "refs/heads/agent-change-log", sha: HEAD });
    const input = seen[0]!.variables.input!;
    expect(input.expectedHeadOid).toBe(HEAD);
    const files = decoded(input);
    expect(Object.keys(files).sort()).toEqual([
      "index/42/1-0000000000000000000000000000000000000001.json",
      "log/2026/03/part-0001.jsonl",
      "state.json",
    ]);
    expect(JSON.parse(files["log/2026/03/part-0001.jsonl"]!)).toMatchObject({
      seq: 1,
      record_id: mergeDraft(1).record_id,
    });
  });

  test("two writers creating the branch at once: the loser gets ConflictError", async () => {
    nock(API)
      .post("/repos/acme/audit/git/trees")
      .reply(201, { sha: "7".repeat(40) })
      .post("/repos/acme/audit/git/commits")
      .reply(201, { sha: HEAD })
      .post("/repos/acme/audit/git/refs")
      .reply(422, { message: "Reference already exists" });
    await expect(store().commit("", [{ path: "state.json", content: "{}" }], "m")).rejects.toThrow(
      ConflictError,
    );
  });
});
