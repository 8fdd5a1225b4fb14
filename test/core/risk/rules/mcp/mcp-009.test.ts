/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are literal config text in these inputs */
import { describe, expect, test } from "@jest/globals";
import { mcp009 } from "../../../../../src/core/risk/rules/mcp/mcp-009.js";
import { check } from "../../../../helpers/risk.js";

const stdio = (command: string, args: string[], key = "fs") =>
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

const FS = "@modelcontextprotocol/server-filesystem@2025.8.21";
const fs = (...roots: string[]) => stdio("npx", ["-y", FS, ...roots]);

describe("MCP-009 scope widening", () => {
  test("a new filesystem server rooted at / is reported at the root's line", () => {
    const f = check(mcp009, { path: ".mcp.json", after: fs("/") });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        8,
        'New MCP server "fs" gives its filesystem server the root `/` (the whole file system): the agent can read and write everything below it.',
      ],
    ]);
  });

  test.each([
    ["~", "the home directory"],
    ["$HOME", "the home directory"],
    ["${HOME}", "the home directory"],
    ["${userHome}", "the home directory"],
    ["..", "a folder outside the repository"],
    ["${workspaceFolder}/../other", "a folder outside the repository"],
    ["C:\\", "a whole drive"],
    ["/Users/alice", "a home directory"],
    ["/home/bob/", "a home directory"],
    ["~/.ssh", "a credential folder"],
    ["/etc", "a system folder"],
  ])("wide root %s", (root, why) => {
    const f = check(mcp009, { path: ".mcp.json", after: fs(root) });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(`(${why})`);
  });

  test.each([
    ["."],
    ["./docs"],
    ["${workspaceFolder}"],
    ["/Users/YOUR_USERNAME/apps/MCP"],
    ["~/projects/app"],
  ])("near miss: root %s", (root) => {
    expect(check(mcp009, { path: ".mcp.json", after: fs(root) })).toEqual([]);
  });

  test("a non-filesystem server given / as an argument is not judged as a root", () => {
    expect(check(mcp009, { path: ".mcp.json", after: stdio("npx", ["-y", "other-mcp@1.0.0", "/"]) })).toEqual(
      [],
    );
  });

  test("only roots the change adds are reported", () => {
    const f = check(mcp009, { path: ".mcp.json", before: fs("~", "./docs"), after: fs("~", "./docs", "..") });
    expect(f.map((x) => [x.line, x.message])).toEqual([[10, expect.stringContaining("the root `..`")]]);
    expect(check(mcp009, { path: ".mcp.json", before: fs("~"), after: fs("~", "./docs") })).toEqual([]);
  });

  test("docker: root, home, socket mounts and privileged flags on a new server", () => {
    const f = check(mcp009, {
      path: ".mcp.json",
      after: stdio(
        "docker",
        [
          "run",
          "-i",
          "--rm",
          "-v",
          "/:/host:ro",
          "-v",
          "./data:/data",
          "--volume=/var/run/docker.sock:/var/run/docker.sock",
          "--privileged",
          "--network",
          "host",
          "ghcr.io/acme/ops-mcp:1.0",
        ],
        "ops",
      ),
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(10);
    expect(f[0]!.message).toBe(
      'New MCP server "ops" runs its container with `-v /:/host:ro` (mounts the whole file system), `-v /var/run/docker.sock:/var/run/docker.sock` (mounts the Docker socket, which is root on the host), `--privileged` (gives the container full access to the host), `--network host` (shares the host\'s namespace): the server reaches beyond its container.',
    );
  });

  test("docker flags added to an existing server; a narrow mount is not reported", () => {
    const base = ["run", "-i", "--rm", "-v", "./data:/data", "mcp/x:1.0"];
    const f = check(mcp009, {
      path: ".mcp.json",
      before: stdio("docker", base, "x"),
      after: stdio(
        "docker",
        [
          "run",
          "-i",
          "--rm",
          "-v",
          "./data:/data",
          "--cap-add",
          "SYS_ADMIN",
          "-v",
          "$HOME:/root",
          "mcp/x:1.0",
        ],
        "x",
      ),
    });
    expect(f.map((x) => [x.line, x.message])).toEqual([
      [
        12,
        'MCP server "x" now runs its container with `--cap-add SYS_ADMIN` (adds a kernel capability), `-v $HOME:/root` (mounts the home directory): the server reaches beyond its container.',
      ],
    ]);
    expect(
      check(mcp009, {
        path: ".mcp.json",
        before: stdio("docker", base, "x"),
        after: stdio(
          "docker",
          ["run", "-i", "--rm", "-v", "./data:/data", "-v", "./cache:/cache", "mcp/x:1.0"],
          "x",
        ),
      }),
    ).toEqual([]);
  });

  test("self-diff and unrelated edits give nothing", () => {
    const priv = stdio("docker", ["run", "-i", "--privileged", "mcp/x:1.0"], "x");
    expect(check(mcp009, { path: ".mcp.json", before: priv, after: priv })).toEqual([]);
    expect(
      check(mcp009, {
        path: ".mcp.json",
        before: priv,
        after: stdio("docker", ["run", "-i", "--privileged", "mcp/x:1.1"], "x"),
      }),
    ).toEqual([]);
    expect(check(mcp009, { path: ".mcp.json", before: fs("/"), after: fs("/") })).toEqual([]);
  });
});
