/**
 * What `reconcile --repo` reads from GitHub's API: the repository, the first-parent history of its default
 * branch in a period, the files each commit changed, the pull request a commit landed through, blob ids and
 * trees. Reads only; every limit is named and fails loudly rather than returning part of an answer.
 */
import type { FirstParentCommit, RawChange } from "../core/changelog/history.js";
import type { ChangeStatus } from "../core/types.js";
import { BLOB_FIELDS, type BlobRead, type GraphqlObject, readObject } from "./blob-query.js";
import type { Octokit } from "./octokit.js";

/** GitHub lists at most this many files in a comparison; a commit that reaches it cannot be read completely. */
export const MAX_COMPARE_FILES = 300;
/** `object(expression:)` lookups per GraphQL request. */
export const OBJECTS_PER_QUERY = 100;

export class HistoryLimitError extends Error {}

export interface RepositoryInfo {
  id: string;
  full_name: string;
  default_branch: string;
}

/** A merged pull request as `pulls.get` returns it (the fields reconcile uses). */
export interface MergedPullSummary {
  number: number;
  merge_commit_sha: string;
  merged_at: string;
}

/** First-parent commits in the period read one by one after GitHub's listing ended (normally none). */
export const MAX_UNLISTED_COMMITS = 100;

const OID_FIELDS = "__typename ... on Blob { oid }";

/** A commit as the listing and the single-commit endpoint both return it. */
interface ListedCommit {
  sha: string;
  parents: { sha: string }[];
  commit: {
    message: string;
    author: { name?: string; email?: string; date?: string } | null;
    committer: { name?: string; email?: string; date?: string } | null;
  };
  author: { login?: string } | Record<string, never> | null;
  committer: { login?: string } | Record<string, never> | null;
}

function toFirstParent(c: ListedCommit): FirstParentCommit {
  const message = c.commit.message;
  return {
    sha: c.sha,
    parents: c.parents.map((p) => p.sha),
    committedAt: toUtc(c.commit.committer?.date ?? c.commit.author?.date ?? ""),
    authorName: c.commit.author?.name ?? "",
    authorEmail: c.commit.author?.email ?? "",
    committerName: c.commit.committer?.name ?? "",
    authorLogin: c.author && "login" in c.author ? (c.author.login ?? null) : null,
    committerLogin: c.committer && "login" in c.committer ? (c.committer.login ?? null) : null,
    subject: message.split("\n")[0] ?? "",
    message,
  };
}

const toUtc = (iso: string) => new Date(Date.parse(iso)).toISOString().replace(/\.000Z$/, "Z");

export class GitHubBranchHistory {
  constructor(private readonly o: { octokit: Octokit; owner: string; repo: string }) {}

  async repository(): Promise<RepositoryInfo> {
    const { data } = await this.o.octokit.rest.repos.get({ owner: this.o.owner, repo: this.o.repo });
    return { id: String(data.id), full_name: data.full_name, default_branch: data.default_branch };
  }

  /** The branch's head commit. */
  async tip(branch: string): Promise<string> {
    const { data } = await this.o.octokit.rest.repos.getBranch({
      owner: this.o.owner,
      repo: this.o.repo,
      branch,
    });
    return data.commit.sha;
  }

