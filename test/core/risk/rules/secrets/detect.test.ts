// biome-ignore-all lint/suspicious/noTemplateCurlyInString: MCP configs reference variables as ${VAR}; these strings are config text, not templates
import { describe, expect, test } from "@jest/globals";
import {
  findSecrets,
  isPlaceholder,
  isSecretName,
  looksRandomSecret,
  redact,
  secretAssignments,
  shannonEntropy,
} from "../../../../../src/core/risk/rules/secrets/detect.js";
import { keys, rand } from "./keys.js";

describe("findSecrets: known formats", () => {
  const cases: [string, string][] = [
    ["OpenAI API key", keys.openaiProject()],
    ["OpenAI API key (legacy)", keys.openaiLegacy()],
    ["Anthropic API key", keys.anthropic()],
    ["Anthropic OAuth token", keys.anthropicOauth()],
    ["Google API key", keys.google()],
    ["AWS access key ID", keys.awsId()],
    ["GitHub token", keys.github()],
    ["GitHub fine-grained token", keys.githubPat()],
    ["Slack token", keys.slackBot()],
    ["Stripe secret key", keys.stripe()],
    ["Groq API key", keys.groq()],
    ["xAI API key", keys.xai()],
    ["OpenRouter API key", keys.openrouter()],
    ["Hugging Face token", keys.huggingface()],
    ["Perplexity API key", keys.perplexity()],
    ["Replicate API token", keys.replicate()],
    ["LangSmith API key", keys.langsmith()],
  ];
  test.each(cases)("%s", (kind, key) => {
    const text = `  "KEY": "${key}",`;
    const hits = findSecrets(text);
    expect(hits).toHaveLength(1);
    const h = hits[0];
    expect(h?.kind).toBe(kind);
    expect(h?.confidence).toBe("known-format");
    expect(text.slice(h?.start, h?.end)).toBe(key);
    expect(h?.fingerprint).toContain(`(${key.length} chars)`);
    expect(h?.fingerprint).not.toContain(key.slice(8, key.length - 4));
  });

  test("Slack webhook URL, AWS secret key next to its name, PEM block, JWT (generic)", () => {
    const hook = keys.slackWebhook();
    expect(findSecrets(`url: ${hook}`).map((h) => h.kind)).toEqual(["Slack webhook URL"]);
    const aws = keys.awsSecret();
    const awsHits = findSecrets(`aws_secret_access_key = ${aws}`);
    expect(awsHits.map((h) => h.kind)).toEqual(["AWS secret access key"]);
    expect(awsHits[0]?.fingerprint).toBe(`…${aws.slice(-4)} (40 chars)`);
    expect(findSecrets(`"AWS_SECRET_ACCESS_KEY": "${aws}"`).map((h) => h.kind)).toEqual([
      "AWS secret access key",
    ]);
    expect(findSecrets(keys.pem()).map((h) => h.kind)).toEqual(["private key"]);
    // JSON-escaped PEM on one line.
    expect(findSecrets(JSON.stringify(keys.pem())).map((h) => h.kind)).toEqual(["private key"]);
    const jwt = findSecrets(`Authorization: Bearer ${keys.jwt()}`);
    expect(jwt.map((h) => [h.kind, h.confidence])).toEqual([["JSON Web Token", "generic"]]);
  });

  test("several keys in one text, in order", () => {
    const text = `a=${keys.groq()} b=${keys.github()}\nc=${keys.google()}`;
    expect(findSecrets(text).map((h) => h.kind)).toEqual(["Groq API key", "GitHub token", "Google API key"]);
  });

  test("near misses: wrong length, missing marker, embedded in a longer token, placeholders", () => {
    const gh = keys.github();
    expect(findSecrets(gh.slice(0, -1))).toEqual([]); // 35 chars
    expect(findSecrets(`${gh}Z`)).toEqual([]); // 37 chars
    expect(findSecrets(`x${gh}`)).toEqual([]); // inside another token
    expect(findSecrets(["sk-", "proj-", rand(160, "abcdefghijklmnop", 3)].join(""))).toEqual([]); // no marker
    expect(findSecrets(`${keys.anthropic().slice(0, -2)}AB`)).toEqual([]); // no AA suffix
    expect(findSecrets(["gh", "p_", "x".repeat(36)].join(""))).toEqual([]);
    expect(findSecrets(["gh", "p_", "0123456789", rand(26, "abc", 1)].join(""))).toEqual([]);
    expect(findSecrets(["AK", "IA", "IOSFODNN7", "EXAMPLE"].join(""))).toEqual([]);
    expect(findSecrets("OPENAI_API_KEY=sk-... and sk-proj-YOUR_KEY_HERE")).toEqual([]);
    expect(findSecrets(`Never commit ${keys.pemHeader()} blocks.`)).toEqual([]);
    expect(findSecrets("the AWS secret access key: see the vault")).toEqual([]);
    expect(findSecrets("")).toEqual([]);
    expect(findSecrets(42 as unknown as string)).toEqual([]);
  });

  test("stays linear on hostile input", () => {
    const hostile = [
      "sk-proj-".repeat(20_000),
      `sk-ant-api03-${"A".repeat(200_000)}`,
      `${"ey".repeat(5)}J${"a".repeat(100_000)}.eyJ`.repeat(3),
      `-----BEGIN PRIVATE KEY-----${" ".repeat(50_000)}`,
      `aws_secret_access_key=${"a".repeat(100_000)}`,
      `${"xoxb-1234567-".repeat(20_000)}`,
    ];
    for (const h of hostile) findSecrets(h);
    const lines = [
      `token:${"a:".repeat(100_000)}`,
      `${"x".repeat(80)}-`.repeat(5_000),
      `"token": "${'\\"'.repeat(50_000)}`,
      `api_key=${"Ab1".repeat(100_000)}`,
      `${"-".repeat(100_000)}token: x`,
    ];
    for (const l of lines) secretAssignments(l);
    isSecretName("a_".repeat(100));
  });
});

