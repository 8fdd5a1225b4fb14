// bench/mock-github: a local GitHub for one repository and one pull request, over real HTTP (node:http on
// 127.0.0.1, an ephemeral port), answering exactly the endpoints the app uses after a fixed latency per
// request. GraphQL answers are computed from the request's own variables against in-memory trees, the way
// test/app/helpers/fake-github.ts does under nock: a query that names the wrong commit or path gets nothing.
// Every request is counted by route; an unknown route answers 404 and is recorded as an error.
import { createServer } from "node:http";

const GRAPHQL_TEXT_LIMIT = 512 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Route name → what kind of request it is (the bench reports requests by kind). */
export const ROUTE_KINDS = {
  token: "token",
  "GET pulls/:n/files": "read",
  "GET compare": "read",
  "GET pulls/:n": "read",
  "POST graphql (context)": "graphql",
  "POST graphql (blobs)": "graphql",
  "POST check-runs": "write",
  "PATCH check-runs/:id": "write",
  "POST issues/:n/comments": "write",
  "PATCH issues/comments/:id": "write",
  unknown: "error",
};

function blobObject(content) {
  if (content === undefined) return null;
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  const binary = bytes.includes(0);
  const truncated = !binary && bytes.length > GRAPHQL_TEXT_LIMIT;
  return {
    __typename: "Blob",
    byteSize: bytes.length,
    isBinary: binary,
    isTruncated: truncated,
    text: binary ? null : decoder.decode(truncated ? bytes.subarray(0, GRAPHQL_TEXT_LIMIT) : bytes),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `state` (mutable between deliveries): { owner, repo, number, installationId, baseSha, mergeBase,
 * defaultBranch, defaultSha, trees: { sha → { path → content } }, baseline?: tree, files: [{ filename,
 * status }], heads: Set of head shas the compare endpoint knows }. Check runs and comments the app writes are
 * kept in it (`state.checkRuns`, `state.comments`), so a later delivery sees what an earlier one published, as
 * on GitHub. Assign `mock.state` to serve another pull request.
 */
export async function startMockGitHub(initialState, { latencyMs = 100 } = {}) {
  let state = initialState;
  const counts = new Map();
  const errors = [];
  const log = []; // { route, start, end } in performance.now() ms
  const served = { blobs: 0, missing: 0 };
  let nextId = 7000;

  const count = (route) => counts.set(route, (counts.get(route) ?? 0) + 1);

  function resolve(expression, trees, headAlias) {
    const colon = expression.indexOf(":");
    let ref = expression.slice(0, colon);
    const path = expression.slice(colon + 1);
    if (ref === "HEAD" && headAlias) ref = headAlias;
    if (ref === state.defaultBranch) ref = state.defaultSha;
    const object = blobObject(trees[ref]?.[path]);
    if (object) served.blobs++;
    else served.missing++;
    return object;
  }

  function published() {
    state.checkRuns ??= []; // { id, head_sha, body, updates }
    state.comments ??= []; // { id, body, mine }
    return { checkRuns: state.checkRuns, comments: state.comments };
  }

  function graphql({ query, variables }) {
    const { checkRuns, comments } = published();
    const repository = {};
    for (const [name, value] of Object.entries(variables ?? {})) {
      if (/^[pf][0-9]+$/.test(name)) repository[name] = resolve(value, state.trees);
    }
    if (!query.includes("baseline: repository("))
      return { route: "POST graphql (blobs)", body: { data: { repository } } };
    repository.defaultBranchRef = { name: state.defaultBranch, target: { oid: state.defaultSha } };
    repository.pullRequest = {
      comments: {
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: comments.map((c) => ({ databaseId: c.id, body: c.body, viewerDidAuthor: c.mine })),
      },
    };
    const runs = checkRuns.filter((r) => r.head_sha === variables.head);
    repository.head = {
      checkSuites: {
        nodes: [
          {
            checkRuns: {
              nodes: runs.slice(-1).map((r) => ({
                databaseId: r.id,
                status: String(r.body.status ?? "completed").toUpperCase(),
                conclusion: r.body.conclusion ? String(r.body.conclusion).toUpperCase() : null,
                summary: r.body.output?.summary ?? "",
              })),
            },
          },
        ],
      },
    };
    const route = "POST graphql (context)";
    if (!state.baseline) {
      return {
        route,
        body: {
          data: { repository, baseline: null },
          errors: [
            {
              type: "NOT_FOUND",
              path: ["baseline"],
              message: `Could not resolve to a Repository with the name '${state.owner}/.github'.`,
            },
          ],
        },
      };
    }
    const baseline = {};
    for (const [name, value] of Object.entries(variables)) {
      if (/^q[0-9]+$/.test(name)) baseline[name] = resolve(value, { BASELINE: state.baseline }, "BASELINE");
    }
    return { route, body: { data: { repository, baseline } } };
  }

  /** → { route, status, body } for one request. */
  function answer(method, url, body) {
    const repoPath = `/repos/${state.owner}/${state.repo}`;
    const p = url.pathname;
    const token = /^\/app\/installations\/([0-9]+)\/access_tokens$/.exec(p);
    if (method === "POST" && token) {
      if (Number(token[1]) !== state.installationId) return { route: "unknown", status: 404 };
      return {
        route: "token",
        status: 201,
        body: {
          token: `ghs_bench${"x".repeat(31)}`,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: "write", contents: "read", metadata: "read", pull_requests: "write" },
          repository_selection: "all",
        },
      };
    }
    if (method === "POST" && p === "/graphql") {
      const { route, body: out } = graphql(body);
      return { route, status: 200, body: out };
    }
    if (!p.startsWith(`${repoPath}/`)) return { route: "unknown", status: 404 };
    const rest = p.slice(repoPath.length);
    const { checkRuns, comments } = published();
    if (method === "GET" && rest === `/pulls/${state.number}/files`) {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      return {
        route: "GET pulls/:n/files",
        status: 200,
        body: state.files.slice((page - 1) * perPage, page * perPage),
      };
    }
    const compare = /^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/.exec(rest);
    if (method === "GET" && compare) {
      if (compare[1] !== state.baseSha || !state.heads.has(compare[2]))
        return { route: "unknown", status: 404 };
      return {
        route: "GET compare",
        status: 200,
        body: { merge_base_commit: { sha: state.mergeBase }, files: [] },
      };
    }
    if (method === "GET" && rest === `/pulls/${state.number}`) {
      return { route: "GET pulls/:n", status: 200, body: state.pull ?? { number: state.number } };
    }
    if (method === "POST" && rest === "/check-runs") {
      const run = { id: nextId++, head_sha: body.head_sha, body };
      checkRuns.push(run);
      return { route: "POST check-runs", status: 201, body: { id: run.id } };
    }
    const runId = /^\/check-runs\/([0-9]+)$/.exec(rest)?.[1];
    if (method === "PATCH" && runId) {
      const run = checkRuns.find((r) => r.id === Number(runId));
      if (!run) return { route: "unknown", status: 404 };
      run.updates = (run.updates ?? 0) + 1;
      return { route: "PATCH check-runs/:id", status: 200, body: { id: run.id } };
    }
    if (method === "POST" && rest === `/issues/${state.number}/comments`) {
      const comment = { id: nextId++, body: body.body, mine: true };
      comments.push(comment);
      return { route: "POST issues/:n/comments", status: 201, body: { id: comment.id } };
    }
    const commentId = /^\/issues\/comments\/([0-9]+)$/.exec(rest)?.[1];
    if (method === "PATCH" && commentId) {
      const comment = comments.find((c) => c.id === Number(commentId));
      if (!comment) return { route: "unknown", status: 404 };
      comment.body = body.body;
      return { route: "PATCH issues/comments/:id", status: 200, body: { id: comment.id } };
    }
    return { route: "unknown", status: 404 };
  }

  const server = createServer((req, res) => {
    const start = performance.now();
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let result;
      try {
        const text = Buffer.concat(chunks).toString("utf8");
        result = answer(req.method ?? "GET", url, text ? JSON.parse(text) : {});
      } catch (error) {
        result = { route: "unknown", status: 500, body: { message: String(error) } };
      }
      count(result.route);
      if (process.env.BENCH_DEBUG)
        process.stderr.write(
          `${req.method} ${url.pathname} → ${result.status} ${result.route}${result.status >= 400 ? ` ${JSON.stringify(result.body)}` : ""}\n`,
        );
      if (result.route === "unknown")
        errors.push(`${req.method} ${url.pathname}${url.search} → ${result.status}`);
      await sleep(latencyMs);
      res.writeHead(result.status, {
        "content-type": "application/json; charset=utf-8",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      });
      res.end(JSON.stringify(result.body ?? { message: "Not Found" }));
      log.push({ route: result.route, start, end: performance.now() });
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    errors,
    log,
    served,
    get state() {
      return state;
    },
    set state(next) {
      state = next;
    },
    /** A copy of the counters, to subtract around one delivery. */
    snapshot() {
      return { counts: new Map(counts), errors: errors.length, log: log.length, blobs: served.blobs };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