  /**
   * The first-parent line from `tip` back to the first commit committed before `from`, newest first. GitHub
   * lists every commit reachable from the tip committed since `from` (100 per request); the first-parent line
   * is then followed through that list, so side-branch commits are read but never reported.
   */
  async firstParent(tip: string, from: string): Promise<FirstParentCommit[]> {
    const listed = await this.o.octokit.paginate(this.o.octokit.rest.repos.listCommits, {
      owner: this.o.owner,
      repo: this.o.repo,
      sha: tip,
      since: from,
      per_page: 100,
    });
    const bySha = new Map<string, ListedCommit>(listed.map((c) => [c.sha, c]));
    const line: FirstParentCommit[] = [];
    for (let c = bySha.get(tip); c !== undefined; c = bySha.get(c.parents[0]?.sha ?? "")) {
      line.push(toFirstParent(c));
      bySha.delete(c.sha); // a cycle is impossible in git; this keeps a malformed answer from looping
    }
    // The line leaves the listing at a commit GitHub dated before `from`. Make sure (one request), and follow
    // the line commit by commit while it is not so (a listing that missed one must not end the walk early).
    let parent = line.length > 0 ? line.at(-1)!.parents[0] : tip;
    for (let extra = 0; parent !== undefined; extra++) {
      if (extra >= MAX_UNLISTED_COMMITS) {
        throw new HistoryLimitError(
          `the first-parent line of ${this.o.owner}/${this.o.repo} has more than ${MAX_UNLISTED_COMMITS} commits in the period that GitHub's listing left out (MAX_UNLISTED_COMMITS): reconcile offline on a clone (--git <dir>)`,
        );
      }
      const { data } = await this.o.octokit.rest.repos.getCommit({
        owner: this.o.owner,
        repo: this.o.repo,
        ref: parent,
        per_page: 1,
      });
      const commit = toFirstParent(data);
      if (Date.parse(commit.committedAt) < Date.parse(from)) break;
      line.push(commit);
      parent = commit.parents[0];
    }
    return line;
  }

  /**
   * The files a commit changed against its first parent: a comparison `<parent>...<commit>` (exactly the
   * first-parent diff, also for merge commits), or the commit itself for a root commit. Blob ids after the
   * change come with the listing; blob ids before are read on demand (`blobIds`).
   */
  async changes(commit: Pick<FirstParentCommit, "sha" | "parents">): Promise<RawChange[]> {
    const { owner, repo } = this.o;
    const parent = commit.parents[0];
    const files = parent
      ? (
          await this.o.octokit.rest.repos.compareCommitsWithBasehead({
            owner,
            repo,
            basehead: `${parent}...${commit.sha}`,
            per_page: 1,
          })
        ).data.files
      : (
          await this.o.octokit.rest.repos.getCommit({
            owner,
            repo,
            ref: commit.sha,
            per_page: MAX_COMPARE_FILES,
          })
        ).data.files;
    const list = files ?? [];
    if (list.length >= MAX_COMPARE_FILES) {
      throw new HistoryLimitError(
        `commit ${commit.sha.slice(0, 12)} changed ${MAX_COMPARE_FILES} or more files, more than GitHub's API lists (MAX_COMPARE_FILES): reconcile this period offline on a clone (--git <dir>)`,
      );
    }
    return list.map((f) => {
      const status: ChangeStatus =
        f.status === "added" || f.status === "copied"
          ? "added"
          : f.status === "removed"
            ? "removed"
            : f.status === "renamed"
              ? "renamed"
              : "modified";
      return {
        path: f.filename,
        ...(status === "renamed" && f.previous_filename ? { previousPath: f.previous_filename } : {}),
        status,
        blobBefore: null,
        blobAfter: status === "removed" ? null : f.sha || null,
      };
    });
  }

