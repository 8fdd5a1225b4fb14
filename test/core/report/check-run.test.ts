import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../../src/core/evaluate.js";
import { defaultPolicy, loadPolicy, POLICY_PATH } from "../../../src/core/policy/resolve.js";
import {
  type Annotation,
  type CheckRunResult,
  failClosedResult,
  gateResult,
  MAX_ANNOTATIONS,
  MAX_OUTPUT_CHARS,
  MAX_TITLE_CHARS,
  policyErrorResult,
  resultFingerprint,
  SUMMARY_HEADROOM,
} from "../../../src/core/report/check-run.js";
import { markdownReport } from "../../../src/core/report/markdown.js";
import { ruleById } from "../../../src/core/risk/catalog.js";
import type { FileChange, FindingSeverity } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { approvalResult, CTX, evaluation, ruleResult } from "./fixtures.js";

function blob(text: string) {
  const data = new TextEncoder().encode(text);
  return { size: data.length, data };
}
const added = (path: string, text: string): FileChange => ({ path, status: "added", after: blob(text) });
const removed = (path: string, text: string): FileChange => ({ path, status: "removed", before: blob(text) });
const evaluate = (...changes: FileChange[]) =>
  evaluateChange({ changes, policy: defaultPolicy(), schemas: builtinSchemas() });

const PINNED_MCP = '{\n  "mcpServers": {\n    "gh": { "command": "gh", "args": ["mcp"] }\n  }\n}\n';
const INVALID_MCP = '{\n  "mcpServers": {\n    "gh": { "command": 5 }\n  }\n}\n';
/** `n` new servers launched unpinned through npx: one high (MCP-002) and one medium (MCP-001) finding each. */
const unpinnedMcp = (n: number) =>
  `{\n  "mcpServers": {\n${Array.from({ length: n }, (_, i) => `    "s${i}": { "command": "npx", "args": ["-y", "pkg${i}"] }`).join(",\n")}\n  }\n}\n`;
/** Five exact commands (five low findings), an unknown key (a warning), a wrong type (an error and POL-003). */
const SETTINGS = `{
  "permissions": {
    "allow": [
      "Bash(git status)",
      "Bash(git diff)",
      "Bash(git log)",
      "Bash(npm test)",
      "Bash(npm run lint)"
    ]
  },
  "bogus": 1,
  "model": 5
}
`;
/** 8 + 2n annotations, every level; plus the removed policy file (a critical finding nobody can annotate). */
const mixed = (servers: number) =>
  evaluate(
    added(".mcp.json", unpinnedMcp(servers)),
    added(".claude/settings.json", SETTINGS),
    removed(POLICY_PATH, "version: 1\n"),
  );

const LEVEL_RANK = { failure: 0, warning: 1, notice: 2 } as const;
const LEVEL_OF: Record<FindingSeverity, Annotation["annotation_level"]> = {
  critical: "failure",
  high: "failure",
  medium: "warning",
  low: "notice",
  info: "notice",
};

