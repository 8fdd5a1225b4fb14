// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}
import { describe, expect, test } from "@jest/globals";
import { SECRETS_RULES } from "../../../../../src/core/risk/rules/secrets.js";
import type { FileContext } from "../../../../../src/core/risk/types.js";
import { fileContext } from "../../../../helpers/risk.js";
import { keys, rand } from "./keys.js";

/**
 * The secrets rules run on every changed file of every PR: 1,000 file checks (50 distinct changed files,
 * each judged 20 times: rules are pure) must stay fast even when many lines look secret-ish.
 */
describe("secrets rules performance", () => {
  test("1,000 changed-file checks", () => {
    const servers = (n: number, seed: number) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `s${i}`,
          {
            command: "npx",
            args: [
              "-y",
              `pkg-${i}@1.0.0`,
              "--token",
              "${TOKEN}",
              `--api-key=${rand(24, undefined, seed + i)}`,
            ],
            env: {
              GITHUB_TOKEN: "${GITHUB_TOKEN}",
              API_KEY: rand(32, undefined, seed + i),
              LOG_LEVEL: "info",
            },
            url: `https://mcp.example.com/${i}?key=${rand(20, undefined, seed * 7 + i)}`,
          },
        ]),
      );
    const md = (seed: number) =>
      `# Rules\n\n${Array.from({ length: 300 }, (_, i) =>
        i % 10 === 0
          ? `token: ${rand(24, undefined, seed + i)} api_key=\${KEY} see ${keys.jwt(i)} — password: x${i}`
          : `- Keep the secret out of logs; use the ${i}th approach, see docs for the api key rotation policy.`,
      ).join("\n")}\n`;
    const ctxs: FileContext[] = [];
    for (let i = 0; i < 50; i++) {
      if (i % 2 === 0) {
        const before = `${JSON.stringify({ mcpServers: servers(10, i) }, null, 2)}\n`;
        const after = `${JSON.stringify({ mcpServers: servers(12, i + 1) }, null, 2)}\n`;
        ctxs.push(fileContext({ path: `p${i}/.mcp.json`, before, after }));
      } else ctxs.push(fileContext({ path: `p${i}/CLAUDE.md`, after: md(i) }));
    }
    const t0 = performance.now();
    let n = 0;
    for (let round = 0; round < 20; round++)
      for (const c of ctxs) for (const r of SECRETS_RULES) n += r.check(c).length;
    const ms = performance.now() - t0;
    if (process.env.SECRETS_PERF_REPORT) console.log(`${ms.toFixed(0)} ms, ${n} findings`);
    expect(n).toBeGreaterThan(5_000);
    // Generous for loaded CI machines; an idle machine takes a fraction of this.
    expect(ms).toBeLessThan(15_000);
  }, 120_000);
});
