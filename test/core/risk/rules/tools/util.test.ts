import { describe, expect, test } from "@jest/globals";
import {
  canonical,
  resolve,
  schemaProperties,
  show,
  words,
} from "../../../../../src/core/risk/rules/tools/util.js";

describe("TOOL rule helpers", () => {
  test("words splits snake, kebab, dotted and camel case", () => {
    expect(words("run_command")).toEqual(["run", "command"]);
    expect(words("executeSQLQuery")).toEqual(["execute", "sql", "query"]);
    expect(words("AMAZON.CodeInterpreter")).toEqual(["amazon", "code", "interpreter"]);
    expect(words("fetch-url2")).toEqual(["fetch", "url", "2"]);
    expect(words("")).toEqual([]);
  });

  test("canonical ignores key order and tells different values apart", () => {
    expect(canonical({ a: 1, b: [true, null, "x"] })).toBe(canonical({ b: [true, null, "x"], a: 1 }));
    expect(canonical({ a: "1" })).not.toBe(canonical({ a: 1 }));
    expect(canonical({ 'a","b': 1 })).not.toBe(canonical({ a: 1, b: 1 }));
    expect(canonical(['a"', "b"])).not.toBe(canonical(["a", '"b']));
    expect(canonical(undefined)).not.toBe(canonical(null));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonical(cyclic)).not.toThrow();
  });

  test("show quotes, cuts, reveals hidden characters and survives cycles", () => {
    expect(show("a\u200bb")).toBe('"a⟨U+200B⟩b"');
    expect(show("x".repeat(100), 10)).toBe('"xxxxxxxx…');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(show(cyclic)).toBe("…");
  });

  test("resolve and schemaProperties on odd input", () => {
    expect(resolve({ a: [{ b: 1 }] }, ["a", 0, "b"])).toBe(1);
    expect(resolve({ a: 1 }, ["a", "b"])).toBeUndefined();
    expect(resolve({}, ["constructor"])).toBeUndefined();
    expect(
      schemaProperties({
        properties: { a: { type: "string" }, b: 5, c: { items: { properties: { d: {} } } } },
      }).map((p) => p.name),
    ).toEqual(["a", "c", "c[].d"]);
    expect(schemaProperties("x")).toEqual([]);
  });
});
