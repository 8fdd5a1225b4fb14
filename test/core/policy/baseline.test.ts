import { describe, expect, test } from "@jest/globals";
import { loadEffectivePolicy } from "../../../src/core/policy/baseline.js";
import { loadPolicy, POLICY_PATH, type ResolvedPolicy } from "../../../src/core/policy/resolve.js";
import { activeRules } from "../../../src/core/risk/engine.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { BASELINE_FILE, classify, effective, LABEL, lineOf, merged, NOW, where } from "./baseline-helpers.js";

const SAMPLE_PATHS = [
  ".mcp.json",
  "CLAUDE.md",
  ".claude/settings.json",
  "prompts/a.txt",
  "tools/x.json",
  "test/fixtures/.mcp.json",
  "infra/template.json",
  "README.md",
];

/** What the engine sees of a resolved policy, comparable with toEqual (matchers are functions). */
function view(p: ResolvedPolicy) {
  return {
    path: p.path,
    raw: p.raw,
    defaults: p.watch.defaults,
    sniff: p.watch.sniff,
    schemas: p.schemas.map((s) => [s.schema, s.unknownKeys, s.keepBuiltin ?? false]),
    schemaFiles: [...p.schemaFiles],
    risk: p.risk,
    baseline: p.baseline,
    classes: SAMPLE_PATHS.map((x) => classify(x, p)),
  };
}

/** Severity of a rule under a policy, `off` when inactive. */
function severityOf(policy: ResolvedPolicy, id: string): string {
  return activeRules(policy).find((a) => a.rule.id === id)?.severity ?? "off";
}

const REPO_POLICIES: (string | undefined)[] = [
  undefined,
  "",
  "version: 1\nwatch:\n  defaults: false\n  include:\n    - path: prompts/**\n      category: prompt\n",
  'watch:\n  exclude: ["test/**"]\nformats:\n  - path: "tools/*.json"\n    format: json\n    category: tool\nrisk:\n  rules:\n    MCP-001: off\n',
  "schemas:\n  - path: tools/*.json\n    schema: .github/tool.schema.json\n",
  "delegate: [watch.exclude]\n",
  "watch:\n  bogus: true\n",
  "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: accepted for the pilot\n      expires: 2025-01-01\n",
];

describe("without a baseline it is loadPolicy", () => {
  test.each(REPO_POLICIES.map((text, i) => ({ i, text })))("policy $i", ({ text }) => {
    const expected = loadPolicy(text, POLICY_PATH, builtinSchemas(), NOW);
    for (const baseline of [undefined, { label: LABEL, path: POLICY_PATH, text: undefined }]) {
      const got = loadEffectivePolicy({
        repository: { path: POLICY_PATH, text },
        ...(baseline ? { baseline } : {}),
        schemas: builtinSchemas(),
        now: NOW,
      });
      expect(got.messages).toEqual(expected.messages);
      expect(got.ok).toBe(expected.ok);
      if (got.ok && expected.ok) {
        expect(view(got.policy)).toEqual(view(expected.policy));
        expect(got.policy.baseline).toBeUndefined();
      }
    }
  });

  test("a repository policy with `delegate` on its own: the key has no effect and is reported", () => {
    const text = "version: 1\ndelegate: [watch.exclude]\n";
    const load = loadPolicy(text, POLICY_PATH, builtinSchemas(), NOW);
    expect(load.ok).toBe(true);
    expect(where(load.messages)).toEqual([
      `${POLICY_PATH}:${lineOf(text, "delegate")} warning delegate-outside-baseline`,
    ]);
    expect(load.messages[0]!.message).toContain("has no effect outside the org baseline");
    const block = "version: 1\ndelegate:\n  - watch.exclude\n";
    const blockLoad = loadPolicy(block, POLICY_PATH, builtinSchemas(), NOW);
    expect(where(blockLoad.messages)).toEqual([
      `${POLICY_PATH}:${lineOf(block, "delegate:")} warning delegate-outside-baseline`,
    ]);
  });
});

