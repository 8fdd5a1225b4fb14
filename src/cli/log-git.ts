/**
 * What `reconcile` reads from a local clone: the first-parent history of the default branch and, per commit,
 * the files it changed with their blob ids. Through the git binary with argument arrays, never a shell.
 */
import { execFile } from "node:child_process";
import type { FirstParentCommit, RawChange } from "../core/changelog/history.js";
import type { ChangeStatus } from "../core/types.js";
import { GIT_TIMEOUT_MS, GitError } from "./git-repo.js";

const EMPTY_TREE_SHA1 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const ZERO = /^0+$/;

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      ["-c", "core.quotePath=false", ...args],
      {
        cwd,
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
        timeout: GIT_TIMEOUT_MS,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" },
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === "number" ? error.code : undefined;
          const why = stderr.trim().split("\n").slice(0, 3).join(" ") || error.message;
          reject(
            new GitError(`git ${args[0]} failed: ${why}`, {
              ...(code !== undefined ? { exitCode: code } : {}),
              cause: error,
            }),
          );
        } else resolvePromise(stdout);
      },
    );
  });
}

const toUtc = (iso: string) => new Date(Date.parse(iso)).toISOString().replace(/\.000Z$/, "Z");

/** First-parent commits of `branch`, newest first (the whole line; the caller picks the period). */
export async function firstParentCommits(cwd: string, branch: string): Promise<FirstParentCommit[]> {
  const out = await git(cwd, [
    "log",
    "--first-parent",
    "-z",
    "--format=%H%x1f%P%x1f%cI%x1f%an%x1f%ae%x1f%cn%x1f%s%x1f%B",
    branch,
    "--",
  ]);
  return out
    .split("\0")
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => {
      const [
        sha = "",
        parents = "",
        committedAt = "",
        authorName = "",
        authorEmail = "",
        committerName = "",
        subject = "",
        message = "",
      ] = chunk.replace(/^\n/, "").split("\x1f");
      return {
        sha,
        parents: parents.split(" ").filter((p) => p !== ""),
        committedAt: toUtc(committedAt),
        authorName,
        authorEmail,
        committerName,
        subject,
        message,
      };
    });
}

/** The files a commit changed against its first parent (everything, for a root commit), with blob ids. */
export async function commitChanges(cwd: string, commit: FirstParentCommit): Promise<RawChange[]> {
  const base = commit.parents[0] ?? EMPTY_TREE_SHA1;
  const out = await git(cwd, [
    "diff",
    "--raw",
    "-z",
    "--no-abbrev",
    "--find-renames",
    "--no-ext-diff",
    "--ignore-submodules=none",
    base,
    commit.sha,
    "--",
  ]);
  const fields = out.split("\0");
  const changes: RawChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const head = fields[i++]!;
    if (!head.startsWith(":")) continue;
    const [, , before = "", after = "", letter = ""] = head.slice(1).split(" ");
    const blobBefore = ZERO.test(before) ? null : before;
    const blobAfter = ZERO.test(after) ? null : after;
    if (letter.startsWith("R") || letter.startsWith("C")) {
      const from = fields[i++]!;
      const to = fields[i++]!;
      if (letter.startsWith("R"))
        changes.push({ path: to, previousPath: from, status: "renamed", blobBefore, blobAfter });
      else changes.push({ path: to, status: "added", blobBefore: null, blobAfter });
      continue;
    }
    const path = fields[i++]!;
    const status: ChangeStatus = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
    changes.push({ path, status, blobBefore, blobAfter });
  }
  return changes;
}

/** Every blob of a commit's tree (path → blob id); symlinks and submodules left out. */
export async function treeBlobs(cwd: string, sha: string): Promise<{ path: string; blob_sha: string }[]> {
  const out = await git(cwd, ["ls-tree", "-r", "-z", "--full-tree", sha]);
  const blobs: { path: string; blob_sha: string }[] = [];
  for (const entry of out.split("\0")) {
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const [mode = "", type = "", id = ""] = entry.slice(0, tab).split(" ");
    if (type === "blob" && mode !== "120000") blobs.push({ path: entry.slice(tab + 1), blob_sha: id });
  }
  return blobs;
}

/** The blob id of `path` at `rev`, or null when it is absent. */
export async function blobAt(cwd: string, rev: string, path: string): Promise<string | null> {
  const out = await git(cwd, ["ls-tree", "-z", "--full-tree", rev, "--", path]);
  const entry = out.split("\0").find((e) => e.endsWith(`\t${path}`));
  return entry?.split("\t")[0]?.split(" ")[2] ?? null;
}
