import { describe, expect, test } from "@jest/globals";
import { type SchemaObject, SchemaSet } from "../../../src/core/validate/schema-set.js";
import { builtinSchemas } from "../../../src/schemas.js";

const fresh = () => new SchemaSet(new Map());

function compiled(set: SchemaSet, schema: unknown, unknownKeys: "warning" | "error" = "warning") {
  const c = set.customSchema(schema, unknownKeys);
  if (c instanceof Error) throw c;
  return c;
}

const keywords = (errors: readonly { keyword: string }[]) => errors.map((e) => e.keyword);

describe("custom schemas", () => {
  test("draft-07 compiles with its own semantics (definitions, tuple items)", () => {
    const c = compiled(fresh(), {
      $schema: "http://json-schema.org/draft-07/schema#",
      definitions: { name: { type: "string", minLength: 1 } },
      type: "object",
      properties: { pair: { type: "array", items: [{ $ref: "#/definitions/name" }, { type: "number" }] } },
    });
    expect(c.validate({ pair: ["a", 1] })).toEqual([]);
    expect(keywords(c.validate({ pair: ["a", "b"] }))).toEqual(["type"]);
    expect(keywords(c.validate({ pair: ["", 1] }))).toEqual(["minLength"]);
  });

  test("2020-12 compiles, declared or by default ($defs, prefixItems)", () => {
    const body = {
      $defs: { name: { type: "string" } },
      type: "object",
      properties: { pair: { type: "array", prefixItems: [{ $ref: "#/$defs/name" }, { type: "number" }] } },
    };
    for (const schema of [{ $schema: "https://json-schema.org/draft/2020-12/schema", ...body }, body]) {
      const c = compiled(fresh(), schema);
      expect(c.validate({ pair: ["a", 1] })).toEqual([]);
      expect(keywords(c.validate({ pair: [1, 1] }))).toEqual(["type"]);
    }
  });

  test("tolerates unknown keywords and our annotations", () => {
    const c = compiled(fresh(), { type: "string", "x-severity": "warning", "x-hint": "h", "x-vendor": 1 });
    expect(c.validate("x")).toEqual([]);
  });

  test.each([
    ["not an object", "a string", /must be an object/],
    ["an array", [{ type: "string" }], /must be an object/],
    ["null", null, /must be an object/],
    ["a bad type name", { type: "strng" }, /schema is invalid: data\/type/],
    ["a non-object properties", { properties: 5 }, /schema is invalid: data\/properties must be object/],
    ["a dangling $ref", { $ref: "#/$defs/nope" }, /can't resolve reference #\/\$defs\/nope/],
    ["tuple items under 2020-12", { type: "array", items: [{ type: "string" }] }, /schema is invalid/],
    [
      "an unsupported draft",
      { $schema: "http://json-schema.org/draft-04/schema#", type: "object" },
      /^\$schema "http:\/\/json-schema\.org\/draft-04\/schema#" is not supported; use .*draft-07.*2020-12/,
    ],
    ["2019-09", { $schema: "https://json-schema.org/draft/2019-09/schema" }, /is not supported/],
  ])("an invalid schema (%s) yields an Error naming the problem", (_what, schema, message) => {
    const r = fresh().customSchema(schema, "warning");
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toMatch(message);
  });

  test("cached by content: the same schema gives the same object, whatever the object identity", () => {
    const set = fresh();
    const a = set.customSchema({ type: "object", properties: { a: { type: "string" } } }, "warning");
    const b = set.customSchema({ type: "object", properties: { a: { type: "string" } } }, "warning");
    expect(a).not.toBeInstanceOf(Error);
    expect(b).toBe(a);
    expect(set.customSchema({ type: "object", properties: { a: { type: "number" } } }, "warning")).not.toBe(
      a,
    );
  });

  test("the unknown-keys grading is part of the cache key", () => {
    const set = fresh();
    const schema = { type: "object", additionalProperties: false };
    const w = compiled(set, schema, "warning");
    const e = compiled(set, schema, "error");
    expect(w).not.toBe(e);
    expect([w.unknownKeys, e.unknownKeys]).toEqual(["warning", "error"]);
  });

  test("an invalid schema's Error is cached too", () => {
    const set = fresh();
    const a = set.customSchema({ type: "strng" }, "warning");
    expect(a).toBeInstanceOf(Error);
    expect(set.customSchema({ type: "strng" }, "warning")).toBe(a);
  });

  test("the cache is bounded: the oldest entry is evicted after 200 schemas", () => {
    const set = fresh();
    const first = compiled(set, { const: 0 });
    for (let i = 1; i <= 200; i++) compiled(set, { const: i });
    const again = compiled(set, { const: 0 });
    expect(again).not.toBe(first);
    expect(again.validate(0)).toEqual([]);
  });

  test("repositories' $ids do not collide with each other or with the built-ins", () => {
    const set = builtinSchemas();
    const id = "https://agent-change-control.dev/schemas/policy.schema.json";
    const a = compiled(set, { $id: id, type: "string" });
    const b = compiled(set, { $id: id, type: "number" });
    expect(a.validate("x")).toEqual([]);
    expect(b.validate(1)).toEqual([]);
    expect(keywords(b.validate("x"))).toEqual(["type"]);
    expect(set.builtinSchema("policy").validate({ watch: {} })).toEqual([]);
  });
});

describe("built-in schemas", () => {
  test("builtinSchema compiles once: the same object every time", () => {
    const set = builtinSchemas();
    const a = set.builtinSchema("mcp-project");
    expect(set.builtinSchema("mcp-project")).toBe(a);
    expect(set.builtinSchema("policy")).toBe(set.builtinSchema("policy"));
  });

  test("builtinSchemas() is one shared set per process", () => {
    expect(builtinSchemas()).toBe(builtinSchemas());
  });

  test("compiles lazily: an invalid built-in throws only when asked for", () => {
    const set = new SchemaSet(
      new Map<string, SchemaObject>([
        ["good", { type: "string" }],
        ["bad", { type: "strng" }],
      ]),
    );
    expect(set.builtinSchema("good").validate("x")).toEqual([]);
    expect(() => set.builtinSchema("bad")).toThrow();
    expect(() => set.builtinSchema("missing")).toThrow('no built-in schema "missing"');
  });

  test("unknown keys are errors only in the policy", () => {
    const set = builtinSchemas();
    expect(set.builtinSchema("policy").unknownKeys).toBe("error");
    expect(set.builtinSchema("claude-settings").unknownKeys).toBe("warning");
  });

  test("every shipped schema compiles under strict mode", () => {
    const set = builtinSchemas();
    expect(set.ids().length).toBeGreaterThan(25);
    for (const id of set.ids()) expect(() => set.builtinSchema(id)).not.toThrow();
  });

  test("has / ids / topLevelKeys", () => {
    const set = builtinSchemas();
    expect(set.has("policy")).toBe(true);
    expect(set.has("nope")).toBe(false);
    expect(set.ids()).toContain("mcp-vscode");
    expect(set.topLevelKeys("policy")).toEqual(
      new Set([
        "$schema",
        "version",
        "watch",
        "formats",
        "schemas",
        "risk",
        "approvals",
        "changelog",
        "delegate",
      ]),
    );
    expect(set.topLevelKeys("nope")).toBeUndefined();
  });

  test("shared definitions resolve across files", () => {
    const v = builtinSchemas().builtinSchema("mcp-project");
    expect(v.validate({ mcpServers: { a: { command: "npx" } } })).toEqual([]);
    expect(keywords(v.validate({ mcpServers: { a: { command: 5 } } }))).toContain("type");
  });
});
