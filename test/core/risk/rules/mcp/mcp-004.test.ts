/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are literal config text in these inputs */
import { describe, expect, test } from "@jest/globals";
import { mcp004 } from "../../../../../src/core/risk/rules/mcp/mcp-004.js";
import { check, fileContext } from "../../../../helpers/risk.js";

const remote = (url: string, key = "docs") =>
  `{
  "mcpServers": {
    "${key}": {
      "type": "http",
      "url": "${url}"
    }
  }
}
`;

const messages = (url: string) =>
  check(mcp004, { path: ".mcp.json", after: remote(url) }).map((f) => f.message);

describe("MCP-004 risky remote URL", () => {
  test("plain http to an IP literal: one finding at the url line with both reasons", () => {
    const f = check(mcp004, {
      path: ".mcp.json",
      after: remote("http://203.0.113.7:8080/mcp?key=s3cr3tvalue"),
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(5);
    expect(f[0]!.message).toBe(
      'New MCP server "docs" connects to http://203.0.113.7:8080/mcp: plain http:// to a non-loopback host sends tool calls, results and any credentials unencrypted; the host is the IP literal 203.0.113.7, with no name to verify a certificate or owner against.',
    );
    expect(f[0]!.message).not.toContain("s3cr3t");
  });

  test.each([
    ["https://abcd-1-2-3-4.ngrok-free.app/mcp", "public tunnel / wildcard-DNS service (ngrok-free.app)"],
    ["https://quiet-cat.trycloudflare.com/sse", "(trycloudflare.com)"],
    ["https://x.loca.lt/mcp", "(loca.lt)"],
    ["https://10.0.0.5.nip.io/mcp", "(nip.io)"],
    ["http://localhost:3001/sse", "localhost is the developer's own machine"],
    ["http://127.0.0.2:9000/mcp", "127.0.0.2 is the developer's own machine"],
    ["http://[::1]:9000/mcp", "[::1] is the developer's own machine"],
    ["http://0.0.0.0:9000/mcp", "0.0.0.0 is the developer's own machine"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud instance-metadata address"],
    ["http://2852039166/", "169.254.169.254 is a cloud instance-metadata address"],
    [
      "http://metadata.google.internal/computeMetadata/v1/",
      "metadata.google.internal is a cloud instance-metadata address",
    ],
    ["http://[fd00:ec2::254]/", "[fd00:ec2::254] is a cloud instance-metadata address"],
    ["https://[2001:db8::1]/mcp", "the host is the IP literal [2001:db8::1]"],
    ["ws://mcp.example.com/ws", "plain ws:// to a non-loopback host"],
  ])("%s", (url, text) => {
    const m = messages(url);
    expect(m).toHaveLength(1);
    expect(m[0]).toContain(text);
  });

  test("loopback over http is not also called plain http", () => {
    expect(messages("http://localhost:3001/sse")[0]).not.toContain("plain http");
  });

  test.each([
    "https://mcp.sentry.dev/mcp",
    "https://mcp.ngrok.com.example.org/mcp",
    "https://my-localhost.example.com/mcp",
    "https://${input:host}/mcp",
    "https://${MCP_HOST}/mcp",
  ])("near miss: %s", (url) => {
    expect(messages(url)).toEqual([]);
  });

  test("hosts outside risk.allowed_mcp_hosts are reported when the allowlist is set", () => {
    const run = (url: string) => {
      const ctx = fileContext({ path: ".mcp.json", after: remote(url) });
      ctx.settings = { allowedMcpHosts: ["*.acme.com", "mcp.sentry.dev"] };
      return mcp004.check(ctx).map((f) => f.message);
    };
    expect(run("https://tools.acme.com/mcp")).toEqual([]);
    expect(run("https://mcp.sentry.dev/mcp")).toEqual([]);
    expect(run("https://evilacme.com/mcp")).toEqual([
      'New MCP server "docs" connects to https://evilacme.com/mcp: evilacme.com is not on the policy\'s allowed MCP hosts.',
    ]);
    expect(run("https://acme.com/mcp")[0]).toContain("acme.com is not on the policy's allowed MCP hosts");
    // Without an allowlist, a named https host is fine.
    expect(messages("https://evilacme.com/mcp")).toEqual([]);
  });

  test("a changed URL is judged; risks the old URL already had on the same host are not repeated", () => {
    const f = check(mcp004, {
      path: ".mcp.json",
      before: remote("https://mcp.example.com/mcp"),
      after: remote("http://mcp.example.com/mcp"),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        5,
        expect.stringContaining(
          'MCP server "docs" now connects to http://mcp.example.com/mcp: plain http://',
        ),
      ],
    ]);
    expect(
      check(mcp004, {
        path: ".mcp.json",
        before: remote("https://a.ngrok.app/mcp"),
        after: remote("https://a.ngrok.app/v2/mcp"),
      }),
    ).toEqual([]);
    expect(
      check(mcp004, {
        path: ".mcp.json",
        before: remote("https://a.ngrok.app/mcp"),
        after: remote("https://b.ngrok.app/mcp"),
      }),
    ).toHaveLength(1);
  });

  test("self-diff and an unrelated edit give nothing", () => {
    const text = remote("http://localhost:3001/sse");
    expect(check(mcp004, { path: ".mcp.json", before: text, after: text })).toEqual([]);
    const edited = text.replace('"type": "http",', '"type": "sse",');
    expect(edited).not.toBe(text);
    expect(check(mcp004, { path: ".mcp.json", before: text, after: edited })).toEqual([]);
  });

  test("the URL argument of an mcp-remote proxy is judged; URL args of other servers are not", () => {
    const stdio = (args: string[]) =>
      `{\n  "mcpServers": {\n    "x": {\n      "command": "npx",\n      "args": ${JSON.stringify(args)}\n    }\n  }\n}\n`;
    const f = check(mcp004, {
      path: ".mcp.json",
      after: stdio(["-y", "mcp-remote@0.1.18", "https://x.trycloudflare.com/sse"]),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [5, expect.stringContaining("connects to https://x.trycloudflare.com/sse")],
    ]);
    expect(
      check(mcp004, {
        path: ".mcp.json",
        after: stdio(["-y", "kali-mcp@1.0.0", "--server", "http://10.0.0.9:5000/"]),
      }),
    ).toEqual([]);
  });

  test("Gemini httpUrl and Windsurf serverUrl are read", () => {
    const g = check(mcp004, {
      path: ".gemini/settings.json",
      after: '{\n  "mcpServers": {\n    "t": {\n      "httpUrl": "https://t.serveo.net/mcp"\n    }\n  }\n}\n',
    });
    expect(g.map((x) => x.line)).toEqual([4]);
  });
});