describe("loading the baseline", () => {
  const BASE = "version: 1\nwatch:\n  include:\n    - path: prompts/**\n      category: prompt\n";

  test("no repository file: the baseline alone, recorded as the source", () => {
    const { policy, messages } = merged(undefined, BASE);
    const alone = loadPolicy(BASE, POLICY_PATH, builtinSchemas(), NOW);
    if (!alone.ok) throw new Error("baseline invalid");
    expect(messages).toEqual([]);
    expect(policy.path).toBeUndefined();
    expect(policy.baseline).toEqual({ label: LABEL, path: POLICY_PATH, raw: alone.policy.raw });
    expect(SAMPLE_PATHS.map((p) => classify(p, policy))).toEqual(
      SAMPLE_PATHS.map((p) => classify(p, alone.policy)),
    );
    expect(classify("prompts/a.txt", policy)).toBe("text/prompt");
  });

  test("the merged policy names both files", () => {
    const { policy } = merged("version: 1\n", BASE);
    expect([policy.path, policy.baseline?.label, policy.baseline?.path]).toEqual([
      POLICY_PATH,
      LABEL,
      POLICY_PATH,
    ]);
  });

  test("an invalid baseline makes the policy unusable; its messages name the .github repository's file", () => {
    const base = "version: 1\nwatch:\n  defualts: false\n";
    const r = effective("version: 1\n", base);
    expect(r.ok).toBe(false);
    expect(where(r.messages)).toEqual([`${BASELINE_FILE}:${lineOf(base, "defualts")} error unknown-key`]);
  });

  test("both files are checked: every problem of each is reported", () => {
    const base = "version: 2\n";
    const repo = "version: 1\nrisk:\n  rules:\n    MCP-001: sometimes\n";
    const r = effective(repo, base);
    expect(r.ok).toBe(false);
    const files = r.messages.map((m) => m.path);
    expect(files).toContain(BASELINE_FILE);
    expect(files).toContain(POLICY_PATH);
    expect(r.messages.every((m) => m.severity === "error")).toBe(true);
  });

  test("with an invalid baseline the repository file gets its own checks, not merge warnings", () => {
    const base =
      "version: 1\nschemas:\n  - path: a.json\n    schema: a.schema.json\napprovals:\n  rules:\n    - name: security\n      requires: { count: 1 }\n";
    const repo =
      'watch:\n  defaults: false\napprovals:\n  rules:\n    - name: owners\n      requires:\n        count: 1\n        distinct_from: ["security", "nobody"]\n';
    const r = effective(repo, base);
    expect(r.ok).toBe(false);
    // The baseline's rule names are still known (read leniently); only the name that exists nowhere is an error.
    expect(where(r.messages)).toEqual([
      `${BASELINE_FILE}:${lineOf(base, "- path")} error baseline-unsupported`,
      `${POLICY_PATH}:${lineOf(repo, "nobody")} error unknown-rule`,
    ]);
  });

  test("an invalid repository file under a valid baseline is unusable too", () => {
    const r = effective("watch: [1]\n", BASE);
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => m.path)).toEqual([POLICY_PATH]);
  });

  test("a baseline warning (expired suppression) names the baseline file and keeps the policy usable", () => {
    const base =
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: accepted for the pilot\n      expires: 2025-06-30\n";
    const { messages } = merged("version: 1\n", base);
    expect(where(messages)).toEqual([
      `${BASELINE_FILE}:${lineOf(base, "expires")} warning suppression-expired`,
    ]);
  });

  test("`delegate` in the baseline is no warning; the repository's own `delegate` is ignored with one", () => {
    const base = "version: 1\ndelegate: [risk.suppressions]\n";
    expect(merged(undefined, base).messages).toEqual([]);
    const repo = 'delegate: [watch.exclude]\nwatch:\n  exclude: ["test/**"]\n';
    const { policy, messages } = merged(repo, base);
    expect(where(messages)).toEqual([
      `${POLICY_PATH}:${lineOf(repo, "delegate")} warning delegate-outside-baseline`,
      `${POLICY_PATH}:${lineOf(repo, "exclude:")} warning baseline-loosening`,
    ]);
    expect(messages[0]!.message).toContain(LABEL);
    // The repository cannot delegate to itself: its exclude stays ignored.
    expect(classify("test/fixtures/.mcp.json", policy)).toBe("mcp-project/mcp");
    expect(policy.raw.delegate).toEqual(["risk.suppressions"]);
  });

  test("`delegate` accepts only the four delegable keys", () => {
    const r = effective(undefined, "delegate: [approvals.rules]\n");
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => [m.path, m.code])).toEqual([[BASELINE_FILE, "schema"]]);
  });

  test("rule 11: both files must be version 1", () => {
    expect(effective("version: 1\n", "version: 2\n").ok).toBe(false);
    expect(effective("version: 2\n", "version: 1\n").ok).toBe(false);
    expect(effective("version: 1\n", "version: 1\n").ok).toBe(true);
  });
});

