/**
 * The CLI's adapter over a local git repository: which paths changed between two commits and what bytes each
 * side holds. Everything goes through the `git` binary with argument arrays (never a shell), so odd paths and
 * refs cannot be interpreted as anything but data.
 */
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { blobKey, type ChangedPath } from "../core/gather.js";
import type { FileBlob } from "../core/types.js";

/** Longest any single git process may run before it is killed. Generous: cold caches on huge repositories. */
export const GIT_TIMEOUT_MS = 60_000;

/** Default limit for `readText`; the policy file and its schemas are far smaller than this. */
export const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * Budget for the paths on one `ls-tree` command line. Linux allows ~2 MB, but Windows caps a whole command
 * line at 32 KB, so chunks stay below that; 1,000 typical paths still need only one or two processes.
 */
const MAX_PATH_ARGS_BYTES = 30_000;

/** How much of git's stderr ends up in an error message. */
const STDERR_LINES_IN_MESSAGE = 5;

/**
 * Options every git invocation gets. `core.quotePath=false` keeps non-ASCII path bytes raw; the literal
 * pathspecs stop paths such as `:x` or `*.md` from being read as pathspec magic or globs.
 */
const GIT_CONFIG_ARGS = ["-c", "core.quotePath=false"];
const GIT_ENV_OVERRIDES = { GIT_LITERAL_PATHSPECS: "1", GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" };

/** Branch names tried, in order, when origin/HEAD does not say which branch is the default. */
const DEFAULT_BRANCH_CANDIDATES = ["main", "master", "trunk"];

export class GitError extends Error {
  /** git's exit code, or undefined when git could not be started or was killed. */
  readonly exitCode: number | undefined;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GitError";
    this.exitCode = options.exitCode;
  }
}

export type { ChangedPath };

interface RunOptions {
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. `merge-base` exits 1 when there is none). */
  allowedExitCodes?: readonly number[];
}

interface RunResult {
  stdout: Buffer;
  exitCode: number;
}

/** One entry of `git ls-tree -l`. `size` is undefined for submodules (and trees). */
interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  size: number | undefined;
  path: string;
}

export class GitRepo {
  /** Absolute path of the work tree's top-level directory, as git reports it (symlinks resolved). */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  static async open(dir: string): Promise<GitRepo> {
    const absolute = resolve(dir);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new GitError(`cannot open repository: directory ${absolute} does not exist`);
    if (!info.isDirectory()) throw new GitError(`cannot open repository: ${absolute} is not a directory`);
    let result: RunResult;
    try {
      result = await runGit(absolute, ["rev-parse", "--show-toplevel"]);
    } catch (error) {
      // A failing exit means git ran and said no; anything else (git missing, timeout) is reported as is.
      if (error instanceof GitError && error.exitCode !== undefined) {
        throw new GitError(`${absolute} is not inside a git repository work tree: ${error.message}`, {
          exitCode: error.exitCode,
          cause: error,
        });
      }
      throw error;
    }
    return new GitRepo(firstLine(result.stdout));
  }

