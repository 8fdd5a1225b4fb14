import { describe, expect, test } from "@jest/globals";
import {
  defaultPolicy,
  loadPolicy,
  normaliseRepoPath,
  POLICY_PATH,
  type PolicyLoad,
  type ResolvedPolicy,
} from "../../../src/core/policy/resolve.js";
import type { ValidationMessage } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";

const NOW = new Date("2026-01-15T12:00:00Z");

function load(text: string | undefined, now: Date = NOW): PolicyLoad {
  return loadPolicy(text, POLICY_PATH, builtinSchemas(), now);
}

function loaded(text: string | undefined): ResolvedPolicy {
  const r = load(text);
  if (!r.ok) throw new Error(`expected a valid policy, got ${JSON.stringify(r.messages)}`);
  expect(r.messages).toEqual([]);
  return r.policy;
}

/** `line:column severity code: message` — one string per message, so a failure shows every field. */
function lines(messages: readonly ValidationMessage[]): string[] {
  return messages.map((m) => `${m.line}:${m.column} ${m.severity} ${m.code}: ${m.message}`);
}

/** The single problem of an invalid policy. */
function problem(text: string): ValidationMessage {
  const r = load(text);
  expect(r.ok).toBe(false);
  expect(r.messages).toHaveLength(1);
  const m = r.messages[0]!;
  expect(m.path).toBe(POLICY_PATH);
  return m;
}

/** The complete example of docs/configuration.md: every section, realistic values. */
const FULL_POLICY = `# yaml-language-server: $schema=https://agent-change-control.dev/schemas/policy.schema.json
version: 1

watch:
  defaults: true
  sniff: true
  include:
    - path: "prompts/**/*.txt"
      category: prompt
    - path: ["agents/**/*.yaml", "agents/**/*.yml"]
      category: prompt
      format: crewai-agents
  exclude:
    - "test/fixtures/**"
    - "docs/examples/**"

formats:
  - path: "tools/*.json"
    format: json
    category: tool
  - path: "config/claude.json"
    format: claude-settings

schemas:
  - path: "tools/*.json"
    schema: "./.github/schemas/tool.schema.json"
    unknown_keys: error
  - path: "prompts/**/*.prompt.yml"
    schema: ".github/schemas/team-prompt.schema.yaml"

risk:
  rules:
    INS-001: { severity: high }
    HID-003: off
    MCP-002: medium
    NET-004: { enabled: false }
  suppressions:
    - rule: MCP-002
      path: ".mcp.json"
      reason: "Pinned by our internal npm mirror; tracked in SEC-1234"
      expires: "2027-03-31"
      ticket: SEC-1234
  allowed_mcp_hosts: ["mcp.internal.example.com", "*.corp.example.com"]

approvals:
  rules:
    - name: security review for tools and permissions
      description: Tool, MCP and permission changes need the security team.
      when: { categories: [tool, mcp, permissions], risk_at_least: medium }
      requires:
        count: 1
        from: { teams: ["example-org/security"] }
    - name: prompt owners
      when:
        categories: [prompt]
        formats: [claude-agent, copilot-agent]
        paths: ".claude/**"
        rules_found: ["INS-*", "HID-003"]
        target_branches: ["main", "release/*"]
        labels: ["agents"]
      requires:
        count: 1
        from: { codeowners: true }
    - name: two distinct approvers for critical
      when: { risk_at_least: critical }
      requires:
        count: 2
        from: { permission: maintain, users: ["alice", "release-bot[bot]"], apps: ["renovate"] }
        one_from_each_team: ["example-org/security", "example-org/platform"]
        distinct_from: ["security review for tools and permissions"]
  policy_owners: { teams: ["example-org/platform"] }
  invalidate_on_push: content
  count_committers: false
  request_reviews: true
  show_approver_names: false
  emergency:
    enabled: true
    declarers: { teams: ["example-org/incident-commanders"] }
    label: emergency-change
    review_within_business_days: 2

changelog:
  enabled: true
  repository: example-org/agent-change-log
  branch: agent-change-log
  checkpoint_every: 100
  heartbeat_hours: 24
  ticket_pattern: "[A-Z]+-\\\\d+"
`;

