// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { describe, expect, test } from "@jest/globals";
import { sec001 } from "../../../../../src/core/risk/rules/secrets/sec-001.js";
import { check, fileContext } from "../../../../helpers/risk.js";
import { keys } from "./keys.js";

const mcp = (env: Record<string, string>) =>
  `${JSON.stringify({ mcpServers: { github: { command: "npx", args: ["-y", "@modelcontextprotocol/server-github"], env } } }, null, 2)}\n`;

describe("SEC-001 known credential formats", () => {
  test("added .mcp.json with a GitHub token: line, column, kind and redacted fingerprint", () => {
    const token = keys.github();
    const f = check(sec001, { path: ".mcp.json", after: mcp({ GITHUB_PERSONAL_ACCESS_TOKEN: token }) });
    expect(f).toHaveLength(1);
    expect(f[0]?.line).toBe(10);
    expect(f[0]?.column).toBe(42);
    expect(f[0]?.message).toContain(`GitHub token ghp_…${token.slice(-4)} (40 chars)`);
    expect(f[0]?.message).not.toContain(token);
  });

  test("key added to CLAUDE.md prose and a multi-line PEM block", () => {
    const before = "# Project\n\nUse the staging API.\n";
    const after = `# Project\n\nUse the staging API with key ${keys.anthropic()} when testing.\n\n${keys.pem()}\n`;
    const f = check(sec001, { path: "CLAUDE.md", before, after });
    expect(f.map((x) => [x.line, x.message.split(" in plain text")[0]])).toEqual([
      [3, expect.stringMatching(/^Added Anthropic API key sk-ant-api03-…\w{2}AA \(108 chars\)$/)],
      [5, "Added private key -----BEGIN PRIVATE KEY----- block"],
    ]);
  });

  test("every provider format in a TOML config", () => {
    const text = [
      "[mcp_servers.tools.env]",
      `OPENAI_API_KEY = "${keys.openaiProject()}"`,
      `GROQ_API_KEY = "${keys.groq()}"`,
      `XAI_API_KEY = "${keys.xai()}"`,
      `HF_TOKEN = "${keys.huggingface()}"`,
      `SLACK_WEBHOOK = "${keys.slackWebhook()}"`,
      "",
    ].join("\n");
    const f = check(sec001, { path: ".codex/config.toml", after: text });
    expect(f.map((x) => x.line)).toEqual([2, 3, 4, 5, 6]);
    expect(f.map((x) => /Added (.+?) \S+…/.exec(x.message)?.[1])).toEqual([
      "OpenAI API key",
      "Groq API key",
      "xAI API key",
      "Hugging Face token",
      "Slack webhook URL",
    ]);
  });

  test("near misses: placeholders, variable references, documented example shapes, truncated keys", () => {
    const after = [
      "# Setup",
      "Set OPENAI_API_KEY=sk-... in your shell, or `sk-proj-YOUR_KEY_HERE`.",
      'The token looks like "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".',
      `A truncated key: ${keys.github().slice(0, 30)}`,
      "Use ${GITHUB_TOKEN} or ${{ secrets.OPENAI_API_KEY }}.",
      "Private keys start with -----BEGIN PRIVATE KEY----- and must never be committed.",
      "",
    ].join("\n");
    expect(check(sec001, { path: "AGENTS.md", after })).toEqual([]);
    expect(
      check(sec001, { path: ".mcp.json", after: mcp({ GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" }) }),
    ).toEqual([]);
  });

  test("JWTs are not reported here (SEC-002 grades them as generic)", () => {
    expect(check(sec001, { path: ".mcp.json", after: mcp({ TOKEN: keys.jwt() }) })).toEqual([]);
  });

  test("self-diff and unrelated edit do not re-report an existing key", () => {
    const text = mcp({ GITHUB_PERSONAL_ACCESS_TOKEN: keys.github(), LOG_LEVEL: "info" });
    expect(check(sec001, { path: ".mcp.json", before: text, after: text })).toEqual([]);
    const edited = text.replace('"info"', '"debug"');
    expect(check(sec001, { path: ".mcp.json", before: text, after: edited })).toEqual([]);
    // A rewritten line that still carries the same key is not a new credential either.
    const moved = text.replace('"GITHUB_PERSONAL_ACCESS_TOKEN"', '"GH_TOKEN"');
    expect(check(sec001, { path: ".mcp.json", before: text, after: moved })).toEqual([]);
  });

  test("a key replaced by another key is reported; removal is not", () => {
    const before = mcp({ GITHUB_PERSONAL_ACCESS_TOKEN: keys.github(1) });
    const after = mcp({ GITHUB_PERSONAL_ACCESS_TOKEN: keys.github(2) });
    expect(check(sec001, { path: ".mcp.json", before, after }).map((x) => x.line)).toEqual([10]);
    expect(check(sec001, { path: ".mcp.json", before })).toEqual([]);
  });

  test("scanText finds keys in arbitrary text", () => {
    const ctx = fileContext({ path: "CLAUDE.md", after: "# x\n" });
    const found = sec001.check({ ...ctx, added: [{ line: 1, text: `decoded: ${keys.stripe()}` }] });
    expect(found.map((x) => x.message)).toEqual([
      expect.stringContaining("Added Stripe secret key sk_live_…"),
    ]);
  });
});
