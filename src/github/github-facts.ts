import type { ApprovalFacts, LookupNeeds } from "../core/approvals/types.js";
import { type BlobRequest, blobKey, type ChangedPath } from "../core/gather.js";
import { decodeBlob, MAX_FILE_BYTES } from "../core/parse/decode.js";
import { POLICY_PATHS } from "../core/policy/resolve.js";
import { hasStickyMarker } from "../core/report/comment.js";
import type { ChangeStatus, FileBlob } from "../core/types.js";
import { identicalChanges, lookupTeamsAndPermissions } from "./approval-lookups.js";
import {
  type BlobRead,
  blobSelections,
  GRAPHQL_BLOBS_PER_QUERY,
  type GraphqlObject,
  readObject,
} from "./blob-query.js";
import { readFingerprint } from "./check-run-writer.js";
import {
  actor,
  CODEOWNERS_PATHS,
  type Connection,
  type ContextRepository,
  type ContextResponse,
  comment,
  commit,
  contextQuery,
  MAX_PR_COMMITS,
  nodes,
  type Paged,
  pageQuery,
  type RawComment,
  type RawCommit,
  type RawPullRequest,
  type RawReview,
  review,
} from "./context-query.js";
import {
  MAX_PR_FILES,
  type PolicySources,
  type PublishedState,
  type PullRequestFacts,
  type PullRequestInfo,
  type PullRequestPeople,
  TooManyFilesError,
} from "./facts.js";
import { asGraphqlPartial, type Octokit } from "./octokit.js";

/** Files per page of GitHub's PR file listing (its maximum). */
export const FILES_PER_PAGE = 100;
/** The repository that holds an owner's org-wide defaults (GitHub's convention). */
export const BASELINE_REPO = ".github";

export interface GitHubFactsOptions {
  octokit: Octokit;
  pr: PullRequestInfo;
  /** This app's id: only its own check runs count as "already published". */
  appId: number;
  checkName: string;
}

interface ContextData {
  policy: PolicySources;
  published: PublishedState;
  people: PullRequestPeople;
}

/**
 * Pull-request facts read from GitHub, lazily and at most once per evaluation. Requests for a PR of up to 100
 * changed agent configs: the file list (one page per 100 files) and the merge base (in parallel), then one
 * GraphQL query for the policy, the org baseline, what was already published and the changed blobs.
 */
export class GitHubFacts implements PullRequestFacts {
  readonly pr: PullRequestInfo;
  private readonly octokit: Octokit;
  private readonly appId: number;
  private readonly checkName: string;
  private filesPromise?: Promise<ChangedPath[]>;
  private mergeBasePromise?: Promise<string>;
  private contextPromise?: Promise<ContextData>;
  private readonly hinted: BlobRequest[] = [];
  private readonly blobCache = new Map<string, BlobRead>();

  constructor(options: GitHubFactsOptions) {
    this.octokit = options.octokit;
    this.pr = options.pr;
    this.appId = options.appId;
    this.checkName = options.checkName;
  }

  changedFiles(): Promise<ChangedPath[]> {
    this.filesPromise ??= this.listFiles();
    return this.filesPromise;
  }

