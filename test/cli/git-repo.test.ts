import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { GitError, GitRepo } from "../../src/cli/git-repo.js";
import type { FileBlob } from "../../src/core/types.js";
import { makeTempDir, TempGitRepo } from "../helpers/temp-git-repo.js";

const repos: TempGitRepo[] = [];
function newRepo(branch?: string): TempGitRepo {
  const repo = TempGitRepo.create(branch === undefined ? {} : { branch });
  repos.push(repo);
  return repo;
}
afterAll(() => {
  for (const repo of repos) repo.cleanup();
});

/** Asserts a rejection with a GitError carrying exactly this message. */
async function expectGitError(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GitError);
  if (typeof message === "string") expect((error as GitError).message).toBe(message);
  else expect((error as GitError).message).toMatch(message);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function hex(data: Uint8Array | undefined): string | undefined {
  return data === undefined ? undefined : Buffer.from(data).toString("hex");
}

function text(blob: FileBlob | undefined): string | undefined {
  return blob?.data === undefined ? undefined : Buffer.from(blob.data).toString("utf8");
}

/** A few lines of text, long enough for git's rename detection to pair an edited copy. */
const LONG_TEXT = `${Array.from({ length: 20 }, (_, i) => `line ${i} of a document that moves`).join("\n")}\n`;

describe("GitRepo.open", () => {
  let repo: TempGitRepo;
  const tempDirs: string[] = [];
  beforeAll(() => {
    repo = newRepo();
    repo.write("a/b/file.txt", "x\n");
    repo.commit("init");
  });
  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  test("resolves the top-level directory from a subdirectory", async () => {
    const git = await GitRepo.open(repo.path("a/b"));
    expect(git.root).toBe(repo.dir);
  });

  test("rejects a directory that is not in a git repository", async () => {
    const dir = makeTempDir();
    tempDirs.push(dir);
    // git's own wording follows the locale, so only our part of the message is matched exactly.
    const prefix = `${dir} is not inside a git repository work tree: git rev-parse --show-toplevel failed (exit 128): `;
    await expectGitError(GitRepo.open(dir), new RegExp(`^${escapeRegExp(prefix)}.+`));
  });

  test("rejects a missing directory", async () => {
    const missing = `${repo.dir}-missing`;
    await expectGitError(
      GitRepo.open(missing),
      `cannot open repository: directory ${missing} does not exist`,
    );
  });

  test("reports git not being installed", async () => {
    const emptyBin = makeTempDir();
    tempDirs.push(emptyBin);
    const savedPath = process.env.PATH;
    process.env.PATH = emptyBin;
    try {
      await expectGitError(
        GitRepo.open(repo.dir),
        "git is not installed or not on PATH (needed to read the repository)",
      );
    } finally {
      process.env.PATH = savedPath;
    }
  });
});

describe("resolveRef", () => {
  let repo: TempGitRepo;
  let git: GitRepo;
  beforeAll(async () => {
    repo = newRepo();
    repo.write("f.txt", "1\n");
    repo.commit("one");
    repo.git("tag", "v1");
    repo.write("f.txt", "2\n");
    repo.commit("two");
    git = await GitRepo.open(repo.dir);
  });

  test("returns the full commit SHA of branches, tags and expressions", async () => {
    const head = repo.sha("HEAD");
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    await expect(git.resolveRef("HEAD")).resolves.toBe(head);
    await expect(git.resolveRef("main")).resolves.toBe(head);
    await expect(git.resolveRef(head.slice(0, 10))).resolves.toBe(head);
    // A tag resolves to the commit it names.
    await expect(git.resolveRef("v1")).resolves.toBe(repo.sha("HEAD~1"));
    await expect(git.resolveRef("HEAD~1")).resolves.toBe(repo.sha("v1"));
  });

  test.each(["nope", "HEAD~5", "HEAD^{tree}", "--help", "-n", ""])("unknown revision %j", async (ref) => {
    await expectGitError(git.resolveRef(ref), `unknown revision ${ref}`);
  });
});