/** The one loosening warning of a merge, asserted to sit at `needle`'s line of the repository file. */
function loosening(repo: string, base: string, needle: string) {
  const { policy, messages } = merged(repo, base);
  expect(where(messages)).toEqual([`${POLICY_PATH}:${lineOf(repo, needle)} warning baseline-loosening`]);
  expect(messages[0]!.message).toContain(`the org baseline in ${LABEL} applies`);
  return { policy, message: messages[0]!.message };
}

describe("rule 1: watch.defaults and watch.sniff — true wins", () => {
  test("a repository `defaults: false` over an unset baseline is ignored", () => {
    const { policy, message } = loosening(
      "version: 1\nwatch:\n  defaults: false\n",
      "version: 1\n",
      "defaults",
    );
    expect(message).toContain("watch.defaults: false");
    expect(policy.watch.defaults).toBe(true);
    expect(classify(".mcp.json", policy)).toBe("mcp-project/mcp");
  });

  test("a repository `sniff: false` over a baseline `sniff: true` is ignored", () => {
    const { policy } = loosening("watch:\n  sniff: false\n", "watch:\n  sniff: true\n", "sniff");
    expect(policy.watch.sniff).toBe(true);
    expect(classify("infra/template.json", policy)).toBe("sniff");
  });

  test("a repository may turn on what the baseline turned off", () => {
    const base = "watch:\n  defaults: false\n  sniff: false\n";
    const { policy, messages } = merged("watch:\n  defaults: true\n  sniff: true\n", base);
    expect(messages).toEqual([]);
    expect([policy.watch.defaults, policy.watch.sniff]).toEqual([true, true]);
    expect(classify(".mcp.json", policy)).toBe("mcp-project/mcp");
  });

  test("unset in the repository inherits the baseline's false; false over false is no loosening", () => {
    const base = "watch:\n  defaults: false\n";
    expect(merged("version: 1\n", base).policy.watch.defaults).toBe(false);
    const both = merged("watch:\n  defaults: false\n", base);
    expect([both.policy.watch.defaults, both.messages]).toEqual([false, []]);
  });
});

describe("rule 2: watch.include — union, baseline first", () => {
  const BASE = "watch:\n  defaults: false\n  include:\n    - path: prompts/**\n      category: prompt\n";

  test("both files' includes are watched", () => {
    const repo = "watch:\n  include:\n    - path: tools/*.json\n      category: tool\n";
    const { policy, messages } = merged(repo, BASE);
    expect(messages).toEqual([]);
    expect(classify("prompts/a.txt", policy)).toBe("text/prompt");
    expect(classify("tools/x.json", policy)).toBe("json/tool");
    expect(classify(".mcp.json", policy)).toBe("none");
  });

  test("a repository include cannot reclassify a path the baseline claims", () => {
    const repo = "watch:\n  include:\n    - path: prompts/**\n      category: other\n      format: json\n";
    const { policy } = merged(repo, BASE);
    expect(classify("prompts/a.txt", policy)).toBe("text/prompt");
    const builtin = merged(
      "watch:\n  include:\n    - path: .mcp.json\n      category: other\n",
      "version: 1\n",
    );
    expect(classify(".mcp.json", builtin.policy)).toBe("mcp-project/mcp");
  });
});

