import { describe, expect, test } from "@jest/globals";
import { pol003 } from "../../../../../src/core/risk/rules/policy/pol-003.js";
import type { ValidationMessage } from "../../../../../src/core/types.js";
import { fileContext } from "../../../../helpers/risk.js";

const msg = (
  line: number,
  column: number,
  severity: "error" | "warning",
  message: string,
): ValidationMessage => ({
  path: ".mcp.json",
  line,
  column,
  severity,
  message,
  code: "schema",
});
const run = (opts: Parameters<typeof fileContext>[0], errors: ValidationMessage[]) =>
  pol003.check({ ...fileContext(opts), validationErrors: errors });

describe("POL-003", () => {
  const text = '{\n  "mcpServers": {\n    "x": {"command": 5}\n  }\n}\n';

  test("one finding per file at the first error, naming the count", () => {
    const f = run({ path: ".mcp.json", before: "{}\n", after: text }, [
      msg(4, 3, "error", "later problem"),
      msg(3, 20, "error", "mcpServers.x.command must be a string, not the number 5"),
      msg(1, 1, "warning", "a warning is not an error"),
    ]);
    expect(f).toEqual([
      {
        line: 3,
        column: 20,
        message:
          "the changed file has 2 validation errors (first: mcpServers.x.command must be a string, not the number 5): what an agent tool makes of it cannot be checked, so the change is treated as high risk until it validates.",
      },
    ]);
  });

  test("added files count; one error is singular", () => {
    expect(run({ path: ".mcp.json", after: text }, [msg(3, 20, "error", "bad")])[0]?.message).toMatch(
      /^the changed file has 1 validation error \(first: bad\)/,
    );
  });

  test("no errors, only warnings, a self-diff or a removed file give nothing", () => {
    expect(run({ path: ".mcp.json", before: "{}\n", after: text }, [])).toEqual([]);
    expect(
      run({ path: ".mcp.json", before: text, after: text }, [msg(3, 20, "error", "already broken")]),
    ).toEqual([]);
    expect(run({ path: ".mcp.json", before: "{}\n", after: text }, [msg(1, 1, "warning", "w")])).toEqual([]);
    expect(run({ path: ".mcp.json", before: text }, [msg(1, 1, "error", "stale")])).toEqual([]);
  });

  test("through the engine: a file that stops parsing is reported", async () => {
    const { evaluateChange } = await import("../../../../../src/core/evaluate.js");
    const { defaultPolicy } = await import("../../../../../src/core/policy/resolve.js");
    const { builtinSchemas } = await import("../../../../../src/schemas.js");
    const enc = (s: string) => {
      const data = new TextEncoder().encode(s);
      return { size: data.length, data };
    };
    const ev = evaluateChange({
      changes: [
        {
          path: ".mcp.json",
          status: "modified",
          before: enc('{"mcpServers": {}}\n'),
          after: enc('{"mcpServers": {\n  "x": \n}\n'),
        },
      ],
      policy: defaultPolicy(),
      schemas: builtinSchemas(),
    });
    const pol = ev.findings.filter((x) => x.rule === "POL-003");
    expect(pol.map((x) => [x.path, x.severity])).toEqual([[".mcp.json", "high"]]);
    expect(pol[0]?.message).toMatch(/^the changed file has \d+ validation errors? \(first: /);
  });
});