describe("valid policies", () => {
  test("no file: built-in defaults, no messages", () => {
    const r = load(undefined);
    expect(r).toEqual({ ok: true, policy: expect.anything(), messages: [] });
    if (!r.ok) return;
    const p = r.policy;
    expect(p.path).toBeUndefined();
    expect(p.raw).toEqual({});
    expect(p.watch.defaults).toBe(true);
    expect(p.watch.sniff).toBe(true);
    expect(p.watch.include).toEqual([]);
    expect(p.watch.exclude("anything/at/all.json")).toBe(false);
    expect(p.formats).toEqual([]);
    expect(p.schemas).toEqual([]);
    expect(p.risk).toEqual({});
  });

  test.each([
    ["an empty file", ""],
    ["a file of only comments", "# agent-change-control: all defaults\n\n# nothing else\n"],
    ["a null document", "null\n"],
    ["a ~ document", "~\n"],
    ["an empty mapping", "{}\n"],
  ])("%s is valid and means the defaults", (_what, text) => {
    const p = loaded(text);
    expect(p.path).toBe(POLICY_PATH);
    expect(p.watch.defaults).toBe(true);
    expect(p.watch.sniff).toBe(true);
    expect(p.formats).toEqual([]);
    expect(p.schemas).toEqual([]);
    expect(p.risk).toEqual({});
  });

  test("the full example with every section is accepted and resolved", () => {
    const p = loaded(FULL_POLICY);
    expect(Object.keys(p.raw).sort()).toEqual(
      ["approvals", "changelog", "formats", "risk", "schemas", "version", "watch"].sort(),
    );
    expect(p.path).toBe(POLICY_PATH);
    expect(p.watch.defaults).toBe(true);
    expect(p.watch.sniff).toBe(true);
    expect(p.watch.include.map((i) => [i.category, i.format])).toEqual([
      ["prompt", undefined],
      ["prompt", "crewai-agents"],
    ]);
    expect(p.watch.include[0]!.match("prompts/support/hello.txt")).toBe(true);
    expect(p.watch.include[0]!.match("prompts/support/hello.md")).toBe(false);
    expect(p.watch.include[1]!.match("agents/team/a.yml")).toBe(true);
    expect(p.watch.exclude("test/fixtures/x/.mcp.json")).toBe(true);
    expect(p.watch.exclude("docs/examples/CLAUDE.md")).toBe(true);
    expect(p.watch.exclude("docs/CLAUDE.md")).toBe(false);
    expect(p.formats.map((f) => [f.format, f.category])).toEqual([
      ["json", "tool"],
      ["claude-settings", undefined],
    ]);
    expect(p.formats[0]!.match("tools/search.json")).toBe(true);
    expect(p.formats[0]!.match("tools/sub/search.json")).toBe(false);
    // Schema paths are repository-relative; a leading "./" is dropped so adapters read the right file.
    expect(p.schemas.map((s) => [s.schema, s.unknownKeys])).toEqual([
      [".github/schemas/tool.schema.json", "error"],
      [".github/schemas/team-prompt.schema.yaml", "warning"],
    ]);
    expect(p.schemas[1]!.match("prompts/a/b.prompt.yml")).toBe(true);
    // YAML 1.2: `off` is the string "off" (a rule switched off), not the boolean false.
    expect(p.risk.rules).toEqual({
      "INS-001": { severity: "high" },
      "HID-003": "off",
      "MCP-002": "medium",
      "NET-004": { enabled: false },
    });
    expect(p.risk.suppressions?.[0]?.expires).toBe("2027-03-31");
    expect(p.risk.allowed_mcp_hosts).toEqual(["mcp.internal.example.com", "*.corp.example.com"]);
    expect(p.raw.approvals?.rules?.map((r) => r.name)).toEqual([
      "security review for tools and permissions",
      "prompt owners",
      "two distinct approvers for critical",
    ]);
    expect(p.raw.changelog?.ticket_pattern).toBe("[A-Z]+-\\d+");
  });

  test.each([
    ["watch", "watch:\n  defaults: false\n  include:\n    - path: ai/**\n      category: tool\n"],
    ["formats", "formats:\n  - path: config/claude.json\n    format: claude-settings\n"],
    ["schemas", "schemas:\n  - path: tools/*.json\n    schema: schemas/tool.json\n"],
    ["risk", "risk:\n  allowed_mcp_hosts: [mcp.example.com]\n"],
    [
      "approvals",
      "approvals:\n  rules:\n    - name: owners\n      requires: {count: 1, from: {codeowners: true}}\n",
    ],
    ["changelog", "changelog:\n  enabled: false\n"],
    ["version", "version: 1\n"],
    ["$schema", "$schema: https://agent-change-control.dev/schemas/policy.schema.json\n"],
  ])("the %s section alone is accepted", (_section, text) => {
    loaded(text);
  });

  test("a distinct_from may name a rule defined later in the list", () => {
    loaded(
      "approvals:\n  rules:\n    - name: a\n      requires: {count: 1, distinct_from: [b]}\n    - name: b\n      requires: {count: 1}\n",
    );
  });

  test("normaliseRepoPath drops a leading ./ or /", () => {
    expect(normaliseRepoPath("./a/b.json")).toBe("a/b.json");
    expect(normaliseRepoPath("/a/b.json")).toBe("a/b.json");
    expect(normaliseRepoPath("a/b.json")).toBe("a/b.json");
  });
});

