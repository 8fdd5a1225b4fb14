import { describe, expect, test } from "@jest/globals";
import { perm005 } from "../../../../../src/core/risk/rules/permissions/perm-005.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf } from "./util.js";

const SETTINGS = ".claude/settings.json";
const CODEX = ".codex/config.toml";

describe("PERM-005 protective default or ordering loosened", () => {
  test("disableBypassPermissionsMode removed is critical, at the base line", () => {
    const before = json({ permissions: { disableBypassPermissionsMode: "disable", deny: ["WebFetch"] } });
    const after = json({ permissions: { deny: ["WebFetch"] } });
    const f = check(perm005, { path: SETTINGS, before, after });
    expect(f).toEqual([
      expect.objectContaining({
        line: lineOf(before, "disableBypass"),
        side: "before",
        severity: "critical",
      }),
    ]);
    expect(f[0]!.message).toContain("permissions.disableBypassPermissionsMode removed (was `disable`)");
    expect(f[0]!.message).toContain("--dangerously-skip-permissions");
  });

  test("sandbox turned off (false or removed) is critical", () => {
    const on = json({ sandbox: { enabled: true, network: { allowedDomains: [] } } });
    const off = json({ sandbox: { enabled: false, network: { allowedDomains: [] } } });
    const f = check(perm005, { path: SETTINGS, before: on, after: off });
    expect(f.map((x) => [x.line, x.side, x.severity])).toEqual([
      [lineOf(off, "enabled"), undefined, undefined],
    ]);
    expect(f[0]!.message).toContain("sandbox.enabled set to false");
    const gone = check(perm005, { path: SETTINGS, before: on, after: json({}) });
    expect(gone.map((x) => [x.line, x.side])).toEqual([[lineOf(on, "enabled"), "before"]]);
    // Near miss: turning it on, or a sandbox that was never explicitly on.
    expect(check(perm005, { path: SETTINGS, before: off, after: on })).toEqual([]);
    expect(
      check(perm005, { path: SETTINGS, before: json({ sandbox: { network: {} } }), after: json({}) }),
    ).toEqual([]);
  });

  test("allowUnsandboxedCommands: false → true or removed is critical (the client default is true)", () => {
    const locked = json({ sandbox: { enabled: true, allowUnsandboxedCommands: false } });
    const open = json({ sandbox: { enabled: true, allowUnsandboxedCommands: true } });
    const f = check(perm005, { path: SETTINGS, before: locked, after: open });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[lineOf(open, "allowUnsandboxed"), "critical"]]);
    expect(f[0]!.message).toContain("dangerouslyDisableSandbox");
    expect(
      check(perm005, { path: SETTINGS, before: locked, after: json({ sandbox: { enabled: true } }) }),
    ).toHaveLength(1);
    // Adding `true` where it was absent changes nothing: true is the default.
    expect(
      check(perm005, { path: SETTINGS, before: json({ sandbox: { enabled: true } }), after: open }),
    ).toEqual([]);
  });

  test("managed-only switches and Codex shell environment policy", () => {
    const f = check(perm005, {
      path: "managed-settings.json",
      before: json({ allowManagedHooksOnly: true, allowManagedPermissionRulesOnly: true }),
      after: json({ allowManagedHooksOnly: false, allowManagedPermissionRulesOnly: true }),
    });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[2, "high"]]);
    const codex = check(perm005, {
      path: CODEX,
      before: '[shell_environment_policy]\ninherit = "core"\n',
      after: '[shell_environment_policy]\ninherit = "all"\nignore_default_excludes = true\n',
    });
    expect(codex.map((x) => [x.line, x.severity])).toEqual([
      [2, "high"],
      [3, "high"],
    ]);
    expect(codex[1]!.message).toContain("KEY, SECRET or TOKEN");
    // An added Codex file is compared with the defaults: ignore_default_excludes = true loosens them.
    expect(
      check(perm005, {
        path: CODEX,
        after: "[shell_environment_policy]\nignore_default_excludes = true\n",
      }).map((x) => x.line),
    ).toEqual([2]);
    expect(check(perm005, { path: CODEX, after: '[shell_environment_policy]\ninherit = "all"\n' })).toEqual(
      [],
    );
  });

  test("a new allow rule covering an existing deny: explains what stays blocked (medium)", () => {
    const before = json({ permissions: { deny: ["Bash(curl:*)"], allow: ["Bash(npm test)"] } });
    const after = json({ permissions: { deny: ["Bash(curl:*)"], allow: ["Bash(npm test)", "Bash"] } });
    const f = check(perm005, { path: SETTINGS, before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[lineOf(after, '"Bash"'), "medium"]]);
    expect(f[0]!.message).toContain("Allow rule `Bash` covers deny `Bash(curl:*)`");
    expect(f[0]!.message).toContain("still blocked");
    expect(f[0]!.message).toContain("the deny pattern is the only guard");
  });

  test("near misses: an allow beside (not over) a deny, a new allow with a new deny, an added file", () => {
    const before = json({ permissions: { deny: ["Bash(curl:*)"] } });
    const beside = json({ permissions: { deny: ["Bash(curl:*)"], allow: ["Bash(npm:*)"] } });
    expect(check(perm005, { path: SETTINGS, before, after: beside })).toEqual([]);
    const both = json({
      permissions: { deny: ["Bash(curl:*)", "Bash(git push:*)"], allow: ["Bash(git:*)"] },
    });
    expect(check(perm005, { path: SETTINGS, before, after: both })).toEqual([]);
    expect(check(perm005, { path: SETTINGS, after: both })).toEqual([]);
  });

  test("self-diff and unrelated edits report nothing", () => {
    const text = json({
      permissions: { deny: ["Bash(curl:*)"], allow: ["Bash"] },
      sandbox: { enabled: false },
    });
    expect(check(perm005, { path: SETTINGS, before: text, after: text })).toEqual([]);
    const edited = json({
      permissions: { deny: ["Bash(curl:*)"], allow: ["Bash"] },
      sandbox: { enabled: false },
      model: "x",
    });
    expect(check(perm005, { path: SETTINGS, before: text, after: edited })).toEqual([]);
  });
});