describe("changedPaths", () => {
  let repo: TempGitRepo;
  let git: GitRepo;
  let base: string;
  let head: string;
  beforeAll(async () => {
    repo = newRepo();
    repo.write("keep.txt", "unchanged\n");
    repo.write("modify.txt", "before\n");
    repo.write("remove.txt", "going away\n");
    repo.write("rename-me.md", LONG_TEXT);
    repo.write("tool.sh", "#!/bin/sh\necho hi\n");
    repo.write("type.txt", "a file that becomes a symlink\n");
    base = repo.commit("base");

    repo.write("modify.txt", "after\n");
    repo.remove("remove.txt");
    repo.remove("rename-me.md");
    repo.write("docs/renamed.md", `${LONG_TEXT}one more line\n`);
    repo.write("tool.sh", "#!/bin/sh\necho hi\n", { executable: true });
    repo.remove("type.txt");
    repo.symlink("type.txt", "keep.txt");
    repo.write("dir with space/naïve 文件.txt", "unicode\n");
    repo.write("new\nline.txt", "newline in the name\n");
    head = repo.commit("head");
    git = await GitRepo.open(repo.dir);
  });

  test("lists every kind of change, sorted by path", async () => {
    await expect(git.changedPaths(base, head)).resolves.toStrictEqual([
      { path: "dir with space/naïve 文件.txt", status: "added" },
      { path: "docs/renamed.md", previousPath: "rename-me.md", status: "renamed" },
      { path: "modify.txt", status: "modified" },
      { path: "new\nline.txt", status: "added" },
      { path: "remove.txt", status: "removed" },
      { path: "tool.sh", status: "modified" }, // mode change only
      { path: "type.txt", status: "modified" }, // file became a symlink
    ]);
  });

  test("accepts any ref expression and reverses cleanly", async () => {
    await expect(git.changedPaths("HEAD", "HEAD~1")).resolves.toStrictEqual([
      { path: "dir with space/naïve 文件.txt", status: "removed" },
      { path: "modify.txt", status: "modified" },
      { path: "new\nline.txt", status: "removed" },
      { path: "remove.txt", status: "added" },
      { path: "rename-me.md", previousPath: "docs/renamed.md", status: "renamed" },
      { path: "tool.sh", status: "modified" },
      { path: "type.txt", status: "modified" },
    ]);
  });

  test("returns nothing for identical commits", async () => {
    await expect(git.changedPaths(head, "main")).resolves.toStrictEqual([]);
  });

  test("rejects an unknown ref", async () => {
    await expectGitError(git.changedPaths("no-such-base", head), "unknown revision no-such-base");
  });
});