describe("isPlaceholder", () => {
  test.each([
    "${GITHUB_TOKEN}",
    "${env:OPENAI_API_KEY}",
    "${input:api-key}",
    "$GITHUB_TOKEN",
    "{{ api_key }}",
    "${{ secrets.OPENAI_API_KEY }}",
    "%API_KEY%",
    "@API_KEY@",
    "<token>",
    "<YOUR_API_KEY>",
    "YOUR_API_KEY",
    "your-api-key-here",
    "xxxxxxxxxxxxxxxxxxxx",
    "sk-...",
    "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
    "changeme",
    "[REDACTED]",
    "Bearer ${TOKEN}",
    "op://Private/OpenAI/credential",
    "********",
    "true",
    "",
  ])("%s is a placeholder", (v) => expect(isPlaceholder(v)).toBe(true));

  test("real-looking values are not", () => {
    expect(isPlaceholder(keys.github())).toBe(false);
    expect(isPlaceholder(keys.generic())).toBe(false);
    expect(isPlaceholder(`Bearer ${keys.generic()}`)).toBe(false);
    expect(isPlaceholder("hunter2")).toBe(false);
  });
});

describe("isSecretName", () => {
  test.each([
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "STRIPE_SECRET",
    "CLIENT_SECRET",
    "clientSecret",
    "apiKey",
    "api_key",
    "APIKEY",
    "x-api-key",
    "X-Goog-Api-Key",
    "DB_PASSWORD",
    "PGPASSWORD",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "Authorization",
    "Proxy-Authorization",
    "GITHUB_PERSONAL_ACCESS_TOKEN",
    "SLACK_BOT_TOKEN",
    "--api-key",
    "token",
    "password",
    "OPENAI_KEY",
    "BRAVE_API_KEY",
    "secret",
  ])("%s is secret-looking", (n) => expect(isSecretName(n)).toBe(true));

  test.each([
    "MAX_TOKENS",
    "max_tokens",
    "TOKEN_URL",
    "SECRET_NAME",
    "GITHUB_TOKEN_PATH",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "PWD",
    "PATH",
    "HOME",
    "NODE_ENV",
    "LOG_LEVEL",
    "key",
    "PUBLIC_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "sort_key",
    "CLIENT_ID",
    "tokenizer",
    "",
  ])("%s is not", (n) => expect(isSecretName(n)).toBe(false));

  test("never throws on odd input", () => {
    expect(isSecretName(undefined as unknown as string)).toBe(false);
    expect(isSecretName("x".repeat(10_000))).toBe(false);
  });
});

