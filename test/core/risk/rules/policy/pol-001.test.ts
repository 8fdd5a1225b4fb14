import { describe, expect, test } from "@jest/globals";
import { cedarStatements, pol001 } from "../../../../../src/core/risk/rules/policy/pol-001.js";
import { check } from "../../../../helpers/risk.js";

const POLICY = ".github/agent-change-control.yml";
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const yaml = (...lines: string[]) => `${lines.join("\n")}\n`;

const BASE = yaml(
  "version: 1",
  "watch:",
  "  exclude:",
  '    - "test/fixtures/**"',
  "risk:",
  "  rules:",
  "    TOOL-004: high",
  "    TOOL-002: critical",
  "  suppressions:",
  "    - rule: SEC-002",
  '      path: "examples/**"',
  "      reason: sample keys from the vendor documentation",
  "      expires: 2030-01-01",
  "  allowed_mcp_hosts:",
  "    - mcp.example.com",
  "schemas:",
  '  - path: "agents/*.yaml"',
  "    schema: schemas/agent.json",
  "    unknown_keys: error",
  "approvals:",
  "  rules:",
  "    - name: security",
  "      requires:",
  "        count: 2",
  "    - name: owners",
  "      requires:",
  "        count: 1",
  "changelog:",
  "  branch: audit",
);

