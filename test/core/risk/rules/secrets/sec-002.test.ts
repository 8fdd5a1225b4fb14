// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { describe, expect, test } from "@jest/globals";
import { sec002 } from "../../../../../src/core/risk/rules/secrets/sec-002.js";
import { check } from "../../../../helpers/risk.js";
import { keys, rand } from "./keys.js";

describe("SEC-002 generic secrets", () => {
  const v = keys.generic(32);

  test("each assignment form on added lines, with redacted value and entropy", () => {
    const yaml = ["---", "name: deploy", `api_key: ${v}`, "---", "Deploy with the key above.", ""].join("\n");
    const f = check(sec002, { path: ".github/agents/deploy.agent.md", after: yaml });
    expect(f).toHaveLength(1);
    expect(f[0]?.line).toBe(3);
    expect(f[0]?.column).toBe(10);
    expect(f[0]?.message).toContain(`"api_key"`);
    expect(f[0]?.message).toContain(`…${v.slice(-4)} (32 chars`);
    expect(f[0]?.message).toMatch(/\d\.\d bits\/char/);
    expect(f[0]?.message).not.toContain(v);

    const toml = `[mcp_servers.search]\ncommand = "search-mcp"\n[mcp_servers.search.env]\nSEARCH_TOKEN = "${v}"\n`;
    expect(check(sec002, { path: ".codex/config.toml", after: toml }).map((x) => x.line)).toEqual([4]);

    const json = `{\n  "servers": {\n    "s": {\n      "url": "https://mcp.example.com",\n      "headers": { "Authorization": "Bearer ${v}" }\n    }\n  }\n}\n`;
    const jf = check(sec002, { path: ".vscode/mcp.json", after: json });
    expect(jf.map((x) => [x.line, x.message.slice(0, 52)])).toEqual([
      [5, `Added a literal value for "Authorization" that looks`],
    ]);

    const md = `# Notes\n\nRun \`export SERVICE_PASSWORD=${v}\` first.\n`;
    expect(check(sec002, { path: "CLAUDE.md", after: md }).map((x) => x.line)).toEqual([3]);
  });

  test("JWTs anywhere on added lines are reported as generic", () => {
    const jwt = keys.jwt();
    const f = check(sec002, { path: "CLAUDE.md", after: `# x\n\nSession: ${jwt}\n` });
    expect(f.map((x) => x.line)).toEqual([3]);
    expect(f[0]?.message).toContain("JSON Web Token eyJ…");
    expect(f[0]?.message).not.toContain(jwt);
    // Under a secret-looking key, the JWT is reported once (as the value).
    expect(check(sec002, { path: "CLAUDE.md", after: `# x\n\ntoken: ${jwt}\n` })).toHaveLength(1);
  });

  test("near misses: placeholders, short or low-entropy values, identifiers, URLs, non-secret keys", () => {
    const after = [
      "---",
      "api_key: ${OPENAI_API_KEY}",
      'token: "{{ secrets.DEPLOY_TOKEN }}"',
      "password: changeme-please-now",
      "secret: abc123",
      "auth_token: aaaaaaaaaaaaaaaaaaaaaaaa",
      "token_url: https://auth.example.com/oauth2/token",
      "secret_name: prod-github-deploy-token",
      `session_id: ${v}`,
      `commit: ${rand(40, "0123456789abcdef", 9)}`,
      "max_tokens: 4096",
      "credentials: /home/agent/.config/gcloud/application_default_credentials.json",
      "---",
      "",
    ].join("\n");
    expect(check(sec002, { path: ".github/prompts/release.prompt.md", after })).toEqual([]);
  });

  test("known formats are left to SEC-001", () => {
    expect(check(sec002, { path: "CLAUDE.md", after: `# x\n\nGITHUB_TOKEN=${keys.github()}\n` })).toEqual([]);
  });

  test("self-diff, unrelated edit and moved value do not re-report", () => {
    const text = `---\nname: a\napi_key: ${v}\ndescription: old\n---\nBody\n`;
    expect(check(sec002, { path: ".claude/agents/a.md", before: text, after: text })).toEqual([]);
    const edited = text.replace("description: old", "description: new");
    expect(check(sec002, { path: ".claude/agents/a.md", before: text, after: edited })).toEqual([]);
    const renamed = text.replace("api_key:", "apiKey:");
    expect(check(sec002, { path: ".claude/agents/a.md", before: text, after: renamed })).toEqual([]);
    const changed = text.replace(v, keys.generic(32, 99));
    expect(
      check(sec002, { path: ".claude/agents/a.md", before: text, after: changed }).map((x) => x.line),
    ).toEqual([3]);
  });
});
