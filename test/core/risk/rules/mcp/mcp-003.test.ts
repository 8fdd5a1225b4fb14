import { describe, expect, test } from "@jest/globals";
import { mcp003 } from "../../../../../src/core/risk/rules/mcp/mcp-003.js";
import { check } from "../../../../helpers/risk.js";

const stdio = (command: string, args: string[], key = "db") =>
  `{
  "mcpServers": {
    "${key}": {
      "command": "${command}",
      "args": [
${args.map((a) => `        ${JSON.stringify(a)}`).join(",\n")}
      ]
    }
  }
}
`;

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

describe("MCP-003 identity drift", () => {
  test("same key, different package: reported at the package arg with before → after", () => {
    const f = check(mcp003, {
      path: ".mcp.json",
      before: stdio("npx", ["-y", "@acme/db-mcp@1.2.0"]),
      after: stdio("npx", ["-y", "@acrne/db-mcp@1.2.0"]),
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(7);
    expect(f[0]!.message).toBe(
      'MCP server "db" kept its key but changed identity: npm package @acme/db-mcp@1.2.0 → npm package @acrne/db-mcp@1.2.0. Approvals and tool permissions granted to "db" now apply to the new server.',
    );
  });

  test("a version bump of the same package is NOT drift (npx → bunx neither)", () => {
    const before = stdio("npx", ["-y", "@acme/db-mcp@1.2.0"]);
    expect(
      check(mcp003, { path: ".mcp.json", before, after: stdio("npx", ["-y", "@acme/db-mcp@1.3.0"]) }),
    ).toEqual([]);
    expect(
      check(mcp003, { path: ".mcp.json", before, after: stdio("npx", ["-y", "@acme/db-mcp@latest"]) }),
    ).toEqual([]);
    expect(
      check(mcp003, { path: ".mcp.json", before, after: stdio("bunx", ["@acme/db-mcp@1.2.0"]) }),
    ).toEqual([]);
    const img = (tag: string) => stdio("docker", ["run", "-i", "--rm", `ghcr.io/acme/db:${tag}`]);
    expect(check(mcp003, { path: ".mcp.json", before: img("1.0"), after: img("2.0") })).toEqual([]);
  });

  test("a different image is drift", () => {
    const f = check(mcp003, {
      path: ".mcp.json",
      before: stdio("docker", ["run", "-i", "--rm", "ghcr.io/acme/db:1.0"]),
      after: stdio("docker", ["run", "-i", "--rm", "docker.io/someone/db:1.0"]),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        9,
        expect.stringContaining(
          "container image ghcr.io/acme/db:1.0 → container image docker.io/someone/db:1.0",
        ),
      ],
    ]);
  });

  test("a different command or script is drift; extra flags are not", () => {
    const f = check(mcp003, {
      path: ".mcp.json",
      before: stdio("node", ["build/index.js"]),
      after: stdio("node", ["/tmp/x/index.js"]),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [6, expect.stringContaining("command `node build/index.js` → command `node /tmp/x/index.js`")],
    ]);
    expect(
      check(mcp003, {
        path: ".mcp.json",
        before: stdio("node", ["build/index.js"]),
        after: stdio("node", ["build/index.js", "--verbose"]),
      }),
    ).toEqual([]);
  });

  test("URL host or path change is drift; query, scheme and trailing slash are not", () => {
    const f = check(mcp003, {
      path: ".mcp.json",
      before: remote("https://mcp.example.com/mcp"),
      after: remote("https://mcp.example.net/mcp"),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [5, expect.stringContaining("URL https://mcp.example.com/mcp → URL https://mcp.example.net/mcp")],
    ]);
    expect(
      check(mcp003, {
        path: ".mcp.json",
        before: remote("https://a.example/mcp"),
        after: remote("https://a.example/other"),
      }),
    ).toHaveLength(1);
    for (const after of ["https://a.example/mcp?tenant=2", "http://a.example/mcp", "https://A.example/mcp/"])
      expect(
        check(mcp003, { path: ".mcp.json", before: remote("https://a.example/mcp"), after: remote(after) }),
      ).toEqual([]);
  });

  test("stdio server replaced by a remote one under the same key", () => {
    const f = check(mcp003, {
      path: ".mcp.json",
      before: stdio("npx", ["-y", "@acme/docs-mcp@1.0.0"], "docs"),
      after: remote("https://docs.example.com/mcp"),
    });
    expect(f.map((x) => x.message)).toEqual([
      expect.stringContaining("npm package @acme/docs-mcp@1.0.0 → URL https://docs.example.com/mcp"),
    ]);
  });

  test("the endpoint behind an mcp-remote proxy is its identity", () => {
    const f = check(mcp003, {
      path: ".mcp.json",
      before: stdio("npx", ["-y", "mcp-remote@0.1.0", "https://mcp.linear.app/sse"], "linear"),
      after: stdio("npx", ["-y", "mcp-remote@0.1.0", "https://linear-mcp.example.org/sse"], "linear"),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        8,
        expect.stringContaining(
          "proxied URL https://mcp.linear.app/sse → proxied URL https://linear-mcp.example.org/sse",
        ),
      ],
    ]);
  });

  test("new and removed servers, self-diff and unrelated edits give nothing", () => {
    const a = stdio("npx", ["-y", "@acme/db-mcp@1.2.0"]);
    expect(check(mcp003, { path: ".mcp.json", after: a })).toEqual([]);
    expect(check(mcp003, { path: ".mcp.json", before: a })).toEqual([]);
    expect(check(mcp003, { path: ".mcp.json", before: a, after: a })).toEqual([]);
    expect(
      check(mcp003, {
        path: ".mcp.json",
        before: a,
        after: stdio("npx", ["-y", "@acme/db-mcp@1.2.0"], "db2"),
      }),
    ).toEqual([]);
  });
});