describe("POL-001 on the agent-change-control policy", () => {
  test("a rule turned off, lowered or disabled (relative to the old setting or the default)", () => {
    const after = BASE.replace("TOOL-004: high", "TOOL-004: off")
      .replace("TOOL-002: critical", "TOOL-002: low")
      .replace(
        "  suppressions:",
        "    TOOL-001: info\n    TOOL-003:\n      enabled: false\n    XYZ-999: off\n  suppressions:",
      );
    const f = check(pol001, { path: POLICY, before: BASE, after });
    expect(f).toEqual([
      {
        line: lineOf(after, "TOOL-004"),
        message:
          "risk rule TOOL-004 is turned off (it reported at high): its findings will no longer be raised.",
      },
      {
        line: lineOf(after, "TOOL-002"),
        message:
          "risk rule TOOL-002 is lowered from critical to low: its findings will weigh less in the risk tier and approvals.",
      },
      {
        line: lineOf(after, "TOOL-001"),
        message:
          "risk rule TOOL-001 is lowered from high to info: its findings will weigh less in the risk tier and approvals.",
      },
      {
        line: lineOf(after, "TOOL-003"),
        message:
          "risk rule TOOL-003 is turned off (it reported at medium): its findings will no longer be raised.",
      },
    ]);
  });

  test("suppressions, allowed MCP hosts, excluded paths and syntax-only format overrides added", () => {
    const after = BASE.replace(
      "  allowed_mcp_hosts:\n    - mcp.example.com",
      [
        "    - rule: MCP-005",
        '      path: ".mcp.json"',
        "      reason: the wrapper script is reviewed by the platform team",
        "      expires: 2026-12-31",
        "  allowed_mcp_hosts:",
        "    - mcp.example.com",
        '    - "*.ngrok.io"',
      ].join("\n"),
    )
      .replace('    - "test/fixtures/**"', '    - "test/fixtures/**"\n    - ".claude/**"')
      .replace(
        "schemas:",
        'formats:\n  - path: ".mcp.json"\n    format: text\n  - path: "x.yml"\n    format: nemo-guardrails\nschemas:',
      );
    const f = check(pol001, { path: POLICY, before: BASE, after });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        lineOf(after, "rule: MCP-005"),
        "suppression added for MCP-005 on .mcp.json until 2026-12-31: matching findings will no longer count towards the risk tier.",
      ],
      [
        lineOf(after, "ngrok"),
        'MCP host "*.ngrok.io" added to risk.allowed_mcp_hosts: remote MCP servers there are no longer flagged.',
      ],
      [
        lineOf(after, ".claude/**"),
        'watch.exclude gains ".claude/**": agent configs matching it will no longer be validated or risk-checked.',
      ],
      [
        lineOf(after, "format: text") - 1,
        'format override added: ".mcp.json" is read as "text", so its built-in schema and risk model no longer apply.',
      ],
    ]);
  });

  test("watching turned off", () => {
    const after = BASE.replace("watch:", "watch:\n  defaults: false\n  sniff: false");
    const f = check(pol001, { path: POLICY, before: BASE, after });
    expect(f).toEqual([
      {
        line: lineOf(after, "defaults:"),
        message: "watch.defaults is turned off: the built-in agent-config paths are no longer watched.",
      },
      {
        line: lineOf(after, "sniff:"),
        message:
          "watch.sniff is turned off: generically named agent configs (recognised by content) are no longer watched.",
      },
    ]);
  });

  test("schemas removed or relaxed, approval rules removed or lowered (removals point at the base)", () => {
    const relaxed = BASE.replace("    unknown_keys: error", "    unknown_keys: warning")
      .replace("        count: 2", "        count: 1")
      .replace("    - name: owners\n      requires:\n        count: 1\n", "")
      .replace("approvals:", "approvals:\n  count_committers: true\n  invalidate_on_push: content");
    const f = check(pol001, { path: POLICY, before: BASE, after: relaxed });
    expect(f.map((x) => [x.line, x.side, x.message])).toEqual([
      [
        lineOf(relaxed, "unknown_keys"),
        undefined,
        'custom schema "schemas/agent.json": unknown_keys changed from error to "warning": unknown keys no longer fail validation.',
      ],
      [
        lineOf(relaxed, "count: 1"),
        undefined,
        'approval rule "security" now requires 1 approval instead of 2.',
      ],
      [
        lineOf(BASE, "name: owners"),
        "before",
        'approval rule "owners" removed: changes it covered no longer need its approvals.',
      ],
      [
        lineOf(relaxed, "count_committers"),
        undefined,
        "approvals.count_committers turned on: people who pushed commits to the change may now approve it.",
      ],
      [
        lineOf(relaxed, "invalidate_on_push"),
        undefined,
        "approvals.invalidate_on_push set to content: approvals now survive pushes instead of counting only for the commit reviewed.",
      ],
    ]);
    const noSchema = BASE.replace(
      'schemas:\n  - path: "agents/*.yaml"\n    schema: schemas/agent.json\n    unknown_keys: error\n',
      "",
    );
    expect(check(pol001, { path: POLICY, before: BASE, after: noSchema })).toEqual([
      {
        line: lineOf(BASE, 'path: "agents/*.yaml"'),
        side: "before",
        message:
          'custom schema mapping "schemas/agent.json" for "agents/*.yaml" removed: those files fall back to the built-in schema (or a syntax check).',
      },
    ]);
  });

  test("a removed policy file loses its settings, approval rules and schemas (all at base lines)", () => {
    const f = check(pol001, { path: POLICY, before: BASE });
    expect(f.map((x) => [x.line, x.side])).toEqual([
      // TOOL-004 and TOOL-002 fall back from high/critical to their defaults (info, medium).
      [lineOf(BASE, "TOOL-004"), "before"],
      [lineOf(BASE, "TOOL-002"), "before"],
      [lineOf(BASE, 'path: "agents/*.yaml"'), "before"],
      [lineOf(BASE, "name: security"), "before"],
      [lineOf(BASE, "name: owners"), "before"],
    ]);
  });

  test("an added policy is judged against the defaults", () => {
    const f = check(pol001, { path: POLICY, after: BASE });
    // TOOL-002 and TOOL-004 set above their defaults are not loosening; the rest is new.
    expect(f.map((x) => x.message.split(":")[0])).toEqual([
      "suppression added for SEC-002 on examples/** until 2030-01-01",
      'MCP host "mcp.example.com" added to risk.allowed_mcp_hosts',
      'watch.exclude gains "test/fixtures/**"',
    ]);
  });

  test("tightening, self-diff and unrelated edits give nothing", () => {
    expect(check(pol001, { path: POLICY, before: BASE, after: BASE })).toEqual([]);
    const unrelated = BASE.replace("branch: audit", "branch: audit-log");
    expect(check(pol001, { path: POLICY, before: BASE, after: unrelated })).toEqual([]);
    const tighter = BASE.replace("TOOL-004: high", "TOOL-004: critical")
      .replace("        count: 1", "        count: 3")
      .replace(
        '  suppressions:\n    - rule: SEC-002\n      path: "examples/**"\n      reason: sample keys from the vendor documentation\n      expires: 2030-01-01\n',
        "",
      );
    expect(check(pol001, { path: POLICY, before: BASE, after: tighter })).toEqual([]);
    // Reformatting (flow style, reordered keys) is not a change.
    const off = "risk:\n  rules:\n    TOOL-001: off\n";
    expect(check(pol001, { path: POLICY, before: off, after: "risk: {rules: {TOOL-001: 'off'}}\n" })).toEqual(
      [],
    );
  });

  test("odd data never throws", () => {
    for (const [before, after] of [
      ["risk: 5\n", "risk:\n  rules: [1]\n  suppressions: {a: 1}\n"],
      ["approvals:\n  rules: [null, {name: 5}]\n", "approvals: []\n"],
      ["- 1\n", "watch: {exclude: [1, {a: 2}]}\n"],
      ["", ":\n  - ]["],
    ] as const)
      expect(() => check(pol001, { path: POLICY, before, after })).not.toThrow();
  });
});

