import { describe, expect, test } from "@jest/globals";
import { type EvaluateInput, evaluateChange, filesToRead, repoSchemaPaths } from "../../src/core/evaluate.js";
import {
  defaultPolicy,
  loadPolicy,
  POLICY_PATH,
  type ResolvedPolicy,
} from "../../src/core/policy/resolve.js";
import type { FileBlob, FileChange, ValidationMessage } from "../../src/core/types.js";
import { type CompiledSchema, type SchemaObject, SchemaSet } from "../../src/core/validate/schema-set.js";
import { builtinSchemas } from "../../src/schemas.js";

function blob(text: string): FileBlob {
  const data = new TextEncoder().encode(text);
  return { size: data.length, data };
}
const added = (path: string, text: string): FileChange => ({ path, status: "added", after: blob(text) });
const modified = (path: string, before: string, after: string): FileChange => ({
  path,
  status: "modified",
  before: blob(before),
  after: blob(after),
});
const removed = (path: string, text: string): FileChange => ({ path, status: "removed", before: blob(text) });
const renamed = (previousPath: string, path: string, before: string, after = before): FileChange => ({
  path,
  previousPath,
  status: "renamed",
  before: blob(before),
  after: blob(after),
});

function policy(yaml: string): ResolvedPolicy {
  const load = loadPolicy(yaml, POLICY_PATH, builtinSchemas());
  if (!load.ok) throw new Error(`test policy is invalid: ${JSON.stringify(load.messages)}`);
  return load.policy;
}

function evaluate(changes: FileChange[], extra: Partial<EvaluateInput> = {}) {
  return evaluateChange({ changes, policy: defaultPolicy(), schemas: builtinSchemas(), ...extra });
}

/** `path:line:column severity code`, one per message. */
const where = (ms: readonly ValidationMessage[]) =>
  ms.map((m) => `${m.path}:${m.line}:${m.column} ${m.severity} ${m.code}`);

const VALID_MCP = '{\n  "mcpServers": {\n    "gh": { "command": "gh", "args": ["mcp"] }\n  }\n}\n';
const INVALID_MCP = '{\n  "mcpServers": {\n    "gh": { "command": 5 }\n  }\n}\n';

