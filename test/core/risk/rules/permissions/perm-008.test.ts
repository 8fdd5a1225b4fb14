import { describe, expect, test } from "@jest/globals";
import {
  perm008,
  protectedDirectory,
  protectedWrites,
} from "../../../../../src/core/risk/rules/permissions/perm-008.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf, md } from "./util.js";

const SETTINGS = ".claude/settings.json";
const spec = (t: string) => {
  const open = t.indexOf("(");
  return open < 0 ? { tool: t } : { tool: t.slice(0, open), specifier: t.slice(open + 1, -1) };
};

describe("PERM-008 writable scope widened to protected paths", () => {
  test("protectedWrites: which Edit/Write rules reach protected places", () => {
    expect(protectedWrites(spec("Edit"))[0]).toContain("every path");
    expect(protectedWrites(spec("Write(**)"))).toEqual([
      ".git/",
      ".github/workflows/",
      ".claude/",
      ".codex/",
      ".cursor/",
      ".vscode/",
    ]);
    expect(protectedWrites(spec("Edit(./.github/workflows/deploy.yml)"))).toEqual([".github/workflows/"]);
    expect(protectedWrites(spec("Edit(.claude/**)"))).toEqual([".claude/"]);
    expect(protectedWrites(spec("Edit(**/*.yml)"))).toEqual([".github/workflows/"]);
    expect(protectedWrites(spec("Write(~/.zshrc)"))).toEqual(["your home directory (~)"]);
    expect(protectedWrites(spec("Write(//etc/hosts)"))).toEqual(["the filesystem root (/)"]);
    // Near misses
    expect(protectedWrites(spec("Edit(./src/**)"))).toEqual([]);
    expect(protectedWrites(spec("Edit(./docs/github/workflows.md)"))).toEqual([]);
    expect(protectedWrites(spec("Write(~/projects/app/out.txt)"))).toEqual([]);
    expect(protectedWrites(spec("Read(**)"))).toEqual([]);
  });

  test("protectedDirectory: home, root, parents and agent/CI directories", () => {
    expect(protectedDirectory("~")).toEqual(["your home directory (~)"]);
    expect(protectedDirectory("$HOME/")).toEqual(["your home directory (~)"]);
    expect(protectedDirectory("/")).toEqual(["the filesystem root (/)"]);
    expect(protectedDirectory("../")[0]).toContain("parent of the repository");
    expect(protectedDirectory("./.github")).toEqual([".github/workflows/"]);
    expect(protectedDirectory(".git/hooks")).toEqual([".git/"]);
    expect(protectedDirectory("~/.ssh")[0]).toContain("~/.ssh");
    expect(protectedDirectory("/Users/me")).toEqual(["a home directory"]);
    expect(protectedDirectory("/etc/nginx")).toEqual(["system directories"]);
    // Near misses
    expect(protectedDirectory("./build")).toEqual([]);
    expect(protectedDirectory(".")).toEqual([]);
    expect(protectedDirectory("/tmp/cache")).toEqual([]);
    expect(protectedDirectory("~/projects/lib")).toEqual([]);
    expect(protectedDirectory(".githooks")).toEqual([]);
  });

  test("new additionalDirectories and sandbox allowWrite entries", () => {
    const before = json({ permissions: { additionalDirectories: ["../shared-lib"] } });
    const after = json({
      permissions: { additionalDirectories: ["../shared-lib", "~/", "./tmp"] },
      sandbox: { filesystem: { allowWrite: ["./.git/hooks"] } },
    });
    const f = check(perm008, { path: SETTINGS, before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(after, '"~/"'), undefined],
      [lineOf(after, ".git/hooks"), undefined],
    ]);
    expect(f[0]!.message).toContain(
      "permissions.additionalDirectories now includes `~/`, which opens your home directory",
    );
    expect(f[1]!.message).toContain("sandbox.filesystem.allowWrite now includes `./.git/hooks`");
  });

  test("new Edit/Write allow rules that reach protected paths; narrower or covered ones do not", () => {
    const before = json({ permissions: { allow: ["Edit(./src/**)"] } });
    const after = json({
      permissions: { allow: ["Edit(./src/**)", "Edit(./.github/workflows/**)", "Write(./src/gen/**)"] },
    });
    const f = check(perm008, { path: SETTINGS, before, after });
    expect(f.map((x) => x.line)).toEqual([lineOf(after, "workflows")]);
    expect(f[0]!.message).toContain(
      "`Edit(./.github/workflows/**)` lets the agent write .github/workflows/ without asking",
    );
    const wide = json({ permissions: { allow: ["Edit"] } });
    expect(
      check(perm008, {
        path: SETTINGS,
        before: wide,
        after: json({ permissions: { allow: ["Edit", "Write(./.claude/x)"] } }),
      }),
    ).toEqual([]);
  });

  test("command allowed-tools and Codex writable_roots", () => {
    const cmd = md("description: x\nallowed-tools: Read, Edit(.claude/**)");
    expect(check(perm008, { path: ".claude/commands/x.md", after: cmd }).map((x) => x.line)).toEqual([3]);
    const f = check(perm008, {
      path: ".codex/config.toml",
      before: "[sandbox_workspace_write]\nwritable_roots = []\n",
      after: '[sandbox_workspace_write]\nwritable_roots = ["/tmp/out", "~/.codex"]\n',
    });
    expect(f.map((x) => x.line)).toEqual([2]);
    expect(f[0]!.message).toContain("sandbox_workspace_write.writable_roots now includes `~/.codex`");
  });

  test("self-diff and unrelated edits report nothing", () => {
    const text = json({ permissions: { additionalDirectories: ["~"], allow: ["Edit"] } });
    expect(check(perm008, { path: SETTINGS, before: text, after: text })).toEqual([]);
    const edited = json({
      permissions: { additionalDirectories: ["~"], allow: ["Edit"], deny: ["Read(./.env)"] },
    });
    expect(check(perm008, { path: SETTINGS, before: text, after: edited })).toEqual([]);
  });
});
