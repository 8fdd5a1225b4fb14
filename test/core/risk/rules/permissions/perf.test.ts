import { describe, expect, test } from "@jest/globals";
import { PERMISSIONS_RULES } from "../../../../../src/core/risk/rules/permissions.js";
import { fileContext } from "../../../../helpers/risk.js";
import { json } from "./util.js";

/** A realistic settings file: dozens of rules, hooks, sandbox, env. */
function settings(seed: number, extra: number): string {
  const allow = Array.from(
    { length: 40 + extra },
    (_, i) => [`Bash(tool${(i * 7 + seed) % 60} *)`, `Read(./src/m${i}/**)`, `mcp__s${i % 5}__t${i}`][i % 3],
  );
  const deny = Array.from(
    { length: 15 },
    (_, i) => [`Bash(rm${i}:*)`, `Read(./secret${i}/**)`, `WebFetch(domain:x${i}.com)`][i % 3],
  );
  return json({
    permissions: { allow, deny, ask: ["Bash(git push:*)"], defaultMode: "default" },
    hooks: {
      PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: `./guard${seed % 3}.sh` }] }],
    },
    sandbox: { enabled: true, network: { allowedDomains: ["github.com", `h${seed % 4}.example.com`] } },
    env: { ANTHROPIC_BASE_URL: `https://gw${seed % 2}.example.com`, MAX_THINKING_TOKENS: "8000" },
  });
}

/**
 * A guard against quadratic blow-ups, not a benchmark: about 1 ms per heavy file when run alone, the bound
 * leaves room for a loaded CI machine.
 */
describe("permissions rules performance", () => {
  test("1,000 changed settings files stay fast", () => {
    const files = Array.from({ length: 1000 }, (_, i) =>
      fileContext({ path: `p${i}/.claude/settings.json`, before: settings(i, 0), after: settings(i + 1, 3) }),
    );
    // The first locate of a JSON document builds its syntax tree (the parser's cost, not the rules').
    for (const f of files) f.locate([]);
    const t = Date.now();
    let n = 0;
    const per = new Map<string, number>();
    for (const r of PERMISSIONS_RULES) {
      const s = Date.now();
      for (const f of files) n += r.check(f).length;
      per.set(r.id, Date.now() - s);
    }
    const ms = Date.now() - t;
    if (process.env.PERM_PERF) console.log(ms, [...per]);
    expect(n).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(4000);
  });
});