  async resolveRef(ref: string): Promise<string> {
    // A leading dash would be parsed as an option; no real ref starts with one.
    if (ref === "" || ref.startsWith("-") || ref.includes("\0"))
      throw new GitError(`unknown revision ${ref}`);
    const result = await this.run(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      allowedExitCodes: [1],
    }).catch((error: unknown) => {
      // git ran and rejected the argument; a missing git or a timeout keeps its own message.
      if (error instanceof GitError && error.exitCode !== undefined) {
        throw new GitError(`unknown revision ${ref}`, { exitCode: error.exitCode, cause: error });
      }
      throw error;
    });
    const sha = firstLine(result.stdout);
    if (result.exitCode !== 0 || sha === "") throw new GitError(`unknown revision ${ref}`);
    return sha;
  }

  /**
   * The default branch as a ref name that `resolveRef` accepts: `origin/<name>` when origin/HEAD points at it
   * or only the remote-tracking branch exists, otherwise the local branch name.
   */
  async defaultBranch(): Promise<string | undefined> {
    const candidates = DEFAULT_BRANCH_CANDIDATES.flatMap((name) => [
      `refs/heads/${name}`,
      `refs/remotes/origin/${name}`,
    ]);
    // One process for everything; for-each-ref skips a dangling origin/HEAD, so a listed symref target exists.
    const { stdout } = await this.run([
      "for-each-ref",
      "--format=%(refname)%00%(symref)",
      "refs/remotes/origin/HEAD",
      ...candidates,
    ]);
    const existing = new Set<string>();
    let originHead: string | undefined;
    for (const line of stdout.toString("utf8").split("\n")) {
      const [refname = "", symref = ""] = line.split("\0");
      if (refname === "refs/remotes/origin/HEAD") {
        if (symref !== "") originHead = symref;
      } else if (refname !== "") {
        existing.add(refname);
      }
    }
    if (originHead?.startsWith("refs/remotes/")) return originHead.slice("refs/remotes/".length);
    const found = candidates.find((ref) => existing.has(ref));
    return found?.replace(/^refs\/(heads|remotes)\//, "");
  }

  async defaultBase(head: string): Promise<string> {
    const headSha = await this.resolveRef(head);
    const branch = await this.defaultBranch();
    if (branch === undefined) {
      throw new GitError(
        `cannot choose a base for ${head}: no default branch found (origin/HEAD is not set and none of ` +
          `${DEFAULT_BRANCH_CANDIDATES.join(", ")} exists); pass --base <ref>`,
      );
    }
    const branchSha = await this.resolveRef(branch);
    const mergeBase = await this.run(["merge-base", branchSha, headSha], { allowedExitCodes: [1] });
    const base = firstLine(mergeBase.stdout);
    if (mergeBase.exitCode !== 0 || base === "") {
      throw new GitError(
        `cannot choose a base for ${head}: it has no common ancestor with ${branch}` +
          `${await this.shallowHint()}; pass --base <ref>`,
      );
    }
    if (base !== headSha) return base;

    // head is already on the default branch (e.g. `check` run on main): review the commit that got it there.
    const parent = await this.run(["rev-parse", "--verify", "--quiet", `${headSha}^1^{commit}`], {
      allowedExitCodes: [1],
    });
    const parentSha = firstLine(parent.stdout);
    if (parent.exitCode !== 0 || parentSha === "") {
      throw new GitError(
        `cannot choose a base for ${head}: it is on ${branch} and has no parent commit` +
          `${await this.shallowHint()}; pass --base <ref>`,
      );
    }
    return parentSha;
  }

  async changedPaths(base: string, head: string): Promise<ChangedPath[]> {
    const [baseSha, headSha] = await Promise.all([this.resolveRef(base), this.resolveRef(head)]);
    const { stdout } = await this.run([
      "diff",
      "--name-status",
      "-z",
      "--find-renames",
      "--no-ext-diff",
      "--no-color",
      // A user's diff.ignoreSubmodules setting must not hide submodule changes from review.
      "--ignore-submodules=none",
      baseSha,
      headSha,
      "--",
    ]);
    return parseNameStatus(stdout.toString("utf8")).sort((a, b) => compareStrings(a.path, b.path));
  }

  async readBlobs(
    requests: { ref: string; path: string }[],
    maxBytes: number,
  ): Promise<Map<string, FileBlob | undefined>> {
    const result = new Map<string, FileBlob | undefined>();
    const pathsByRef = new Map<string, Set<string>>();
    for (const { ref, path } of requests) {
      result.set(blobKey(ref, path), undefined);
      // An empty path would mean "the whole tree" to ls-tree; NUL cannot be passed as an argument.
      if (path === "" || path.includes("\0")) continue;
      const paths = pathsByRef.get(ref) ?? new Set<string>();
      paths.add(path);
      pathsByRef.set(ref, paths);
    }

    // ls-tree -l gives mode, object id and size together, which is what `cat-file --batch-check` would add.
    const entries = new Map<string, TreeEntry>();
    await Promise.all(
      [...pathsByRef].map(async ([ref, paths]) => {
        const commit = await this.resolveRef(ref);
        for (const entry of await this.listTree(commit, [...paths])) {
          // ls-tree may also list entries on the way to a requested path; keep exact matches only.
          if (paths.has(entry.path)) entries.set(blobKey(ref, entry.path), entry);
        }
      }),
    );

    const wanted = new Set<string>();
    for (const entry of entries.values()) {
      if (entry.type === "blob" && entry.size !== undefined && entry.size <= maxBytes) wanted.add(entry.sha);
    }
    const contents = await this.readObjects([...wanted]);

    for (const [key, entry] of entries) result.set(key, toFileBlob(entry, contents));
    return result;
  }

  async readText(ref: string, path: string, maxBytes: number = MAX_TEXT_BYTES): Promise<string | undefined> {
    const blob = (await this.readBlobs([{ ref, path }], maxBytes)).get(blobKey(ref, path));
    if (blob === undefined) return undefined;
    if (blob.mode === "symlink" || blob.mode === "submodule") {
      throw new GitError(`${path} at ${ref} is a ${blob.mode}, not a regular file`);
    }
    if (blob.data === undefined) {
      throw new GitError(`${path} at ${ref} is ${blob.size} bytes, more than the ${maxBytes}-byte limit`);
    }
    return new TextDecoder().decode(blob.data);
  }

  private run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    return runGit(this.root, args, options);
  }

  private async listTree(commit: string, paths: string[]): Promise<TreeEntry[]> {
    const entries: TreeEntry[] = [];
    for (const chunk of chunkByBytes(paths, MAX_PATH_ARGS_BYTES)) {
      const { stdout } = await this.run(["ls-tree", "-z", "-l", "--full-tree", commit, "--", ...chunk]);
      entries.push(...parseLsTree(stdout.toString("utf8")));
    }
    return entries;
  }

  /** Reads whole objects through one `cat-file --batch` process, keyed by object id. */
  private async readObjects(shas: string[]): Promise<Map<string, Uint8Array>> {
    const objects = new Map<string, Uint8Array>();
    if (shas.length === 0) return objects;
    // Object ids, not `rev:path`, so paths with newlines or colons never reach the line-based protocol.
    const { stdout } = await this.run(["cat-file", "--batch", "--buffer"], { input: `${shas.join("\n")}\n` });
    let offset = 0;
    while (offset < stdout.length) {
      const headerEnd = stdout.indexOf(0x0a, offset);
      if (headerEnd < 0) throw new GitError("git cat-file --batch: truncated output");
      const header = stdout.toString("latin1", offset, headerEnd);
      const [sha = "", type = "", sizeText = ""] = header.split(" ");
      if (type === "missing" || type === "ambiguous") {
        throw new GitError(`git cat-file --batch: object ${sha} is ${type} (incomplete or partial clone?)`);
      }
      const size = Number(sizeText);
      const start = headerEnd + 1;
      const end = start + size;
      if (!Number.isSafeInteger(size) || end >= stdout.length || stdout[end] !== 0x0a) {
        throw new GitError(`git cat-file --batch: malformed output after "${header}"`);
      }
      // A view, not a copy: runGit gives stdout its own ArrayBuffer, so nothing else shares this memory.
      objects.set(sha, new Uint8Array(stdout.buffer, stdout.byteOffset + start, size));
      offset = end + 1;
    }
    return objects;
  }

  /** Explains a missing ancestor when the clone is shallow, the usual cause in CI. */
  private async shallowHint(): Promise<string> {
    const result = await this.run(["rev-parse", "--is-shallow-repository"]).catch(() => undefined);
    return result && firstLine(result.stdout) === "true"
      ? " (this is a shallow clone: fetch more history, e.g. `git fetch --unshallow` or fetch-depth: 0)"
      : "";
  }
}