describe("invalid policies: ok false, exact position, clear message", () => {
  test("YAML syntax error", () => {
    const r = load("version: 1\nwatch:\n\tdefaults: true\n");
    expect(r.ok).toBe(false);
    expect(lines(r.messages)).toEqual([
      "3:1 error syntax: YAML syntax error: Tabs are not allowed as indentation",
    ]);
  });

  test("YAML syntax error in a flow mapping", () => {
    const r = load("version: 1\nwatch: {defaults: true\n");
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => [m.line, m.code])).toEqual([[3, "syntax"]]);
    expect(r.messages[0]!.message).toMatch(/^YAML syntax error: .*\}/);
  });

  test("unknown top-level key: an error with a did-you-mean, at the key", () => {
    const m = problem("version: 1\nwatches:\n  defaults: false\n");
    expect([m.line, m.column, m.severity, m.code]).toEqual([2, 1, "error", "unknown-key"]);
    expect(m.message).toMatch(/^unknown key "watches" at the top level; did you mean "watch"\?/);
    // The policy is not read by an agent tool: the message must not say a tool ignores the key.
    expect(m.message).toMatch(/It is not allowed here$/);
    expect(m.message).not.toContain("agent tool");
  });

  test("unknown nested key: an error with a did-you-mean", () => {
    const m = problem("watch:\n  exlude: [test/**]\n");
    expect([m.line, m.column, m.severity, m.code]).toEqual([2, 3, "error", "unknown-key"]);
    expect(m.message).toMatch(/^unknown key "exlude" in watch; did you mean "exclude"\?/);
  });

  test("wrong type, at the value", () => {
    const m = problem('watch:\n  defaults: "yes"\n');
    expect(lines([m])).toEqual([
      '2:13 error schema: watch.defaults must be true or false, not the string "yes"',
    ]);
  });

  test("bad category enum, at the value", () => {
    const m = problem("watch:\n  include:\n    - path: prompts/**\n      category: prompts\n");
    expect(lines([m])).toEqual([
      '4:17 error schema: watch.include[0].category must be one of "prompt", "tool", "mcp", "permissions", "policy", "model", "other"; got "prompts"',
    ]);
  });

  test("unknown format id, in formats and in watch.include", () => {
    expect(lines([problem("formats:\n  - path: x/**\n    format: mcp-foo\n")])).toEqual([
      '3:13 error unknown-format: unknown format "mcp-foo"; see docs/formats.md for the format ids',
    ]);
    expect(
      lines([problem("watch:\n  include:\n    - path: x/**\n      category: tool\n      format: claude\n")]),
    ).toEqual(['5:15 error unknown-format: unknown format "claude"; see docs/formats.md for the format ids']);
  });

  test.each([
    ["../outside.json", 3, 13],
    ["schemas/../../etc/passwd", 3, 13],
    ["C:/schemas/x.json", 3, 13],
    ["./", 3, 13],
  ])("schema path %s must stay in the repository", (schema, line, column) => {
    const m = problem(`schemas:\n  - path: x/**\n    schema: "${schema}"\n`);
    expect(lines([m])).toEqual([
      `${line}:${column} error schema-path: schema path "${schema}" must stay inside the repository`,
    ]);
  });

  test("suppression without a reason, and without an expiry", () => {
    const noReason = problem(
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      expires: 2030-01-01\n",
    );
    expect(lines([noReason])).toEqual([
      '3:7 error schema: risk.suppressions[0]: missing required key "reason"',
    ]);
    const noExpiry = problem(
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: accepted for the demo\n",
    );
    expect(lines([noExpiry])).toEqual([
      '3:7 error schema: risk.suppressions[0]: missing required key "expires"',
    ]);
  });

  test("suppression with an impossible date", () => {
    const m = problem(
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: accepted for the demo\n      expires: 2030-13-01\n",
    );
    expect([m.line, m.column, m.code, m.pointer]).toEqual([6, 16, "schema", "/risk/suppressions/0/expires"]);
  });

  test("suppression with a date the calendar does not have (the pattern accepts 2030-02-31)", () => {
    const m = problem(
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: accepted for the demo\n      expires: 2030-02-31\n",
    );
    expect([m.line, m.column, m.severity, m.code]).toEqual([6, 16, "error", "schema"]);
    expect(m.message).toBe('expires "2030-02-31" is not a real date');
  });

  test("duplicate approval rule name, at the second one", () => {
    const m = problem(
      "approvals:\n  rules:\n    - name: owners\n      requires: {count: 1}\n    - name: owners\n      requires: {count: 2}\n",
    );
    expect(lines([m])).toEqual(['5:13 error duplicate-rule: approval rule name "owners" is used twice']);
  });

  test("distinct_from naming no rule, at the name", () => {
    const m = problem(
      "approvals:\n  rules:\n    - name: a\n      requires:\n        count: 1\n        distinct_from: [security]\n",
    );
    expect(lines([m])).toEqual([
      '6:25 error unknown-rule: distinct_from names "security", which is not an approval rule',
    ]);
  });

  test("version other than 1", () => {
    expect(lines([problem("version: 2\n")])).toEqual(["1:10 error schema: version must be 1; got 2"]);
  });

  test.each([
    ["a scalar", "hello\n", 'value must be an object or null, not the string "hello"'],
    ["a list", "- watch\n", "value must be an object or null, not an array"],
  ])("a document that is %s", (_what, text, message) => {
    expect(lines([problem(text)])).toEqual([`1:1 error schema: ${message}`]);
  });

  test("a duplicate key is an error in the policy (a reviewer may read the other value)", () => {
    const r = load("watch:\n  defaults: true\n  defaults: false\n");
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => [m.line, m.column, m.severity, m.code])).toEqual([
      [3, 3, "error", "duplicate-key"],
    ]);
  });

  test("a second YAML document is an error in the policy (its rules would be ignored)", () => {
    const r = load("version: 1\n---\nwatch:\n  defaults: false\n");
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => [m.severity, m.code])).toEqual([["error", "multi-document"]]);
  });

  test("every problem is reported, not only the first", () => {
    const r = load("watches: {}\nformats:\n  - path: x\n    format: nope\n    category: toolz\n");
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => `${m.line}:${m.code}`).sort()).toEqual(["1:unknown-key", "5:schema"]);
  });
});

