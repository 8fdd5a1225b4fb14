import { describe, expect, test } from "@jest/globals";
import { riskyParameterName, tool002 } from "../../../../../src/core/risk/rules/tools/tool-002.js";
import { check } from "../../../../helpers/risk.js";

const PATH = "agent/tools/main.tools.json";
const manifest = (tools: unknown[]) => `${JSON.stringify({ tools }, null, 2)}\n`;
const lineOf = (text: string, needle: string, from = 0) =>
  text.split("\n").findIndex((l, i) => i >= from && l.includes(needle)) + 1;
const tool = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: "deploy",
  description: "Deploys",
  inputSchema: { type: "object", properties, ...extra },
});

describe("TOOL-002", () => {
  test("enum → free string, at the property's head line", () => {
    const before = manifest([tool({ env: { type: "string", enum: ["staging", "prod"] } })]);
    const after = manifest([tool({ env: { type: "string" } })]);
    const f = check(tool002, { path: PATH, before, after });
    expect(f).toEqual([
      {
        line: lineOf(after, '"env"'),
        message:
          'tool "deploy": parameter "env" was limited to "staging", "prod" and is now any string. The model can now pass values the tool refused before.',
      },
    ]);
  });

  test("pattern, maxLength, format and maximum removed or raised", () => {
    const before = manifest([
      tool({
        branch: { type: "string", pattern: "^release/[0-9.]+$", maxLength: 40 },
        target: { type: "string", format: "uri" },
        replicas: { type: "integer", maximum: 3 },
      }),
    ]);
    const after = manifest([
      tool({
        branch: { type: "string", maxLength: 400 },
        target: { type: "string" },
        replicas: { type: "integer" },
      }),
    ]);
    const f = check(tool002, { path: PATH, before, after });
    expect(f.map((x) => x.line)).toEqual([
      lineOf(after, '"branch"'),
      lineOf(after, '"target"'),
      lineOf(after, '"replicas"'),
    ]);
    expect(f[0]?.message).toBe(
      'tool "deploy": parameter "branch" lost its pattern "^release/[0-9.]+$"; maxLength raised from 40 to 400. The model can now pass values the tool refused before.',
    );
    expect(f[1]?.message).toContain('parameter "target" lost its format "uri"');
    expect(f[2]?.message).toContain('parameter "replicas" lost its maximum 3');
  });

  test("additionalProperties false → true or removed, at the root and in nested objects", () => {
    const before = manifest([
      tool(
        { opts: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false } },
        { additionalProperties: false },
      ),
    ]);
    const after = manifest([
      tool(
        { opts: { type: "object", properties: { a: { type: "string" } } } },
        { additionalProperties: true },
      ),
    ]);
    const f = check(tool002, { path: PATH, before, after });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        lineOf(after, '"additionalProperties": true'),
        'tool "deploy": its arguments had additionalProperties: false and now sets it to true, so any extra argument is accepted.',
      ],
      [
        lineOf(after, '"opts"'),
        'tool "deploy": object "opts" had additionalProperties: false and now leaves it out, so any extra argument is accepted.',
      ],
    ]);
  });

  test("a new free-form command/url/path parameter; constrained or harmless new ones are not reported", () => {
    const before = manifest([tool({ name: { type: "string" } })]);
    const after = manifest([
      tool({
        name: { type: "string" },
        command: { type: "string" },
        callback_url: { type: "string", format: "uri" },
        file_path: { description: "no type" },
        mode: { type: "string", enum: ["a", "b"] },
        script: { type: "string", pattern: "^[a-z]+$" },
        country_code: { type: "string" },
        file_id: { type: "string" },
        limit: { type: "integer" },
      }),
    ]);
    const f = check(tool002, { path: PATH, before, after });
    expect(f.map((x) => x.line)).toEqual([
      lineOf(after, '"command"'),
      lineOf(after, '"callback_url"'),
      lineOf(after, '"file_path"'),
    ]);
    expect(f[0]?.message).toBe(
      'tool "deploy" gains a free-form string parameter "command": a model can put any command, code, URL, path or query there. Constrain it (enum, pattern, format) or validate it in the tool.',
    );
  });

  test("a limited parameter dropped while extra arguments are accepted, and a whole schema removed", () => {
    const before = manifest([tool({ env: { type: "string", enum: ["a", "b"] }, note: { type: "string" } })]);
    const dropped = manifest([tool({ note: { type: "string" } })]);
    expect(check(tool002, { path: PATH, before, after: dropped })).toEqual([
      {
        line: lineOf(dropped, '"inputSchema"'),
        message:
          'tool "deploy": parameter "env" (limited by enum) was removed while extra arguments are still accepted, so the model can pass it unchecked.',
      },
    ]);
    // Closed schema: the dropped parameter is refused, not unchecked. An unlimited parameter dropped: nothing.
    const closedBefore = manifest([
      tool({ env: { type: "string", enum: ["a"] } }, { additionalProperties: false }),
    ]);
    const closed = manifest([tool({}, { additionalProperties: false })]);
    expect(check(tool002, { path: PATH, before: closedBefore, after: closed })).toEqual([]);
    expect(
      check(tool002, {
        path: PATH,
        before,
        after: manifest([tool({ env: { type: "string", enum: ["a", "b"] } })]),
      }),
    ).toEqual([]);
    const noSchema = manifest([{ name: "deploy", description: "Deploys" }]);
    expect(check(tool002, { path: PATH, before, after: noSchema })).toEqual([
      {
        line: lineOf(noSchema, '"name": "deploy"'),
        message:
          'tool "deploy": its input schema was removed, so the model may pass any arguments. Restore a schema that names and limits each parameter.',
      },
    ]);
  });

  test("long enums are shortened in the message", () => {
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const f = check(tool002, {
      path: PATH,
      before: manifest([tool({ env: { type: "string", enum: values } })]),
      after: manifest([tool({ env: { type: "string" } })]),
    });
    expect(f[0]?.message).toContain(
      'was limited to "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", … (20 values) and is now any string',
    );
  });

  test("a type widened to string", () => {
    const f = check(tool002, {
      path: PATH,
      before: manifest([tool({ count: { type: "integer" } })]),
      after: manifest([tool({ count: { type: ["integer", "string"] } })]),
    });
    expect(f.map((x) => x.message)).toEqual([
      'tool "deploy": parameter "count" was integer and is now integer/string. The model can now pass values the tool refused before.',
    ]);
  });

  test("narrowing, reordering, self-diff, new tools and description edits give nothing", () => {
    const wide = manifest([tool({ env: { type: "string" } })]);
    const narrow = manifest([
      tool({ env: { type: "string", enum: ["a"] } }, { additionalProperties: false }),
    ]);
    expect(check(tool002, { path: PATH, before: wide, after: narrow })).toEqual([]);
    expect(check(tool002, { path: PATH, before: narrow, after: narrow })).toEqual([]);
    const reordered = `${JSON.stringify({ tools: [{ inputSchema: { additionalProperties: false, properties: { env: { enum: ["a"], type: "string" } }, type: "object" }, description: "Deploys", name: "deploy" }] }, null, 2)}\n`;
    expect(check(tool002, { path: PATH, before: narrow, after: reordered })).toEqual([]);
    expect(check(tool002, { path: PATH, after: manifest([tool({ command: { type: "string" } })]) })).toEqual(
      [],
    );
    const edited = manifest([
      {
        ...tool({ env: { type: "string", enum: ["a"] } }, { additionalProperties: false }),
        description: "x",
      },
    ]);
    expect(check(tool002, { path: PATH, before: narrow, after: edited })).toEqual([]);
  });

  test("Prompty parameter lists: a new free-form parameter is located in the list", () => {
    const prompty = (params: string) =>
      `---\nname: p\nmodel:\n  id: gpt-4o\ntools:\n  - name: run\n    kind: function\n    parameters:\n${params}---\nsystem:\nHi\n`;
    const before = prompty("      - name: target\n        kind: string\n        enum: [a, b]\n");
    const after = prompty(
      "      - name: target\n        kind: string\n      - name: query\n        kind: string\n",
    );
    const f = check(tool002, { path: "prompts/run.prompty", before, after });
    expect(f.map((x) => [x.line, x.message.slice(0, 45)])).toEqual([
      [9, 'tool "run": parameter "target" was limited to'],
      [11, 'tool "run" gains a free-form string parameter'],
    ]);
  });

  test("riskyParameterName", () => {
    for (const n of [
      "command",
      "cmd",
      "shellCommand",
      "script",
      "code",
      "source_code",
      "url",
      "targetUrl",
      "uri",
      "path",
      "file_path",
      "filename",
      "filepath",
      "query",
      "sqlQuery",
      "sql",
    ])
      expect([n, riskyParameterName(n)]).toEqual([n, true]);
    for (const n of [
      "name",
      "country_code",
      "zipcode",
      "file_id",
      "profile",
      "limit",
      "urgent",
      "pathology_id",
      "title",
    ])
      expect([n, riskyParameterName(n)]).toEqual([n, false]);
  });
});