function toFileBlob(entry: TreeEntry, contents: Map<string, Uint8Array>): FileBlob | undefined {
  if (entry.type === "commit") return { size: 0, mode: "submodule" };
  // A directory (tree) is not a file at that path.
  if (entry.type !== "blob" || entry.size === undefined) return undefined;
  const mode = entry.mode === "120000" ? "symlink" : entry.mode === "100755" ? "executable" : "file";
  const data = contents.get(entry.sha);
  return data === undefined ? { size: entry.size, mode } : { size: entry.size, data, mode };
}

/** Parses `git diff --name-status -z`: a status field, then one path (two for renames and copies). */
function parseNameStatus(output: string): ChangedPath[] {
  const fields = output.split("\0");
  if (fields.at(-1) === "") fields.pop();
  let index = 0;
  const next = (): string => {
    const field = fields[index++];
    if (field === undefined) throw new GitError("git diff --name-status: truncated output");
    return field;
  };
  const changes: ChangedPath[] = [];
  while (index < fields.length) {
    const status = next();
    switch (status[0]) {
      case "A":
        changes.push({ path: next(), status: "added" });
        break;
      case "M":
      case "T": // type change, e.g. a file became a symlink
        changes.push({ path: next(), status: "modified" });
        break;
      case "D":
        changes.push({ path: next(), status: "removed" });
        break;
      case "R": {
        const previousPath = next();
        changes.push({ path: next(), previousPath, status: "renamed" });
        break;
      }
      case "C": {
        // Only seen if copy detection is ever enabled (--find-renames alone never reports copies). The source
        // stays in place, so the destination is a new file that happens to have an origin.
        const previousPath = next();
        changes.push({ path: next(), previousPath, status: "added" });
        break;
      }
      default:
        throw new GitError(`git diff --name-status: unexpected status "${status}"`);
    }
  }
  return changes;
}

