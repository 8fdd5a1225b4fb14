import { describe, expect, test } from "@jest/globals";
import { pol002, vagueReason } from "../../../../../src/core/risk/rules/policy/pol-002.js";
import { check } from "../../../../helpers/risk.js";

const POLICY = ".github/agent-change-control.yml";
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const GOOD = [
  "  - rule: TOOL-001",
  '    path: "agents/ops.tools.json"',
  "    reason: the deploy tool only runs allow-listed make targets",
  "    expires: 2026-06-30",
];
const policy = (...suppressions: string[][]) =>
  `version: 1\nrisk:\n  rules:\n    TOOL-004: critical\n  suppressions:\n${suppressions
    .flat()
    .map((l) => `  ${l}`)
    .join("\n")}\n`;

describe("POL-002", () => {
  test("a vague reason, a missing or impossible expiry, a critical rule without a ticket, an everything path", () => {
    const after = policy(
      GOOD,
      [
        "  - rule: TOOL-002",
        '    path: "a.tools.json"',
        "    reason: false positive",
        "    expires: 2026-01-01",
      ],
      [
        "  - rule: TOOL-003",
        '    path: "b.tools.json"',
        "    reason: the annotations are set by our own server build",
      ],
      [
        "  - rule: TOOL-001",
        '    path: "c.tools.json"',
        "    reason: reviewed by the platform team",
        "    expires: 2026-02-30",
      ],
      [
        "  - rule: TOOL-004",
        '    path: "**"',
        "    reason: descriptions are generated from our API docs",
        "    expires: 2026-03-01",
      ],
      ["  - rule: TOOL-001", "    path: [x.json, '**/*']", "    expires: 2026-03-01"],
    );
    const f = check(pol002, { path: POLICY, after });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        lineOf(after, "rule: TOOL-002"),
        'suppression of TOOL-002 gives the vague reason "false positive", which does not say why the risk is acceptable. Accepted risks need a reason, an expiry and a scope that reviewers and auditors can check.',
      ],
      [
        lineOf(after, "rule: TOOL-003"),
        expect.stringMatching(/^suppression of TOOL-003 has no expiry date\. /),
      ],
      [
        lineOf(after, 'path: "c.tools.json"') - 1,
        expect.stringMatching(
          /^suppression of TOOL-001 has an expiry "2026-02-30" that is not a real date\. /,
        ),
      ],
      [
        lineOf(after, "rule: TOOL-004"),
        expect.stringMatching(
          /^suppression of TOOL-004 suppresses the critical rule TOOL-004 without a ticket; applies to every file \(path "\*\*"\)\. /,
        ),
      ],
      [
        lineOf(after, "x.json") - 1,
        expect.stringMatching(
          /^suppression of TOOL-001 has no reason; applies to every file \(path "\*\*\/\*"\)\. /,
        ),
      ],
    ]);
  });

  test("a critical rule by default needs a ticket too; with one it passes", () => {
    const noTicket = [
      "  - rule: SELF-001",
      '    path: ".github/agent-change-control.yml"',
      "    reason: bootstrap of the policy file in this repository",
      "    expires: 2026-01-31",
    ];
    expect(check(pol002, { path: POLICY, after: policy(noTicket) }).map((x) => x.message)).toEqual([
      expect.stringContaining("suppresses the critical rule SELF-001 without a ticket"),
    ]);
    expect(check(pol002, { path: POLICY, after: policy([...noTicket, "    ticket: SEC-1234"]) })).toEqual([]);
  });

  test("only added or changed suppressions are judged: self-diff and unrelated edits give nothing", () => {
    const vague = [
      "  - rule: TOOL-002",
      '    path: "a.tools.json"',
      "    reason: temporary",
      "    expires: 2026-01-01",
    ];
    const before = policy(GOOD, vague);
    expect(check(pol002, { path: POLICY, before, after: before })).toEqual([]);
    expect(
      check(pol002, { path: POLICY, before, after: before.replace("TOOL-004: critical", "TOOL-004: high") }),
    ).toEqual([]);
    const moved = policy(vague, GOOD);
    expect(check(pol002, { path: POLICY, before, after: moved })).toEqual([]);
    // Extending the vague one is a new acceptance.
    const extended = before.replace("2026-01-01", "2027-01-01");
    expect(check(pol002, { path: POLICY, before, after: extended }).map((x) => x.line)).toEqual([
      lineOf(extended, "rule: TOOL-002"),
    ]);
  });

  test("a well-formed suppression, other files and odd data give nothing", () => {
    expect(check(pol002, { path: POLICY, after: policy(GOOD) })).toEqual([]);
    expect(check(pol002, { path: POLICY, before: policy(GOOD) })).toEqual([]);
    expect(check(pol002, { path: ".mcp.json", after: '{"mcpServers": {}}' })).toEqual([]);
    for (const after of [
      "risk: {suppressions: [1, null, {rule: 5, path: 7, reason: [], expires: {}}]}\n",
      "risk: 3\n",
      "",
    ])
      expect(() => check(pol002, { path: POLICY, after })).not.toThrow();
  });

  test("vagueReason", () => {
    for (const r of [
      "temp",
      "FP",
      "false positive",
      "n/a",
      "OK",
      "known issue",
      "not an issue for now",
      "accepted risk",
      "TOOL-001 false positive",
      "   ",
    ])
      expect([r, vagueReason(r, "TOOL-001")]).toEqual([r, true]);
    for (const r of [
      "false positive: the key is the vendor's documented sample",
      "test fixtures only",
      "ok per SEC-1234",
    ])
      expect([r, vagueReason(r, "TOOL-001")]).toEqual([r, false]);
  });
});