describe("gate conclusion", () => {
  test("no agent-config file changed: neutral, and the summary is the report as the CLI prints it", () => {
    const ev = evaluate(added("README.md", "# hello\n"));
    const r = gateResult(ev, CTX);
    expect(r.conclusion).toBe("neutral");
    expect(r.title).toBe("No agent-config changes");
    expect(r.summary).toBe(markdownReport(ev, CTX));
    expect(r.summary).toContain("✅ **Pass**");
    expect(r.summary).toContain("No agent-config files changed.");
    expect(r.annotations).toEqual([]);
    expect(r.omittedAnnotations).toBe(0);
  });

  test("a medium-risk change without errors: success, the finding annotated as a warning", () => {
    const ev = evaluate(added(".mcp.json", PINNED_MCP));
    const r = gateResult(ev, CTX);
    expect(r.conclusion).toBe("success");
    expect(r.title).toBe("1 agent-config file · risk medium · 1 finding");
    expect(r.summary).toContain("✅ **Pass** · risk **medium**");
    const f = ev.findings[0]!;
    expect(f.rule).toBe("MCP-001");
    expect(r.annotations).toEqual([
      {
        path: ".mcp.json",
        start_line: 3,
        end_line: 3,
        start_column: f.column,
        end_column: f.column,
        annotation_level: "warning",
        title: `MCP-001 ${f.title}`,
        message: f.message,
        raw_details: `Threat: ${f.threat}\nHow to fix: ${ruleById("MCP-001")!.fix}`,
      },
    ]);
  });

  test("a validation error: failure, annotated at its position", () => {
    const ev = evaluate(added(".mcp.json", INVALID_MCP));
    const r = gateResult(ev, CTX);
    expect(r.conclusion).toBe("failure");
    expect(r.title.startsWith("1 validation error · ")).toBe(true);
    expect(r.summary).toContain("❌ **Fail**: 1 validation error");
    const m = ev.validation[0]!;
    expect(r.annotations[0]).toEqual({
      path: ".mcp.json",
      start_line: 3,
      end_line: 3,
      start_column: 24,
      end_column: 24,
      annotation_level: "failure",
      title: `Validation error (${m.code})`,
      message: m.message,
    });
  });

  test("a high-risk change without validation errors: failure", () => {
    const ev = evaluate(added(".mcp.json", unpinnedMcp(1)));
    expect([ev.errors, ev.risk]).toEqual([0, "high"]);
    const r = gateResult(ev, CTX);
    expect(r.conclusion).toBe("failure");
    expect(r.title).toBe("1 finding at or above high · risk high");
    expect(r.summary).toContain("❌ **Fail**: 1 finding at or above high · risk **high**");
  });

  test("the report's Pass/Fail line agrees with the conclusion, whatever failOn the context carries", () => {
    const cases = [
      evaluate(added("README.md", "x\n")),
      evaluate(added(".mcp.json", PINNED_MCP)),
      evaluate(added(".mcp.json", INVALID_MCP)),
      evaluate(added(".mcp.json", unpinnedMcp(2))),
      mixed(1),
    ];
    for (const ev of cases) {
      for (const failOn of ["info", "high", "critical"] as const) {
        const r = gateResult(ev, { ...CTX, failOn });
        const failing = ev.errors > 0 || ev.risk === "high" || ev.risk === "critical";
        expect(r.conclusion === "failure").toBe(failing);
        expect(r.summary.includes("❌ **Fail**")).toBe(failing);
        expect(r.summary.includes("✅ **Pass**")).toBe(!failing);
      }
    }
  });
});