describe("rule 3: watch.exclude — the baseline's, unless delegated", () => {
  const REPO = 'watch:\n  exclude:\n    - "test/**"\n    - "**/.mcp.json"\n';

  test("repository excludes are ignored", () => {
    const { policy, message } = loosening(REPO, "version: 1\n", "exclude");
    expect(message).toContain('"test/**", "**/.mcp.json"');
    expect(classify(".mcp.json", policy)).toBe("mcp-project/mcp");
    expect(classify("test/fixtures/.mcp.json", policy)).toBe("mcp-project/mcp");
  });

  test("the baseline's excludes apply; repeating them in the repository is no loosening", () => {
    const base = 'watch:\n  exclude: ["test/**"]\n';
    const { policy, messages } = merged('watch:\n  exclude: ["test/**"]\n', base);
    expect(messages).toEqual([]);
    expect(classify("test/fixtures/.mcp.json", policy)).toBe("none");
    expect(classify(".mcp.json", policy)).toBe("mcp-project/mcp");
  });

  test("delegated: the union applies", () => {
    const base = 'delegate: [watch.exclude]\nwatch:\n  exclude: ["docs/**"]\n';
    const { policy, messages } = merged(REPO, base);
    expect(messages).toEqual([]);
    expect(policy.raw.watch?.exclude).toEqual(["docs/**", "test/**", "**/.mcp.json"]);
    expect(classify(".mcp.json", policy)).toBe("none");
  });
});

describe("rule 4: formats — the repository classifies only what the baseline does not", () => {
  test("a repository format for an unclaimed path applies", () => {
    const repo = 'formats:\n  - path: "tools/*.json"\n    format: json\n    category: tool\n';
    const { policy, messages } = merged(repo, "version: 1\n");
    expect(messages).toEqual([]);
    expect(classify("tools/x.json", policy)).toBe("json/tool");
  });

  test("a path the baseline would only sniff may be classified by the repository", () => {
    const repo = 'formats:\n  - path: "infra/*.json"\n    format: mcp-other\n';
    expect(classify("infra/template.json", merged(repo, "version: 1\n").policy)).toBe("mcp-other/mcp");
  });

  test("a repository format never reclassifies a path the baseline claims (built-in or its own entries)", () => {
    const repo =
      'formats:\n  - path: ".mcp.json"\n    format: text\n  - path: "tools/*.json"\n    format: text\n';
    const base = 'formats:\n  - path: "tools/*.json"\n    format: json\n    category: tool\n';
    const { policy } = merged(repo, base);
    expect(classify(".mcp.json", policy)).toBe("mcp-project/mcp");
    expect(classify("tools/x.json", policy)).toBe("json/tool");
    // The same repository file on its own does reclassify: the guard is the baseline's doing.
    const alone = loadPolicy(repo, POLICY_PATH, builtinSchemas(), NOW);
    if (!alone.ok) throw new Error("invalid");
    expect(classify(".mcp.json", alone.policy)).toBe("text/other");
  });
});