describe("statuses", () => {
  test("added: classified, validated against the built-in schema", () => {
    const ev = evaluate([added(".mcp.json", VALID_MCP)]);
    expect(ev.files).toEqual([
      {
        path: ".mcp.json",
        status: "added",
        format: "mcp-project",
        category: "mcp",
        matchedBy: "path",
        schema: "builtin:mcp-project",
      },
    ]);
    expect(ev.validation).toEqual([]);
    expect([ev.errors, ev.warnings, ev.risk]).toEqual([0, 0, "medium"]);
    // A new MCP server is a finding (MCP-001, medium): every such change needs a reviewer.
    expect(ev.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([["MCP-001", "medium", 3]]);
    expect(ev.diff).toEqual([
      { path: ".mcp.json", kind: "mcp-server", name: "gh", change: "added", line: 3 },
    ]);
  });

  test("added with an error: positioned in the head version", () => {
    const ev = evaluate([added(".mcp.json", INVALID_MCP)]);
    expect(where(ev.validation)).toEqual([".mcp.json:3:24 error schema"]);
    expect([ev.errors, ev.warnings]).toEqual([1, 0]);
  });

  test("modified: only the head is judged", () => {
    expect(where(evaluate([modified(".mcp.json", VALID_MCP, INVALID_MCP)]).validation)).toEqual([
      ".mcp.json:3:24 error schema",
    ]);
    const fixed = evaluate([modified(".mcp.json", INVALID_MCP, VALID_MCP)]);
    expect(fixed.validation).toEqual([]);
    expect(fixed.files.map((f) => f.status)).toEqual(["modified"]);
  });

  test("removed: listed, the removed content is not validated", () => {
    const ev = evaluate([removed(".mcp.json", INVALID_MCP)]);
    expect(ev.files).toEqual([
      {
        path: ".mcp.json",
        status: "removed",
        format: "mcp-project",
        category: "mcp",
        matchedBy: "path",
        // no `schema`: removed content is not checked against one
      },
    ]);
    expect(ev.validation).toEqual([]);
  });

  test("removed without content (the adapter did not read it): still listed, no error", () => {
    const ev = evaluate([{ path: "CLAUDE.md", status: "removed" }]);
    expect(ev.files.map((f) => [f.path, f.status, f.format])).toEqual([
      ["CLAUDE.md", "removed", "instructions-claude-md"],
    ]);
    expect(ev.validation).toEqual([]);
  });

  test("renamed between watched paths: previous path kept, the head validated", () => {
    const ev = evaluate([renamed("plugins/a/.mcp.json", "plugins/b/.mcp.json", VALID_MCP, INVALID_MCP)]);
    expect(ev.files).toEqual([
      {
        path: "plugins/b/.mcp.json",
        previousPath: "plugins/a/.mcp.json",
        status: "renamed",
        format: "mcp-project",
        category: "mcp",
        matchedBy: "path",
        schema: "builtin:mcp-project",
      },
    ]);
    expect(where(ev.validation)).toEqual(["plugins/b/.mcp.json:3:24 error schema"]);
  });

  test("renamed into a watched path from an unwatched one: validated", () => {
    const ev = evaluate([renamed("notes/mcp.txt", ".cursor/mcp.json", INVALID_MCP)]);
    expect(ev.files.map((f) => [f.path, f.previousPath, f.format])).toEqual([
      [".cursor/mcp.json", "notes/mcp.txt", "mcp-cursor"],
    ]);
    expect(where(ev.validation)).toEqual([".cursor/mcp.json:3:24 error schema"]);
  });

  test("renamed away from a watched path: a warning, and the new (unread) content is not validated", () => {
    const ev = evaluate([renamed(".cursor/mcp.json", "docs/old-mcp.txt", VALID_MCP, "{ not json")]);
    expect(ev.files).toEqual([
      {
        path: "docs/old-mcp.txt",
        previousPath: ".cursor/mcp.json",
        status: "renamed",
        format: "mcp-cursor",
        category: "mcp",
        matchedBy: "path",
        // no `schema`: nothing was checked against one
      },
    ]);
    expect(where(ev.validation)).toEqual(["docs/old-mcp.txt:1:1 warning renamed-away"]);
    expect(ev.validation[0]!.message).toContain("renamed from .cursor/mcp.json (Cursor MCP servers)");
    expect([ev.errors, ev.warnings]).toEqual([0, 1]);
  });

  test("files that are not agent configs are ignored", () => {
    const ev = evaluate([added("src/index.ts", "export {}"), modified("README.md", "a", "b")]);
    expect(ev).toEqual({
      files: [],
      validation: [],
      findings: [],
      diff: [],
      risk: "none",
      errors: 0,
      warnings: 0,
    });
  });
});

describe("content sniffing in the engine", () => {
  test("generic files that are not agent configs are dropped", () => {
    const ev = evaluate([
      added("app/config.json", '{"port": 8080}'),
      added("server.json", '{"name": "my-app", "version": "1.0.0", "dependencies": {}}'),
      added("deploy/values.yaml", "replicas: 3\n"),
      added("broken/config.json", "{ not json"),
      { path: "bin/data.json", status: "added", after: { size: 3, data: new Uint8Array([0x7b, 0, 0x7d]) } },
      { path: "big/config.json", status: "added", after: { size: 5_000_000 } },
      { path: "gone/config.json", status: "added" },
    ]);
    expect(ev.files).toEqual([]);
    expect(ev.validation).toEqual([]);
  });

  test("a generic file that is an agent config is recognised and validated", () => {
    const ev = evaluate([added("server.json", '{"name": "io.github.a/b", "packages": []}')]);
    expect(ev.files.map((f) => [f.path, f.format, f.category, f.matchedBy, f.schema])).toEqual([
      ["server.json", "mcp-registry-server", "mcp", "content", "builtin:mcp-registry-server"],
    ]);
    expect(ev.validation.every((m) => m.path === "server.json")).toBe(true);
    expect(ev.errors).toBeGreaterThan(0);
  });

  test("a removed generic file is recognised from its base content", () => {
    const cfn = "Resources:\n  Agent:\n    Type: AWS::Bedrock::Agent\n";
    const ev = evaluate([removed("infra/template.yaml", cfn), removed("infra/other.yaml", "a: 1\n")]);
    expect(ev.files.map((f) => [f.path, f.status, f.format])).toEqual([
      ["infra/template.yaml", "removed", "bedrock-cfn"],
    ]);
    expect(ev.validation).toEqual([]);
  });
});

describe("repository schemas", () => {
  const TEAM_SCHEMA = JSON.stringify({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    required: ["mcpServers", "owner"],
    properties: { mcpServers: { type: "object" }, owner: { type: "string" } },
  });
  const p = policy('schemas:\n  - path: ".mcp.json"\n    schema: "./.github/schemas/mcp.schema.json"\n');

  test("a custom schema replaces the built-in one", () => {
    // Valid for the built-in schema, but the team's schema requires an owner.
    const ev = evaluate([added(".mcp.json", VALID_MCP)], {
      policy: p,
      repoSchemas: new Map([[".github/schemas/mcp.schema.json", TEAM_SCHEMA]]),
    });
    expect(ev.files[0]!.schema).toBe(".github/schemas/mcp.schema.json");
    expect(where(ev.validation)).toEqual([".mcp.json:1:1 error schema"]);
    expect(ev.validation[0]!.message).toBe('missing required key "owner"');
    // And the built-in's rules no longer apply: `command: 5` passes the team's schema.
    const loose = evaluate([added(".mcp.json", '{"owner": "me", "mcpServers": {"x": {"command": 5}}}')], {
      policy: p,
      repoSchemas: new Map([[".github/schemas/mcp.schema.json", TEAM_SCHEMA]]),
    });
    expect(loose.validation).toEqual([]);
  });

  test("a custom schema written in YAML works", () => {
    const policyYaml = policy(
      'schemas:\n  - path: "tools/*.json"\n    schema: schemas/tool.yaml\n    unknown_keys: error\n',
    );
    const schema = "type: object\nadditionalProperties: false\nproperties:\n  name: {type: string}\n";
    const ev = evaluate([added("tools/a.json", '{"mcpServers": {"a": {"command": "x"}}, "nme": 1}')], {
      policy: policyYaml,
      repoSchemas: new Map([["schemas/tool.yaml", schema]]),
    });
    expect(ev.files.map((f) => [f.format, f.schema])).toEqual([["mcp-other", "schemas/tool.yaml"]]);
    expect(ev.validation.map((m) => [m.severity, m.code, m.pointer])).toEqual([
      ["error", "unknown-key", "/mcpServers"],
      ["error", "unknown-key", "/nme"],
    ]);
  });

  test("a missing custom schema fails the file closed", () => {
    for (const repoSchemas of [undefined, new Map([[".github/schemas/mcp.schema.json", undefined]])]) {
      const ev = evaluate([added(".mcp.json", VALID_MCP)], {
        policy: p,
        ...(repoSchemas ? { repoSchemas } : {}),
      });
      expect(where(ev.validation)).toEqual([".mcp.json:1:1 error custom-schema-unusable"]);
      expect(ev.validation[0]!.message).toContain(
        ".github/schemas/mcp.schema.json does not exist on the policy's branch",
      );
    }
  });

  test("a custom schema that does not parse: error on the file, the syntax error on the schema", () => {
    const input = {
      policy: policy('schemas:\n  - path: "**/.mcp.json"\n    schema: s/mcp.json\n'),
      repoSchemas: new Map([["s/mcp.json", '{\n  "type": "object",\n  "required": [\n}']]),
    };
    const ev = evaluate([added(".mcp.json", VALID_MCP), added("sub/.mcp.json", VALID_MCP)], input);
    expect(ev.validation.filter((m) => m.path !== "s/mcp.json").map((m) => `${m.path} ${m.code}`)).toEqual([
      ".mcp.json custom-schema-unusable",
      "sub/.mcp.json custom-schema-unusable",
    ]);
    expect(ev.validation[0]!.message).toContain("s/mcp.json is not valid JSONC (line 4)");
    // The schema's own syntax errors are reported once, not once per file using it.
    const schemaProblems = ev.validation.filter((m) => m.path === "s/mcp.json");
    expect(schemaProblems.length).toBeGreaterThan(0);
    expect(schemaProblems.every((m) => m.severity === "error" && m.code === "syntax")).toBe(true);
    expect(schemaProblems[0]!.line).toBe(4);
    const alone = evaluate([added(".mcp.json", VALID_MCP)], input).validation.filter(
      (m) => m.path === "s/mcp.json",
    );
    expect(schemaProblems).toEqual(alone);
  });

  test("a custom schema that is not a valid JSON Schema fails the file closed", () => {
    const ev = evaluate([added(".mcp.json", VALID_MCP)], {
      policy: p,
      repoSchemas: new Map([[".github/schemas/mcp.schema.json", '{"type": "strng"}']]),
    });
    expect(where(ev.validation)).toEqual([".mcp.json:1:1 error custom-schema-unusable"]);
    expect(ev.validation[0]!.message).toMatch(
      /mcp\.schema\.json is not a valid JSON Schema: schema is invalid/,
    );
  });

  test("repoSchemaPaths lists the schemas the policy names, once each", () => {
    const two = policy(
      "schemas:\n  - path: a/*.json\n    schema: ./s/x.json\n  - path: b/*.json\n    schema: s/x.json\n  - path: c/*.json\n    schema: s/y.yaml\n",
    );
    expect(repoSchemaPaths(two)).toEqual(["s/x.json", "s/y.yaml"]);
    expect(repoSchemaPaths(defaultPolicy())).toEqual([]);
  });
});

describe("schemas named by the policy are part of the policy", () => {
  const withSchema = policy(
    'watch:\n  exclude: [".github/**"]\nschemas:\n  - path: "tools/*.json"\n    schema: ".github/schemas/tool.schema.json"\n',
  );
  const SCHEMA_PATH = ".github/schemas/tool.schema.json";

  test("a change to the schema file is listed as a policy change, even under an exclude", () => {
    const ev = evaluate(
      [modified(SCHEMA_PATH, '{"type":"object"}', '{"type":"object","required":["name"]}')],
      {
        policy: withSchema,
      },
    );
    expect(ev.files).toEqual([
      {
        path: SCHEMA_PATH,
        status: "modified",
        format: "agent-change-control-schema",
        category: "policy",
        matchedBy: "policy",
      },
    ]);
    expect(ev.validation).toEqual([]);
  });

  test("a proposed schema that no longer compiles is an error in the change", () => {
    const ev = evaluate([modified(SCHEMA_PATH, '{"type":"object"}', '{"type":"no-such-type"}')], {
      policy: withSchema,
    });
    expect(where(ev.validation)).toEqual([`${SCHEMA_PATH}:1:1 error schema`]);
    expect(ev.validation[0]!.message).toContain("named by the policy but is not valid");
  });

  test("a proposed schema with a syntax error reports it at its line", () => {
    const ev = evaluate([modified(SCHEMA_PATH, '{"type":"object"}', '{\n  "type": "object",\n}\n}')], {
      policy: withSchema,
    });
    expect(where(ev.validation)).toEqual([`${SCHEMA_PATH}:4:1 error syntax`]);
  });

  test("filesToRead includes the schema file", () => {
    expect(filesToRead([{ path: SCHEMA_PATH }, { path: "README.md" }], withSchema)).toEqual([SCHEMA_PATH]);
  });
});

describe("markdown formats", () => {
  test("a format requiring front matter without it: an error", () => {
    const ev = evaluate([added(".claude/agents/reviewer.md", "You review code.\n")]);
    expect(where(ev.validation)).toEqual([".claude/agents/reviewer.md:1:1 error missing-front-matter"]);
    expect(ev.validation[0]!.message).toContain("Claude Code subagent files need YAML front matter");
  });

  test("a format where front matter is optional: no error without it", () => {
    const ev = evaluate([
      added(".claude/commands/deploy.md", "Deploy the app.\n"),
      added("CLAUDE.md", "# Rules\n"),
    ]);
    expect(ev.files.map((f) => f.format)).toEqual(["claude-command", "instructions-claude-md"]);
    expect(ev.validation).toEqual([]);
  });

  test("front matter is validated, positioned in the file", () => {
    const ev = evaluate([
      added(".claude/agents/reviewer.md", "---\nname: reviewer\ndescription: 5\n---\nBody\n"),
    ]);
    expect(where(ev.validation)).toEqual([".claude/agents/reviewer.md:3:14 error schema"]);
  });
});

describe("an edited policy file gets the checks it will get once merged", () => {
  test("unknown format ids and duplicate rule names are errors in the change", () => {
    const ev = evaluate([
      added(
        POLICY_PATH,
        "formats:\n  - path: x/**\n    format: mcp-foo\napprovals:\n  rules:\n    - name: a\n      requires: {count: 1}\n    - name: a\n      requires: {count: 1}\n",
      ),
    ]);
    expect(ev.files.map((f) => [f.format, f.category, f.schema])).toEqual([
      ["agent-change-control-policy", "policy", "builtin:policy"],
    ]);
    expect(where(ev.validation)).toEqual([
      `${POLICY_PATH}:3:13 error unknown-format`,
      `${POLICY_PATH}:8:13 error duplicate-rule`,
    ]);
  });

  test("unknown keys are errors; expiry is judged only against an injected date", () => {
    expect(where(evaluate([added(POLICY_PATH, "watches: {}\n")]).validation)).toEqual([
      `${POLICY_PATH}:1:1 error unknown-key`,
    ]);
    const expired =
      "risk:\n  suppressions:\n    - rule: MCP-001\n      path: .mcp.json\n      reason: accepted for the demo\n      expires: 2020-01-01\n";
    expect(evaluate([added(POLICY_PATH, expired)]).validation).toEqual([]);
    expect(
      where(evaluate([added(POLICY_PATH, expired)], { now: new Date("2026-01-01") }).validation),
    ).toEqual([`${POLICY_PATH}:6:16 warning suppression-expired`]);
  });
});

describe("message volume", () => {
  test("schema messages per file are capped; the rest are counted in one message of the worst severity", () => {
    const keys = Array.from({ length: 150 }, (_, i) => `"extra${i}": 1`).join(", ");
    const ev = evaluate([added(".mcp.json", `{ "mcpServers": {}, ${keys}, "zlast": 1 }`)]);
    expect(ev.validation).toHaveLength(101);
    expect(ev.validation.filter((m) => m.code === "unknown-key")).toHaveLength(100);
    const more = ev.validation.find((m) => m.code === "schema")!;
    expect(more).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/^51 more schema problems/),
    });

    // Errors are listed before the cap applies: a real error is never hidden behind unknown keys.
    const badTail = evaluate([added(".mcp.json", `{ ${keys}, "mcpServers": { "x": { "command": 5 } } }`)]);
    expect(badTail.validation.filter((m) => m.severity === "error").map((m) => m.message)).toEqual([
      expect.stringMatching(/^mcpServers\.x\.command must be a string/),
    ]);
    expect(badTail.validation.filter((m) => /more schema problems/.test(m.message))).toEqual([
      expect.objectContaining({ severity: "warning", message: expect.stringMatching(/^51 more/) }),
    ]);
  });
});

