import { describe, expect, test } from "@jest/globals";
import { PERMISSIONS_RULES } from "../../../../../src/core/risk/rules/permissions.js";
import { fileContext } from "../../../../helpers/risk.js";
import { json, md } from "./util.js";

/** Files of the right format with values of the wrong types, broken syntax, and empty content. */
const CASES: { path: string; texts: string[] }[] = [
  {
    path: ".claude/settings.json",
    texts: [
      json({
        permissions: {
          allow: [1, null, {}, ["Bash"], "Bash("],
          deny: "Read",
          ask: { x: 1 },
          defaultMode: ["x"],
        },
        hooks: { PreToolUse: [{ matcher: 5, hooks: [{ type: 7, command: ["rm"] }, null] }], Stop: [null, 1] },
        sandbox: { enabled: "true", network: { allowedDomains: "*" }, filesystem: { allowWrite: [3] } },
        env: { ANTHROPIC_BASE_URL: 5, HTTPS_PROXY: null, MAX_X: "1e999" },
        statusLine: { command: 1 },
        apiKeyHelper: ["x"],
      }),
      json({ permissions: null, hooks: "x", sandbox: [], env: "x" }),
      "{ not json",
      "",
      "[]",
      json({
        permissions: { allow: ["Bash(*)", "mcp__", "mcp____", "Read(//)", "Edit(~)", "WebFetch(domain:)"] },
      }),
    ],
  },
  {
    path: ".codex/config.toml",
    texts: [
      'approval_policy = 3\nsandbox_mode = ["x"]\nprofile = "missing"\nnotify = [1, 2]\n[sandbox_workspace_write]\nwritable_roots = "x"\nnetwork_access = "yes"\n[model_providers]\nx = 1\n[profiles]\nci = "never"\n',
      "approval_policy = \n",
      'profile = "p"\n[profiles.p]\napproval_policy = { granular = {} }\n',
    ],
  },
  {
    path: ".claude/agents/a.md",
    texts: [
      md(
        "name: a\ndescription: d\ntools: 5\ndisallowedTools: {a: 1}\npermissionMode: 3\nmaxTurns: lots\nhooks: [1]",
      ),
      md("name: [a\ndescription: :"),
      "no front matter at all",
      md("tools: ''\ndisallowedTools: ''"),
    ],
  },
  { path: ".claude/commands/c.md", texts: [md("allowed-tools: {x: 1}"), md("allowed-tools: [1, null]")] },
  { path: ".github/agents/x.agent.md", texts: [md("tools: {a: b}"), md("tools: [1, '*', '/', 'x/']")] },
  {
    path: "plugins/p/hooks/hooks.json",
    texts: [json({ hooks: [1] }), json({ hooks: { Stop: [{ hooks: "x" }] } })],
  },
];

describe("permissions rules never throw on odd input", () => {
  test("every pair of odd texts, added, removed and modified", () => {
    let runs = 0;
    for (const { path, texts } of CASES) {
      for (const before of [undefined, ...texts]) {
        for (const after of [undefined, ...texts]) {
          if (before === undefined && after === undefined) continue;
          const ctx = fileContext({
            path,
            ...(before !== undefined ? { before } : {}),
            ...(after !== undefined ? { after } : {}),
          });
          for (const rule of PERMISSIONS_RULES) {
            expect(() => rule.check(ctx)).not.toThrow();
            for (const f of rule.check(ctx)) {
              expect(Number.isInteger(f.line) && f.line >= 1).toBe(true);
              expect(typeof f.message).toBe("string");
            }
            runs++;
          }
          if (before !== undefined && before === after)
            for (const rule of PERMISSIONS_RULES)
              expect([path, rule.id, rule.check(ctx)]).toEqual([path, rule.id, []]);
        }
      }
    }
    expect(runs).toBeGreaterThan(500);
  });
});