describe("gate conclusion with approvals", () => {
  const SATISFIED = approvalResult({
    rules: [ruleResult({ name: "sec", status: "satisfied", counted: [{ login: "sec-lead", reviewId: 1 }] })],
  });
  const PENDING = approvalResult({ rules: [ruleResult({ name: "sec" })] });
  const BLOCKED = approvalResult({ rules: SATISFIED.rules, blockedBy: [{ login: "erin", reviewId: 2 }] });
  const EMERGENCY = approvalResult({
    rules: PENDING.rules,
    emergency: {
      declarer: "ic-oncall",
      reason: "outage",
      commentId: 9,
      declaredAt: "2025-06-06T10:00:00Z",
      followUpDue: "2025-06-10",
    },
  });

  test("a valid medium-risk change with a pending rule: failure, the title says which", () => {
    const r = gateResult(evaluate(added(".mcp.json", PINNED_MCP)), CTX, PENDING);
    expect(r.conclusion).toBe("failure");
    expect(r.title).toBe("approvals pending: sec (0 of 1) · risk medium");
    expect(r.summary).toContain("❌ **Fail**: approvals pending: sec (0 of 1) · risk **medium**");
    expect(r.summary).toContain("### Approvals: 1 of 1 rule pending");
  });

  test("the same change approved: success", () => {
    const r = gateResult(evaluate(added(".mcp.json", PINNED_MCP)), CTX, SATISFIED);
    expect(r.conclusion).toBe("success");
    expect(r.title).toBe("1 agent-config file · risk medium · 1 finding");
  });

  test("changes requested by an eligible approver: failure even with every rule satisfied", () => {
    const r = gateResult(evaluate(added(".mcp.json", PINNED_MCP)), CTX, BLOCKED);
    expect(r.conclusion).toBe("failure");
    expect(r.title).toBe("changes requested by erin · risk medium");
    expect(r.summary).toContain("❌ **Fail**: changes requested by `erin`");
  });

  test("an emergency: success titled Emergency change, despite a high finding and a pending rule", () => {
    const ev = evaluate(added(".mcp.json", unpinnedMcp(1)));
    expect(ev.risk).toBe("high");
    const r = gateResult(ev, CTX, EMERGENCY);
    expect(r.conclusion).toBe("success");
    expect(r.title).toBe("Emergency change · 1 agent-config file · risk high · 2 findings");
    expect(r.summary.split("\n")[2]).toMatch(/^> 🚨 \*\*Emergency change\*\* declared by `ic-oncall`/);
  });

  test("an emergency does not override validation errors", () => {
    const r = gateResult(evaluate(added(".mcp.json", INVALID_MCP)), CTX, EMERGENCY);
    expect(r.conclusion).toBe("failure");
    expect(r.title.startsWith("1 validation error · ")).toBe(true);
  });

  test("no agent-config file changed but a rule applies (a CODEOWNERS change): not neutral", () => {
    const ev = evaluate(added("README.md", "x\n"));
    expect(gateResult(ev, CTX, PENDING).conclusion).toBe("failure");
    expect(gateResult(ev, CTX, SATISFIED).conclusion).toBe("success");
    const none = approvalResult({ rules: [ruleResult({ name: "sec", status: "not-applicable" })] });
    expect(gateResult(ev, CTX, none).conclusion).toBe("neutral");
  });

  test("the report's Pass/Fail line agrees with the conclusion, for every approval state", () => {
    const cases = [
      evaluate(added("README.md", "x\n")),
      evaluate(added(".mcp.json", PINNED_MCP)),
      evaluate(added(".mcp.json", INVALID_MCP)),
      evaluate(added(".mcp.json", unpinnedMcp(2))),
      mixed(1),
    ];
    for (const ev of cases) {
      for (const a of [SATISFIED, PENDING, BLOCKED, EMERGENCY]) {
        for (const failOn of ["info", "high"] as const) {
          const r = gateResult(ev, { ...CTX, failOn }, a);
          // With approvals, risk picks the approval tier; it does not fail the gate by itself.
          const failing = ev.errors > 0 || (a.emergency === undefined && !a.approved);
          expect(r.conclusion === "failure").toBe(failing);
          expect(r.summary.includes("❌ **Fail**")).toBe(failing);
          expect(r.summary.includes("✅ **Pass**")).toBe(!failing);
          expect(r.summary).toBe(markdownReport(ev, { ...CTX, failOn: "high" }, a));
        }
      }
    }
  });
});