describe("files that cannot be checked fail closed", () => {
  test("unreadable, too large, binary, symlink: errors", () => {
    const ev = evaluate([
      { path: "a/.mcp.json", status: "added" },
      { path: "b/.mcp.json", status: "added", after: { size: 5_000_000 } },
      { path: "c/.mcp.json", status: "added", after: { size: 3, data: new Uint8Array([0x7b, 0, 0x7d]) } },
      { path: "d/.mcp.json", status: "added", after: { ...blob("../x/.mcp.json"), mode: "symlink" } },
    ]);
    expect(where(ev.validation)).toEqual([
      "a/.mcp.json:1:1 error unreadable",
      "b/.mcp.json:1:1 error too-large",
      "c/.mcp.json:1:1 error binary",
      "d/.mcp.json:1:1 error symlink",
    ]);
    expect(ev.files).toHaveLength(4);
  });

  test("an exception inside the engine becomes an `internal` error on that file, others still checked", () => {
    class Throwing extends SchemaSet {
      override builtinSchema(id: string): CompiledSchema {
        if (id === "mcp-project") throw new TypeError("boom");
        return super.builtinSchema(id);
      }
    }
    const schemas = new Throwing(
      new Map<string, SchemaObject>([
        ["mcp-project", {}],
        ["mcp-cursor", { type: "object" }],
      ]),
    );
    const ev = evaluate([added(".mcp.json", VALID_MCP), added(".cursor/mcp.json", "[]")], { schemas });
    expect(ev.files.map((f) => [f.path, f.format, f.category])).toEqual([
      [".cursor/mcp.json", "mcp-cursor", "mcp"],
      [".mcp.json", "unknown", "other"],
    ]);
    expect(where(ev.validation)).toEqual([
      ".cursor/mcp.json:1:1 error schema",
      ".mcp.json:1:1 error internal",
    ]);
    expect(ev.validation[1]!.message).toContain("(TypeError); the gate fails closed");
    expect(ev.validation[1]!.message).not.toContain("boom");
    expect(ev.errors).toBe(2);
  });

  test("a RangeError (stack overflow) is named as too deep or too large", () => {
    class Deep extends SchemaSet {
      override builtinSchema(): CompiledSchema {
        throw new RangeError("Maximum call stack size exceeded");
      }
    }
    const ev = evaluate([added(".mcp.json", VALID_MCP)], {
      schemas: new Deep(new Map([["mcp-project", {}]])),
    });
    expect(ev.validation.map((m) => [m.code, m.severity])).toEqual([["internal", "error"]]);
    expect(ev.validation[0]!.message).toContain("input too deeply nested or too large");
  });

  test("deeply nested input is an error, not a crash", () => {
    const ev = evaluate([added(".mcp.json", `${"[".repeat(5000)}${"]".repeat(5000)}`)]);
    expect(ev.errors).toBe(1);
    expect(ev.validation[0]!.code).toBe("too-deep");
  });
});

