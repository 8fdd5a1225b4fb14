import { describe, expect, test } from "@jest/globals";
import { TOOLS_RULES } from "../../../../../src/core/risk/rules/tools.js";
import { fileContext } from "../../../../helpers/risk.js";

/**
 * Many changed tool manifests must stay fast. The bound is loose (the machine may be shared); it catches
 * work that grows with the square of the tools, which would take minutes here, not a slow second.
 */
describe("TOOL rules performance", () => {
  const tool = (i: number, v: number) => ({
    name: `${["run_command", "send_email", "get_weather", "fetch_url", "write_file"][i % 5]}_${i}`,
    description: `Tool ${i}, version ${v}. ${"Reads the data from the service and returns it. ".repeat(5)}`,
    inputSchema: {
      type: "object",
      ...(v === 0 ? { additionalProperties: false } : {}),
      properties: {
        command: { type: "string", ...(v === 0 ? { enum: ["a", "b"], maxLength: 10 } : {}) },
        options: {
          type: "object",
          properties: { path: { type: "string", ...(v === 0 ? { pattern: "^/tmp" } : {}) } },
        },
      },
    },
    annotations: { readOnlyHint: v === 0, destructiveHint: v !== 0 },
  });
  // Half the tools are renamed (new: TOOL-001), half keep their name with a wider schema and new annotations.
  const manifest = (f: number, n: number, v: number) =>
    JSON.stringify(
      { tools: Array.from({ length: n }, (_, i) => tool(f * n + i + (v && i % 2 ? 1_000_000 : 0), v)) },
      null,
      2,
    );

  test("100 changed manifests of 20 tools each", () => {
    const files = Array.from({ length: 100 }, (_, f) =>
      fileContext({ path: `agents/a${f}.tools.json`, before: manifest(f, 20, 0), after: manifest(f, 20, 1) }),
    );
    for (const file of files) file.locate(["tools", 0]); // build the position indexes outside the timing
    const t0 = performance.now();
    const counts = TOOLS_RULES.map((rule) => files.reduce((n, file) => n + rule.check(file).length, 0));
    const ms = performance.now() - t0;
    // get_weather is safe; the kept tools each lose an enum+maxLength, a pattern and additionalProperties: false.
    expect(counts).toEqual([800, 3000, 2000, 0]);
    expect(ms).toBeLessThan(5000);
  });

  test("one added manifest with 2,000 tools (the extractor's cap)", () => {
    const file = fileContext({ path: "agents/big.tools.json", after: manifest(0, 2000, 1) });
    file.locate(["tools", 0]);
    const t0 = performance.now();
    expect(TOOLS_RULES.map((rule) => rule.check(file).length)).toEqual([1600, 0, 0, 0]);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
