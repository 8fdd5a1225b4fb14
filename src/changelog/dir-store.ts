import { createHash, randomBytes } from "node:crypto";
import { createReadStream, type Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, posix, resolve } from "node:path";
import type { LogState } from "../core/changelog/types.js";
import { CHECKPOINTS_DIR, indexPath, KEYS_DIR, RECORDS_DIR, STATE_PATH } from "./layout.js";
import { ConflictError, checkWrite, type LogStore, type StoreSnapshot, type StoreWrite } from "./store.js";

const LOCK = ".lock";
const JOURNAL = ".commit";

/**
 * A change log in a local directory (a clone of the log branch, or the CLI's own log). The version is the
 * SHA-256 of state.json. A commit takes a lock file (`.lock`, created exclusively), checks the version, writes
 * every new file content to a temporary file, records the renames in a journal (`.commit`), renames them into
 * place (state.json last) and deletes the journal. A commit interrupted after the journal was written is
 * finished by the next one (roll forward); one interrupted before leaves the log as it was.
 *
 * Reads are of the current files: `hasRecord` and `fileBytes` ignore `at`. That is safe for the writer: if the
 * directory moved on since its snapshot, its commit fails with ConflictError whatever it read.
 */
export class DirStore implements LogStore {
  readonly id: string;

  constructor(readonly root: string) {
    this.id = `dir:${resolve(root)}`;
  }

  async snapshot(): Promise<StoreSnapshot> {
    const text = await this.readOptional(STATE_PATH);
    if (text === undefined) return { version: "", state: undefined };
    return { version: versionOf(text), state: JSON.parse(text) as LogState };
  }

  async hasRecord(recordId: string): Promise<boolean> {
    return exists(this.abs(indexPath(recordId)));
  }

  async indexedRecords(recordIds: readonly string[]): Promise<Set<string>> {
    const found = await Promise.all(
      recordIds.map(async (id) => ((await this.hasRecord(id)) ? id : undefined)),
    );
    return new Set(found.filter((id): id is string => id !== undefined));
  }

  async fileBytes(path: string): Promise<number> {
    try {
      return (await stat(this.abs(path))).size;
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
  }

  async commit(expectedVersion: string, writes: readonly StoreWrite[], _message: string): Promise<string> {
    writes.forEach(checkWrite);
    await mkdir(this.root, { recursive: true });
    const release = await this.lock();
    try {
      await this.recover();
      const { version } = await this.snapshot();
      if (version !== expectedVersion) {
        throw new ConflictError(
          `${this.root} moved on: expected version ${expectedVersion || "(none)"}, found ${version}`,
        );
      }
      const contents = new Map<string, string>();
      for (const w of writes) {
        const before =
          contents.get(w.path) ?? (w.append !== undefined ? ((await this.readOptional(w.path)) ?? "") : "");
        contents.set(w.path, w.content ?? before + w.append!);
      }
      const paths = [...contents.keys()].sort((a, b) => Number(a === STATE_PATH) - Number(b === STATE_PATH));
      const renames: { tmp: string; path: string }[] = [];
      for (const path of paths) {
        const tmp = posix.join(
          posix.dirname(path),
          `.${posix.basename(path)}.${randomBytes(6).toString("hex")}.tmp`,
        );
        await writeDurably(this.abs(tmp), contents.get(path)!);
        renames.push({ tmp, path });
      }
      await writeDurably(this.abs(`${JOURNAL}.tmp`), JSON.stringify(renames));
      await rename(this.abs(`${JOURNAL}.tmp`), this.abs(JOURNAL));
      await this.recover();
      return (await this.snapshot()).version;
    } finally {
      await release();
    }
  }

  async listRecordFiles(): Promise<string[]> {
    return this.list(RECORDS_DIR, ".jsonl");
  }

  async listCheckpoints(): Promise<string[]> {
    return this.list(CHECKPOINTS_DIR, ".txt");
  }

  async listKeys(): Promise<string[]> {
    return this.list(KEYS_DIR, ".pub");
  }

  /** Streams the lines (split at "\n" only; a stray "\r" stays part of its line, for the verifier to see). */
  readLines(path: string): AsyncIterable<string> {
    return readFileLines(this.abs(path));
  }

  /** The file's path on this machine (the verifier then reads record files in worker threads). */
  localPath(path: string): string {
    return resolve(this.abs(path));
  }

  async readText(path: string): Promise<string> {
    return readFile(this.abs(path), "utf8");
  }

  private abs(path: string): string {
    return join(this.root, ...path.split("/"));
  }

  private async readOptional(path: string): Promise<string | undefined> {
    try {
      return await readFile(this.abs(path), "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Finishes a commit whose journal was written: renames what is still to be renamed, drops the journal. */
  private async recover(): Promise<void> {
    const journal = await this.readOptional(JOURNAL);
    if (journal === undefined) return;
    for (const { tmp, path } of JSON.parse(journal) as { tmp: string; path: string }[]) {
      if (await exists(this.abs(tmp))) {
        await mkdir(dirname(this.abs(path)), { recursive: true });
        await rename(this.abs(tmp), this.abs(path));
      }
    }
    await unlink(this.abs(JOURNAL));
  }

  /** Takes `.lock` (exclusive create); a lock left by a process that no longer runs is taken over. */
  private async lock(): Promise<() => Promise<void>> {
    const path = this.abs(LOCK);
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(path, "wx");
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => rm(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = Number((await this.readOptional(LOCK)) ?? "");
        if (attempt === 0 && Number.isInteger(holder) && holder > 0 && !isRunning(holder)) {
          await rm(path, { force: true });
          continue;
        }
        throw new ConflictError(`${this.root} is locked by another writer (process ${holder || "unknown"})`);
      }
    }
  }

  private async list(dir: string, suffix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(this.abs(rel), { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const e of entries) {
        if (e.name.startsWith(".")) continue;
        const child = `${rel}/${e.name}`;
        if (e.isDirectory()) await walk(child);
        else if (e.isFile() && e.name.endsWith(suffix)) out.push(child);
      }
    };
    await walk(dir);
    return out.sort();
  }
}

/** The lines of a local file, split at "\n" only (DirStore.readLines; also the verifier's worker threads). */
export async function* readFileLines(absPath: string): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of createReadStream(absPath, { encoding: "utf8" })) {
    const lines = (rest + (chunk as string)).split("\n");
    rest = lines.pop()!;
    yield* lines;
  }
  if (rest !== "") yield rest;
}

function versionOf(stateText: string): string {
  return createHash("sha256").update(stateText, "utf8").digest("hex");
}

async function writeDurably(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