describe("entropy, redaction, generic values", () => {
  test("shannonEntropy", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy(keys.generic(32))).toBeGreaterThan(4);
  });

  test("redact keeps at most the public prefix and last four characters", () => {
    const k = keys.github();
    expect(redact(k, 4)).toBe(`ghp_…${k.slice(-4)} (40 chars)`);
    expect(redact("short-secret")).toBe("… (12 chars)");
    expect(redact("abcdefghijklmnopqrstuvwxyz", 100)).toBe("abcdef…wxyz (26 chars)");
  });

  test("looksRandomSecret", () => {
    expect(looksRandomSecret(keys.generic(24))).toBe(true);
    expect(looksRandomSecret(`Bearer ${keys.generic(24)}`)).toBe(true);
    expect(looksRandomSecret(rand(32, "0123456789abcdef", 4))).toBe(true);
    expect(looksRandomSecret(keys.generic(12))).toBe(false); // too short
    expect(looksRandomSecret("my-team-production-token")).toBe(false);
    expect(looksRandomSecret("MyServiceAccountName")).toBe(false);
    expect(looksRandomSecret("https://auth.example.com/oauth2/token")).toBe(false);
    expect(looksRandomSecret("/etc/secrets/github-token.txt")).toBe(false);
    expect(looksRandomSecret("${GITHUB_PERSONAL_ACCESS_TOKEN}")).toBe(false);
    expect(looksRandomSecret("aaaaaaaaaaaaaaaaaaaaaaaa1")).toBe(false); // low entropy
    expect(looksRandomSecret("use the token from the team vault")).toBe(false);
  });

  test("secretAssignments reads each assignment form", () => {
    const v = keys.generic(24);
    expect(secretAssignments(`api_key: ${v}`)).toEqual([{ name: "api_key", value: v, start: 9 }]);
    expect(secretAssignments(`  "apiKey": "${v}",`)).toEqual([{ name: "apiKey", value: v, start: 13 }]);
    expect(secretAssignments(`export OPENAI_API_KEY=${v}`)).toEqual([
      { name: "OPENAI_API_KEY", value: v, start: 22 },
    ]);
    expect(secretAssignments(`token = "${v}"`)).toEqual([{ name: "token", value: v, start: 9 }]);
    expect(secretAssignments(`"--api-key=${v}",`)).toEqual([{ name: "api-key", value: v, start: 11 }]);
    expect(secretAssignments(`"Authorization: Bearer ${v}"`)).toEqual([
      { name: "Authorization", value: `Bearer ${v}`, start: 16 },
    ]);
    expect(secretAssignments(`Authorization: Bearer ${v}`)[0]?.value).toBe(`Bearer ${v}`);
    expect(secretAssignments(`max_tokens: 4096`)).toEqual([]);
    // A minified one-line config is read whole.
    const minified = `{"a":"${"x".repeat(200_000)}","api_key":"${v}"}`;
    expect(secretAssignments(minified).map((a) => a.value)).toEqual([v]);
    // Inline maps: the closing brace is not part of the value; a reference's is.
    expect(secretAssignments(`{token: ${v}}`).map((a) => a.value)).toEqual([v]);
    expect(secretAssignments("apiKey: ${env:WEATHER_API_KEY}").map((a) => a.value)).toEqual([
      "${env:WEATHER_API_KEY}",
    ]);
    expect(secretAssignments(`model: gpt-4o`)).toEqual([]);
  });
});
