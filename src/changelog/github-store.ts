import type { LogState } from "../core/changelog/types.js";
import { asGraphqlPartial, type Octokit } from "../github/octokit.js";
import { CHECKPOINTS_DIR, indexPath, KEYS_DIR, RECORDS_DIR, STATE_PATH } from "./layout.js";
import {
  ConflictError,
  checkWrite,
  jsonlLines,
  type LogStore,
  type StoreSnapshot,
  type StoreWrite,
} from "./store.js";

/**
 * A change log on a branch of a GitHub repository (default `agent-change-log`; a dedicated audit repository is
 * recommended). Versions are commit oids ("" while the branch does not exist).
 *
 * Reads go through GraphQL (`object(expression: "<oid>:<path>")`); a blob over GitHub's 512,000-byte cut-off
 * for `Blob.text` (`isTruncated`) is read again through REST `git/blobs`. Writes are ONE `createCommitOnBranch`
 * mutation with `expectedHeadOid` = the version the commit builds on: GitHub refuses it with STALE_DATA
 * ("Expected branch to point to … but it did not") when the branch moved, which becomes ConflictError.
 * The mutation has no append, so appending to a shard sends the shard's whole new content (base64); shards are
 * kept small for that (RECORDS_PER_PART, MAX_PART_BYTES). Commits made this way are signed by GitHub.
 *
 * A missing branch is created on the first commit as a new root commit holding only a README (REST: create a
 * tree, a commit without parents, then the ref) — not from the default branch, whose files have no place in
 * the log. Two writers creating it at once: the second `createRef` fails (422) and becomes ConflictError.
 *
 * LogSource reads (list…, readLines, readText) are of one commit: the one given to `pin`, or the branch head
 * when first read.
 */

export const DEFAULT_LOG_BRANCH = "agent-change-log";
/** Record ids looked up per GraphQL query (aliases). */
export const INDEX_LOOKUPS_PER_QUERY = 100;

export interface GitHubStoreOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  branch?: string;
}

interface BlobInfo {
  oid: string;
  byteSize: number;
  text: string | null;
  isTruncated: boolean;
}

interface TreeEntry {
  name: string;
  type: string;
  object?: { entries?: TreeEntry[] } | null;
}

