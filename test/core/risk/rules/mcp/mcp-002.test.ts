/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are literal config text in these inputs */
import { describe, expect, test } from "@jest/globals";
import { mcp002 } from "../../../../../src/core/risk/rules/mcp/mcp-002.js";
import { check } from "../../../../helpers/risk.js";

/** A one-server .mcp.json whose args are on line 5 onwards (one per line). */
const cfg = (args: string[], key = "x", command = "npx") =>
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

describe("MCP-002 unpinned launch", () => {
  test("a new npx server without a version", () => {
    const f = check(mcp002, {
      path: ".mcp.json",
      after: cfg(["-y", "@modelcontextprotocol/server-brave-search"]),
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(7);
    expect(f[0]!.message).toBe(
      'New MCP server "x" launches npm package @modelcontextprotocol/server-brave-search with no exact version (missing, `latest`, a dist-tag or a range): whatever is published next runs with the agent\'s access.',
    );
  });

  test.each([
    [["@eslint/mcp@latest"], "npm package @eslint/mcp"],
    [["-y", "pkg@^1.2.0"], "npm package pkg"],
    [["dlx", "pkg"], "npm package pkg"],
  ])("unpinned npm forms: %j", (args, label) => {
    const command = args[0] === "dlx" ? "pnpm" : "npx";
    const f = check(mcp002, { path: ".mcp.json", after: cfg(args, "x", command) });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(label);
  });

  test.each([
    ["uvx", ["mcp-server-fetch"], "PyPI package mcp-server-fetch with no exact `==` version"],
    ["docker", ["run", "-i", "--rm", "mcp/fetch"], "container image mcp/fetch with no tag"],
    [
      "docker",
      ["run", "-i", "--rm", "ghcr.io/x/y:latest"],
      "container image ghcr.io/x/y with no tag, or the mutable `latest` tag",
    ],
    ["npx", ["-y", "github:acme/mcp-server"], "git source github:acme/mcp-server with no commit hash"],
  ])("other registries: %s %j", (command, args, text) => {
    const f = check(mcp002, { path: ".mcp.json", after: cfg(args, "x", command) });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(text);
  });

  test.each([
    ["npx", ["-y", "@modelcontextprotocol/server-github@2025.4.8"]],
    ["uvx", ["mcp-server-fetch==2025.1.17"]],
    ["docker", ["run", "-i", "--rm", "ghcr.io/x/y:1.4.0"]],
    ["docker", ["run", "-i", "--rm", "ghcr.io/x/y:latest@sha256:0123abcd"]],
    ["npx", ["-y", "acme/mcp-server#0123abcd"]],
    ["node", ["build/index.js"]],
  ])("near miss, pinned or not a package launch: %s %j", (command, args) => {
    expect(check(mcp002, { path: ".mcp.json", after: cfg(args, "x", command) })).toEqual([]);
  });

  test("a pinned server that drops its version is reported with the old version", () => {
    const f = check(mcp002, {
      path: ".mcp.json",
      before: cfg(["-y", "@scope/pkg@1.0.0"]),
      after: cfg(["-y", "@scope/pkg@latest"]),
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(7);
    expect(f[0]!.message).toContain(
      'MCP server "x" no longer pins its version (was 1.0.0) and launches npm package @scope/pkg',
    );
  });

  test("switching to another unpinned package is reported", () => {
    const f = check(mcp002, { path: ".mcp.json", before: cfg(["-y", "pkg-a"]), after: cfg(["-y", "pkg-b"]) });
    expect(f.map((x) => x.message)).toEqual([
      expect.stringContaining('MCP server "x" now launches npm package pkg-b'),
    ]);
  });

  test("an existing unpinned launch is not re-reported on an unrelated edit", () => {
    const before = cfg(["-y", "@upstash/context7-mcp"]);
    const after = cfg(["-y", "@upstash/context7-mcp", "--transport", "stdio"]);
    expect(check(mcp002, { path: ".mcp.json", before, after })).toEqual([]);
    // npx → bunx of the same package is the same unpinned launch.
    expect(
      check(mcp002, { path: ".mcp.json", before, after: cfg(["@upstash/context7-mcp"], "x", "bunx") }),
    ).toEqual([]);
  });

  test("self-diff gives nothing", () => {
    const text = cfg(["-y", "@modelcontextprotocol/server-brave-search"]);
    expect(check(mcp002, { path: ".mcp.json", before: text, after: text })).toEqual([]);
  });

  test("a Windows `cmd /c npx` wrapper is looked through", () => {
    const f = check(mcp002, { path: ".mcp.json", after: cfg(["/c", "npx", "-y", "pkg"], "x", "cmd") });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(9);
  });

  test("MCP Registry packages: missing version is unpinned, a templated version is not judged", () => {
    const reg = (version: string) =>
      JSON.stringify(
        {
          name: "io.github.a/b",
          description: "d",
          version: "1.0.0",
          packages: [
            {
              registryType: "npm",
              identifier: "@a/b",
              ...(version ? { version } : {}),
              transport: { type: "stdio" },
            },
          ],
        },
        null,
        2,
      );
    const f = check(mcp002, { path: "server.json", format: "mcp-registry-server", after: reg("") });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        8,
        expect.stringContaining(
          'New MCP server "packages[0]" launches npm package @a/b with no exact version',
        ),
      ],
    ]);
    expect(
      check(mcp002, { path: "server.json", format: "mcp-registry-server", after: reg("${VERSION}") }),
    ).toEqual([]);
  });
});
