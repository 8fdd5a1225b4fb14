import { describe, expect, test } from "@jest/globals";
import { perm004 } from "../../../../../src/core/risk/rules/permissions/perm-004.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf, md } from "./util.js";

const SETTINGS = ".claude/settings.json";
const CODEX = ".codex/config.toml";

describe("PERM-004 approval weakened", () => {
  test("ask → allow: reported at the new allow rule", () => {
    const before = json({ permissions: { ask: ["Bash(git push:*)"], allow: ["Read"] } });
    const after = json({ permissions: { allow: ["Read", "Bash(git push:*)"] } });
    const f = check(perm004, { path: SETTINGS, before, after });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(lineOf(after, "git push"));
    expect(f[0]!.side).toBeUndefined();
    expect(f[0]!.message).toContain(
      "Ask rule `Bash(git push:*)` was removed and allow rule `Bash(git push:*)` added",
    );
  });

  test("ask removed under an allow that already covered it: reported at the removed ask, side before", () => {
    const before = json({ permissions: { allow: ["Bash(git:*)"], ask: ["Bash(git push:*)"] } });
    const after = json({ permissions: { allow: ["Bash(git:*)"] } });
    const f = check(perm004, { path: SETTINGS, before, after });
    expect(f.map((x) => [x.line, x.side])).toEqual([[lineOf(before, "git push"), "before"]]);
    expect(f[0]!.message).toContain("already approves");
  });

  test("defaultMode loosened: acceptEdits/auto high, other steps medium, tightening silent", () => {
    const mode = (m?: string) => json({ permissions: m ? { defaultMode: m } : { allow: ["Read"] } });
    const f = check(perm004, { path: SETTINGS, before: mode("default"), after: mode("acceptEdits") });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[3, undefined]]);
    expect(f[0]!.message).toContain('permissions.defaultMode changed to "acceptEdits" from "default"');
    expect(
      check(perm004, { path: SETTINGS, before: mode("plan"), after: mode("auto") }).map((x) => x.severity),
    ).toEqual([undefined]);
    expect(
      check(perm004, { path: SETTINGS, before: mode("dontAsk"), after: mode("default") }).map(
        (x) => x.severity,
      ),
    ).toEqual(["medium"]);
    const removed = check(perm004, { path: SETTINGS, before: mode("plan"), after: mode() });
    expect(removed.map((x) => [x.line, x.side, x.severity])).toEqual([[3, "before", "medium"]]);
    expect(removed[0]!.message).toContain('removed (now "default")');
    // Near misses: tighter modes, and bypassPermissions (PERM-001's).
    expect(check(perm004, { path: SETTINGS, before: mode("acceptEdits"), after: mode("plan") })).toEqual([]);
    expect(check(perm004, { path: SETTINGS, before: mode("default"), after: mode("dontAsk") })).toEqual([]);
    expect(
      check(perm004, { path: SETTINGS, before: mode("default"), after: mode("bypassPermissions") }),
    ).toEqual([]);
  });

  test("added files: acceptEdits/auto reported; default, plan, dontAsk silent", () => {
    const f = check(perm004, { path: SETTINGS, after: json({ permissions: { defaultMode: "auto" } }) });
    expect(f.map((x) => x.line)).toEqual([3]);
    expect(f[0]!.message).toContain("a background classifier, not a person, approves");
    for (const m of ["default", "plan", "dontAsk"])
      expect(check(perm004, { path: SETTINGS, after: json({ permissions: { defaultMode: m } }) })).toEqual(
        [],
      );
  });

  test("subagent permissionMode", () => {
    const f = check(perm004, {
      path: ".claude/agents/a.md",
      before: md("name: a\ndescription: d\npermissionMode: plan"),
      after: md("name: a\ndescription: d\npermissionMode: acceptEdits"),
    });
    expect(f.map((x) => x.line)).toEqual([4]);
    expect(f[0]!.message).toContain('permissionMode changed to "acceptEdits" from "plan"');
  });

  test("Codex approval_policy: never high, other loosening medium, full bypass left to PERM-001", () => {
    const ap = (v: string, sandbox = "workspace-write") =>
      `approval_policy = "${v}"\nsandbox_mode = "${sandbox}"\n`;
    const f = check(perm004, { path: CODEX, before: ap("on-request"), after: ap("never") });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[1, undefined]]);
    expect(f[0]!.message).toContain('Codex approval_policy set to "never" from "on-request"');
    expect(
      check(perm004, { path: CODEX, before: ap("untrusted"), after: ap("on-failure") }).map(
        (x) => x.severity,
      ),
    ).toEqual(["medium"]);
    const removed = check(perm004, {
      path: CODEX,
      before: ap("untrusted"),
      after: 'sandbox_mode = "workspace-write"\n',
    });
    expect(removed.map((x) => [x.line, x.side])).toEqual([[1, "before"]]);
    expect(
      check(perm004, { path: CODEX, before: ap("on-request"), after: ap("never", "danger-full-access") }),
    ).toEqual([]);
    expect(check(perm004, { path: CODEX, before: ap("never"), after: ap("untrusted") })).toEqual([]);
    expect(
      check(perm004, {
        path: CODEX,
        before: ap("on-request"),
        after: "approval_policy = { granular = { rules = true } }\n",
      }),
    ).toEqual([]);
    expect(check(perm004, { path: CODEX, after: ap("on-request") })).toEqual([]);
  });

  test("self-diff and unrelated edits report nothing", () => {
    const text = json({ permissions: { defaultMode: "acceptEdits", allow: ["Bash(git push:*)"] } });
    expect(check(perm004, { path: SETTINGS, before: text, after: text })).toEqual([]);
    const edited = json({
      permissions: { defaultMode: "acceptEdits", allow: ["Bash(git push:*)"], deny: ["WebFetch"] },
    });
    expect(check(perm004, { path: SETTINGS, before: text, after: edited })).toEqual([]);
  });
});