const BLOB_FIELDS = "... on Blob { oid byteSize text isTruncated }";
const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export class GitHubStore implements LogStore {
  readonly owner: string;
  readonly repo: string;
  readonly branch: string;
  readonly id: string;
  private readonly octokit: Octokit;
  private readonly blobs = new Map<string, BlobInfo | null>();
  private pinned: string | undefined;

  constructor(options: GitHubStoreOptions) {
    this.octokit = options.octokit;
    this.owner = options.owner;
    this.repo = options.repo;
    this.branch = options.branch ?? DEFAULT_LOG_BRANCH;
    this.id = `github:${this.owner}/${this.repo}@${this.branch}`.toLowerCase();
  }

  async snapshot(): Promise<StoreSnapshot> {
    const data = await this.octokit.graphql<{
      repository: {
        ref: {
          target: { oid: string; tree?: { entries: { name: string; object: Partial<BlobInfo> | null }[] } };
        } | null;
      } | null;
    }>(
      `query LogSnapshot($owner: String!, $repo: String!, $ref: String!) {
  repository(owner: $owner, name: $repo) {
    ref(qualifiedName: $ref) {
      target { oid ... on Commit { tree { entries { name object { ${BLOB_FIELDS} } } } } }
    }
  }
}`,
      { owner: this.owner, repo: this.repo, ref: `refs/heads/${this.branch}` },
    );
    if (!data.repository)
      throw new Error(`${this.owner}/${this.repo}: repository not found or not accessible`);
    const target = data.repository.ref?.target;
    if (!target) return { version: "", state: undefined };
    const entry = target.tree?.entries.find((e) => e.name === STATE_PATH)?.object;
    if (!entry) return { version: target.oid, state: undefined };
    const text = await this.blobText(entry as BlobInfo, STATE_PATH);
    return { version: target.oid, state: JSON.parse(text) as LogState };
  }

  async hasRecord(recordId: string, at?: string): Promise<boolean> {
    return (await this.indexedRecords([recordId], at)).has(recordId);
  }

  async indexedRecords(recordIds: readonly string[], at?: string): Promise<Set<string>> {
    const found = new Set<string>();
    if (at === "") return found;
    const rev = at ?? `refs/heads/${this.branch}`;
    for (let i = 0; i < recordIds.length; i += INDEX_LOOKUPS_PER_QUERY) {
      const chunk = recordIds.slice(i, i + INDEX_LOOKUPS_PER_QUERY);
      const vars = chunk.map((_, j) => `$e${j}: String!`).join(", ");
      const fields = chunk.map((_, j) => `r${j}: object(expression: $e${j}) { oid }`).join("\n    ");
      const variables: Record<string, string> = { owner: this.owner, repo: this.repo };
      chunk.forEach((id, j) => {
        variables[`e${j}`] = `${rev}:${indexPath(id)}`;
      });
      const data = await this.octokit.graphql<{ repository: Record<string, { oid: string } | null> | null }>(
        `query LogIndex($owner: String!, $repo: String!, ${vars}) {
  repository(owner: $owner, name: $repo) {
    ${fields}
  }
}`,
        variables,
      );
      if (!data.repository)
        throw new Error(`${this.owner}/${this.repo}: repository not found or not accessible`);
      chunk.forEach((id, j) => {
        if (data.repository![`r${j}`]) found.add(id);
      });
    }
    return found;
  }

  async fileBytes(path: string, at: string): Promise<number> {
    if (at === "") return 0;
    return (await this.blob(at, path))?.byteSize ?? 0;
  }

  async commit(expectedVersion: string, writes: readonly StoreWrite[], message: string): Promise<string> {
    writes.forEach(checkWrite);
    const contents = new Map<string, string>();
    for (const w of writes) {
      let before = contents.get(w.path);
      if (before === undefined && w.append !== undefined && expectedVersion !== "") {
        before = await this.read(expectedVersion, w.path);
      }
      contents.set(w.path, w.content ?? (before ?? "") + w.append!);
    }
    const head = expectedVersion === "" ? await this.createBranch() : expectedVersion;
    const [headline, ...rest] = message.split("\n");
    const body = rest.join("\n").trim();
    try {
      const data = await this.octokit.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(
        `mutation LogCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`,
        {
          input: {
            branch: { repositoryNameWithOwner: `${this.owner}/${this.repo}`, branchName: this.branch },
            expectedHeadOid: head,
            message: body === "" ? { headline } : { headline, body },
            fileChanges: {
              additions: [...contents].map(([path, text]) => ({
                path,
                contents: Buffer.from(text, "utf8").toString("base64"),
              })),
            },
          },
        },
      );
      return data.createCommitOnBranch.commit.oid;
    } catch (error) {
      const partial = asGraphqlPartial(error);
      if (
        partial?.errors.some((e) => e.type === "STALE_DATA" || /Expected branch to point to/.test(e.message))
      ) {
        throw new ConflictError(
          `${this.owner}/${this.repo}@${this.branch} moved on: ${partial.errors[0]!.message}`,
        );
      }
      throw error;
    }
  }

  /** Reads LogSource data at this commit from now on (default: the branch head at the first read). */
  pin(version: string): void {
    this.pinned = version;
  }

  async listRecordFiles(): Promise<string[]> {
    return this.list(RECORDS_DIR, ".jsonl", 3);
  }

  async listCheckpoints(): Promise<string[]> {
    return this.list(CHECKPOINTS_DIR, ".txt", 1);
  }

  async listKeys(): Promise<string[]> {
    return this.list(KEYS_DIR, ".pub", 1);
  }

  async *readLines(path: string): AsyncIterable<string> {
    yield* jsonlLines(await this.readText(path));
  }

  async readText(path: string): Promise<string> {
    const at = await this.readAt();
    const text = at === "" ? undefined : await this.read(at, path);
    if (text === undefined) throw new Error(`${this.owner}/${this.repo}@${this.branch}: ${path} not found`);
    return text;
  }

  private async readAt(): Promise<string> {
    if (this.pinned === undefined) this.pinned = (await this.snapshot()).version;
    return this.pinned;
  }

  private async read(at: string, path: string): Promise<string | undefined> {
    const blob = await this.blob(at, path);
    return blob ? this.blobText(blob, path) : undefined;
  }

  /** A blob's metadata and (when under the cut-off) text, memoised per commit oid (a commit never changes). */
  private async blob(at: string, path: string): Promise<BlobInfo | null> {
    const key = `${at}:${path}`;
    if (this.blobs.has(key)) return this.blobs.get(key)!;
    const data = await this.octokit.graphql<{ repository: { object: Partial<BlobInfo> | null } | null }>(
      `query LogBlob($owner: String!, $repo: String!, $expression: String!) {
  repository(owner: $owner, name: $repo) { object(expression: $expression) { ${BLOB_FIELDS} } }
}`,
      { owner: this.owner, repo: this.repo, expression: key },
    );
    if (!data.repository)
      throw new Error(`${this.owner}/${this.repo}: repository not found or not accessible`);
    const object = data.repository.object;
    const blob = object?.oid ? (object as BlobInfo) : null;
    if (OID.test(at)) this.blobs.set(key, blob);
    return blob;
  }

  private async blobText(blob: BlobInfo, path: string): Promise<string> {
    if (blob.text !== null && blob.text !== undefined && !blob.isTruncated) return blob.text;
    const { data } = await this.octokit.rest.git.getBlob({
      owner: this.owner,
      repo: this.repo,
      file_sha: blob.oid,
    });
    if (data.encoding !== "base64") throw new Error(`${path}: unexpected blob encoding ${data.encoding}`);
    return Buffer.from(data.content, "base64").toString("utf8");
  }

  private async list(dir: string, suffix: string, depth: number): Promise<string[]> {
    const at = await this.readAt();
    if (at === "") return [];
    const nest = (level: number): string =>
      level === 0 ? "" : `object { ... on Tree { entries { name type ${nest(level - 1)} } } }`;
    const data = await this.octokit.graphql<{
      repository: { object: { entries?: TreeEntry[] } | null } | null;
    }>(
      `query LogList($owner: String!, $repo: String!, $expression: String!) {
  repository(owner: $owner, name: $repo) { object(expression: $expression) { ... on Tree { entries { name type ${nest(depth - 1)} } } } }
}`,
      { owner: this.owner, repo: this.repo, expression: `${at}:${dir}` },
    );
    const out: string[] = [];
    const walk = (entries: TreeEntry[] | undefined, prefix: string): void => {
      for (const e of entries ?? []) {
        const path = `${prefix}/${e.name}`;
        if (e.type === "tree") walk(e.object?.entries, path);
        else if (e.type === "blob" && e.name.endsWith(suffix)) out.push(path);
      }
    };
    walk(data.repository?.object?.entries, dir);
    return out.sort();
  }

  /** Creates the branch as a new root commit holding a README; returns its oid. */
  private async createBranch(): Promise<string> {
    const { owner, repo } = this;
    const tree = await this.octokit.rest.git.createTree({
      owner,
      repo,
      tree: [{ path: "README.md", mode: "100644", type: "blob", content: README }],
    });
    const commit = await this.octokit.rest.git.createCommit({
      owner,
      repo,
      message: "Start the agent-change-control change log",
      tree: tree.data.sha,
      parents: [],
    });
    try {
      await this.octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${this.branch}`,
        sha: commit.data.sha,
      });
    } catch (error) {
      if ((error as { status?: number }).status === 422) {
        throw new ConflictError(`${owner}/${repo}@${this.branch} was created by another writer`);
      }
      throw error;
    }
    return commit.data.sha;
  }
}

export const README = `# agent-change-control change log

This branch is the CC8 change log written by the agent-change-control GitHub App: one JSON record per line
under \`log/\`, signed checkpoints under \`checkpoints/\`, the public keys that signed them under \`keys/\`.
It is written only by the app, fast-forward only. Do not edit it: every edit is detected by
\`agent-change-control verify\`. See docs/auditor-guide.md of agent-change-control.
`;
