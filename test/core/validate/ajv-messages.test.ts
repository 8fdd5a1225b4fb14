import { describe, expect, test } from "@jest/globals";
import type { Syntax } from "../../../src/core/parse/document.js";
import { parseText } from "../../../src/core/parse/index.js";
import type { MessageSeverity, ValidationMessage } from "../../../src/core/types.js";
import { didYouMean, schemaMessages } from "../../../src/core/validate/ajv-messages.js";
import { type CompiledSchema, SchemaSet } from "../../../src/core/validate/schema-set.js";
import { builtinSchemas } from "../../../src/schemas.js";

const FILE = "f.json";

function custom(schema: object, unknownKeys: MessageSeverity = "warning"): CompiledSchema {
  const c = new SchemaSet(new Map()).customSchema(schema, unknownKeys);
  if (c instanceof Error) throw c;
  return c;
}

function check(compiled: CompiledSchema, text: string, syntax: Syntax = "json"): ValidationMessage[] {
  const doc = parseText(text, syntax);
  expect(doc.messages).toEqual([]);
  return schemaMessages(compiled.validate(doc.data), doc, FILE, compiled.unknownKeys);
}

/** `line:column severity code pointer: message`, one per message. */
function lines(messages: readonly ValidationMessage[]): string[] {
  return messages.map((m) => `${m.line}:${m.column} ${m.severity} ${m.code} ${m.pointer}: ${m.message}`);
}

const builtin = (id: string) => builtinSchemas().builtinSchema(id);

