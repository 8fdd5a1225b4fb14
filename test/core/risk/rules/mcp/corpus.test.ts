import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { formatById } from "../../../../../src/core/formats/registry.js";
import { MCP_RULES } from "../../../../../src/core/risk/rules/mcp.js";
import type { FileContext } from "../../../../../src/core/risk/types.js";
import { CORPUS_DIR as CORPUS, corpusRows, CORPUS_MANIFEST as MANIFEST } from "../../../../helpers/corpus.js";
import { fileContext } from "../../../../helpers/risk.js";

/** The shared real-world corpus (not part of this repo): every MCP rule over every file, added and self-diffed. */
const present = existsSync(MANIFEST);

interface Row {
  format: string;
  localFile: string;
  path: string;
}

function rows(): Row[] {
  return corpusRows();
}

function context(row: Row, selfDiff: boolean): FileContext | undefined {
  const text = readFileSync(join(CORPUS, row.localFile), "utf8");
  const format = formatById(row.format) ? row.format : undefined;
  try {
    return fileContext({
      path: row.path,
      ...(format ? { format } : {}),
      ...(selfDiff ? { before: text } : {}),
      after: text,
    });
  } catch {
    return undefined; // not an agent-config path the registry knows
  }
}

/**
 * Findings on added corpus files, by rule. MCP-001 names every server; MCP-002 the npx packages without a
 * version or with `@latest` and the `:latest` images. The only MCP-004 and MCP-008 hits are real: a
 * committed VS Code config pointing at http://localhost:3001, and a Copilot agent granting `tools: ['*']`.
 * No critical finding (MCP-005) anywhere.
 */
const EXPECTED_ADDED: Record<string, number> = { "MCP-001": 27, "MCP-002": 12, "MCP-004": 1, "MCP-008": 1 };
const EXPECTED_HIGH_OTHER = [
  "MCP-004 mcp-vscode/0GiS0__youtube-mcp-server__.vscode__mcp.json:5",
  "MCP-008 copilot-agent/github__awesome-copilot__agents__comet-opik.agent.md:19",
].sort();

(present ? describe : describe.skip)("MCP rules over the real-world corpus", () => {
  if (!present) test.skip(`corpus not found at ${CORPUS}`, () => {});

  test("self-diffs give no findings and nothing throws", () => {
    for (const row of rows()) {
      const ctx = context(row, true);
      if (!ctx) continue;
      for (const rule of MCP_RULES)
        expect([row.localFile, rule.id, rule.check(ctx)]).toEqual([row.localFile, rule.id, []]);
    }
  });

  test("added files: findings per rule", () => {
    const counts: Record<string, number> = {};
    const detail: string[] = [];
    for (const row of rows()) {
      const ctx = context(row, false);
      if (!ctx) continue;
      for (const rule of MCP_RULES) {
        const found = rule.check(ctx);
        if (found.length > 0) counts[rule.id] = (counts[rule.id] ?? 0) + found.length;
        for (const f of found) detail.push(`${rule.id} ${row.localFile}:${f.line} ${f.message}`);
      }
    }
    if (process.env.CORPUS_REPORT) console.log(detail.join("\n"));
    expect(counts).toEqual(EXPECTED_ADDED);
    expect(
      detail
        .filter((d) => !d.startsWith("MCP-001") && !d.startsWith("MCP-002"))
        .map((d) => d.split(" ", 2).join(" "))
        .sort(),
    ).toEqual(EXPECTED_HIGH_OTHER);
  });
});
