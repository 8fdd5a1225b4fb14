import { describe, expect, test } from "@jest/globals";
import { perm007 } from "../../../../../src/core/risk/rules/permissions/perm-007.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf } from "./util.js";

const SETTINGS = ".claude/settings.json";
const domains = (...d: string[]) => json({ sandbox: { enabled: true, network: { allowedDomains: d } } });

describe("PERM-007 network egress widened", () => {
  test("new domains, graded: * and *.tld critical, wildcards and hosts high, registries medium", () => {
    const before = domains("github.com");
    const after = domains(
      "github.com",
      "*",
      "*.com",
      "*.example.org",
      "paste.example.net",
      "registry.npmjs.org",
    );
    const f = check(perm007, { path: SETTINGS, before, after });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(after, '"*"'), "critical"],
      [lineOf(after, '"*.com"'), "critical"],
      [lineOf(after, "*.example.org"), "high"],
      [lineOf(after, "paste.example.net"), "high"],
      [lineOf(after, "registry.npmjs.org"), "medium"],
    ]);
    expect(f[0]!.message).toContain("Sandbox network allowlist now includes `*`: every domain");
    expect(f[1]!.message).toContain('top-level domain "com"');
  });

  test("near misses: domains already covered by a base wildcard, removed domains", () => {
    expect(
      check(perm007, {
        path: SETTINGS,
        before: domains("*.github.com"),
        after: domains("*.github.com", "api.github.com"),
      }),
    ).toEqual([]);
    expect(
      check(perm007, { path: SETTINGS, before: domains("a.com", "b.com"), after: domains("a.com") }),
    ).toEqual([]);
    // `*.github.com` does not cover github.com itself.
    expect(
      check(perm007, { path: SETTINGS, before: domains("*.github.com"), after: domains("github.com") }).map(
        (x) => x.severity,
      ),
    ).toEqual(["high"]);
  });

  test("all Unix sockets", () => {
    const after = json({ sandbox: { network: { allowAllUnixSockets: true } } });
    const f = check(perm007, {
      path: SETTINGS,
      before: json({ sandbox: { network: { allowAllUnixSockets: false } } }),
      after,
    });
    expect(f.map((x) => x.line)).toEqual([lineOf(after, "allowAllUnixSockets")]);
    expect(f[0]!.message).toContain("docker.sock");
  });

  test("Codex network_access = true", () => {
    const f = check(perm007, {
      path: ".codex/config.toml",
      before: "[sandbox_workspace_write]\nnetwork_access = false\n",
      after: "[sandbox_workspace_write]\nnetwork_access = true\n",
    });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[2, undefined]]);
    expect(f[0]!.message).toContain("can now reach any host");
    expect(
      check(perm007, {
        path: ".codex/config.toml",
        after: "[sandbox_workspace_write]\nnetwork_access = false\n",
      }),
    ).toEqual([]);
  });

  test("self-diff and unrelated edits report nothing", () => {
    const text = domains("*", "x.com");
    expect(check(perm007, { path: SETTINGS, before: text, after: text })).toEqual([]);
    const edited = json({
      sandbox: { enabled: true, network: { allowedDomains: ["x.com", "*"] } },
      model: "opus",
    });
    expect(check(perm007, { path: SETTINGS, before: text, after: edited })).toEqual([]);
  });
});