describe("readBlobs", () => {
  let repo: TempGitRepo;
  let git: GitRepo;
  let base: string;
  const MAX = 64;
  const binary = new Uint8Array([0x00, 0x01, 0x02, 0x00, 0xff, 0x00, 0x0a]);
  const invalidUtf8 = new Uint8Array([0x66, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0x80]);

  beforeAll(async () => {
    repo = newRepo();
    repo.write("text.txt", "hello\n");
    repo.write("submodule-target.txt", "x\n");
    base = repo.commit("base");

    repo.write("text.txt", "hello world\n");
    repo.write("bin.dat", binary);
    repo.write("invalid.txt", invalidUtf8);
    repo.write("big.txt", "x".repeat(MAX + 1));
    repo.write("exact.txt", "y".repeat(MAX));
    repo.write("empty.txt", "");
    repo.write("run.sh", "#!/bin/sh\n", { executable: true });
    repo.symlink("link", "target/file.txt");
    repo.write("nested/dir with space/naïve 文件.json", '{"a":1}\n');
    repo.write("new\nline.txt", "newline\n");
    repo.write(":(glob)*?[x].txt", "magic characters\n");
    repo.write("same-a.txt", "same content\n");
    repo.write("same-b.txt", "same content\n");
    repo.addGitlink("sub", base);
    repo.commit("head");
    git = await GitRepo.open(repo.dir);
  });

  test("reads both sides of a change with exact bytes and modes", async () => {
    const paths = [
      "text.txt",
      "bin.dat",
      "invalid.txt",
      "big.txt",
      "exact.txt",
      "empty.txt",
      "run.sh",
      "link",
      "nested/dir with space/naïve 文件.json",
      "new\nline.txt",
      ":(glob)*?[x].txt",
      "same-a.txt",
      "same-b.txt",
      "sub",
      "missing.txt",
      "nested",
    ];
    const blobs = await git.readBlobs(
      [
        ...paths.map((path) => ({ ref: "HEAD", path })),
        { ref: base, path: "text.txt" },
        { ref: base, path: "bin.dat" },
      ],
      MAX,
    );

    expect(blobs.size).toBe(paths.length + 2);
    expect(text(blobs.get("HEAD:text.txt"))).toBe("hello world\n");
    expect(blobs.get("HEAD:text.txt")).toMatchObject({ size: 12, mode: "file" });
    expect(text(blobs.get(`${base}:text.txt`))).toBe("hello\n");
    expect(blobs.has(`${base}:bin.dat`)).toBe(true);
    expect(blobs.get(`${base}:bin.dat`)).toBeUndefined();

    expect(hex(blobs.get("HEAD:bin.dat")?.data)).toBe("00010200ff000a");
    expect(blobs.get("HEAD:bin.dat")?.size).toBe(7);
    expect(hex(blobs.get("HEAD:invalid.txt")?.data)).toBe("66fffec3280a80");

    expect(blobs.get("HEAD:big.txt")).toStrictEqual({ size: MAX + 1, mode: "file" });
    expect(text(blobs.get("HEAD:exact.txt"))).toBe("y".repeat(MAX));
    expect(blobs.get("HEAD:empty.txt")?.size).toBe(0);
    expect(hex(blobs.get("HEAD:empty.txt")?.data)).toBe("");

    expect(blobs.get("HEAD:run.sh")?.mode).toBe("executable");
    expect(text(blobs.get("HEAD:run.sh"))).toBe("#!/bin/sh\n");
    expect(blobs.get("HEAD:link")).toMatchObject({ size: 15, mode: "symlink" });
    expect(text(blobs.get("HEAD:link"))).toBe("target/file.txt");
    expect(blobs.get("HEAD:sub")).toStrictEqual({ size: 0, mode: "submodule" });

    expect(text(blobs.get("HEAD:nested/dir with space/naïve 文件.json"))).toBe('{"a":1}\n');
    expect(text(blobs.get("HEAD:new\nline.txt"))).toBe("newline\n");
    expect(text(blobs.get("HEAD::(glob)*?[x].txt"))).toBe("magic characters\n");
    // Identical content is one object, read once, but both paths get it.
    expect(text(blobs.get("HEAD:same-a.txt"))).toBe("same content\n");
    expect(text(blobs.get("HEAD:same-b.txt"))).toBe("same content\n");

    expect(blobs.has("HEAD:missing.txt")).toBe(true);
    expect(blobs.get("HEAD:missing.txt")).toBeUndefined();
    expect(blobs.get("HEAD:nested")).toBeUndefined(); // a directory is not a file
  });

  test("returns an empty map for no requests", async () => {
    await expect(git.readBlobs([], MAX)).resolves.toStrictEqual(new Map());
  });

  test("rejects an unknown ref", async () => {
    await expectGitError(git.readBlobs([{ ref: "nope", path: "text.txt" }], MAX), "unknown revision nope");
  });

  test("readText returns small files and undefined for absent ones", async () => {
    await expect(git.readText("HEAD", "text.txt")).resolves.toBe("hello world\n");
    await expect(git.readText(base, "text.txt")).resolves.toBe("hello\n");
    await expect(git.readText("HEAD", "missing.txt")).resolves.toBeUndefined();
    await expect(git.readText(base, "run.sh")).resolves.toBeUndefined();
  });

  test("readText refuses files over the limit and non-files", async () => {
    await expectGitError(
      git.readText("HEAD", "big.txt", MAX),
      `big.txt at HEAD is ${MAX + 1} bytes, more than the ${MAX}-byte limit`,
    );
    await expectGitError(git.readText("HEAD", "link"), "link at HEAD is a symlink, not a regular file");
  });
});

describe("readBlobs with 1,000 files", () => {
  const COUNT = 1000;
  let repo: TempGitRepo;
  let git: GitRepo;
  const pathOf = (i: number): string => `many/dir-${i % 25}/sub ${i % 7}/file-${i}.txt`;
  const contentOf = (i: number): string => `file number ${i}\n${"z".repeat(i % 50)}`;

  beforeAll(async () => {
    repo = newRepo();
    for (let i = 0; i < COUNT; i++) repo.write(pathOf(i), contentOf(i));
    repo.commit("many files");
    git = await GitRepo.open(repo.dir);
  });

  test("reads every file correctly in one call", async () => {
    const requests = Array.from({ length: COUNT }, (_, i) => ({ ref: "main", path: pathOf(i) }));
    const blobs = await git.readBlobs(requests, 1024);
    expect(blobs.size).toBe(COUNT);
    for (let i = 0; i < COUNT; i++) {
      const blob = blobs.get(`main:${pathOf(i)}`);
      const expected = contentOf(i);
      expect(blob?.mode).toBe("file");
      expect(blob?.size).toBe(Buffer.byteLength(expected));
      expect(text(blob)).toBe(expected);
    }
  });
});

