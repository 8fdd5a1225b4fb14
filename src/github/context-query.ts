import { CODEOWNERS_PATHS } from "../core/approvals/codeowners.js";
import type { Actor, IssueComment, PrCommit, Review, ReviewState } from "../core/approvals/types.js";
import { POLICY_PATHS } from "../core/policy/resolve.js";
import { blobSelections, type GraphqlObject } from "./blob-query.js";

/**
 * The app's one GraphQL query per evaluation: everything it needs to know besides the file list and the merge
 * base — the policy on the default branch, the org baseline, CODEOWNERS, the PR's people (author, assignees,
 * reviews, commits, force-pushes, review requests, comments), this app's check run on the head commit, and the
 * changed blobs the built-in defaults watch. Connections past their first page are paged by `PAGE_QUERIES`.
 */

/** Where CODEOWNERS can live; GitHub uses the first that exists. */
export { CODEOWNERS_PATHS };
/** GitHub lists at most this many commits of a PR; past it, who committed cannot be fully known. */
export const MAX_PR_COMMITS = 250;
export const PAGE = 100;

const ACTOR = "login __typename";
const REVIEWS = `reviews(first: ${PAGE}, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { databaseId state submittedAt author { ${ACTOR} } commit { oid } }
      }`;
const COMMITS = `commits(first: ${PAGE}, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { commit { oid message author { user { login } } committer { user { login } } } }
      }`;
const COMMENTS = `comments(first: ${PAGE}, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { databaseId body viewerDidAuthor createdAt author { ${ACTOR} } }
      }`;

export interface ContextQueryInput {
  defaultBranch: string;
  blobExpressions: string[];
}

export function contextQuery(input: ContextQueryInput): { query: string; variables: Record<string, string> } {
  const policy = blobSelections(
    POLICY_PATHS.map((p) => `${input.defaultBranch}:${p}`),
    "p",
  );
  const codeowners = blobSelections(
    CODEOWNERS_PATHS.map((p) => `${input.defaultBranch}:${p}`),
    "c",
  );
  const baseline = blobSelections(
    POLICY_PATHS.map((p) => `HEAD:${p}`),
    "q",
  );
  const files = blobSelections(input.blobExpressions, "f");
  const declarations = [policy, codeowners, baseline, files]
    .map((s) => s.declarations)
    .filter(Boolean)
    .join(", ");
  const first = (connection: string) => connection.replace(", after: $after", "");
  const query = `query($owner: String!, $repo: String!, $baselineRepo: String!, $number: Int!, $head: GitObjectID!, $appId: Int!, $checkName: String!, ${declarations}) {
  repository(owner: $owner, name: $repo) {
    defaultBranchRef { name target { oid } }
${policy.selections}
${codeowners.selections}
${files.selections}
    pullRequest(number: $number) {
      author { ${ACTOR} }
      labels(first: ${PAGE}) { nodes { name } }
      assignees(first: 20) { nodes { login } }
      reviewRequests(first: 50) { nodes { requestedReviewer { ... on User { login } ... on Team { slug organization { login } } } } }
      timelineItems(first: ${PAGE}, itemTypes: [HEAD_REF_FORCE_PUSHED_EVENT]) { nodes { ... on HeadRefForcePushedEvent { actor { login } } } }
      ${first(REVIEWS)}
      ${first(COMMITS)}
      ${first(COMMENTS)}
    }
    head: object(oid: $head) {
      ... on Commit {
        checkSuites(first: 10, filterBy: { appId: $appId }) {
          nodes { checkRuns(last: 1, filterBy: { checkName: $checkName }) { nodes { databaseId status conclusion summary } } }
        }
      }
    }
  }
  baseline: repository(owner: $owner, name: $baselineRepo) {
${baseline.selections}
  }
}`;
  return {
    query,
    variables: { ...policy.variables, ...codeowners.variables, ...baseline.variables, ...files.variables },
  };
}

export type Paged = "reviews" | "commits" | "comments";

/** The query for a further page of one of the PR's connections. */
export function pageQuery(which: Paged): string {
  const connection = which === "reviews" ? REVIEWS : which === "commits" ? COMMITS : COMMENTS;
  return `query($owner: String!, $repo: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      ${connection}
    }
  }
}`;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  totalCount?: number;
  pageInfo: PageInfo;
  nodes?: (T | null)[] | null;
}

export interface RawActor {
  login: string;
  __typename?: string;
}

export interface RawReview {
  databaseId: number;
  state: string;
  submittedAt: string | null;
  author: RawActor | null;
  commit: { oid: string } | null;
}

export interface RawCommit {
  commit: {
    oid: string;
    message: string;
    author: { user: { login: string } | null } | null;
    committer: { user: { login: string } | null } | null;
  };
}

export interface RawComment {
  databaseId: number;
  body: string;
  viewerDidAuthor: boolean;
  createdAt: string;
  author: RawActor | null;
}

export interface RawPullRequest {
  author: RawActor | null;
  labels?: { nodes?: ({ name: string } | null)[] | null };
  assignees?: { nodes?: ({ login: string } | null)[] | null };
  reviewRequests?: {
    nodes?: ({
      requestedReviewer: { login?: string; slug?: string; organization?: { login: string } } | null;
    } | null)[];
  };
  timelineItems?: { nodes?: ({ actor?: { login: string } | null } | null)[] };
  reviews?: Connection<RawReview>;
  commits?: Connection<RawCommit>;
  comments?: Connection<RawComment>;
}

export interface ContextRepository {
  defaultBranchRef?: { name: string; target?: { oid: string } | null } | null;
  pullRequest?: RawPullRequest | null;
  head?: {
    checkSuites?: {
      nodes?: ({
        checkRuns?: {
          nodes?: ({
            databaseId: number;
            status: string;
            conclusion: string | null;
            summary: string | null;
          } | null)[];
        };
      } | null)[];
    };
  } | null;
  [alias: string]: unknown;
}

export interface ContextResponse {
  repository: ContextRepository | null;
  baseline: Record<string, GraphqlObject | null> | null;
}

export function actor(raw: RawActor | null | undefined): Actor {
  // A deleted account comes back as null: "ghost", which matches nobody and counts for nothing.
  if (!raw) return { login: "ghost", type: "User" };
  const type = raw.__typename === "Bot" || raw.login.endsWith("[bot]") ? "Bot" : "User";
  const login = type === "Bot" && !raw.login.endsWith("[bot]") ? `${raw.login}[bot]` : raw.login;
  return { login, type };
}

const STATES = new Set<ReviewState>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

export function review(raw: RawReview): Review | undefined {
  const state = raw.state.toUpperCase() as ReviewState;
  if (!STATES.has(state) || !raw.commit || !raw.submittedAt) return undefined;
  return {
    id: raw.databaseId,
    user: actor(raw.author),
    state,
    commitId: raw.commit.oid,
    submittedAt: raw.submittedAt,
  };
}

export function commit(raw: RawCommit): PrCommit {
  return {
    sha: raw.commit.oid,
    authorLogin: raw.commit.author?.user?.login ?? null,
    committerLogin: raw.commit.committer?.user?.login ?? null,
    message: raw.commit.message,
  };
}

export function comment(raw: RawComment): IssueComment & { mine: boolean } {
  return {
    id: raw.databaseId,
    author: actor(raw.author),
    body: raw.body,
    createdAt: raw.createdAt,
    mine: raw.viewerDidAuthor,
  };
}

export function nodes<T>(c: { nodes?: (T | null)[] | null } | null | undefined): T[] {
  return (c?.nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}