describe("rule 5: schemas", () => {
  test("a `schemas` entry in the baseline is an error at its line", () => {
    const base = "version: 1\nschemas:\n  - path: tools/*.json\n    schema: .github/tool.schema.json\n";
    const r = effective(undefined, base);
    expect(r.ok).toBe(false);
    expect(where(r.messages)).toEqual([
      `${BASELINE_FILE}:${lineOf(base, "- path")} error baseline-unsupported`,
    ]);
    expect(r.messages[0]!.message).toContain("not supported in the org baseline");
  });

  test("a repository schema keeps the built-in one under a baseline, and replaces it without", () => {
    const repo = "schemas:\n  - path: .mcp.json\n    schema: .github/mcp.schema.json\n";
    const under = merged(repo, "version: 1\n").policy;
    expect(under.schemas.map((s) => [s.schema, s.keepBuiltin])).toEqual([[".github/mcp.schema.json", true]]);
    expect([...under.schemaFiles]).toEqual([".github/mcp.schema.json"]);
    const alone = loadPolicy(repo, POLICY_PATH, builtinSchemas(), NOW);
    if (!alone.ok) throw new Error("invalid");
    expect(alone.policy.schemas.map((s) => s.keepBuiltin ?? false)).toEqual([false]);
  });
});

describe("rule 6: risk.rules — the stricter setting wins", () => {
  test("`off` over the built-in default is ignored", () => {
    const repo = "risk:\n  rules:\n    MCP-001: off\n";
    const { policy, message } = loosening(repo, "version: 1\n", "MCP-001");
    expect(message).toContain("risk.rules.MCP-001: off");
    expect(severityOf(policy, "MCP-001")).toBe("medium");
  });

  test("lowering below the baseline's severity is ignored; `{enabled: false}` too", () => {
    const base = "risk:\n  rules:\n    MCP-001: critical\n";
    expect(
      severityOf(loosening("risk:\n  rules:\n    MCP-001: high\n", base, "MCP-001").policy, "MCP-001"),
    ).toBe("critical");
    const off = loosening("risk:\n  rules:\n    MCP-001: { enabled: false }\n", base, "MCP-001");
    expect(severityOf(off.policy, "MCP-001")).toBe("critical");
  });

  test("lowering below the built-in default is ignored when the baseline does not set the rule", () => {
    const { policy } = loosening(
      "risk:\n  rules:\n    INS-001: { severity: low }\n",
      "version: 1\n",
      "INS-001",
    );
    expect(severityOf(policy, "INS-001")).toBe("high");
  });

  test("raising is kept, and a rule the baseline turned off may be turned back on", () => {
    const base = "risk:\n  rules:\n    MCP-001: high\n    HID-003: off\n";
    const repo = "risk:\n  rules:\n    MCP-001: critical\n    HID-003: low\n";
    const { policy, messages } = merged(repo, base);
    expect(messages).toEqual([]);
    expect([severityOf(policy, "MCP-001"), severityOf(policy, "HID-003")]).toEqual(["critical", "low"]);
  });

  test("unset in the repository inherits the baseline's setting, `off` included", () => {
    const base = "risk:\n  rules:\n    HID-003: off\n    MCP-001: low\n";
    const { policy } = merged("version: 1\n", base);
    expect([severityOf(policy, "HID-003"), severityOf(policy, "MCP-001")]).toEqual(["off", "low"]);
  });
});

const SUPPRESSION = (rule: string) =>
  `    - rule: ${rule}\n      path: .mcp.json\n      reason: accepted until the migration\n      expires: 2027-01-01\n`;