/** Parses `git ls-tree -z -l`: `<mode> SP <type> SP <sha> SP+ <size or -> TAB <path> NUL`. */
function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode, type, sha, sizeText] = record.slice(0, tab).split(/ +/);
    if (tab < 0 || mode === undefined || type === undefined || sha === undefined || sizeText === undefined) {
      throw new GitError(`git ls-tree: malformed entry "${record.slice(0, 80)}"`);
    }
    const size = sizeText === "-" ? undefined : Number(sizeText);
    entries.push({ mode, type, sha, size, path: record.slice(tab + 1) });
  }
  return entries;
}

function chunkByBytes(items: string[], maxBytes: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(item) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Code-unit order, so the result does not depend on the machine's locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstLine(output: Buffer): string {
  const text = output.toString("utf8");
  const end = text.indexOf("\n");
  return end < 0 ? text : text.slice(0, end);
}

/** Short form of a command for error messages: path lists can be thousands of arguments long. */
function describeCommand(args: string[]): string {
  const text = ["git", ...args].join(" ");
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function runGit(cwd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const command = describeCommand(args);
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", [...GIT_CONFIG_ARGS, ...args], {
      cwd,
      env: { ...process.env, ...GIT_ENV_OVERRIDES },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let settled = false;
    const finish = (error: GitError | undefined, result?: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else if (result) resolvePromise(result);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(new GitError(`${command} timed out after ${GIT_TIMEOUT_MS / 1000} s and was killed`));
    }, GIT_TIMEOUT_MS);

    child.stdout?.on("data", (chunk: Buffer) => {
      stdoutChunks.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      // Only the first lines are ever shown; don't let a chatty git grow this without bound.
      if (stderr.length < 16_384) stderr += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      const message =
        error.code === "ENOENT"
          ? "git is not installed or not on PATH (needed to read the repository)"
          : `${command} could not be started: ${error.message}`;
      finish(new GitError(message, { cause: error }));
    });
    child.on("close", (code, signal) => {
      if (code !== null && (code === 0 || options.allowedExitCodes?.includes(code))) {
        // Copy into a fresh ArrayBuffer (Buffer.concat may use the shared pool) so callers can hand out views.
        const stdout = Buffer.from(new ArrayBuffer(stdoutBytes));
        let offset = 0;
        for (const chunk of stdoutChunks) offset += chunk.copy(stdout, offset);
        finish(undefined, { stdout, exitCode: code });
        return;
      }
      const detail = stderr.trim().split("\n").slice(0, STDERR_LINES_IN_MESSAGE).join("\n");
      const how = code === null ? `was killed by ${signal}` : `failed (exit ${code})`;
      const exitCode = code ?? undefined;
      finish(new GitError(`${command} ${how}${detail ? `: ${detail}` : ""}`, { exitCode }));
    });

    if (options.input !== undefined && child.stdin) {
      // git may exit before reading all input (e.g. on a bad object); the exit code reports that, not EPIPE.
      child.stdin.on("error", () => {});
      child.stdin.end(options.input);
    }
  });
}
