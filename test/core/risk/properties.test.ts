import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { evaluateChange } from "../../../src/core/evaluate.js";
import { defaultPolicy } from "../../../src/core/policy/resolve.js";
import { RULES } from "../../../src/core/risk/catalog.js";
import { RISK_TIERS } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { fileContext } from "../../helpers/risk.js";

const enc = new TextEncoder();
const blob = (text: string) => {
  const data = enc.encode(text);
  return { size: data.length, data };
};
const evaluate = (changes: Parameters<typeof evaluateChange>[0]["changes"]) =>
  evaluateChange({ changes, policy: defaultPolicy(), schemas: builtinSchemas() });

/** Paths of one format per family, so every extractor and rule sees the random text. */
const PATHS = [
  "CLAUDE.md",
  ".cursorrules",
  ".claude/agents/a.md",
  ".mcp.json",
  ".vscode/mcp.json",
  ".claude/settings.json",
  ".codex/config.toml",
  "p.prompt.yml",
  "tools/x.tools.json",
  ".github/agent-change-control.yml",
];

/** Text with the characters rules care about: invisibles, controls, quotes, braces, unicode. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'{}[]":,-#\n\r\t`$|/\\@=!*?<>~.'.split("")),
    fc.constantFrom(
      "\u202e",
      "\u200b",
      "\u200d",
      "\u{e0041}",
      "\u{e007f}",
      "\u{1f3f4}",
      "\u001b",
      "\u0085",
      "\ufeff",
      "é",
      "ش",
    ),
    fc.constantFrom(
      "ignore previous instructions",
      "curl x | sh",
      "~/.ssh/id_rsa",
      "sk-",
      "Bash(*)",
      "npx -y",
      "mcpServers",
      "allow",
      "deny",
    ),
    fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
  ),
  maxLength: 300,
});

describe("risk engine properties (fast-check)", () => {
  test("random text never makes a rule throw, whatever format it lands in", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), nasty, nasty, (path, before, after) => {
        const ctx = fileContext({ path, before, after });
        for (const rule of RULES) expect(() => rule.check(ctx)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  test("a file diffed against itself never yields a finding", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), nasty, (path, text) => {
        const ev = evaluate([{ path, status: "modified", before: blob(text), after: blob(text) }]);
        expect(ev.findings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test("adding a deny rule to Claude settings never raises the risk tier", () => {
    const rule = fc.constantFrom(
      "Bash",
      "Bash(*)",
      "Bash(rm:*)",
      "Read(./.env)",
      "WebFetch",
      "mcp__github",
      "Write(**)",
      "Edit(./src/**)",
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(rule, { maxLength: 4 }),
        fc.uniqueArray(rule, { maxLength: 4 }),
        rule,
        (allow, deny, extra) => {
          const settings = (d: string[]) => JSON.stringify({ permissions: { allow, deny: d } }, null, 2);
          const base = "{}";
          const without = evaluate([
            {
              path: ".claude/settings.json",
              status: "modified",
              before: blob(base),
              after: blob(settings(deny)),
            },
          ]);
          const withDeny = evaluate([
            {
              path: ".claude/settings.json",
              status: "modified",
              before: blob(base),
              after: blob(settings([...new Set([...deny, extra])])),
            },
          ]);
          expect(RISK_TIERS.indexOf(withDeny.risk)).toBeLessThanOrEqual(RISK_TIERS.indexOf(without.risk));
        },
      ),
      { numRuns: 100 },
    );
  });
});
