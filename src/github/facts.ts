import type { ApprovalFacts, LookupNeeds } from "../core/approvals/types.js";
import type { BlobRequest, ChangedPath } from "../core/gather.js";
import type { FileBlob } from "../core/types.js";

/**
 * The one seam between the app and GitHub for reading a pull request (policy-bot's `pull.Context` idea):
 * the gate asks for facts, an implementation fetches them. `GitHubFacts` reads them lazily from the API and
 * memoises them for one evaluation; `FakeFacts` serves plain data to unit tests.
 */

/** GitHub lists at most this many files of a pull request; past it the gate fails closed, never partially. */
export const MAX_PR_FILES = 3000;

export interface PullRequestInfo {
  owner: string;
  repo: string;
  number: number;
  /** The PR's target branch and its tip when the event was sent. */
  baseRef: string;
  baseSha: string;
  headSha: string;
  /**
   * Where the policy, its schemas and CODEOWNERS are read: the default branch's name, or a commit (a recorded
   * merge is judged under the policy just before it).
   */
  defaultBranch: string;
  /** GitHub's count of changed files (lets the gate refuse a PR past MAX_PR_FILES before listing). */
  changedFiles: number;
}

/** A policy file as read from a default branch; `text` undefined: no such file. */
export interface PolicyText {
  path: string;
  text: string | undefined;
}

export interface PolicySources {
  /** The repository's policy on its default branch (`.yml` preferred over `.yaml`). */
  repository: PolicyText;
  /** The org baseline in `<owner>/.github`, when that repository exists and the app can read it. */
  baseline?: PolicyText & { label: string };
  /** Why no baseline was read, for the report ("no <owner>/.github repository or the app is not installed on it"). */
  baselineNote?: string;
  /** Commit of the default branch the policy was read at. */
  sha: string;
  /** CODEOWNERS on the default branch (the first of GitHub's locations that exists). */
  codeowners?: { path: string; text: string };
}

/** The people side of a PR: everything approvals need except live team and permission lookups. */
export type PullRequestPeople = Omit<
  ApprovalFacts,
  "teams" | "permissions" | "contentIdenticalCommits" | "codeowners"
> & {
  /** Reviews already requested (not re-requested). */
  reviewRequests: { users: string[]; teams: string[] };
  /** The app's own comments, by body (to answer a refused emergency only once). */
  ownComments: string[];
};

/** What this app already published for the head commit (so a redelivery does not publish twice). */
export interface PublishedState {
  /** The newest `agent-change-control` check run this app created on the head commit. */
  checkRun?: { id: number; status: string; conclusion: string | null; fingerprint?: string };
  /** The sticky comment this app wrote on the PR. */
  comment?: { id: number; body: string };
}

export interface PullRequestFacts {
  readonly pr: PullRequestInfo;
  /** Every changed file (throws `TooManyFilesError` past MAX_PR_FILES). */
  changedFiles(): Promise<ChangedPath[]>;
  /** The merge base of base and head: the "before" side GitHub's own diff of the PR uses. */
  mergeBase(): Promise<string>;
  /** The policy (and org baseline) from the default branch: never from the PR. */
  policy(): Promise<PolicySources>;
  /** The existing check run and sticky comment. */
  published(): Promise<PublishedState>;
  /**
   * A hint: blobs that will probably be asked for, so an implementation can fetch them together with the
   * policy in one round trip. Calling it is optional and changes no result.
   */
  prefetch(requests: readonly BlobRequest[]): void;
  /** Blobs by `blobKey(ref, path)`; undefined when the path does not exist at that commit. */
  blobs(requests: readonly BlobRequest[], maxBytes: number): Promise<Map<string, FileBlob | undefined>>;
  /** Author, labels, reviews, commits, pushers, comments (throws past MAX_PR_COMMITS). */
  people(): Promise<PullRequestPeople>;
  /** Live team memberships and repository permissions, exactly those asked for. */
  lookups(needs: LookupNeeds): Promise<Pick<ApprovalFacts, "teams" | "permissions">>;
  /** Which of these commits carry a change identical to the head's (same diff against the base). */
  contentIdentical(commits: readonly string[]): Promise<string[]>;
}

/** The pull request has more files than GitHub can list: evaluating a part would pass unseen files. */
export class TooManyFilesError extends Error {
  constructor(readonly count: number) {
    super(
      `the pull request changes ${count} files; GitHub lists at most ${MAX_PR_FILES}, so the files past that limit could not be checked`,
    );
    this.name = "TooManyFilesError";
  }
}