describe("grading", () => {
  test("an unknown key is a warning with a did-you-mean, positioned at the key", () => {
    const text =
      '{\n  "mcpServers": {\n    "fs": {\n      "comand": "npx",\n      "command": "npx"\n    }\n  }\n}\n';
    const out = check(builtin("mcp-project"), text);
    expect(out).toHaveLength(1);
    const m = out[0]!;
    expect([m.path, m.line, m.column, m.severity, m.code, m.pointer]).toEqual([
      FILE,
      4,
      7,
      "warning",
      "unknown-key",
      "/mcpServers/fs/comand",
    ]);
    expect(m.message).toMatch(/^unknown key "comand" in mcpServers\.fs; did you mean "command"\?/);
  });

  test("an unknown key with nothing close gets no guess; at the top level it says so", () => {
    const out = check(builtin("mcp-project"), '{\n  "mcpServers": {},\n  "zzzzzzzz": 1\n}');
    expect(out.map((m) => [m.line, m.column, m.severity, m.code])).toEqual([
      [3, 3, "warning", "unknown-key"],
    ]);
    expect(out[0]!.message).toMatch(/^unknown key "zzzzzzzz" at the top level\. /);
    expect(out[0]!.message).not.toContain("did you mean");
  });

  test("unknown keys are errors when the schema set says so (the policy, unknown_keys: error)", () => {
    const schema = { type: "object", additionalProperties: false, properties: { name: { type: "string" } } };
    expect(check(custom(schema, "error"), '{"nme": "x"}').map((m) => [m.severity, m.code])).toEqual([
      ["error", "unknown-key"],
    ]);
    expect(check(custom(schema, "warning"), '{"nme": "x"}').map((m) => [m.severity, m.code])).toEqual([
      ["warning", "unknown-key"],
    ]);
    const policy = builtin("policy");
    expect(policy.unknownKeys).toBe("error");
    const doc = parseText("watches: {}\n", "yaml");
    expect(schemaMessages(policy.validate(doc.data), doc, "p.yml", policy.unknownKeys)[0]!.severity).toBe(
      "error",
    );
  });

  test("x-severity: warning in a subschema grades its failures; x-hint explains them", () => {
    const schema = {
      type: "object",
      properties: {
        model: {
          type: "string",
          pattern: "^[a-z]+/",
          "x-severity": "warning",
          "x-hint": "use provider/model",
        },
        temperature: { type: "number" },
      },
    };
    const out = check(custom(schema), '{"model": "gpt", "temperature": "hot"}');
    expect(lines(out)).toEqual([
      "1:11 warning schema /model: model has the wrong form (use provider/model)",
      '1:33 error schema /temperature: temperature must be a number, not the string "hot"',
    ]);
  });

  test("built-in x-severity is honoured (GitHub Models evaluators without a name)", () => {
    const out = check(
      builtin("github-prompt"),
      "messages:\n  - role: user\n    content: hi\nevaluators:\n  - string: {contains: x}\n",
      "yaml",
    );
    expect(out.map((m) => [m.line, m.column, m.severity, m.code, m.pointer])).toEqual([
      [5, 5, "warning", "schema", "/evaluators/0"],
    ]);
    expect(out[0]!.message).toMatch(/^evaluators\[0\]: missing required key "name" \(/);
  });

  test("a type error is an error, positioned at the failing value", () => {
    const out = check(
      builtin("mcp-project"),
      '{\n  "mcpServers": {\n    "fs": {\n      "command": 5\n    }\n  }\n}',
    );
    expect(lines(out)).toEqual([
      "4:18 error schema /mcpServers/fs/command: mcpServers.fs.command must be a string, not the number 5",
    ]);
  });

  test("a missing required key is positioned at the object that lacks it", () => {
    const out = check(
      custom({ type: "object", properties: { a: { type: "object", required: ["b"] } } }),
      '{\n  "a": {"c": 1}\n}',
    );
    expect(lines(out)).toEqual(['2:8 error schema /a: a: missing required key "b"']);
  });

  test("enum without a hint lists the allowed values; with a hint, the hint explains", () => {
    expect(lines(check(custom({ enum: ["a", "b"] }), '"c"'))).toEqual([
      '1:1 error schema : value must be one of "a", "b"; got "c"',
    ]);
    const role = check(builtin("github-prompt"), "messages:\n  - role: robot\n    content: hi\n", "yaml");
    expect(role.map((m) => [m.line, m.column, m.severity])).toEqual([[2, 11, "error"]]);
    expect(role[0]!.message).toMatch(/^messages\[0\]\.role has an unsupported value "robot" \(.+\)$/);
  });

  test("messages at the same position with the same text are reported once", () => {
    const schema = { allOf: [{ type: "string" }, { type: "string" }] };
    expect(check(custom(schema), "5")).toHaveLength(1);
  });

  test("a pointer prefix locates messages in an enclosing document", () => {
    const doc = parseText('{"front": {"name": 5}}', "json");
    const compiled = custom({ type: "object", properties: { name: { type: "string" } } });
    const data = (doc.data as { front: unknown }).front;
    const out = schemaMessages(compiled.validate(data), doc, FILE, "warning", ["front"]);
    expect(out.map((m) => [m.line, m.column, m.pointer])).toEqual([[1, 20, "/front/name"]]);
    expect(out[0]!.message).toBe("front.name must be a string, not the number 5");
  });
});

describe("oneOf / anyOf collapsing", () => {
  const policyMessages = (yaml: string) => {
    const doc = parseText(yaml, "yaml");
    return schemaMessages(builtin("policy").validate(doc.data), doc, "p.yml", "error");
  };

  test("`path: 5` in the policy: one clear message at the value, not one per alternative", () => {
    expect(lines(policyMessages("formats:\n  - path: 5\n    format: json\n"))).toEqual([
      "2:11 error schema /formats/0/path: formats[0].path must be a path glob string, or a list of them; got the number 5",
    ]);
  });

  test("the branch that matched the value's shape reports its deeper error (through $ref)", () => {
    expect(lines(policyMessages('formats:\n  - path: ["/abs"]\n    format: json\n'))).toEqual([
      "2:12 error schema /formats/0/path/0: formats[0].path[0] does not match the pattern ^[^/]",
    ]);
    expect(lines(policyMessages("risk:\n  rules:\n    INS-001: {enabled: 3}\n"))).toEqual([
      "3:24 error schema /risk/rules/INS-001/enabled: risk.rules.INS-001.enabled must be true or false, not the number 3",
    ]);
    expect(lines(policyMessages("risk:\n  rules:\n    INS-001: {severity: hgh}\n"))).toEqual([
      '3:25 error schema /risk/rules/INS-001/severity: risk.rules.INS-001.severity must be one of "info", "low", "medium", "high", "critical"; got "hgh"',
    ]);
  });

  test("no branch matched: one message naming the alternatives", () => {
    expect(lines(policyMessages("risk:\n  rules:\n    INS-001: offf\n"))).toEqual([
      '3:14 error schema /risk/rules/INS-001: risk.rules.INS-001 must be "off", severity or an object; got the string "offf"',
    ]);
  });

  test("inline branches: the matching one's deeper error, or one message", () => {
    const schema = {
      type: "object",
      properties: {
        tool: {
          oneOf: [
            { type: "string" },
            { type: "object", additionalProperties: false, properties: { name: { type: "string" } } },
          ],
        },
      },
    };
    const c = custom(schema);
    expect(lines(check(c, '{"tool": {"name": 1}}'))).toEqual([
      "1:19 error schema /tool/name: tool.name must be a string, not the number 1",
    ]);
    expect(check(c, '{"tool": {"nme": "x"}}').map((m) => [m.code, m.pointer])).toEqual([
      ["unknown-key", "/tool/nme"],
    ]);
    expect(lines(check(c, '{"tool": 5}'))).toEqual([
      "1:10 error schema /tool: tool must be a string or an object; got the number 5",
    ]);
  });

  test("anyOf of referenced definitions (draft-07): the matching one's deeper error", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      definitions: {
        local: { type: "object", required: ["command"], properties: { command: { type: "string" } } },
        remote: { type: "string", pattern: "^https://" },
      },
      type: "object",
      properties: { server: { anyOf: [{ $ref: "#/definitions/remote" }, { $ref: "#/definitions/local" }] } },
    };
    const c = custom(schema);
    expect(lines(check(c, '{"server": {"command": ["npx"]}}'))).toEqual([
      "1:24 error schema /server/command: server.command must be a string, not an array",
    ]);
    expect(check(c, '{"server": true}').map((m) => [m.pointer, m.message])).toEqual([
      ["/server", "server must be remote or local; got true"],
    ]);
  });

  test("an error beside the alternation is kept", () => {
    const schema = {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" }, path: { oneOf: [{ type: "string" }, { type: "array" }] } },
    };
    const out = check(custom(schema), '{"path": 5}');
    expect(out.map((m) => m.pointer).sort()).toEqual(["", "/path"]);
  });

  test("`if` failures are not reported, only the `then`/`else` they select", () => {
    const out = check(builtin("mcp-project"), '{"mcpServers": {"x": {"url": "https://a", "type": "stdio"}}}');
    expect(out.map((m) => [m.severity, m.pointer])).toEqual([["error", "/mcpServers/x/type"]]);
  });
});

describe("didYouMean", () => {
  test("finds the closest known key within a small distance, case-insensitively", () => {
    expect(didYouMean("comand", ["args", "command", "env"])).toBe("command");
    expect(didYouMean("mcpServer", ["mcpServers", "inputs"])).toBe("mcpServers");
    expect(didYouMean("MCPSERVERS", ["mcpServers"])).toBe("mcpServers");
    expect(didYouMean("watches", ["watch", "formats"])).toBe("watch");
  });
  test("no guess when nothing is close", () => {
    expect(didYouMean("preferences", ["permissions", "hooks", "env"])).toBeUndefined();
    expect(didYouMean("x", [])).toBeUndefined();
    expect(didYouMean("ab", ["xy"])).toBeUndefined();
  });
});
