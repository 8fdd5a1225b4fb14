import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../../src/core/evaluate.js";
import { extractModelSettings, extractTools } from "../../../src/core/model/tools.js";
import { defaultPolicy } from "../../../src/core/policy/resolve.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { fileContext } from "../../helpers/risk.js";

const obj = { type: "object", properties: { q: { type: "string" } } };

describe("extractTools: mcp-tool-manifest", () => {
  test("an MCP tools/list result: name, description, inputSchema, annotations and pointer", () => {
    const tools = extractTools("mcp-tool-manifest", {
      tools: [
        { name: "search", description: "Search docs", inputSchema: obj, annotations: { readOnlyHint: true } },
        { name: "delete_page", inputSchema: { type: "object" } },
      ],
    });
    expect([...tools.keys()]).toEqual(["search", "delete_page"]);
    expect(tools.get("search")).toEqual({
      name: "search",
      description: "Search docs",
      inputSchema: obj,
      annotations: { readOnlyHint: true },
      pointer: ["tools", 0],
    });
    expect(tools.get("delete_page")).toEqual({
      name: "delete_page",
      inputSchema: { type: "object" },
      pointer: ["tools", 1],
    });
  });

  test("a bare list with Anthropic input_schema and OpenAI flat parameters", () => {
    const tools = extractTools("mcp-tool-manifest", [
      { name: "a", description: "A", input_schema: obj },
      { type: "function", name: "b", parameters: obj },
    ]);
    expect(tools.get("a")).toEqual({ name: "a", description: "A", inputSchema: obj, pointer: [0] });
    expect(tools.get("b")).toEqual({ name: "b", inputSchema: obj, pointer: [1] });
  });

  test("OpenAI Chat Completions {type: function, function: {...}}", () => {
    const tools = extractTools("mcp-tool-manifest", [
      { type: "function", function: { name: "get_weather", description: "Weather", parameters: obj } },
    ]);
    expect(tools.get("get_weather")).toEqual({
      name: "get_weather",
      description: "Weather",
      inputSchema: obj,
      pointer: [0],
    });
  });

  test("duplicate names keep every tool; odd entries and types are skipped, never thrown on", () => {
    const tools = extractTools("mcp-tool-manifest", [
      { name: "x", inputSchema: {} },
      { name: "x", inputSchema: {} },
      null,
      7,
      { name: 3 },
      { description: "no name" },
      { name: "y", description: 5, annotations: "nope", inputSchema: {} },
    ]);
    expect([...tools.keys()]).toEqual(["x", "x#2", "y"]);
    expect(tools.get("x#2")?.pointer).toEqual([1]);
    expect(tools.get("y")).toEqual({ name: "y", inputSchema: {}, pointer: [6] });
    for (const data of [undefined, null, "text", 5, { tools: "no" }, { tools: [null] }])
      expect(extractTools("mcp-tool-manifest", data).size).toBe(0);
  });

  test("formats without tools declare none", () => {
    expect(extractTools("claude-settings", { tools: [{ name: "x", inputSchema: {} }] }).size).toBe(0);
  });
});

