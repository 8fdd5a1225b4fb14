import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { evaluateChange } from "../../../src/core/evaluate.js";
import { classifyPath } from "../../../src/core/formats/classify.js";
import { loadPolicy, POLICY_PATH, type ResolvedPolicy } from "../../../src/core/policy/resolve.js";
import { RULES } from "../../../src/core/risk/catalog.js";
import { activeRules } from "../../../src/core/risk/engine.js";
import type { FileBlob, FileChange } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { effective, LABEL, lineOf, merged, NOW, where } from "./baseline-helpers.js";

function blob(text: string): FileBlob {
  const data = new TextEncoder().encode(text);
  return { size: data.length, data };
}
const added = (path: string, text: string): FileChange => ({ path, status: "added", after: blob(text) });

function alone(text: string): ResolvedPolicy {
  const load = loadPolicy(text, POLICY_PATH, builtinSchemas(), NOW);
  if (!load.ok) throw new Error(`invalid: ${JSON.stringify(load.messages)}`);
  return load.policy;
}

const NEW_SERVER = '{\n  "mcpServers": {\n    "gh": { "command": "gh", "args": ["mcp"] }\n  }\n}\n';

describe("through evaluateChange", () => {
  const BASE = "version: 1\n";
  const HIDING = 'watch:\n  exclude: ["**/.mcp.json"]\nrisk:\n  rules:\n    MCP-001: off\n';

  test("a repository exclude and `off` cannot hide a finding the baseline requires", () => {
    const change = [added(".mcp.json", NEW_SERVER)];
    // On its own, the repository file hides the new MCP server completely.
    const hidden = evaluateChange({ changes: change, policy: alone(HIDING), schemas: builtinSchemas() });
    expect([hidden.files, hidden.findings, hidden.risk]).toEqual([[], [], "none"]);
    // Under the baseline it is watched and the rule still fires at its default severity.
    const { policy, messages } = merged(HIDING, BASE);
    expect(where(messages)).toEqual([
      `${POLICY_PATH}:${lineOf(HIDING, "exclude")} warning baseline-loosening`,
      `${POLICY_PATH}:${lineOf(HIDING, "MCP-001")} warning baseline-loosening`,
    ]);
    const ev = evaluateChange({ changes: change, policy, schemas: builtinSchemas() });
    expect(ev.files.map((f) => f.path)).toEqual([".mcp.json"]);
    expect(ev.findings.map((f) => [f.rule, f.severity])).toEqual([["MCP-001", "medium"]]);
    expect(ev.risk).toBe("medium");
  });

  test("a repository suppression cannot accept a finding unless the baseline delegates suppressions", () => {
    const repo =
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: reviewed by the team\n      expires: 2027-01-01\n";
    const change = [added(".mcp.json", NEW_SERVER)];
    const run = (base: string) =>
      evaluateChange({ changes: change, policy: merged(repo, base).policy, schemas: builtinSchemas() })
        .findings;
    expect(run(BASE).map((f) => [f.rule, f.suppressed !== undefined])).toEqual([["MCP-001", false]]);
    expect(run("delegate: [risk.suppressions]\n").map((f) => [f.rule, f.suppressed !== undefined])).toEqual([
      ["MCP-001", true],
    ]);
  });

  test("a repository schema runs in addition to the built-in schema under a baseline, instead of it without", () => {
    const repo = "schemas:\n  - path: .mcp.json\n    schema: .github/mcp.schema.json\n";
    const repoSchemas = new Map([[".github/mcp.schema.json", '{ "type": "object", "required": ["owner"] }']]);
    const change = [added(".mcp.json", '{\n  "mcpServers": {\n    "gh": { "command": 5 }\n  }\n}\n')];
    const run = (policy: ResolvedPolicy) =>
      evaluateChange({ changes: change, policy, schemas: builtinSchemas(), repoSchemas, skipRisk: true })
        .validation;
    const without = run(alone(repo));
    const under = run(merged(repo, BASE).policy);
    const builtinOnly = run(alone("version: 1\n"));
    const requiresOwner = (m: { message: string }) => m.message.includes("owner");
    // Without a baseline the repository schema replaces the built-in one: only its message.
    expect(without.length).toBeGreaterThan(0);
    expect(without.every(requiresOwner)).toBe(true);
    // Under the baseline: the built-in schema's messages and the repository schema's.
    expect(builtinOnly.length).toBeGreaterThan(0);
    expect(under).toEqual(expect.arrayContaining([...builtinOnly, ...without]));
    expect(under).toHaveLength(builtinOnly.length + without.length);
  });

  test("a proposed repository policy is judged under the baseline it will be merged into", () => {
    const base =
      'approvals:\n  rules:\n    - name: security\n      requires:\n        count: 1\n        from: { teams: ["acme/sec"] }\n';
    const proposed =
      'version: 1\nrisk:\n  rules:\n    MCP-001: off\napprovals:\n  rules:\n    - name: owners\n      requires:\n        count: 1\n        from: { teams: ["acme/pay"] }\n        distinct_from: ["security"]\n';
    const change = [added(POLICY_PATH, proposed)];
    const under = evaluateChange({
      changes: change,
      policy: merged(undefined, base).policy,
      schemas: builtinSchemas(),
    });
    expect(where(under.validation)).toEqual([
      `${POLICY_PATH}:${lineOf(proposed, "MCP-001")} warning baseline-loosening`,
    ]);
    expect(under.validation[0]!.message).toContain(LABEL);
    // Without the baseline the same file names a rule that does not exist.
    const without = evaluateChange({
      changes: change,
      policy: alone("version: 1\n"),
      schemas: builtinSchemas(),
    });
    expect(without.validation.map((m) => m.code)).toEqual(["unknown-rule"]);
  });
});