describe("rule 7: suppressions and allowed MCP hosts — the baseline's, the repository's only if delegated", () => {
  test("repository suppressions are ignored; the baseline's apply", () => {
    const base = `risk:\n  suppressions:\n${SUPPRESSION("MCP-002")}`;
    const repo = `risk:\n  suppressions:\n${SUPPRESSION("MCP-001")}`;
    const { policy, message } = loosening(repo, base, "suppressions");
    expect(message).toContain("MCP-001");
    expect(policy.risk.suppressions?.map((s) => s.rule)).toEqual(["MCP-002"]);
  });

  test("delegated: both files' suppressions apply", () => {
    const base = `delegate: [risk.suppressions]\nrisk:\n  suppressions:\n${SUPPRESSION("MCP-002")}`;
    const repo = `risk:\n  suppressions:\n${SUPPRESSION("MCP-001")}`;
    const { policy, messages } = merged(repo, base);
    expect(messages).toEqual([]);
    expect(policy.risk.suppressions?.map((s) => s.rule)).toEqual(["MCP-002", "MCP-001"]);
  });

  test("allowed MCP hosts: a repository list beside the baseline's is ignored, or joined when delegated", () => {
    const base = 'risk:\n  allowed_mcp_hosts: ["mcp.acme.com"]\n';
    const repo = 'risk:\n  allowed_mcp_hosts: ["evil.example.com"]\n';
    const ignored = loosening(repo, base, "allowed_mcp_hosts");
    expect(ignored.policy.risk.allowed_mcp_hosts).toEqual(["mcp.acme.com"]);
    const joined = merged(repo, `delegate: [risk.allowed_mcp_hosts]\n${base}`);
    expect([joined.policy.risk.allowed_mcp_hosts, joined.messages]).toEqual([
      ["mcp.acme.com", "evil.example.com"],
      [],
    ]);
  });

  test("allowed MCP hosts: where the baseline has no allowlist, a repository's list tightens and applies", () => {
    const repo = 'risk:\n  allowed_mcp_hosts: ["mcp.acme.com"]\n';
    const { policy, messages } = merged(repo, "version: 1\n");
    expect([policy.risk.allowed_mcp_hosts, messages]).toEqual([["mcp.acme.com"], []]);
  });
});

const RULE = (name: string, extra = "") =>
  `    - name: ${name}\n      requires:\n        count: 1\n        from: { teams: ["acme/security"] }\n${extra}`;

describe("rule 8: approvals", () => {
  test("rules: the baseline's, then the repository's, which may name baseline rules in distinct_from", () => {
    const base = `approvals:\n  rules:\n${RULE("security")}`;
    const repo = `approvals:\n  rules:\n${RULE("owners", '        distinct_from: ["security"]\n')}`;
    const { policy, messages } = merged(repo, base);
    expect(messages).toEqual([]);
    expect(policy.raw.approvals?.rules?.map((r) => r.name)).toEqual(["security", "owners"]);
    // The same repository file alone names a rule that does not exist.
    expect(loadPolicy(repo, POLICY_PATH, builtinSchemas(), NOW).ok).toBe(false);
  });

  test("a repository rule with a baseline rule's name is an error naming both files", () => {
    const base = `approvals:\n  rules:\n${RULE("security")}`;
    const repo = `version: 1\napprovals:\n  rules:\n${RULE("security")}`;
    const r = effective(repo, base);
    expect(r.ok).toBe(false);
    expect(where(r.messages)).toEqual([`${POLICY_PATH}:${lineOf(repo, "name:")} error duplicate-rule`]);
    expect(r.messages[0]!.message).toContain(BASELINE_FILE);
  });

  test("policy_owners: the baseline's if set (a different repository value is ignored), else the repository's", () => {
    const base = 'approvals:\n  policy_owners: { teams: ["acme/platform"] }\n';
    const repo = 'approvals:\n  policy_owners: { users: ["mallory"] }\n';
    expect(loosening(repo, base, "policy_owners").policy.raw.approvals?.policy_owners).toEqual({
      teams: ["acme/platform"],
    });
    expect(merged(repo, "version: 1\n").policy.raw.approvals?.policy_owners).toEqual({ users: ["mallory"] });
  });

  test("invalidate_on_push: `always` wins", () => {
    const repo = "approvals:\n  invalidate_on_push: content\n";
    expect(loosening(repo, "version: 1\n", "invalidate_on_push").policy.raw.approvals).toBeUndefined();
    const base = "approvals:\n  invalidate_on_push: content\n";
    const tightened = merged("approvals:\n  invalidate_on_push: always\n", base);
    expect([tightened.policy.raw.approvals?.invalidate_on_push, tightened.messages]).toEqual(["always", []]);
    expect(merged(repo, base).messages).toEqual([]);
  });

  test("count_committers: `false` wins (counting committers lets more people approve)", () => {
    const repo = "approvals:\n  count_committers: true\n";
    const ignored = loosening(repo, "approvals:\n  count_committers: false\n", "count_committers");
    expect(ignored.policy.raw.approvals?.count_committers).toBe(false);
    const tightened = merged(
      "approvals:\n  count_committers: false\n",
      "approvals:\n  count_committers: true\n",
    );
    expect([tightened.policy.raw.approvals?.count_committers, tightened.messages]).toEqual([false, []]);
  });

  test("request_reviews and show_approver_names: the repository's if set, else the baseline's", () => {
    const base = "approvals:\n  request_reviews: false\n  show_approver_names: true\n";
    const { policy, messages } = merged("approvals:\n  request_reviews: true\n", base);
    expect(messages).toEqual([]);
    expect(policy.raw.approvals).toEqual({ request_reviews: true, show_approver_names: true });
  });

  test("emergency: the baseline's; the repository's only when delegated", () => {
    const base = 'approvals:\n  emergency:\n    enabled: true\n    declarers: { teams: ["acme/ic"] }\n';
    const repo = 'approvals:\n  emergency:\n    declarers: { users: ["alice"] }\n    label: hotfix\n';
    const ignored = loosening(repo, base, "emergency");
    expect(ignored.policy.raw.approvals?.emergency).toEqual({
      enabled: true,
      declarers: { teams: ["acme/ic"] },
    });
    expect(loosening(repo, "version: 1\n", "emergency").policy.raw.approvals).toBeUndefined();
    const delegated = merged(repo, `delegate: [approvals.emergency]\n${base}`);
    expect(delegated.messages).toEqual([]);
    expect(delegated.policy.raw.approvals?.emergency).toEqual({
      enabled: true,
      declarers: { users: ["alice"] },
      label: "hotfix",
    });
  });
});