describe("POL-001 on NeMo Guardrails, Rego and Cedar", () => {
  const nemo = yaml(
    "models:",
    "  - type: main",
    "    engine: openai",
    "    model: gpt-4o-mini",
    "rails:",
    "  input:",
    "    flows:",
    "      - self check input",
    "      - jailbreak detection heuristics",
    "  output:",
    "    flows:",
    "      - self check output",
  );

  test("NeMo rail flows removed: one finding per flow at its base line", () => {
    const after = nemo
      .replace("      - jailbreak detection heuristics\n", "")
      .replace("  output:\n    flows:\n      - self check output\n", "");
    const f = check(pol001, {
      path: "guardrails/config.yml",
      format: "nemo-guardrails",
      before: nemo,
      after,
    });
    expect(f).toEqual([
      {
        line: 9,
        side: "before",
        message:
          'input rail flow "jailbreak detection heuristics" removed: user or tool input is no longer checked by it.',
      },
      {
        line: 12,
        side: "before",
        message: 'output rail flow "self check output" removed: model output is no longer checked by it.',
      },
    ]);
  });

  test("NeMo: flows added or reordered, self-diff and a new config give nothing", () => {
    const more = nemo.replace("      - self check output", "      - self check output\n      - check facts");
    const reordered = nemo.replace(
      "      - self check input\n      - jailbreak detection heuristics",
      "      - jailbreak detection heuristics\n      - self check input",
    );
    for (const [before, after] of [
      [nemo, more],
      [nemo, reordered],
      [nemo, nemo],
      [undefined, nemo],
    ] as const)
      expect(
        check(pol001, { path: "guardrails/config.yml", format: "nemo-guardrails", before, after }),
      ).toEqual([]);
  });

  test("Rego: a fail-open default added", () => {
    const before = 'package agent.tools\n\ndefault allow := false\n\nallow if input.tool == "search"\n';
    const after = before.replace("default allow := false", "default allow := true");
    expect(check(pol001, { path: "policy/tools.rego", before, after })).toEqual([
      {
        line: 3,
        message:
          "Rego default `allow` set to true (fail-open): every request that no rule decides is allowed. Default to false and allow explicitly.",
      },
    ]);
    const deny = "package p\ndefault deny = false\n";
    expect(check(pol001, { path: "policy/deny.rego", after: deny }).map((x) => x.line)).toEqual([2]);
  });

  test("Rego near misses: fail-closed defaults, moved or unchanged fail-open defaults, other names", () => {
    const open = "package p\n\ndefault allowed = true\n\nx := 1\n";
    expect(
      check(pol001, { path: "p.rego", after: "package p\ndefault allow := false\ndefault deny := true\n" }),
    ).toEqual([]);
    expect(check(pol001, { path: "p.rego", before: open, after: open })).toEqual([]);
    expect(check(pol001, { path: "p.rego", before: open, after: open.replace("x := 1", "x := 2") })).toEqual(
      [],
    );
    expect(
      check(pol001, {
        path: "p.rego",
        before: open,
        after: "package p\nx := 1\n\ndefault  allowed  =  true\n",
      }),
    ).toEqual([]);
    expect(
      check(pol001, {
        path: "p.rego",
        after: "package p\ndefault is_admin := true\n# default allow := true\n",
      }),
    ).toEqual([]);
  });

  const cedarJson = (policies: string[]) =>
    `${JSON.stringify({ version: "1.0", type: "cedarv1", cedar: { policies, entities_json: "[]" } }, null, 2)}\n`;
  const forbid = 'forbid(principal, action == Action::"call_tool", resource == Tool::"shell");';
  const weather = 'permit(principal, action == Action::"call_tool", resource == Tool::"weather");';

  test("Cedar JSON: a forbid removed (base line) and an unconstrained permit added (head line)", () => {
    const before = cedarJson([weather, forbid]);
    const after = cedarJson([weather, "permit (principal, action, resource);"]);
    const f = check(pol001, { path: "authz-config.json", format: "policy-cedar", before, after });
    expect(f).toEqual([
      {
        line: lineOf(before, "forbid"),
        side: "before",
        message:
          'Cedar forbid policy removed: `forbid(principal,action==Action::"call_tool",resource==Tool::"shell")`. Forbids override every permit; what it blocked may now be allowed.',
      },
      {
        line: lineOf(after, "permit (principal"),
        message:
          "unconstrained Cedar policy `permit(principal, action, resource)` added: it allows every principal every action on every resource. Constrain the scope or add a `when` condition.",
      },
    ]);
  });

  test("Cedar near misses: constrained permits, conditions, reformatting, self-diff", () => {
    const before = cedarJson([weather, forbid]);
    const after = cedarJson([
      weather,
      forbid.replace(/, /g, ",  "),
      'permit(principal, action, resource) when { principal.role == "admin" };',
      'permit(principal == User::"alice", action, resource);',
    ]);
    expect(check(pol001, { path: "authz-config.json", format: "policy-cedar", before, after })).toEqual([]);
    expect(
      check(pol001, { path: "authz-config.json", format: "policy-cedar", before, after: before }),
    ).toEqual([]);
  });

  test("Cedar text files", () => {
    const before = [
      "// Agents may call the weather tool",
      '@id("weather")',
      weather,
      "",
      '@id("no-shell")',
      "forbid (",
      "  principal,",
      '  action == Action::"call_tool",',
      '  resource == Tool::"shell"',
      ");",
      "",
    ].join("\n");
    const after = `${before.split("\n").slice(0, 4).join("\n")}\npermit(principal, action, resource) when { true };\n`;
    const f = check(pol001, { path: "policies/agent.cedar", before, after });
    expect(f.map((x) => [x.line, x.side])).toEqual([
      [5, "before"],
      [5, undefined],
    ]);
  });

  test("cedarStatements: strings with ; and //, comments, annotations", () => {
    const s = cedarStatements(
      '// a; comment\npermit(principal, action, resource == R::"a;b//c");\n@id("x;y")\nforbid(principal, action, resource);\n',
    );
    expect(s).toEqual([
      { norm: 'permit(principal,action,resource==R::"a;b//c")', effect: "permit", line: 2 },
      { norm: "forbid(principal,action,resource)", effect: "forbid", line: 3 },
    ]);
  });

  test("other formats are not checked by POL-001", () => {
    expect(check(pol001, { path: ".mcp.json", after: '{"mcpServers": {}}' })).toEqual([]);
  });
});