describe("suppression expiry", () => {
  const policy = (expires: string) =>
    `risk:\n  suppressions:\n    - rule: MCP-001\n      path: [.mcp.json, .vscode/mcp.json]\n      reason: accepted for the demo\n      expires: "${expires}"\n`;

  test("an expired suppression is a warning; the policy stays usable", () => {
    const r = load(policy("2026-01-14"));
    expect(r.ok).toBe(true);
    expect(lines(r.messages)).toEqual([
      "6:16 warning suppression-expired: suppression of MCP-001 for .mcp.json, .vscode/mcp.json expired on 2026-01-14; it no longer applies",
    ]);
  });

  test("a suppression expiring today or later is silent", () => {
    expect(load(policy("2026-01-15")).messages).toEqual([]);
    expect(load(policy("2027-01-01")).messages).toEqual([]);
  });

  test("expiry is judged against the injected date", () => {
    expect(load(policy("2026-01-15"), new Date("2026-01-16T00:00:00Z")).messages.map((m) => m.code)).toEqual([
      "suppression-expired",
    ]);
  });
});

test("defaultPolicy() is the no-file policy", () => {
  const d = defaultPolicy();
  expect(d.path).toBeUndefined();
  expect([d.watch.defaults, d.watch.sniff, d.formats.length, d.schemas.length]).toEqual([true, true, 0, 0]);
});