describe("defaultBranch", () => {
  async function defaultBranchOf(setup: (repo: TempGitRepo) => void, branch?: string) {
    const repo = newRepo(branch);
    repo.write("f.txt", "1\n");
    repo.commit("init");
    setup(repo);
    return (await GitRepo.open(repo.dir)).defaultBranch();
  }

  test("finds main", async () => {
    await expect(defaultBranchOf(() => {}, "main")).resolves.toBe("main");
  });

  test("finds master", async () => {
    await expect(defaultBranchOf(() => {}, "master")).resolves.toBe("master");
  });

  test("prefers main over master and trunk", async () => {
    const found = defaultBranchOf((repo) => {
      repo.git("branch", "master");
      repo.git("branch", "main");
    }, "trunk");
    await expect(found).resolves.toBe("main");
  });

  test("is undefined when no candidate exists", async () => {
    await expect(defaultBranchOf(() => {}, "develop")).resolves.toBeUndefined();
  });

  test("is undefined in a repository without commits", async () => {
    const repo = newRepo("main");
    await expect((await GitRepo.open(repo.dir)).defaultBranch()).resolves.toBeUndefined();
  });

  test("uses a remote-tracking branch when there is no local one", async () => {
    const found = defaultBranchOf(
      (repo) => repo.git("update-ref", "refs/remotes/origin/master", "HEAD"),
      "develop",
    );
    await expect(found).resolves.toBe("origin/master");
  });

  test("follows origin/HEAD first", async () => {
    const found = defaultBranchOf((repo) => {
      repo.git("update-ref", "refs/remotes/origin/release", "HEAD");
      repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/release");
    }, "main");
    await expect(found).resolves.toBe("origin/release");
  });

  test("ignores an origin/HEAD that points at a missing branch", async () => {
    const found = defaultBranchOf((repo) => {
      repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/gone");
    }, "main");
    await expect(found).resolves.toBe("main");
  });
});

describe("defaultBase", () => {
  let repo: TempGitRepo;
  let git: GitRepo;
  const commits: Record<string, string> = {};
  beforeAll(async () => {
    repo = newRepo("main");
    repo.write("f.txt", "1\n");
    commits.c1 = repo.commit("c1");
    repo.write("f.txt", "2\n");
    commits.c2 = repo.commit("c2");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("feature.txt", "a\n");
    commits.f1 = repo.commit("f1");
    repo.write("feature.txt", "b\n");
    commits.f2 = repo.commit("f2");
    repo.git("checkout", "-q", "main");
    repo.write("f.txt", "3\n");
    commits.c3 = repo.commit("c3"); // main moves on after feature forked
    git = await GitRepo.open(repo.dir);
  });

  test("is the fork point for a feature branch, even after main advanced", async () => {
    await expect(git.defaultBase("feature")).resolves.toBe(commits.c2);
    await expect(git.defaultBase(commits.f1!)).resolves.toBe(commits.c2);
  });

  test("is the first parent on the default branch itself", async () => {
    await expect(git.defaultBase("main")).resolves.toBe(commits.c2);
    await expect(git.defaultBase("HEAD")).resolves.toBe(commits.c2);
    await expect(git.defaultBase(commits.c2!)).resolves.toBe(commits.c1);
  });

  test("follows the first parent of a merge commit on main", async () => {
    const merged = newRepo("main");
    merged.write("f.txt", "1\n");
    merged.commit("c1");
    merged.git("checkout", "-q", "-b", "topic");
    merged.write("topic.txt", "t\n");
    merged.commit("t1");
    merged.git("checkout", "-q", "main");
    merged.write("f.txt", "2\n");
    const beforeMerge = merged.commit("c2");
    merged.git("merge", "-q", "--no-ff", "--no-edit", "topic");
    await expect((await GitRepo.open(merged.dir)).defaultBase("main")).resolves.toBe(beforeMerge);
  });

  test("asks for --base without a default branch", async () => {
    const other = newRepo("develop");
    other.write("f.txt", "1\n");
    other.commit("c1");
    other.write("f.txt", "2\n");
    other.commit("c2");
    await expectGitError(
      (await GitRepo.open(other.dir)).defaultBase("HEAD"),
      "cannot choose a base for HEAD: no default branch found (origin/HEAD is not set and none of " +
        "main, master, trunk exists); pass --base <ref>",
    );
  });

  test("asks for --base without a common ancestor", async () => {
    const other = newRepo("main");
    other.write("f.txt", "1\n");
    other.commit("c1");
    other.git("checkout", "-q", "--orphan", "unrelated");
    other.write("g.txt", "1\n");
    other.commit("u1");
    await expectGitError(
      (await GitRepo.open(other.dir)).defaultBase("unrelated"),
      "cannot choose a base for unrelated: it has no common ancestor with main; pass --base <ref>",
    );
  });

  test("asks for --base on a root commit of main", async () => {
    const other = newRepo("main");
    other.write("f.txt", "1\n");
    other.commit("c1");
    await expectGitError(
      (await GitRepo.open(other.dir)).defaultBase("main"),
      "cannot choose a base for main: it is on main and has no parent commit; pass --base <ref>",
    );
  });

  test("rejects an unknown head", async () => {
    await expectGitError(git.defaultBase("nope"), "unknown revision nope");
  });
});