  mergeBase(): Promise<string> {
    this.mergeBasePromise ??= (async () => {
      const { owner, repo, baseSha, headSha } = this.pr;
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${baseSha}...${headSha}`,
        per_page: 1,
      });
      return data.merge_base_commit.sha;
    })();
    return this.mergeBasePromise;
  }

  async policy(): Promise<PolicySources> {
    return (await this.context()).policy;
  }

  async published(): Promise<PublishedState> {
    return (await this.context()).published;
  }

  prefetch(requests: readonly BlobRequest[]): void {
    if (!this.contextPromise) this.hinted.push(...requests);
  }

  async blobs(
    requests: readonly BlobRequest[],
    maxBytes: number,
  ): Promise<Map<string, FileBlob | undefined>> {
    await this.context(); // anything hinted arrives with the policy
    const missing = uniqueRequests(requests).filter((r) => !this.blobCache.has(blobKey(r.ref, r.path)));
    for (let i = 0; i < missing.length; i += GRAPHQL_BLOBS_PER_QUERY) {
      const batch = missing.slice(i, i + GRAPHQL_BLOBS_PER_QUERY);
      const { selections, variables, declarations } = blobSelections(
        batch.map((r) => `${r.ref}:${r.path}`),
        "f",
      );
      const data = await this.octokit.graphql<{ repository: Record<string, GraphqlObject | null> | null }>(
        `query($owner: String!, $repo: String!, ${declarations}) {
  repository(owner: $owner, name: $repo) {
${selections}
  }
}`,
        { owner: this.pr.owner, repo: this.pr.repo, ...variables },
      );
      batch.forEach((r, j) => {
        this.blobCache.set(blobKey(r.ref, r.path), readObject(data.repository?.[`f${j}`], maxBytes));
      });
    }
    const out = new Map<string, FileBlob | undefined>();
    for (const r of requests) {
      const key = blobKey(r.ref, r.path);
      const read = this.blobCache.get(key);
      if (!read || read.kind === "missing") out.set(key, undefined);
      else if (read.kind === "blob") out.set(key, read.blob);
      else out.set(key, await this.rawBlob(r, read.size));
    }
    return out;
  }

  /** A binary blob, or one GitHub's GraphQL truncated, through the REST raw media type (works past 1 MB). */
  private async rawBlob(r: BlobRequest, size: number): Promise<FileBlob> {
    const response = await this.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: this.pr.owner,
      repo: this.pr.repo,
      path: r.path,
      ref: r.ref,
      mediaType: { format: "raw" },
      request: { parseSuccessResponseBody: false },
    });
    const data = await readBody(response.data);
    const blob: FileBlob = { size: Math.max(size, data.length), data, mode: "file" };
    this.blobCache.set(blobKey(r.ref, r.path), { kind: "blob", blob });
    return blob;
  }

  private async listFiles(): Promise<ChangedPath[]> {
    const { owner, repo, number, changedFiles } = this.pr;
    if (changedFiles > MAX_PR_FILES) throw new TooManyFilesError(changedFiles);
    const page = async (n: number) =>
      (
        await this.octokit.rest.pulls.listFiles({
          owner,
          repo,
          pull_number: number,
          per_page: FILES_PER_PAGE,
          page: n,
        })
      ).data;
    // The count is known, so the pages are fetched together; a last full page means the PR grew since.
    const pages = Math.max(1, Math.ceil(changedFiles / FILES_PER_PAGE));
    const results = await Promise.all(Array.from({ length: pages }, (_, i) => page(i + 1)));
    let next = pages + 1;
    while (results.at(-1)?.length === FILES_PER_PAGE && (next - 1) * FILES_PER_PAGE < MAX_PR_FILES) {
      results.push(await page(next++));
    }
    const files = results.flat();
    if (files.length >= MAX_PR_FILES && changedFiles > files.length)
      throw new TooManyFilesError(changedFiles);
    if (files.length > MAX_PR_FILES) throw new TooManyFilesError(files.length);
    return files.map((f) => ({
      path: f.filename,
      ...(f.previous_filename && f.status === "renamed" ? { previousPath: f.previous_filename } : {}),
      status: fileStatus(f.status),
    }));
  }

  private context(): Promise<ContextData> {
    this.contextPromise ??= this.loadContext();
    return this.contextPromise;
  }

  /** One GraphQL round trip (context-query.ts); further pages of long connections only when needed. */
  private async loadContext(): Promise<ContextData> {
    const { owner, repo, number, headSha, defaultBranch } = this.pr;
    const hinted = uniqueRequests(this.hinted).slice(0, GRAPHQL_BLOBS_PER_QUERY);
    const built = contextQuery({ defaultBranch, blobExpressions: hinted.map((r) => `${r.ref}:${r.path}`) });
    const variables = {
      owner,
      repo,
      baselineRepo: BASELINE_REPO,
      number,
      head: headSha,
      appId: this.appId,
      checkName: this.checkName,
      ...built.variables,
    };
    let data: ContextResponse;
    let baselineNote: string | undefined;
    try {
      data = await this.octokit.graphql<ContextResponse>(built.query, variables);
    } catch (error) {
      // A missing or unreadable `<owner>/.github` is an answer (no baseline), any other error is not.
      const partial = asGraphqlPartial(error);
      const onlyBaseline =
        partial?.data &&
        partial.errors.every(
          (e) => e.path?.[0] === "baseline" && (e.type === "NOT_FOUND" || e.type === "FORBIDDEN"),
        );
      if (!partial || !onlyBaseline) throw error;
      data = partial.data as unknown as ContextResponse;
      baselineNote = `${owner}/${BASELINE_REPO} does not exist or the app is not installed on it`;
    }
    const r = data.repository;
    if (!r) throw new Error(`repository ${owner}/${repo} is not readable`);
    if (!r.pullRequest) throw new Error(`pull request #${number} is not readable`);
    hinted.forEach((h, i) => {
      this.blobCache.set(
        blobKey(h.ref, h.path),
        readObject(r[`f${i}`] as GraphqlObject | null, MAX_FILE_BYTES),
      );
    });
    const repository = await this.policyText(r, "p", POLICY_PATHS, defaultBranch);
    let baselineText: PolicySources["baseline"];
    if (data.baseline) {
      const found = await this.policyText(
        data.baseline,
        "q",
        POLICY_PATHS,
        "HEAD",
        `${owner}/${BASELINE_REPO}`,
      );
      if (found.text !== undefined) baselineText = { ...found, label: `${owner}/${BASELINE_REPO}` };
      else baselineNote = `${owner}/${BASELINE_REPO} has no ${POLICY_PATHS[0]}`;
    }
    const codeowners = await this.policyText(r, "c", CODEOWNERS_PATHS, defaultBranch);
    const policy: PolicySources = {
      repository,
      ...(baselineText ? { baseline: baselineText } : {}),
      ...(baselineNote ? { baselineNote } : {}),
      // Judged at a commit (a recorded merge: the policy just before it), the policy side is that commit.
      sha:
        r.defaultBranchRef?.name === defaultBranch
          ? (r.defaultBranchRef?.target?.oid ?? defaultBranch)
          : defaultBranch,
      ...(codeowners.text !== undefined
        ? { codeowners: { path: codeowners.path, text: codeowners.text } }
        : {}),
    };
    const pr = r.pullRequest;
    const [reviews, commits, comments] = await Promise.all([
      this.allPages("reviews", pr.reviews),
      this.allPages("commits", pr.commits),
      this.allPages("comments", pr.comments),
    ]);
    if ((pr.commits?.totalCount ?? commits.length) > MAX_PR_COMMITS) {
      throw new Error(
        `the pull request has more than ${MAX_PR_COMMITS} commits; GitHub lists no more, so who committed cannot be fully known`,
      );
    }
    return {
      policy,
      published: this.publishedFrom(r, comments),
      people: peopleFrom(pr, reviews, commits, comments),
    };
  }

  /** Every node of a PR connection: the first page came with the context query, the rest page by page. */
  private async allPages<K extends Paged>(
    which: K,
    first: Connection<PagedNode[K]> | undefined,
  ): Promise<PagedNode[K][]> {
    const out: PagedNode[K][] = nodes(first);
    let page = first?.pageInfo;
    while (page?.hasNextPage && page.endCursor) {
      const next = await this.octokit.graphql<{
        repository: { pullRequest: Record<K, Connection<PagedNode[K]>> | null } | null;
      }>(pageQuery(which), {
        owner: this.pr.owner,
        repo: this.pr.repo,
        number: this.pr.number,
        after: page.endCursor,
      });
      const connection = next.repository?.pullRequest?.[which];
      out.push(...nodes(connection));
      page = connection?.pageInfo;
    }
    return out;
  }

  private async policyText(
    objects: Record<string, unknown>,
    prefix: string,
    paths: readonly string[],
    ref: string,
    otherRepo?: string,
  ): Promise<{ path: string; text: string | undefined }> {
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      const read = readObject(objects[`${prefix}${i}`] as GraphqlObject | null, MAX_FILE_BYTES);
      if (read.kind === "missing") continue;
      const blob =
        read.kind === "blob"
          ? read.blob
          : otherRepo
            ? undefined
            : await this.rawBlob({ ref, path }, read.size);
      const decoded = blob ? decodeBlob(blob) : undefined;
      if (!decoded?.ok) {
        throw new Error(
          `${otherRepo ? `${otherRepo}:` : ""}${path} on the default branch cannot be read as text (${decoded ? decoded.code : "binary or too large"})`,
        );
      }
      return { path, text: decoded.text };
    }
    return { path: paths[0]!, text: undefined };
  }

  private publishedFrom(r: ContextRepository, comments: RawComment[]): PublishedState {
    const runs = (r.head?.checkSuites?.nodes ?? []).flatMap((s) => s?.checkRuns?.nodes ?? []);
    const newest = runs.filter((x) => x !== null).sort((a, b) => b.databaseId - a.databaseId)[0];
    const published: PublishedState = {};
    if (newest) {
      const fingerprint = readFingerprint(newest.summary ?? "");
      published.checkRun = {
        id: newest.databaseId,
        status: newest.status.toLowerCase(),
        conclusion: newest.conclusion?.toLowerCase() ?? null,
        ...(fingerprint ? { fingerprint } : {}),
      };
    }
    const mine = comments.find((c) => c.viewerDidAuthor && hasStickyMarker(c.body));
    if (mine) published.comment = { id: mine.databaseId, body: mine.body };
    return published;
  }

  async people(): Promise<PullRequestPeople> {
    return (await this.context()).people;
  }

  async lookups(needs: LookupNeeds): Promise<Pick<ApprovalFacts, "teams" | "permissions">> {
    return lookupTeamsAndPermissions(this.octokit, this.pr, needs);
  }

  async contentIdentical(commits: readonly string[]): Promise<string[]> {
    return identicalChanges(this.octokit, this.pr, commits);
  }
}

interface PagedNode {
  reviews: RawReview;
  commits: RawCommit;
  comments: RawComment;
}

/** The PR's people, as the approval engine wants them. */
function peopleFrom(
  pr: RawPullRequest,
  rawReviews: RawReview[],
  rawCommits: RawCommit[],
  rawComments: RawComment[],
): PullRequestPeople {
  const author = actor(pr.author);
  const requests = nodes(pr.reviewRequests).map((n) => n.requestedReviewer);
  const forcePushers = nodes(pr.timelineItems)
    .map((n) => n.actor?.login)
    .filter((l): l is string => typeof l === "string");
  const commits = rawCommits.map(commit);
  return {
    author,
    headSha: "",
    baseRef: "",
    labels: nodes(pr.labels).map((l) => l.name),
    // A PR opened by a bot or coding agent: whoever it is assigned to started it.
    requesters: author.type === "Bot" ? nodes(pr.assignees).map((a) => a.login) : [],
    reviews: rawReviews.map(review).filter((x): x is NonNullable<typeof x> => x !== undefined),
    commits,
    pushers: [...new Set(forcePushers)],
    comments: rawComments.map(comment).map(({ mine: _mine, ...c }) => c),
    reviewRequests: {
      users: requests.flatMap((r) => (r?.login ? [r.login] : [])),
      teams: requests.flatMap((r) =>
        r?.slug && r.organization ? [`${r.organization.login}/${r.slug}`] : [],
      ),
    },
    ownComments: rawComments.filter((c) => c.viewerDidAuthor).map((c) => c.body),
  };
}

/** The bytes of an unparsed response body (a web stream), a buffer or a string. */
async function readBody(body: unknown): Promise<Uint8Array> {
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body === null || body === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function uniqueRequests(requests: readonly BlobRequest[]): BlobRequest[] {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const key = blobKey(r.ref, r.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** GitHub's file statuses in the engine's terms: a copy is a new file, a mode change a modification. */
function fileStatus(status: string): ChangeStatus {
  switch (status) {
    case "added":
    case "copied":
      return "added";
    case "removed":
      return "removed";
    case "renamed":
      return "renamed";
    default:
      return "modified";
  }
}
