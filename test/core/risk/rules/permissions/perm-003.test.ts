import { describe, expect, test } from "@jest/globals";
import { perm003 } from "../../../../../src/core/risk/rules/permissions/perm-003.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf, md } from "./util.js";

const SETTINGS = ".claude/settings.json";
const perms = (p: Record<string, string[]>) => json({ permissions: p });

describe("PERM-003 deny or ask rules removed", () => {
  test("a removed deny rule is reported at its base line, side before", () => {
    const before = perms({ deny: ["Read(./.env)", "Bash(curl:*)"], allow: ["Bash(npm test)"] });
    const after = perms({ deny: ["Bash(curl:*)"], allow: ["Bash(npm test)"] });
    const f = check(perm003, { path: SETTINGS, before, after });
    expect(f).toEqual([expect.objectContaining({ line: lineOf(before, "Read(./.env)"), side: "before" })]);
    expect(f[0]!.severity).toBeUndefined();
    expect(f[0]!.message).toContain("Deny rule `Read(./.env)` removed");
    expect(f[0]!.message).toContain("no longer blocked");
  });

  test("narrowed deny rules and deny → allow say so", () => {
    const before = perms({ deny: ["Bash(rm:*)", "WebFetch"] });
    const after = perms({ deny: ["Bash(rm -rf:*)"], allow: ["WebFetch"] });
    const f = check(perm003, { path: SETTINGS, before, after });
    expect(f.map((x) => x.line)).toEqual([lineOf(before, "Bash(rm:*)"), lineOf(before, '"WebFetch"')]);
    expect(f[0]!.message).toContain("narrowed to `Bash(rm -rf:*)`");
    expect(f[1]!.message).toContain("allow rule `WebFetch` now approves them without asking");
  });

  test("deny → ask is medium; an ask rule no allow overlaps is medium", () => {
    const before = perms({ deny: ["Bash(git push:*)"], ask: ["Bash(docker:*)"] });
    const after = perms({ ask: ["Bash(git push:*)"] });
    const f = check(perm003, { path: SETTINGS, before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(before, "git push"), "medium"],
      [lineOf(before, "docker"), "medium"],
    ]);
    expect(f[0]!.message).toContain("now only ask");
  });

  test("near misses: consolidating into a broader deny, moving it, or adding denies is silent", () => {
    const before = perms({ deny: ["Bash(rm -rf:*)", "Read(./.env)"] });
    const after = perms({ deny: ["Read(.env)", "Bash(rm:*)", "WebFetch"] });
    expect(check(perm003, { path: SETTINGS, before, after })).toEqual([]);
    // ask → deny is a tightening
    expect(
      check(perm003, { path: SETTINGS, before: perms({ ask: ["Bash"] }), after: perms({ deny: ["Bash"] }) }),
    ).toEqual([]);
  });

  test("ask → allow is left to PERM-004", () => {
    const before = perms({ ask: ["Bash(git push:*)"] });
    const after = perms({ allow: ["Bash(git push:*)"] });
    expect(check(perm003, { path: SETTINGS, before, after })).toEqual([]);
  });

  test("self-diff, unrelated edits, added files: nothing; a deleted file drops its denies", () => {
    const text = perms({ deny: ["WebFetch"], ask: ["Bash"] });
    expect(check(perm003, { path: SETTINGS, before: text, after: text })).toEqual([]);
    expect(
      check(perm003, {
        path: SETTINGS,
        before: text,
        after: json({ permissions: { deny: ["WebFetch"], ask: ["Bash"] }, model: "x" }),
      }),
    ).toEqual([]);
    expect(check(perm003, { path: SETTINGS, after: text })).toEqual([]);
    const gone = check(perm003, { path: SETTINGS, before: text });
    expect(gone.map((x) => [x.line, x.side])).toEqual([
      [lineOf(text, "WebFetch"), "before"],
      [lineOf(text, '"Bash"'), "before"],
    ]);
    expect(gone[0]!.message).toContain("removed with the file");
  });

  test("subagent disallowedTools entries", () => {
    const before = md("name: a\ndescription: d\ndisallowedTools: WebFetch, Bash");
    const after = md("name: a\ndescription: d\ndisallowedTools: WebFetch");
    const f = check(perm003, { path: ".claude/agents/a.md", before, after });
    expect(f.map((x) => [x.line, x.side])).toEqual([[4, "before"]]);
    expect(f[0]!.message).toContain("DisallowedTools entry `Bash` removed");
  });
});
