import type { LogState } from "../core/changelog/types.js";
import type { LogSource } from "../core/changelog/verify.js";

/**
 * Where a change log lives: a local directory (DirStore), a branch of a GitHub repository (GitHubStore) or
 * memory (FakeGitBackend, for tests). Reads are the LogSource the verifier walks; writes are whole commits,
 * fast-forward only: a commit names the version it builds on and fails with ConflictError when the store has
 * moved on, so concurrent writers re-read and retry instead of overwriting each other.
 */

export interface StoreSnapshot {
  /** Opaque; "" for a store that holds no log yet. Pass it to `commit` and to reads that must match it. */
  version: string;
  /** The log's tip (state.json), undefined for an empty log. */
  state: LogState | undefined;
}

/** One file change of a commit: `append` adds text to the file (creating it), `content` replaces it. */
export interface StoreWrite {
  path: string;
  append?: string;
  content?: string;
}

export interface LogStore extends LogSource {
  /**
   * Names the log (e.g. `github:acme/audit@agent-change-log`, `dir:/abs/path`): appendRecords runs one write at
   * a time per id within a process, so only writers in different processes race (and retry).
   */
  readonly id: string;
  snapshot(): Promise<StoreSnapshot>;
  /** Whether the record id is indexed (index/…): at `at` (a snapshot's version) or at the newest version. */
  hasRecord(recordId: string, at?: string): Promise<boolean>;
  /** The ids among `recordIds` that are indexed, in one go where the store can. */
  indexedRecords(recordIds: readonly string[], at?: string): Promise<Set<string>>;
  /** Size in bytes of a file at a version (0 when it does not exist). */
  fileBytes(path: string, at: string): Promise<number>;
  /**
   * Applies all writes atomically on top of `expectedVersion` and returns the new version; throws
   * ConflictError, writing nothing, when the store is no longer at `expectedVersion`.
   */
  commit(expectedVersion: string, writes: readonly StoreWrite[], message: string): Promise<string>;
}

/** The store moved on since the version a commit was built on (a non-fast-forward update): re-read, retry. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export function isConflict(error: unknown): error is ConflictError {
  return error instanceof ConflictError;
}

/** Checks that a write says exactly one of append/content, and that its path stays inside the log. */
export function checkWrite(write: StoreWrite): void {
  if ((write.append === undefined) === (write.content === undefined)) {
    throw new Error(`write to ${write.path}: give exactly one of append and content`);
  }
  const parts = write.path.split("/");
  if (
    write.path === "" ||
    write.path.startsWith("/") ||
    parts.some((p) => p === "" || p === "." || p === "..")
  ) {
    throw new Error(`write to ${JSON.stringify(write.path)}: not a relative path inside the log`);
  }
}

/** The lines of a JSONL text: split at "\n", without the empty string after the final newline. */
export function jsonlLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
