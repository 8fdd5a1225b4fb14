/**
 * Throwaway git repositories for tests, built with the real git binary in the OS temp directory.
 * Commands run with an isolated configuration (no system or global config, fixed identity) so a developer's
 * or CI machine's git settings cannot change what the tests see.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { devNull, tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Environment for test git commands: inherited PATH etc., but none of the variables that redirect git. */
export function testGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // GIT_DIR, GIT_INDEX_FILE, ... are set when tests run from a git hook and would point at the wrong repo.
    if (!name.startsWith("GIT_")) env[name] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: devNull,
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Committer",
    GIT_COMMITTER_EMAIL: "committer@example.com",
  };
}

/** A directory in the OS temp dir (symlinks resolved, so it compares equal to what git reports). */
export function makeTempDir(prefix = "acc-test-"): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export interface TempGitRepoOptions {
  /** Initial branch name; `main` unless given. */
  branch?: string;
}

export class TempGitRepo {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(options: TempGitRepoOptions = {}): TempGitRepo {
    const repo = new TempGitRepo(makeTempDir("acc-git-"));
    repo.git("init", "-q", "-b", options.branch ?? "main");
    // Keep bytes and modes exactly as written, whatever the platform defaults are.
    repo.git("config", "core.autocrlf", "false");
    repo.git("config", "commit.gpgsign", "false");
    return repo;
  }

  /** Runs git in the repository and returns stdout without the trailing newline. */
  git(...args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      env: testGitEnv(),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    }).replace(/\n$/, "");
  }

  /** Absolute path of a repository-relative path. */
  path(relative: string): string {
    return join(this.dir, relative);
  }

  /** Writes a file, creating parent directories. */
  write(relative: string, content: string | Uint8Array, options: { executable?: boolean } = {}): void {
    const target = this.path(relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, options.executable ? 0o755 : 0o644);
  }

  /** Creates a symlink at `relative` pointing at `target` (stored verbatim, not resolved). */
  symlink(relative: string, target: string): void {
    const link = this.path(relative);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link);
  }

  remove(relative: string): void {
    rmSync(this.path(relative), { recursive: true, force: true });
  }

  /** Records a submodule entry (a gitlink) at `relative` without needing a real submodule repository. */
  addGitlink(relative: string, commitSha: string): void {
    // An empty directory marks it as an unpopulated submodule; without it `add -A` would stage a deletion.
    mkdirSync(this.path(relative), { recursive: true });
    this.git("update-index", "--add", "--cacheinfo", `160000,${commitSha},${relative}`);
  }

  /** Stages everything (including deletions) and commits; returns the new commit's SHA. */
  commit(message: string, options: { allowEmpty?: boolean } = {}): string {
    this.git("add", "-A");
    this.git("commit", "-q", "--no-verify", ...(options.allowEmpty ? ["--allow-empty"] : []), "-m", message);
    return this.sha("HEAD");
  }

  /** Switches to a branch; `create` makes it first, from `from` (default: the current HEAD). */
  checkout(branch: string, options: { create?: boolean; from?: string } = {}): void {
    if (options.create) this.git("checkout", "-q", "-b", branch, ...(options.from ? [options.from] : []));
    else this.git("checkout", "-q", branch);
  }

  /** Moves a tracked path with `git mv` (so the rename is staged even before `commit`). */
  move(from: string, to: string): void {
    mkdirSync(dirname(this.path(to)), { recursive: true });
    this.git("mv", from, to);
  }

  /** Full SHA of a commit-ish. */
  sha(ref: string): string {
    return this.git("rev-parse", "--verify", `${ref}^{commit}`);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