describe("extractTools: other formats", () => {
  test("Prompty v2 tools[] with a parameter list become a JSON Schema", () => {
    const tools = extractTools("prompty", {
      tools: [
        {
          name: "get_weather",
          kind: "function",
          description: "Weather",
          parameters: [
            { name: "location", kind: "string", description: "City", required: true },
            { name: "unit", kind: "string", enum: ["c", "f"] },
          ],
        },
        { name: "api", kind: "openapi" },
      ],
    });
    expect(tools.get("get_weather")).toEqual({
      name: "get_weather",
      description: "Weather",
      pointer: ["tools", 0],
      inputSchema: {
        type: "object",
        properties: {
          location: { type: "string", description: "City" },
          unit: { type: "string", enum: ["c", "f"] },
        },
        required: ["location"],
      },
    });
    expect(tools.get("api")).toEqual({ name: "api", pointer: ["tools", 1] });
  });

  test("Prompty parameters given as {properties: [...]} or as a JSON Schema", () => {
    const listed = extractTools("prompty", {
      tools: [{ name: "t", parameters: { properties: [{ name: "a", kind: "integer" }] } }],
    });
    expect(listed.get("t")?.inputSchema).toEqual({ type: "object", properties: { a: { type: "integer" } } });
    const schema = extractTools("prompty", { tools: [{ name: "t", parameters: obj }] });
    expect(schema.get("t")?.inputSchema).toEqual(obj);
  });

  test("Bedrock agents: FunctionSchema functions, built-in action groups, inline OpenAPI operations", () => {
    const data = {
      Resources: {
        Bucket: { Type: "AWS::S3::Bucket" },
        Agent: {
          Type: "AWS::Bedrock::Agent",
          Properties: {
            ActionGroups: [
              {
                ActionGroupName: "fns",
                FunctionSchema: {
                  Functions: [
                    {
                      Name: "book",
                      Description: "Books a room",
                      RequireConfirmation: "ENABLED",
                      Parameters: {
                        room: { Type: "string", Description: "Room", Required: true },
                        n: { Type: "integer" },
                      },
                    },
                    { Description: "no name" },
                  ],
                },
              },
              { ActionGroupName: "ci", ParentActionGroupSignature: "AMAZON.CodeInterpreter" },
              {
                ActionGroupName: "api",
                ApiSchema: {
                  Payload:
                    "openapi: 3.0.0\npaths:\n  /run:\n    post:\n      operationId: runQuery\n      description: Runs it\n      parameters:\n        - name: limit\n          in: query\n          schema: {type: integer}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                sql: {type: string}\n              required: [sql]\n  /date:\n    get:\n      summary: Today\n",
                },
              },
            ],
          },
        },
      },
    };
    const tools = extractTools("bedrock-cfn", data);
    expect([...tools.keys()]).toEqual(["book", "AMAZON.CodeInterpreter", "runQuery", "GET /date"]);
    const g = ["Resources", "Agent", "Properties", "ActionGroups"];
    expect(tools.get("book")).toEqual({
      name: "book",
      description: "Books a room",
      annotations: { requireConfirmation: true },
      pointer: [...g, 0, "FunctionSchema", "Functions", 0],
      inputSchema: {
        type: "object",
        properties: { room: { type: "string", description: "Room" }, n: { type: "integer" } },
        required: ["room"],
      },
    });
    expect(tools.get("AMAZON.CodeInterpreter")?.pointer).toEqual([...g, 1]);
    expect(tools.get("runQuery")).toEqual({
      name: "runQuery",
      description: "Runs it",
      pointer: [...g, 2, "ApiSchema", "Payload"],
      inputSchema: {
        type: "object",
        properties: { limit: { type: "integer" }, sql: { type: "string" } },
        required: ["sql"],
      },
    });
    expect(tools.get("GET /date")?.description).toBe("Today");
    expect(
      extractTools("bedrock-cfn", {
        Resources: {
          A: {
            Type: "AWS::Bedrock::Agent",
            Properties: { ActionGroups: [{ ApiSchema: { Payload: "{{{" } }] },
          },
        },
      }).size,
    ).toBe(0);
  });

  test("ADK tools[] by name", () => {
    const tools = extractTools("adk-agent-config", {
      tools: [{ name: "google_search" }, { name: "MCPToolset", args: {} }, "load_web_page", { args: {} }],
    });
    expect([...tools.entries()].map(([k, t]) => [k, t.pointer])).toEqual([
      ["google_search", ["tools", 0]],
      ["MCPToolset", ["tools", 1]],
      ["load_web_page", ["tools", 2]],
    ]);
  });

  test("tools come through the file context with their lines", () => {
    const ctx = fileContext({
      path: "tools/mcp.tools.json",
      after:
        '{\n  "tools": [\n    {\n      "name": "run",\n      "inputSchema": {"type": "object"}\n    }\n  ]\n}\n',
    });
    const tool = ctx.after?.model.tools.get("run");
    expect(tool?.pointer).toEqual(["tools", 0]);
    expect(ctx.locate([...(tool?.pointer ?? []), "name"]).line).toBe(4);
  });
});