describe("annotations", () => {
  test("60 annotations: failures first, then warnings, then notices; levels follow the severities", () => {
    const ev = mixed(26);
    const r = gateResult(ev, CTX);
    expect(r.annotations).toHaveLength(60);
    expect(r.omittedAnnotations).toBe(0);
    const ranks = r.annotations.map((a) => LEVEL_RANK[a.annotation_level]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // Every level is present, each as often as its sources in the evaluation (the removed file aside).
    const annotated = ev.findings.filter((f) => f.path !== POLICY_PATH);
    const count = (level: Annotation["annotation_level"]) =>
      r.annotations.filter((a) => a.annotation_level === level).length;
    expect(count("failure")).toBe(
      ev.errors + annotated.filter((f) => LEVEL_OF[f.severity] === "failure").length,
    );
    expect(count("warning")).toBe(
      ev.warnings + annotated.filter((f) => LEVEL_OF[f.severity] === "warning").length,
    );
    expect(count("notice")).toBe(annotated.filter((f) => f.severity === "low").length);
    expect(count("notice")).toBe(5);
    // Within a level: validation messages by position, then findings as the engine ordered them.
    const key = (a: { path: string; start_line: number; title?: string }) =>
      `${a.path}:${a.start_line} ${a.title}`;
    const failures = r.annotations.filter((a) => a.annotation_level === "failure").map(key);
    expect(failures).toEqual([
      ...ev.validation
        .filter((m) => m.severity === "error")
        .map((m) => `${m.path}:${m.line} Validation error (${m.code})`),
      ...annotated
        .filter((f) => LEVEL_OF[f.severity] === "failure")
        .map((f) => `${f.path}:${f.line} ${f.rule} ${f.title}`),
    ]);
    // Stable: the same evaluation gives the same annotations.
    expect(gateResult(mixed(26), CTX).annotations).toEqual(r.annotations);
  });

  test(`300 problems: capped at ${MAX_ANNOTATIONS}, the most severe kept, the rest counted in the summary`, () => {
    const ev = mixed(146);
    const r = gateResult(ev, CTX);
    expect(r.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(r.omittedAnnotations).toBe(50);
    // 148 failures (1 error, POL-003, 146 × MCP-002) fit; the cut falls among the warnings; notices are out.
    expect(r.annotations.filter((a) => a.annotation_level === "failure")).toHaveLength(148);
    expect(r.annotations.filter((a) => a.annotation_level === "notice")).toHaveLength(0);
    expect(r.summary).toContain("50 more problems not annotated");
    expect(r.summary.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
  });

  test("a removed file is not annotated (its path does not exist at the head) but stays in the summary", () => {
    const ev = mixed(1);
    const self = ev.findings.find((f) => f.path === POLICY_PATH);
    expect(self?.rule).toBe("SELF-001");
    const r = gateResult(ev, CTX);
    expect(r.annotations.some((a) => a.path === POLICY_PATH)).toBe(false);
    expect(r.summary).toContain(`\`${POLICY_PATH}:1\``);
    expect(r.summary).toContain("`SELF-001`");
  });

  test("lines below 1 become 1; a column below 1 becomes 1", () => {
    const ev = evaluation({
      files: [{ path: "a.json", status: "added", format: "mcp-project", category: "mcp", matchedBy: "path" }],
      validation: [{ path: "a.json", line: 0, column: 0, severity: "error", code: "syntax", message: "bad" }],
      findings: [{ rule: "MCP-001", severity: "medium", path: "a.json", line: -3, message: "new server" }],
    });
    const r = gateResult(ev, CTX);
    expect(
      r.annotations.map((a) => [a.start_line, a.end_line, a.start_column, a.end_column, a.annotation_level]),
    ).toEqual([
      [1, 1, 1, 1, "failure"],
      [1, 1, undefined, undefined, "warning"],
    ]);
    expect("start_column" in r.annotations[1]!).toBe(false);
  });

  test("control characters from the change are shown escaped in titles and messages", () => {
    const ev = evaluate(added(".claude/settings.json", '{ "bo\\u001b[31mgus": 1 }\n'));
    const raw = ev.validation.find((m) => m.code === "unknown-key")!;
    expect(raw.message).toContain("\u001b");
    const r = gateResult(ev, CTX);
    const a = r.annotations.find((x) => x.title === "Validation warning (unknown-key)")!;
    expect(a.message).toContain("bo\\u001b[31mgus");
    for (const x of r.annotations) {
      const shown = `${x.title}${x.message}${x.raw_details ?? ""}`;
      // Only line breaks may stay as they are: every other C0 control or DEL is escaped.
      expect([...shown].filter((ch) => (ch < " " && ch !== "\n") || ch === "\u007f")).toEqual([]);
    }
  });
});

describe("summary", () => {
  test("a very long report is cut to fit, says what it left out, and keeps the annotation note", () => {
    const ev = evaluate(added(".mcp.json", unpinnedMcp(400)));
    const full = markdownReport(ev, CTX);
    expect(full.length).toBeGreaterThan(MAX_OUTPUT_CHARS);
    const r = gateResult(ev, CTX);
    // Room is left for the app's fingerprint comment; the report still fills most of what GitHub allows.
    expect(r.summary.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS - SUMMARY_HEADROOM);
    expect(r.summary.length).toBeGreaterThan(MAX_OUTPUT_CHARS - SUMMARY_HEADROOM - 1000);
    expect(
      r.summary.startsWith("## agent-change-control\n\n❌ **Fail**: 400 findings at or above high"),
    ).toBe(true);
    const findingRows = (md: string) => md.split("\n").filter((l) => l.startsWith("| `MCP-00")).length;
    const left = 800 - findingRows(r.summary);
    expect(left).toBeGreaterThan(0);
    expect(r.summary).toMatch(new RegExp(`more lines not shown \\(${left} findings\\); run \``));
    expect(
      r.summary.endsWith(
        "550 more problems not annotated: at most 250 annotations are shown, the most severe first.\n",
      ),
    ).toBe(true);
  });
});

describe("policy errors", () => {
  test("an invalid policy: failure, each problem listed and annotated", () => {
    const load = loadPolicy(
      "version: 1\nrisk:\n  allowed_mcp_hosts: 5\nbogus: true\n",
      POLICY_PATH,
      builtinSchemas(),
    );
    expect(load.ok).toBe(false);
    const messages = load.messages;
    expect(messages.length).toBeGreaterThan(0);
    const r = policyErrorResult(messages, { tool: CTX.tool, policyLabel: `${POLICY_PATH} on main` });
    expect(r.conclusion).toBe("failure");
    const errors = messages.filter((m) => m.severity === "error").length;
    expect(r.title).toBe(`Invalid policy ${POLICY_PATH} on main: ${errors} error${errors === 1 ? "" : "s"}`);
    for (const m of messages) expect(r.summary).toContain(`\`${m.path}:${m.line}:${m.column}\``);
    expect(r.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual(
      messages.map((m) => [m.path, m.line, m.severity === "error" ? "failure" : "warning"]),
    );
    expect(r.summary).toContain("**Re-run**");
  });

  test("the policy label is escaped in the summary and kept to one short title line", () => {
    const label = `weird | <img src=x> *bold* @octocat\n${"x".repeat(400)}`;
    const r = policyErrorResult(
      [{ path: POLICY_PATH, line: 1, column: 1, severity: "error", code: "syntax", message: "bad" }],
      { tool: CTX.tool, policyLabel: label },
    );
    expect(r.summary).toContain("weird \\| &lt;img src=x> \\*bold\\* `@octocat` xxx");
    expect(r.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(r.title).not.toContain("\n");
    expect(r.title.endsWith("…")).toBe(true);
  });
});

describe("fail closed", () => {
  test("says what went wrong in one escaped line and how to run it again", () => {
    const r = failClosedResult(
      {
        what: "Could not read `.mcp.json` | *x* <b>\n    at read (/app/x.js:1:1)\n    at next",
        detail: "HTTP 502 from GitHub\nbody: secret file contents",
      },
      CTX.tool,
    );
    expect(r).toEqual({
      conclusion: "failure",
      title: "Not checked: the evaluation could not complete",
      summary: [
        "## agent-change-control",
        "",
        "❌ **Fail**: this change could not be evaluated, so the gate fails closed.",
        "",
        "**What went wrong:** Could not read \\`.mcp.json\\` \\| \\*x\\* &lt;b> (HTTP 502 from GitHub)",
        "",
        "To try again, choose **Re-run** on the Checks tab, or push a commit.",
        "",
        "<sub>agent-change-control 0.1.0</sub>",
        "",
      ].join("\n"),
      annotations: [],
      omittedAnnotations: 0,
    });
  });
});

describe("fingerprint", () => {
  const base = (): CheckRunResult => gateResult(evaluate(added(".mcp.json", INVALID_MCP)), CTX);

  test("stable: the same evaluation gives the same fingerprint, 40 hex digits", () => {
    const fp = resultFingerprint(base());
    expect(fp).toMatch(/^[0-9a-f]{40}$/);
    expect(resultFingerprint(base())).toBe(fp);
  });

  test("changes with any part of what is sent", () => {
    const edits: ((r: CheckRunResult) => void)[] = [
      (r) => {
        r.conclusion = "success";
      },
      (r) => {
        r.title += ".";
      },
      (r) => {
        r.summary += " ";
      },
      (r) => {
        r.text = "";
      },
      (r) => {
        r.annotations.pop();
      },
      (r) => {
        r.annotations.push({ ...r.annotations[0]! });
      },
      ...(
        [
          ["path", "x"],
          ["start_line", 9],
          ["end_line", 9],
          ["start_column", 2],
          ["end_column", 2],
          ["annotation_level", "notice"],
          ["title", "t"],
          ["message", "m"],
          ["raw_details", "d"],
        ] as const
      ).map(
        ([field, value]) =>
          (r: CheckRunResult) =>
            Object.assign(r.annotations[0]!, { [field]: value }),
      ),
      (r) => {
        delete r.annotations[0]!.start_column;
      },
    ];
    const prints = edits.map((edit) => {
      const r = base();
      edit(r);
      return resultFingerprint(r);
    });
    expect(new Set([resultFingerprint(base()), ...prints]).size).toBe(edits.length + 1);
  });
});
