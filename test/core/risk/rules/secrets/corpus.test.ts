import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { SECRETS_RULES } from "../../../../../src/core/risk/rules/secrets.js";
import { mcpContext } from "./mcp-context.js";

/**
 * Every secrets rule over every real agent config in the shared corpus, as an added file and as a
 * self-diff. The corpus holds no live credentials (its README: only placeholders such as
 * `YOUR_GITHUB_TOKEN`, `[REDACTED_API_KEY]`, `${input:…}`), so SEC-001, SEC-002 and MCP-006 must stay
 * silent; MCP-007 reports the secret-looking variables each added MCP config forwards.
 */
const CORPUS = "/work/shared/corpus/real-agent-configs";
const available = existsSync(join(CORPUS, "MANIFEST.tsv"));

interface Entry {
  format: string;
  file: string;
  path: string;
}

function entries(): Entry[] {
  const rows = readFileSync(join(CORPUS, "MANIFEST.tsv"), "utf8").split("\n").slice(1);
  return rows
    .map((r) => r.split("\t"))
    .filter((c) => c.length >= 4 && c[0] && c[1])
    .map((c) => ({ format: c[0] ?? "", file: c[1] ?? "", path: c[3] ?? "" }));
}

const run = (e: Entry, before: string | undefined, after: string) => {
  const ctx = mcpContext({ path: e.path, format: e.format, ...(before !== undefined ? { before } : {}), after });
  return SECRETS_RULES.flatMap((r) => r.check(ctx).map((f) => ({ rule: r.id, line: f.line, message: f.message })));
};

/** What the rules report on the corpus as added files: MCP-007 on the servers that receive credentials. */
const EXPECTED_ADDED: Record<string, string[]> = {};

(available ? describe : describe.skip)("secrets rules over the real-config corpus", () => {
  if (!available) test.skip("corpus not present (/work/shared/corpus/real-agent-configs)", () => {});

  test("self-diff of every corpus file gives no findings", () => {
    for (const e of available ? entries() : []) {
      const text = readFileSync(join(CORPUS, e.file), "utf8");
      expect([e.file, run(e, text, text)]).toEqual([e.file, []]);
    }
  });

  test("added corpus files: no literal secrets; MCP-007 on forwarded credentials", () => {
    const counts: Record<string, number> = Object.fromEntries(SECRETS_RULES.map((r) => [r.id, 0]));
    const got: Record<string, string[]> = {};
    for (const e of available ? entries() : []) {
      const text = readFileSync(join(CORPUS, e.file), "utf8");
      for (const f of run(e, undefined, text)) {
        counts[f.rule] = (counts[f.rule] ?? 0) + 1;
        (got[e.file] ??= []).push(`${f.rule}:${f.line} ${f.message}`);
      }
    }
    if (process.env.SECRETS_CORPUS_REPORT) console.log(JSON.stringify({ counts, got }, null, 2));
    expect(got).toEqual(EXPECTED_ADDED);
  });
});
