import nock from "nock";
import { BASE_SHA, DEFAULT_SHA, HEAD_SHA, MERGE_BASE, OWNER, PR_NUMBER, REPO } from "./payloads.js";

/**
 * GitHub at the HTTP level (nock), for one repository and one pull request. GraphQL answers are computed
 * from the request's own variables against the trees below — the test states the repository, not the
 * response — so a query that asks for the wrong commit or path gets what GitHub would give: nothing.
 * Every interceptor is registered explicitly by the test and must be consumed.
 */

export const API = "https://api.github.com";

export type Tree = Record<string, string | Uint8Array>;

export interface FakeRepoState {
  /** commit sha → path → content */
  trees: Record<string, Tree>;
  /** The org baseline repository `<owner>/.github`: its default-branch tree, or absent (not installed). */
  baseline?: Tree;
  comments?: { id: number; body: string; mine: boolean; author?: string }[];
  /** The PR's author (default the example payload's, Codertocat) and its account type. */
  author?: { login: string; type?: "User" | "Bot" };
  labels?: string[];
  assignees?: string[];
  reviews?: { id: number; login: string; state: string; commit: string; at: string; bot?: boolean }[];
  commits?: { sha: string; author: string | null; committer: string | null; message: string }[];
  forcePushers?: string[];
  reviewRequests?: { users?: string[]; teams?: string[] };
  /** Check runs this app already published on the head commit. */
  checkRuns?: { id: number; status: string; conclusion: string | null; summary: string }[];
  defaultBranch?: string;
}

export interface FileEntry {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previous_filename?: string;
}

/** What the app sent, for assertions and snapshots. */
export interface Sent {
  graphql: { query: string; variables: Record<string, unknown> }[];
  checkRunsCreated: Record<string, unknown>[];
  checkRunsUpdated: Record<string, unknown>[];
  commentsCreated: Record<string, unknown>[];
  commentsUpdated: { id: number; body: Record<string, unknown> }[];
  reviewRequests: Record<string, unknown>[];
}

export function emptySent(): Sent {
  return {
    graphql: [],
    checkRunsCreated: [],
    checkRunsUpdated: [],
    commentsCreated: [],
    commentsUpdated: [],
    reviewRequests: [],
  };
}

const GRAPHQL_TEXT_LIMIT = 512 * 1024;

function blobObject(content: string | Uint8Array | undefined) {
  if (content === undefined) return null;
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const binary = bytes.includes(0);
  const truncated = !binary && bytes.length > GRAPHQL_TEXT_LIMIT;
  return {
    __typename: "Blob",
    byteSize: bytes.length,
    isBinary: binary,
    isTruncated: truncated,
    text: binary ? null : new TextDecoder().decode(truncated ? bytes.subarray(0, GRAPHQL_TEXT_LIMIT) : bytes),
  };
}

/** Where a GitHub serves REST and GraphQL: github.com, or a GitHub Enterprise Server. */
export interface GitHubHost {
  rest: string;
  graphql: string;
}

export const GITHUB_COM: GitHubHost = { rest: API, graphql: API };
/** GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql. */
export const ghes = (host: string): GitHubHost => ({
  rest: `https://${host}/api/v3`,
  graphql: `https://${host}/api`,
});

export class FakeGitHub {
  readonly scope: nock.Scope;
  private readonly graphqlScope: nock.Scope;
  readonly sent: Sent = emptySent();

  constructor(
    readonly state: FakeRepoState,
    host: GitHubHost = GITHUB_COM,
  ) {
    this.scope = nock(host.rest);
    this.graphqlScope = nock(host.graphql);
  }

  private resolve(expression: string, trees: Record<string, Tree>, headAlias?: string) {
    const colon = expression.indexOf(":");
    let ref = expression.slice(0, colon);
    const path = expression.slice(colon + 1);
    if (ref === "HEAD" && headAlias) ref = headAlias;
    if (ref === (this.state.defaultBranch ?? "master")) ref = DEFAULT_SHA;
    return blobObject(trees[ref]?.[path]);
  }

