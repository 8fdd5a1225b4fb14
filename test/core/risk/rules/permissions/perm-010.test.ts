import { describe, expect, test } from "@jest/globals";
import { perm010 } from "../../../../../src/core/risk/rules/permissions/perm-010.js";
import { check } from "../../../../helpers/risk.js";
import { json, lineOf, md } from "./util.js";

const AGENT = ".claude/agents/a.md";

describe("PERM-010 limits removed or raised tenfold", () => {
  test("maxTurns removed (base line) or raised ≥ 10×", () => {
    const before = md("name: a\ndescription: d\nmaxTurns: 10");
    const removed = check(perm010, { path: AGENT, before, after: md("name: a\ndescription: d") });
    expect(removed.map((x) => [x.line, x.side])).toEqual([[4, "before"]]);
    expect(removed[0]!.message).toContain("Limit maxTurns (10) removed");
    const raised = check(perm010, {
      path: AGENT,
      before,
      after: md("name: a\ndescription: d\nmaxTurns: 100"),
    });
    expect(raised.map((x) => x.line)).toEqual([4]);
    expect(raised[0]!.message).toContain("raised from 10 to 100 (10×)");
  });

  test("near misses: raised less than tenfold, lowered, newly added", () => {
    const before = md("name: a\ndescription: d\nmaxTurns: 10");
    expect(
      check(perm010, { path: AGENT, before, after: md("name: a\ndescription: d\nmaxTurns: 99") }),
    ).toEqual([]);
    expect(
      check(perm010, { path: AGENT, before, after: md("name: a\ndescription: d\nmaxTurns: 2") }),
    ).toEqual([]);
    expect(check(perm010, { path: AGENT, before: md("name: a\ndescription: d"), after: before })).toEqual([]);
    expect(check(perm010, { path: AGENT, after: before })).toEqual([]);
  });

  test("Claude env limits and Codex limits", () => {
    const before = json({ env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: "4000", BASH_MAX_TIMEOUT_MS: "60000" } });
    const after = json({ env: { CLAUDE_CODE_MAX_OUTPUT_TOKENS: "64000" } });
    const f = check(perm010, { path: ".claude/settings.json", before, after });
    expect(f.map((x) => [x.line, x.side])).toEqual([
      [lineOf(after, "MAX_OUTPUT"), undefined],
      [lineOf(before, "BASH_MAX"), "before"],
    ]);
    const codexBefore =
      '[mcp_servers.fs]\ncommand = "x"\ntool_timeout_sec = 30\n\n[mcp_servers.gh]\ncommand = "y"\ntool_timeout_sec = 30\n';
    const codexAfter = '[mcp_servers.fs]\ncommand = "x"\ntool_timeout_sec = 3000\n';
    // fs raised 100×; gh removed with its server: not a removed limit.
    expect(
      check(perm010, { path: ".codex/config.toml", before: codexBefore, after: codexAfter }).map(
        (x) => x.line,
      ),
    ).toEqual([3]);
  });

  test("self-diff, unrelated edits, deleted files: nothing", () => {
    const text = md("name: a\ndescription: d\nmaxTurns: 5");
    expect(check(perm010, { path: AGENT, before: text, after: text })).toEqual([]);
    expect(
      check(perm010, { path: AGENT, before: text, after: md("name: a\ndescription: other\nmaxTurns: 5") }),
    ).toEqual([]);
    expect(check(perm010, { path: AGENT, before: text })).toEqual([]);
  });
});