describe("output", () => {
  test("files sorted by path; messages by path, line, column; counts match", () => {
    const ev = evaluate([
      added("z/.mcp.json", INVALID_MCP),
      added(
        ".mcp.json",
        '{\n  "mcpServers": {\n    "b": { "command": 1 },\n    "a": { "comand": "x", "command": "x" }\n  }\n}',
      ),
      added("a/.cursor/mcp.json", '{"mcpServers": {"x": {"command": true}}}'),
    ]);
    expect(ev.files.map((f) => f.path)).toEqual([".mcp.json", "a/.cursor/mcp.json", "z/.mcp.json"]);
    expect(where(ev.validation)).toEqual([
      ".mcp.json:3:23 error schema",
      ".mcp.json:4:12 warning unknown-key",
      "a/.cursor/mcp.json:1:34 error schema",
      "z/.mcp.json:3:24 error schema",
    ]);
    expect([ev.errors, ev.warnings]).toEqual([3, 1]);
  });

  test("pure: the same input gives the same output", () => {
    const changes = [added(".mcp.json", INVALID_MCP), added("server.json", '{"name": "a/b", "remotes": []}')];
    expect(evaluate(changes)).toEqual(evaluate(changes));
  });
});

describe("filesToRead", () => {
  test("lists only the watched paths and the generic files whose content decides", () => {
    const changes: Pick<FileChange, "path" | "previousPath">[] = [
      { path: "src/index.ts" },
      { path: ".mcp.json" },
      { path: "app/config.json" },
      { path: "README.md" },
      { path: "package.json" },
      { path: ".github/workflows/ci.yml" },
      { path: "notes/old-mcp.txt", previousPath: ".cursor/mcp.json" },
      { path: "docs/guide.md", previousPath: "docs/old.md" },
      { path: "node_modules/x/server.json" },
    ];
    expect(filesToRead(changes, defaultPolicy())).toEqual([
      ".mcp.json",
      "app/config.json",
      "notes/old-mcp.txt",
    ]);
    expect(filesToRead(changes, policy("watch:\n  sniff: false\n"))).toEqual([
      ".mcp.json",
      "notes/old-mcp.txt",
    ]);
  });
});

describe("an edit that leaves the bytes as they were", () => {
  test("adds nothing to judge, even when neither side can be decoded", () => {
    const same = modified(".github/agent-change-control.yml", "a\u0000b", "a\u0000b");
    const ev = evaluate([same]);
    expect(ev.findings).toEqual([]);
    expect(ev.validation.map((m) => m.code)).toEqual(["binary"]);
  });

  test("a real edit of an undecodable policy is still a change to the policy", () => {
    const ev = evaluate([modified(".github/agent-change-control.yml", "a\u0000b", "a\u0000c")]);
    expect(ev.findings.map((f) => f.rule)).toContain("SELF-001");
  });
});
