import { describe, expect, test } from "@jest/globals";
import { tool003 } from "../../../../../src/core/risk/rules/tools/tool-003.js";
import { check } from "../../../../helpers/risk.js";

const PATH = "agent/tools/main.tools.json";
const manifest = (tools: unknown[]) => `${JSON.stringify({ tools }, null, 2)}\n`;
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const tool = (annotations?: Record<string, unknown>, name = "archive") => ({
  name,
  inputSchema: { type: "object" },
  ...(annotations ? { annotations } : {}),
});
const SAFE = { readOnlyHint: true, destructiveHint: false, openWorldHint: false };

describe("TOOL-003", () => {
  test("flips from safe to unsafe, each at its hint's line", () => {
    const before = manifest([tool(SAFE)]);
    const after = manifest([tool({ readOnlyHint: false, destructiveHint: true, openWorldHint: true })]);
    const f = check(tool003, { path: PATH, before, after });
    expect(f).toEqual([
      {
        line: lineOf(after, '"readOnlyHint"'),
        message:
          'tool "archive": readOnlyHint changed from true to false: the tool may now modify its environment. Clients use these hints to decide whether to ask before calling the tool.',
      },
      {
        line: lineOf(after, '"destructiveHint"'),
        message:
          'tool "archive": destructiveHint changed from false to true: the tool may now perform destructive updates. Clients use these hints to decide whether to ask before calling the tool.',
      },
      {
        line: lineOf(after, '"openWorldHint"'),
        message:
          'tool "archive": openWorldHint changed from false to true: the tool may now reach external systems. Clients use these hints to decide whether to ask before calling the tool.',
      },
    ]);
  });

  test("removing a favourable hint counts (the defaults are the unsafe values)", () => {
    const before = manifest([tool(SAFE)]);
    const after = manifest([tool({ title: "Archive", destructiveHint: false })]);
    const f = check(tool003, { path: PATH, before, after });
    expect(f.map((x) => [x.line, x.message.split(":").slice(0, 2).join(":")])).toEqual([
      [lineOf(after, '"annotations"'), 'tool "archive": readOnlyHint true was removed (absent means false)'],
      [lineOf(after, '"annotations"'), 'tool "archive": openWorldHint false was removed (absent means true)'],
    ]);
    // The whole annotations object removed: the finding points at the tool's name.
    const bare = manifest([tool()]);
    const g = check(tool003, { path: PATH, before, after: bare });
    expect(g.map((x) => x.line)).toEqual(Array(3).fill(lineOf(bare, '"name": "archive"')));
  });

  test("tightening, unchanged hints, self-diff, new tools and unrelated edits give nothing", () => {
    const loose = manifest([tool({ readOnlyHint: false, destructiveHint: true })]);
    const safe = manifest([tool(SAFE)]);
    expect(check(tool003, { path: PATH, before: loose, after: safe })).toEqual([]);
    expect(check(tool003, { path: PATH, before: safe, after: safe })).toEqual([]);
    expect(check(tool003, { path: PATH, before: loose, after: loose })).toEqual([]);
    expect(check(tool003, { path: PATH, after: loose })).toEqual([]);
    expect(
      check(tool003, {
        path: PATH,
        before: safe,
        after: manifest([tool(SAFE), tool({ readOnlyHint: false }, "other")]),
      }),
    ).toEqual([]);
    const described = manifest([{ ...tool(SAFE), description: "Archives a page" }]);
    expect(check(tool003, { path: PATH, before: safe, after: described })).toEqual([]);
  });

  test("Bedrock RequireConfirmation turned off", () => {
    const cfn = (confirm: string) =>
      [
        "Resources:",
        "  Agent:",
        "    Type: AWS::Bedrock::Agent",
        "    Properties:",
        "      ActionGroups:",
        "        - ActionGroupName: g",
        "          FunctionSchema:",
        "            Functions:",
        "              - Name: cancel_booking",
        `                RequireConfirmation: ${confirm}`,
        "",
      ].join("\n");
    const f = check(tool003, {
      path: "infra/agent.yaml",
      format: "bedrock-cfn",
      before: cfn("ENABLED"),
      after: cfn("DISABLED"),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        10,
        'tool "cancel_booking": requireConfirmation changed from true to false: the agent no longer asks the user before calling it. Clients use these hints to decide whether to ask before calling the tool.',
      ],
    ]);
  });

  test("non-boolean annotations never throw", () => {
    const before = manifest([tool({ readOnlyHint: true })]);
    const after = manifest([{ name: "archive", annotations: "none" }]);
    expect(check(tool003, { path: PATH, before, after }).map((x) => x.message.slice(0, 40))).toEqual([
      'tool "archive": readOnlyHint true was re',
    ]);
  });
});
