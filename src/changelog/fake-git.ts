import type { LogState } from "../core/changelog/types.js";
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
 * An in-memory git branch for tests: every commit is a full snapshot of the files, and a commit that does not
 * build on the current head is refused with ConflictError, as GitHub refuses a `createCommitOnBranch` whose
 * `expectedHeadOid` is stale. Every call yields to the event loop first, so concurrent writers interleave.
 */
export class FakeGitBackend implements LogStore {
  readonly id: string;
  private readonly repo: FakeRepo;

  /** A new, empty branch; `replica()` connects another client (another process) to the same branch. */
  constructor(repo?: FakeRepo, id = "fake:1") {
    this.repo = repo ?? {
      commits: new Map([["", new Map()]]),
      head: "",
      messages: [],
      conflicts: 0,
      replicas: 1,
    };
    this.id = id;
  }

  replica(): FakeGitBackend {
    return new FakeGitBackend(this.repo, `fake:${++this.repo.replicas}`);
  }

  get version(): string {
    return this.repo.head;
  }

  /** Commit messages, oldest first. */
  get messages(): readonly string[] {
    return this.repo.messages;
  }

  /** Commits refused because the branch had moved. */
  get conflicts(): number {
    return this.repo.conflicts;
  }

  /** The files at a version (the head by default). */
  files(at: string = this.repo.head): ReadonlyMap<string, string> {
    const files = this.repo.commits.get(at);
    if (!files) throw new Error(`no such version: ${at}`);
    return files;
  }

  async snapshot(): Promise<StoreSnapshot> {
    await tick();
    const version = this.repo.head;
    const state = this.files(version).get(STATE_PATH);
    return { version, state: state === undefined ? undefined : (JSON.parse(state) as LogState) };
  }

  async hasRecord(recordId: string, at?: string): Promise<boolean> {
    return (await this.indexedRecords([recordId], at)).has(recordId);
  }

  async indexedRecords(recordIds: readonly string[], at?: string): Promise<Set<string>> {
    await tick();
    const files = this.files(at ?? this.repo.head);
    return new Set(recordIds.filter((id) => files.has(indexPath(id))));
  }

  async fileBytes(path: string, at: string): Promise<number> {
    await tick();
    return Buffer.byteLength(this.files(at).get(path) ?? "", "utf8");
  }

  async commit(expectedVersion: string, writes: readonly StoreWrite[], message: string): Promise<string> {
    writes.forEach(checkWrite);
    await tick();
    const repo = this.repo;
    if (expectedVersion !== repo.head) {
      repo.conflicts++;
      throw new ConflictError(`branch moved: expected ${expectedVersion || "(none)"}, found ${repo.head}`);
    }
    const files = new Map(this.files(repo.head));
    for (const w of writes) files.set(w.path, w.content ?? (files.get(w.path) ?? "") + w.append!);
    const version = `c${repo.commits.size}`;
    repo.commits.set(version, files);
    repo.head = version;
    repo.messages.push(message);
    return version;
  }

  async listRecordFiles(): Promise<string[]> {
    return this.list(`${RECORDS_DIR}/`, ".jsonl");
  }

  async listCheckpoints(): Promise<string[]> {
    return this.list(`${CHECKPOINTS_DIR}/`, ".txt");
  }

  async listKeys(): Promise<string[]> {
    return this.list(`${KEYS_DIR}/`, ".pub");
  }

  async *readLines(path: string): AsyncIterable<string> {
    const text = await this.readText(path);
    yield* jsonlLines(text);
  }

  async readText(path: string): Promise<string> {
    await tick();
    const text = this.files().get(path);
    if (text === undefined) throw new Error(`${path}: not found`);
    return text;
  }

  private async list(prefix: string, suffix: string): Promise<string[]> {
    await tick();
    return [...this.files().keys()].filter((p) => p.startsWith(prefix) && p.endsWith(suffix)).sort();
  }
}

interface FakeRepo {
  commits: Map<string, ReadonlyMap<string, string>>;
  head: string;
  messages: string[];
  conflicts: number;
  replicas: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