describe("extractModelSettings", () => {
  test("GitHub Models prompt: model, temperature, max_tokens", () => {
    expect(
      extractModelSettings("github-prompt", {
        model: "openai/gpt-4o",
        modelParameters: { temperature: 0.2, max_tokens: 500 },
      }),
    ).toEqual({
      id: { value: "openai/gpt-4o", pointer: ["model"] },
      temperature: { value: 0.2, pointer: ["modelParameters", "temperature"] },
      maxTokens: { value: 500, pointer: ["modelParameters", "max_tokens"] },
    });
  });

  test("Prompty v1 configuration/parameters and v2 id/options", () => {
    expect(
      extractModelSettings("prompty", {
        model: {
          configuration: { type: "azure_openai", azure_deployment: "gpt-35" },
          parameters: { temperature: 1, max_tokens: 128 },
        },
      }),
    ).toEqual({
      id: { value: "gpt-35", pointer: ["model", "configuration", "azure_deployment"] },
      temperature: { value: 1, pointer: ["model", "parameters", "temperature"] },
      maxTokens: { value: 128, pointer: ["model", "parameters", "max_tokens"] },
    });
    expect(
      extractModelSettings("prompty", {
        model: { id: "gpt-4o", options: { temperature: 0, maxOutputTokens: 64 } },
      }),
    ).toEqual({
      id: { value: "gpt-4o", pointer: ["model", "id"] },
      temperature: { value: 0, pointer: ["model", "options", "temperature"] },
      maxTokens: { value: 64, pointer: ["model", "options", "maxOutputTokens"] },
    });
    expect(extractModelSettings("prompty", { model: "gpt-4o" })).toEqual({
      id: { value: "gpt-4o", pointer: ["model"] },
    });
  });

  test("a plain `model` key: Claude settings and subagents, Codex, ADK", () => {
    for (const f of ["claude-settings", "claude-agent", "codex-config", "adk-agent-config"])
      expect(extractModelSettings(f, { model: "opus" })).toEqual({
        id: { value: "opus", pointer: ["model"] },
      });
  });

  test("CrewAI: the first agent that names an llm", () => {
    expect(
      extractModelSettings("crewai-agents", {
        a: { role: "x" },
        b: { llm: "openai/gpt-4o" },
        c: { llm: "other" },
      }),
    ).toEqual({ id: { value: "openai/gpt-4o", pointer: ["b", "llm"] } });
  });

  test("Semantic Kernel execution_settings.default, else the first service", () => {
    expect(
      extractModelSettings("semantic-kernel", {
        schema: 1,
        execution_settings: {
          other: { temperature: 1 },
          default: { model_id: "gpt-4", temperature: 0.5, max_tokens: 60 },
        },
      }),
    ).toEqual({
      id: { value: "gpt-4", pointer: ["execution_settings", "default", "model_id"] },
      temperature: { value: 0.5, pointer: ["execution_settings", "default", "temperature"] },
      maxTokens: { value: 60, pointer: ["execution_settings", "default", "max_tokens"] },
    });
    expect(
      extractModelSettings("semantic-kernel", { execution_settings: { svc: { temperature: 0.9 } } }),
    ).toEqual({
      temperature: { value: 0.9, pointer: ["execution_settings", "svc", "temperature"] },
    });
  });

  test("AutoGen: the first entry", () => {
    expect(
      extractModelSettings("autogen", [{ model: "gpt-4", temperature: 0 }, { model: "gpt-3.5" }]),
    ).toEqual({
      id: { value: "gpt-4", pointer: [0, "model"] },
      temperature: { value: 0, pointer: [0, "temperature"] },
    });
  });

  test("nothing found, wrong types and unknown formats give undefined", () => {
    expect(extractModelSettings("github-prompt", { messages: [] })).toBeUndefined();
    expect(
      extractModelSettings("github-prompt", { model: 5, modelParameters: { temperature: "hot" } }),
    ).toBeUndefined();
    expect(extractModelSettings("claude-settings", { model: "  " })).toBeUndefined();
    expect(extractModelSettings("autogen", "x")).toBeUndefined();
    expect(extractModelSettings("crewai-agents", null)).toBeUndefined();
    expect(extractModelSettings("mcp-project", { model: "x" })).toBeUndefined();
  });
});

describe("schemas/formats/mcp-tool-manifest.schema.json", () => {
  function validate(text: string) {
    const data = new TextEncoder().encode(text);
    const ev = evaluateChange({
      changes: [
        { path: "agent/tools/search.tools.json", status: "added", after: { size: data.length, data } },
      ],
      policy: defaultPolicy(),
      schemas: builtinSchemas(),
    });
    expect(ev.files.map((f) => f.format)).toEqual(["mcp-tool-manifest"]);
    return ev.validation.map((m) => `${m.severity} ${m.line} ${m.code} ${m.message}`);
  }

  test("MCP, Anthropic and OpenAI tool lists are valid", () => {
    expect(
      validate(
        JSON.stringify({
          tools: [
            {
              name: "search",
              title: "Search",
              description: "d",
              inputSchema: obj,
              outputSchema: { type: "object" },
              annotations: {
                title: "S",
                readOnlyHint: true,
                destructiveHint: false,
                idempotentHint: true,
                openWorldHint: false,
              },
            },
          ],
          nextCursor: "abc",
        }),
      ),
    ).toEqual([]);
    expect(validate(JSON.stringify([{ name: "a", description: "d", input_schema: obj }]))).toEqual([]);
    expect(
      validate(
        JSON.stringify([
          { type: "function", function: { name: "f", description: "d", parameters: obj, strict: true } },
        ]),
      ),
    ).toEqual([]);
  });

  test("unknown keys are warnings; a missing name and wrong types are errors", () => {
    expect(validate('[\n  {"name": "a", "inputSchema": {}, "colour": "red"}\n]')).toEqual([
      expect.stringMatching(/^warning 2 unknown-key unknown key "colour"/),
    ]);
    expect(
      validate('[\n  {"name": "a", "inputSchema": {}, "annotations": {"readOnlyHnt": true}}\n]'),
    ).toEqual([
      expect.stringMatching(/^warning 2 unknown-key unknown key "readOnlyHnt".*did you mean "readOnlyHint"/),
    ]);
    const missing = validate('[\n  {"description": "x", "inputSchema": {}}\n]');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(
      /^error 2 schema .*must be a tool with a `name` \(MCP, Anthropic\) or a `function` object \(OpenAI\)/,
    );
    expect(validate('{"tools": [{"name": "a", "inputSchema": "string"}]}')).toEqual([
      expect.stringMatching(/^error 1 schema .*inputSchema must be an object/),
    ]);
    expect(validate('[{"name": "a", "annotations": {"readOnlyHint": "yes"}}]')).toEqual([
      expect.stringMatching(/^error 1 schema .*readOnlyHint must be true or false, not the string "yes"$/),
    ]);
  });
});
