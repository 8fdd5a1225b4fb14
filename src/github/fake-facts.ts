import type { ApprovalFacts, LookupNeeds } from "../core/approvals/types.js";
import { type BlobRequest, blobKey, type ChangedPath } from "../core/gather.js";
import type { FileBlob } from "../core/types.js";
import {
  MAX_PR_FILES,
  type PolicySources,
  type PublishedState,
  type PullRequestFacts,
  type PullRequestInfo,
  type PullRequestPeople,
  TooManyFilesError,
} from "./facts.js";

/**
 * Pull-request facts from plain data, for unit tests of everything above the GitHub seam (policy-bot's
 * `pulltest.Context`). It records what was asked, so tests can also check the gate reads only what it needs.
 */
export interface FakeFactsData {
  pr: PullRequestInfo;
  files: ChangedPath[];
  mergeBase: string;
  /** commit → path → content */
  trees: Record<string, Record<string, string | Uint8Array>>;
  policy?: PolicySources;
  published?: PublishedState;
  /** Reviews, commits, comments… (default: an author and nothing else). */
  people?: Partial<PullRequestPeople>;
  /** Everything GitHub would answer to live lookups; only what is asked is returned. */
  teams?: Record<string, string[]>;
  permissions?: ApprovalFacts["permissions"];
  /** Commits whose change GitHub would show identical to the head's. */
  contentIdentical?: string[];
  /** Make a fact fail, as GitHub might. */
  fail?: Partial<
    Record<"changedFiles" | "mergeBase" | "policy" | "published" | "blobs" | "people" | "lookups", Error>
  >;
}

export class FakeFacts implements PullRequestFacts {
  readonly pr: PullRequestInfo;
  readonly asked: { blobs: BlobRequest[]; prefetched: BlobRequest[]; lookups: LookupNeeds[] } = {
    blobs: [],
    prefetched: [],
    lookups: [],
  };

  constructor(private readonly data: FakeFactsData) {
    this.pr = data.pr;
  }

  private check(what: keyof NonNullable<FakeFactsData["fail"]>): void {
    const error = this.data.fail?.[what];
    if (error) throw error;
  }

  async changedFiles(): Promise<ChangedPath[]> {
    this.check("changedFiles");
    if (this.pr.changedFiles > MAX_PR_FILES) throw new TooManyFilesError(this.pr.changedFiles);
    return this.data.files;
  }

  async mergeBase(): Promise<string> {
    this.check("mergeBase");
    return this.data.mergeBase;
  }

  async policy(): Promise<PolicySources> {
    this.check("policy");
    return (
      this.data.policy ?? {
        repository: { path: ".github/agent-change-control.yml", text: undefined },
        sha: "default",
      }
    );
  }

  async published(): Promise<PublishedState> {
    this.check("published");
    return this.data.published ?? {};
  }

  prefetch(requests: readonly BlobRequest[]): void {
    this.asked.prefetched.push(...requests);
  }

  async blobs(
    requests: readonly BlobRequest[],
    maxBytes: number,
  ): Promise<Map<string, FileBlob | undefined>> {
    this.check("blobs");
    this.asked.blobs.push(...requests);
    const out = new Map<string, FileBlob | undefined>();
    for (const r of requests) {
      const content = this.data.trees[r.ref]?.[r.path];
      if (content === undefined) {
        out.set(blobKey(r.ref, r.path), undefined);
        continue;
      }
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
      out.set(
        blobKey(r.ref, r.path),
        bytes.length > maxBytes
          ? { size: bytes.length, mode: "file" }
          : { size: bytes.length, data: bytes, mode: "file" },
      );
    }
    return out;
  }

  async people(): Promise<PullRequestPeople> {
    this.check("people");
    return {
      author: { login: "author", type: "User" },
      headSha: this.pr.headSha,
      baseRef: this.pr.baseRef,
      labels: [],
      requesters: [],
      reviews: [],
      commits: [],
      pushers: [],
      comments: [],
      reviewRequests: { users: [], teams: [] },
      ownComments: [],
      ...this.data.people,
    };
  }

  async lookups(needs: LookupNeeds): Promise<Pick<ApprovalFacts, "teams" | "permissions">> {
    this.check("lookups");
    this.asked.lookups.push(needs);
    const teams: Record<string, string[]> = {};
    for (const { team, logins } of needs.teams) {
      const members = new Set(this.data.teams?.[team] ?? []);
      teams[team] = logins.filter((l) => members.has(l)).sort();
    }
    const permissions: ApprovalFacts["permissions"] = {};
    for (const login of needs.permissionsFor) permissions[login] = this.data.permissions?.[login] ?? "none";
    return { teams, permissions };
  }

  async contentIdentical(commits: readonly string[]): Promise<string[]> {
    const same = new Set(this.data.contentIdentical ?? []);
    return commits.filter((c) => same.has(c));
  }
}