  /**
   * The merged pull request a commit of `branch` landed through (the one whose merge commit it is, else any
   * merged into `branch` that contains it: the earlier commits of a rebase merge), or undefined.
   */
  async pullRequestOf(sha: string, branch: string): Promise<MergedPullSummary | undefined> {
    const { data } = await this.o.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: this.o.owner,
      repo: this.o.repo,
      commit_sha: sha,
      per_page: 100,
    });
    const merged = data.filter(
      (p) =>
        p.merged_at &&
        p.merge_commit_sha &&
        p.base.ref === branch &&
        p.base.repo.full_name.toLowerCase() === `${this.o.owner}/${this.o.repo}`.toLowerCase(),
    );
    const pick = merged.find((p) => p.merge_commit_sha === sha) ?? merged[0];
    return pick
      ? { number: pick.number, merge_commit_sha: pick.merge_commit_sha!, merged_at: pick.merged_at! }
      : undefined;
  }

  /**
   * Pull requests merged into `branch` in [from, to]: closed ones, most recently updated first, read until one
   * was last updated before `from` (a PR merged in the period was updated at its merge or later).
   */
  async mergedInto(branch: string, from: string, to: string): Promise<MergedPullSummary[]> {
    const lo = Date.parse(from);
    const hi = Date.parse(to) + 999;
    const out: MergedPullSummary[] = [];
    for await (const { data } of this.o.octokit.paginate.iterator(this.o.octokit.rest.pulls.list, {
      owner: this.o.owner,
      repo: this.o.repo,
      state: "closed",
      base: branch,
      sort: "updated",
      direction: "desc",
      per_page: 100,
    })) {
      for (const p of data) {
        const merged = p.merged_at ? Date.parse(p.merged_at) : Number.NaN;
        if (p.merge_commit_sha && merged >= lo && merged <= hi)
          out.push({ number: p.number, merge_commit_sha: p.merge_commit_sha, merged_at: p.merged_at! });
      }
      if (data.length === 0 || Date.parse(data.at(-1)!.updated_at) < lo) break;
    }
    return out;
  }

  async pullRequest(number: number) {
    const { data } = await this.o.octokit.rest.pulls.get({
      owner: this.o.owner,
      repo: this.o.repo,
      pull_number: number,
    });
    return data;
  }

  /** Blob ids of `<rev>:<path>` expressions (null: no blob there), by GraphQL in batches. */
  async blobIds(expressions: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const [expression, object] of await this.objects(expressions, OID_FIELDS))
      out.set(expression, object?.__typename === "Blob" ? (object.oid ?? null) : null);
    return out;
  }

  /** What `<rev>:<path>` expressions hold, as the gate reads files (text up to `maxBytes`). */
  async files(expressions: readonly string[], maxBytes: number): Promise<Map<string, BlobRead>> {
    const out = new Map<string, BlobRead>();
    for (const [expression, object] of await this.objects(expressions, BLOB_FIELDS))
      out.set(expression, readObject(object, maxBytes));
    return out;
  }

  /** Every blob of a commit's tree (path and blob id); a tree GitHub truncates fails loudly. */
  async tree(sha: string): Promise<{ path: string; blob_sha: string }[]> {
    const { data } = await this.o.octokit.rest.git.getTree({
      owner: this.o.owner,
      repo: this.o.repo,
      tree_sha: sha,
      recursive: "1",
    });
    if (data.truncated) {
      throw new HistoryLimitError(
        `the tree of ${sha.slice(0, 12)} is too large for GitHub's API to list completely: reconcile offline on a clone (--git <dir>)`,
      );
    }
    return data.tree
      .filter((e) => e.type === "blob" && e.mode !== "120000" && e.path && e.sha)
      .map((e) => ({ path: e.path!, blob_sha: e.sha! }));
  }

  private async objects(
    expressions: readonly string[],
    fields: string,
  ): Promise<Map<string, (GraphqlObject & { oid?: string }) | null>> {
    const out = new Map<string, (GraphqlObject & { oid?: string }) | null>();
    const unique = [...new Set(expressions)];
    for (let i = 0; i < unique.length; i += OBJECTS_PER_QUERY) {
      const batch = unique.slice(i, i + OBJECTS_PER_QUERY);
      const variables: Record<string, string> = {};
      const selections = batch.map((expression, j) => {
        variables[`o${j}`] = expression;
        return `o${j}: object(expression: $o${j}) { ${fields} }`;
      });
      const declarations = batch.map((_, j) => `$o${j}: String!`).join(", ");
      const data = await this.o.octokit.graphql<{
        repository: Record<string, (GraphqlObject & { oid?: string }) | null> | null;
      }>(
        `query($owner: String!, $repo: String!, ${declarations}) {
  repository(owner: $owner, name: $repo) {
${selections.join("\n")}
  }
}`,
        { owner: this.o.owner, repo: this.o.repo, ...variables },
      );
      batch.forEach((expression, j) => {
        out.set(expression, data.repository?.[`o${j}`] ?? null);
      });
    }
    return out;
  }
}