describe("rule 10: changelog", () => {
  test("enabled: true wins; a repository `false` is ignored unless the baseline says false too", () => {
    const repo = "changelog:\n  enabled: false\n";
    expect(loosening(repo, "changelog:\n  enabled: true\n", "enabled").policy.raw.changelog).toEqual({
      enabled: true,
    });
    expect(loosening(repo, "version: 1\n", "enabled").policy.raw.changelog).toBeUndefined();
    const on = merged("changelog:\n  enabled: true\n", "changelog:\n  enabled: false\n");
    expect([on.policy.raw.changelog?.enabled, on.messages]).toEqual([true, []]);
  });

  test("repository, branch, ticket_pattern: the baseline's if set, else the repository's", () => {
    const base = "changelog:\n  repository: acme/audit\n";
    const repo = "changelog:\n  repository: mallory/audit\n  branch: log\n";
    const { policy, message } = loosening(repo, base, "repository");
    expect(message).toContain("mallory/audit");
    expect(policy.raw.changelog).toEqual({ repository: "acme/audit", branch: "log" });
    expect(merged("changelog:\n  repository: acme/audit\n", base).messages).toEqual([]);
  });

  test("checkpoint_every and heartbeat_hours: the minimum; a larger repository value is reported", () => {
    const base = "changelog:\n  checkpoint_every: 100\n  heartbeat_hours: 24\n";
    const repo = "changelog:\n  checkpoint_every: 50\n  heartbeat_hours: 48\n";
    const { policy } = loosening(repo, base, "heartbeat_hours");
    expect(policy.raw.changelog).toEqual({ checkpoint_every: 50, heartbeat_hours: 24 });
    expect(merged(repo, "version: 1\n").policy.raw.changelog).toEqual({
      checkpoint_every: 50,
      heartbeat_hours: 48,
    });
  });
});
