// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { SECRETS_RULES } from "../../../../../src/core/risk/rules/secrets.js";
import { CORPUS_DIR as CORPUS, CORPUS_PRESENT, corpusRows } from "../../../../helpers/corpus.js";
import { fileContext } from "../../../../helpers/risk.js";

/**
 * Every secrets rule over every real agent config in the shared corpus, as an added file and as a
 * self-diff. The corpus holds no live credentials (its README: only placeholders such as
 * `YOUR_GITHUB_TOKEN`, `[REDACTED_API_KEY]`, `${input:…}`), so SEC-001, SEC-002 and MCP-006 must stay
 * silent; MCP-007 reports the secret-looking variables each added MCP config forwards.
 */
const available = CORPUS_PRESENT;

interface Entry {
  format: string;
  file: string;
  path: string;
}

function entries(): Entry[] {
  return corpusRows().map((r) => ({ format: r.format, file: r.localFile, path: r.path }));
}

const run = (e: Entry, before: string | undefined, after: string) => {
  const ctx = fileContext({
    path: e.path,
    format: e.format,
    ...(before !== undefined ? { before } : {}),
    after,
  });
  return SECRETS_RULES.flatMap((r) =>
    r.check(ctx).map((f) => ({ rule: r.id, line: f.line, message: f.message })),
  );
};

/**
 * What the rules report on the corpus as added files (rule:line and what is forwarded). Only MCP-007 fires:
 * each of these servers really is handed a credential (by reference or placeholder); none is a literal.
 */
const EXPECTED_ADDED: Record<string, string[]> = {
  "copilot-agent/github__awesome-copilot__agents__apify-integration-expert.agent.md": [
    "MCP-007:9 header Authorization = Bearer $APIFY_TOKEN",
  ],
  "copilot-agent/github__awesome-copilot__agents__comet-opik.agent.md": [
    "MCP-007:13 receives OPIK_API_KEY = COPILOT_MCP_OPIK_API_KEY",
  ],
  "adk-agent-config/google__adk-python__contributing__samples__tool_mcp_stdio_notion_config__root_agent.yaml":
    ["MCP-007:18 receives Authorization through env OPENAPI_MCP_HEADERS"],
  "mcp-project/0K-cool__athena__.mcp.json": ["MCP-007:37 receives KALI_API_KEY = [REDACTED_API_KEY]"],
  "mcp-vscode/0GiS0__youtube-mcp-server__.vscode__mcp.json": [
    "MCP-007:14 receives YOUTUBE_API_KEY = ${input:youtube_api_key}",
  ],
  "mcp-claude-desktop/3rzy__claude-google-workspace-config__claude_desktop_config.json": [
    "MCP-007:9 receives BRAVE_API_KEY = YOUR_BRAVE_API_KEY",
    "MCP-007:27 receives GITHUB_PERSONAL_ACCESS_TOKEN = YOUR_GITHUB_TOKEN",
    "MCP-007:38 receives GOOGLE_CLIENT_SECRET = YOUR_GOOGLE_DRIVE_CLIENT_SECRET",
    "MCP-007:56 receives GOOGLE_CLIENT_SECRET = YOUR_GOOGLE_WORKSPACE_CLIENT_SECRET",
  ],
};

/** `RULE:line` and the message's subject (what is received or sent), for a compact expectation. */
const brief = (f: { rule: string; line: number; message: string }) =>
  `${f.rule}:${f.line} ${(f.message.split(" now ")[1] ?? f.message).replace(/^sends /, "").split(/ \(new server\)| in its environment/)[0]}`;

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
        const list = got[e.file] ?? [];
        list.push(brief(f));
        got[e.file] = list;
      }
    }
    if (process.env.CORPUS_REPORT) console.log(JSON.stringify({ counts, got }, null, 2));
    expect(got).toEqual(EXPECTED_ADDED);
    expect(counts).toEqual({ "SEC-001": 0, "SEC-002": 0, "MCP-006": 0, "MCP-007": 9 });
  });
});