describe("the documented example (docs/configuration.md, Org baseline)", () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
  const doc = readFileSync(join(root, "docs", "configuration.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Org baseline"));
  const base = /```yaml org-baseline\n([\s\S]*?)```/.exec(section)?.[1];
  const repo = /```yaml under-org-baseline\n([\s\S]*?)```/.exec(section)?.[1];

  test("loads, with the warnings its comments promise", () => {
    expect(base).toBeDefined();
    expect(repo).toBeDefined();
    const { policy, messages } = merged(repo!, base!);
    expect(where(messages)).toEqual(
      repo!
        .split("\n")
        .flatMap((l, i) =>
          l.includes("# ignored") ? [`${POLICY_PATH}:${i + 1} warning baseline-loosening`] : [],
        ),
    );
    expect(messages.length).toBe(2);
    expect(activeRules(policy).find((a) => a.rule.id === "MCP-004")?.severity).toBe("critical");
    expect(policy.risk.suppressions?.map((s) => s.rule)).toEqual(["MCP-001"]);
    expect(policy.raw.approvals?.rules?.map((r) => r.name)).toEqual(["security", "payments owners"]);
  });
});

/** Small random policies: every key the merge treats specially, from a few values each. */
const glob = fc
  .string({ unit: fc.constantFrom("a", "b", "*", "/", ".", "json", "md", "**"), minLength: 1, maxLength: 6 })
  .filter((g) => !g.startsWith("/"));
const CATEGORY = fc.constantFrom("prompt", "tool", "mcp", "other");
const FORMAT = fc.constantFrom("json", "text", "yaml", "markdown", "mcp-project", "claude-settings");
const RULE_IDS = ["MCP-001", "INS-001", "HID-003", "MCP-004"];
const SETTING = fc.oneof(
  fc.constantFrom("off", "info", "low", "medium", "high", "critical"),
  fc.record(
    { enabled: fc.boolean(), severity: fc.constantFrom("info", "low", "medium", "high", "critical") },
    { requiredKeys: [] },
  ),
);
const policyArb = (baseline: boolean) =>
  fc.record(
    {
      watch: fc.record(
        {
          defaults: fc.boolean(),
          sniff: fc.boolean(),
          include: fc.array(
            fc.record(
              { path: glob, category: CATEGORY, format: FORMAT },
              { requiredKeys: ["path", "category"] },
            ),
            {
              maxLength: 3,
            },
          ),
          exclude: fc.array(glob, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
      formats: fc.array(fc.record({ path: glob, format: FORMAT }), { maxLength: 3 }),
      risk: fc.record({ rules: fc.dictionary(fc.constantFrom(...RULE_IDS), SETTING, { maxKeys: 3 }) }),
      ...(baseline
        ? { delegate: fc.subarray(["risk.suppressions", "risk.allowed_mcp_hosts", "approvals.emergency"]) }
        : {}),
    },
    { requiredKeys: [] },
  );

const SAMPLE_PATHS = [
  ".mcp.json",
  "CLAUDE.md",
  ".claude/settings.json",
  "a/b.json",
  "a.md",
  "b/a.json",
  "ab",
  ".github/agent-change-control.yml",
  "docs/x.md",
];

const rank = (p: ResolvedPolicy, id: string) => {
  const a = activeRules(p).find((x) => x.rule.id === id);
  return a ? RULES.length + ["info", "low", "medium", "high", "critical"].indexOf(a.severity) : -1;
};

describe("property: the merged policy is never looser than the baseline alone", () => {
  test("same or more watched paths (a baseline classification is kept), never a lower rule severity", () => {
    fc.assert(
      fc.property(policyArb(true), policyArb(false), (base, repo) => {
        const baseText = JSON.stringify(base);
        const baseAlone = alone(baseText);
        const load = effective(JSON.stringify(repo), baseText);
        if (!load.ok) throw new Error(JSON.stringify(load.messages));
        for (const path of SAMPLE_PATHS) {
          const b = classifyPath(path, baseAlone);
          const m = classifyPath(path, load.policy);
          if (b.kind === "match") {
            expect(m).toMatchObject({ kind: "match", format: { id: b.format.id }, category: b.category });
          } else if (b.kind === "sniff") {
            expect(m.kind).not.toBe("none");
          }
        }
        for (const rule of RULES)
          expect(rank(load.policy, rule.id)).toBeGreaterThanOrEqual(rank(baseAlone, rule.id));
      }),
      { numRuns: 300 },
    );
  });
});
