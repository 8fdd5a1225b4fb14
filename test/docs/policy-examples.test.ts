import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { loadPolicy, POLICY_PATH } from "../../src/core/policy/resolve.js";
import { builtinSchemas } from "../../src/schemas.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The ```yaml blocks of a markdown file that look like policy files (they have a top-level policy key). */
function policyBlocks(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => /^(version|watch|formats|schemas|risk|approvals|changelog):/m.test(b));
}

describe("policy examples in the documentation are valid policies", () => {
  const cases = [
    "README.md",
    "docs/configuration.md",
    "docs/risk-checks.md",
    "examples/base/.github/agent-change-control.yml",
  ];
  test.each(cases)("%s", (file) => {
    const blocks = file.endsWith(".yml") ? [readFileSync(join(root, file), "utf8")] : policyBlocks(file);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const load = loadPolicy(block, POLICY_PATH, builtinSchemas(), new Date("2026-11-25"));
      expect(load.messages).toEqual([]);
      expect(load.ok).toBe(true);
    }
  });
});