  /** The reads of every evaluation: the file listing, the merge base and the context query. */
  reads(files: FileEntry[]): this {
    return this.listFiles(files).compare().contextQuery();
  }

  /** Every page of the PR's file listing (100 per page, as the app asks). */
  listFiles(files: FileEntry[], options: { pages?: number } = {}): this {
    const pages = options.pages ?? Math.max(1, Math.ceil(files.length / 100));
    for (let page = 1; page <= pages; page++) {
      this.scope
        .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
        .query({ per_page: "100", page: String(page) })
        .reply(200, files.slice((page - 1) * 100, page * 100));
    }
    return this;
  }

  compare(mergeBase = MERGE_BASE, head = HEAD_SHA): this {
    this.scope
      .get(`/repos/${OWNER}/${REPO}/compare/${BASE_SHA}...${head}`)
      .query({ per_page: "1" })
      .reply(200, { merge_base_commit: { sha: mergeBase }, files: [] });
    return this;
  }

  /** The app's first GraphQL query: policy, org baseline, sticky comment, check runs, prefetched blobs. */
  contextQuery(): this {
    this.graphqlScope
      .post("/graphql", (body: { query: string }) => body.query.includes("baseline: repository("))
      .reply(200, (_uri, body) => {
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        this.sent.graphql.push({ query, variables });
        const repository: Record<string, unknown> = {
          defaultBranchRef: { name: this.state.defaultBranch ?? "master", target: { oid: DEFAULT_SHA } },
          pullRequest: this.pullRequestNode(),
          head: {
            checkSuites: {
              nodes: [
                {
                  checkRuns: {
                    nodes: (this.state.checkRuns ?? []).map((r) => ({
                      databaseId: r.id,
                      status: r.status.toUpperCase(),
                      conclusion: r.conclusion?.toUpperCase() ?? null,
                      summary: r.summary,
                    })),
                  },
                },
              ],
            },
          },
        };
        const baseline: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(variables)) {
          if (/^[pfc][0-9]+$/.test(name)) repository[name] = this.resolve(value, this.state.trees);
          if (/^q[0-9]+$/.test(name) && this.state.baseline) {
            baseline[name] = this.resolve(value, { BASELINE: this.state.baseline }, "BASELINE");
          }
        }
        if (!this.state.baseline) {
          return {
            data: { repository, baseline: null },
            errors: [
              {
                type: "NOT_FOUND",
                path: ["baseline"],
                message: `Could not resolve to a Repository with the name '${OWNER}/.github'.`,
              },
            ],
          };
        }
        return { data: { repository, baseline } };
      });
    return this;
  }

  /** The PR's people as GraphQL returns them (first pages only; tests stay under 100 of each). */
  private pullRequestNode() {
    const st = this.state;
    const page = <T>(items: T[]) => ({
      totalCount: items.length,
      pageInfo: { hasNextPage: false, endCursor: null },
      nodes: items,
    });
    const actorNode = (login: string, bot = false) => ({ login, __typename: bot ? "Bot" : "User" });
    return {
      author: actorNode(st.author?.login ?? "Codertocat", st.author?.type === "Bot"),
      labels: { nodes: (st.labels ?? []).map((name) => ({ name })) },
      assignees: { nodes: (st.assignees ?? []).map((login) => ({ login })) },
      reviewRequests: {
        nodes: [
          ...(st.reviewRequests?.users ?? []).map((login) => ({ requestedReviewer: { login } })),
          ...(st.reviewRequests?.teams ?? []).map((t) => ({
            requestedReviewer: { slug: t.split("/")[1], organization: { login: t.split("/")[0] } },
          })),
        ],
      },
      timelineItems: { nodes: (st.forcePushers ?? []).map((login) => ({ actor: { login } })) },
      reviews: page(
        (st.reviews ?? []).map((r) => ({
          databaseId: r.id,
          state: r.state,
          submittedAt: r.at,
          author: actorNode(r.login, r.bot),
          commit: { oid: r.commit },
        })),
      ),
      commits: page(
        (st.commits ?? []).map((c) => ({
          commit: {
            oid: c.sha,
            message: c.message,
            author: { user: c.author ? { login: c.author } : null },
            committer: { user: c.committer ? { login: c.committer } : null },
          },
        })),
      ),
      comments: page(
        (st.comments ?? []).map((c) => ({
          databaseId: c.id,
          body: c.body,
          viewerDidAuthor: c.mine,
          createdAt: "2026-11-25T11:00:00Z",
          author: actorNode(c.author ?? (c.mine ? "agent-change-control[bot]" : "someone"), c.mine),
        })),
      ),
    };
  }

  /** A follow-up GraphQL query for blobs the policy needs beyond the prefetched ones. */
  blobQuery(): this {
    this.graphqlScope
      .post("/graphql", (body: { query: string }) => !body.query.includes("baseline: repository("))
      .reply(200, (_uri, body) => {
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        this.sent.graphql.push({ query, variables });
        const repository: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(variables)) {
          if (/^f[0-9]+$/.test(name)) repository[name] = this.resolve(value, this.state.trees);
        }
        return { data: { repository } };
      });
    return this;
  }

  /** A live permission lookup for one login (role_name as GitHub reports it). */
  permission(login: string, role: "admin" | "maintain" | "write" | "triage" | "read" | "none"): this {
    const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
    this.scope
      .get(`/repos/${OWNER}/${REPO}/collaborators/${login}/permission`)
      .reply(200, { permission: legacy, role_name: role, user: { login } });
    return this;
  }

  /** A live team-membership lookup: active, pending, or 404 (not a member). */
  membership(team: string, login: string, state: "active" | "pending" | "none"): this {
    const [org, slug] = team.split("/");
    const i = this.scope.get(`/orgs/${org}/teams/${slug}/memberships/${login}`);
    if (state === "none") i.reply(404, { message: "Not Found" });
    else i.reply(200, { state, role: "member" });
    return this;
  }

  /** The review requests the app sends for pending rules. */
  requestReviewers(): this {
    this.scope
      .post(
        `/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/requested_reviewers`,
        (body: Record<string, unknown>) => {
          this.sent.reviewRequests.push(body);
          return true;
        },
      )
      .reply(201, {});
    return this;
  }

  createCheckRun(id = 4001): this {
    this.scope
      .post(`/repos/${OWNER}/${REPO}/check-runs`, (body: Record<string, unknown>) => {
        this.sent.checkRunsCreated.push(body);
        return true;
      })
      .reply(201, { id });
    return this;
  }

  updateCheckRun(id = 4001): this {
    this.scope
      .patch(`/repos/${OWNER}/${REPO}/check-runs/${id}`, (body: Record<string, unknown>) => {
        this.sent.checkRunsUpdated.push(body);
        return true;
      })
      .reply(200, { id });
    return this;
  }

  createComment(id = 5001): this {
    this.scope
      .post(`/repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`, (body: Record<string, unknown>) => {
        this.sent.commentsCreated.push(body);
        return true;
      })
      .reply(201, { id });
    return this;
  }

  updateComment(id: number): this {
    this.scope
      .patch(`/repos/${OWNER}/${REPO}/issues/comments/${id}`, (body: Record<string, unknown>) => {
        this.sent.commentsUpdated.push({ id, body });
        return true;
      })
      .reply(200, { id });
    return this;
  }

  /** Asserts every registered interceptor was used. */
  done(): void {
    this.scope.done();
    this.graphqlScope.done();
  }
}

/** For `nock.emitter` bookkeeping: requests that matched no interceptor. */
export function trackUnmatched(): { unmatched: string[]; stop: () => void } {
  const unmatched: string[] = [];
  const listener = (req: {
    method?: string;
    path?: string;
    options?: { method?: string; path?: string };
  }) => {
    unmatched.push(`${req.method ?? req.options?.method} ${req.path ?? req.options?.path}`);
  };
  nock.emitter.on("no match", listener);
  return { unmatched, stop: () => nock.emitter.removeListener("no match", listener) };
}
