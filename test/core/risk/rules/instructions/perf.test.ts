import { describe, expect, test } from "@jest/globals";
import { INSTRUCTIONS_RULES } from "../../../../../src/core/risk/rules/instructions.js";
import { fileContext } from "../../../../helpers/risk.js";

/** Ordinary instruction prose (about 3 KB), with the words the rules' prefilters look for. */
const PROSE = [
  "# Project rules",
  "",
  "- Use pnpm, not npm. Run tests without asking; do not ask for approval to run `just fmt`.",
  "- Never commit secrets, .env files or credentials, and never read ~/.ssh.",
  "- Always ask the user before deleting files; never run destructive commands such as `rm -rf`.",
  "- Update CLAUDE.md when a convention changes; see https://docs.example.com/contributing for details.",
  "- Send questions to the team channel; report security issues to security@corp.example.org.",
  "",
  "The service reads its configuration from process.env and talks to https://api.example.com over",
  "HTTPS. Errors are silently retried three times before they surface to the caller, and the logs",
  "never contain tokens. Ignore the lint rules for generated files in src/gen.",
  "",
  "```yaml",
  "system:",
  "  name: demo",
  "```",
  "",
].join("\n");

const time = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

describe("instruction rules performance", () => {
  test("1,000 changed instruction files stay fast", () => {
    const text = Array.from({ length: 3 }, () => PROSE).join("\n");
    const files = Array.from({ length: 1000 }, (_, i) =>
      fileContext({
        path: `pkg${i}/CLAUDE.md`,
        before: PROSE,
        after: `${text}\nLine ${i}: prefer small functions.\n`,
      }),
    );
    const found: Record<string, number> = {};
    const ms = time(() => {
      for (const f of files)
        for (const r of INSTRUCTIONS_RULES)
          for (const x of r.check(f)) found[r.id] = (found[r.id] ?? 0) + (x.line > 0 ? 1 : 0);
    });
    // Each file adds two copies of the prose: only "Update CLAUDE.md …" fires (INS-007 at medium), twice.
    expect(found).toEqual({ "INS-007": 2000 });
    expect(ms).toBeLessThan(5000);
  });

  test("pathological single lines stay linear", () => {
    const units = ["curl ", "ignore all ", "[a](https://x/?q=", "read ", "@", " \\n", "do not tell ", "<|"];
    for (const unit of units) {
      const small = unit.repeat(Math.ceil(50_000 / unit.length));
      const large = unit.repeat(Math.ceil(200_000 / unit.length));
      const run = (s: string) =>
        time(() => {
          for (const opts of [
            { path: "CLAUDE.md", after: s },
            {
              path: "x.tools.json",
              after: JSON.stringify({ tools: [{ name: "a", description: s, inputSchema: {} }] }),
            },
          ]) {
            const ctx = fileContext(opts);
            for (const r of INSTRUCTIONS_RULES) r.check(ctx);
          }
        });
      run(small); // warm-up
      const a = run(small);
      const b = run(large);
      // Four times the input may cost at most about four times as much (plus noise), never sixteen times.
      expect([unit, b < Math.max(8 * a, 250)]).toEqual([unit, true]);
    }
  });
});
