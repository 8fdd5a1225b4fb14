import { describe, expect, test } from "@jest/globals";
import type { ToolDef } from "../../../../../src/core/model/types.js";
import { classifyTool, tool001 } from "../../../../../src/core/risk/rules/tools/tool-001.js";
import { check } from "../../../../helpers/risk.js";

const PATH = "agent/tools/main.tools.json";
const manifest = (tools: unknown[]) => `${JSON.stringify({ tools }, null, 2)}\n`;
/** 1-based line of the first line containing `needle`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const schema = (...props: string[]) => ({
  type: "object",
  properties: Object.fromEntries(props.map((p) => [p, { type: "string" }])),
});
const classes = (tool: Partial<ToolDef> & { name: string }) => classifyTool({ pointer: [], ...tool }).classes;

describe("TOOL-001 classification", () => {
  test.each([
    ["run_command", "exec"],
    ["execute_shell", "exec"],
    ["bash", "exec"],
    ["terminal", "exec"],
    ["eval", "exec"],
    ["runPython", "exec"],
    ["AMAZON.CodeInterpreter", "exec"],
    ["create_payment", "payments"],
    ["refund", "payments"],
    ["transfer_funds", "payments"],
    ["charge_card", "payments"],
    ["write_file", "file-write"],
    ["delete_file", "file-write"],
    ["create_directory", "file-write"],
    ["move_file", "file-write"],
    ["execute_sql", "database-write"],
    ["runSQLQuery", "database-write"],
    ["insert_rows", "database-write"],
    ["execute_query", "database-write"],
    ["write_query", "database-write"],
    ["create_table", "database-write"],
    ["send_email", "messaging"],
    ["slack_post_message", "messaging"],
    ["notify_user", "messaging"],
    ["fetch", "network"],
    ["http_request", "network"],
    ["fetch_url", "network"],
    ["browse_web", "network"],
    ["google_search", "network"],
    ["get_secret", "secrets"],
    ["read_credentials", "secrets"],
    ["get_access_token", "secrets"],
    ["vault_read", "secrets"],
  ])("name %s is %s", (name, cls) => {
    expect(classes({ name })).toContain(cls);
  });

  test.each([
    "get_weather",
    "search_docs",
    "read_file",
    "list_files",
    "list_emails",
    "read_message",
    "get_invoice",
    "get_payment_status",
    "count_tokens",
    "get_token_price",
    "update_issue",
    "create_issue",
    "query_docs",
    "calculator",
    "summarize",
    "translate_text",
    "MCPToolset",
    "secretary_schedule",
    "send_request_review",
  ])("name %s is in no class", (name) => {
    expect(classes({ name })).toEqual([]);
  });

  test("parameters and descriptions count as evidence; near-miss parameters do not", () => {
    expect(classes({ name: "invoke", inputSchema: schema("command") })).toEqual(["exec"]);
    expect(classes({ name: "tool", inputSchema: schema("sql") })).toEqual(["database-write"]);
    expect(classes({ name: "deliver", inputSchema: schema("to", "subject", "body") })).toEqual(["messaging"]);
    expect(classes({ name: "get", inputSchema: schema("url") })).toEqual(["network"]);
    expect(classes({ name: "puppeteer_navigate", inputSchema: schema("url") })).toEqual(["network"]);
    expect(classes({ name: "puppeteer_evaluate", inputSchema: schema("script") })).toEqual(["exec"]);
    expect(
      classes({
        name: "mutate",
        description: "Execute an INSERT, UPDATE, or DELETE query on the SQLite database",
      }),
    ).toEqual(["database-write"]);
    expect(classes({ name: "helper", description: "Runs a shell command on the host." })).toEqual(["exec"]);
    expect(classes({ name: "helper", description: "Fetches the content of any URL." })).toEqual(["network"]);
    expect(classes({ name: "helper", description: "Sends an email to the given address." })).toEqual([
      "messaging",
    ]);
    expect(classes({ name: "helper", description: "Returns the stored API keys." })).toEqual(["secrets"]);
    // Look-alikes: a country code, a search query, a create_bookmark that stores a URL, an email lookup.
    expect(classes({ name: "lookup", inputSchema: schema("country_code", "query") })).toEqual([]);
    expect(classes({ name: "create_bookmark", inputSchema: schema("url", "title") })).toEqual([]);
    expect(classes({ name: "find_user", inputSchema: schema("email") })).toEqual([]);
    expect(classes({ name: "helper", description: "Returns the weather. Run it once per city." })).toEqual(
      [],
    );
  });

  test("readOnlyHint exempts acting classes, not secret reading or open-world fetching", () => {
    const sqlRead = {
      name: "inspect_table",
      description: "Executes a SQL query against the analytics database.",
    };
    expect(classes(sqlRead)).toEqual(["database-write"]);
    expect(classes({ ...sqlRead, annotations: { readOnlyHint: true } })).toEqual([]);
    // A write word in the name beats the hint.
    expect(classes({ name: "delete_file", annotations: { readOnlyHint: true } })).toEqual(["file-write"]);
    expect(classes({ name: "get_secret", annotations: { readOnlyHint: true } })).toEqual(["secrets"]);
    expect(classes({ name: "fetch", annotations: { readOnlyHint: true, openWorldHint: true } })).toEqual([
      "network",
    ]);
    expect(classes({ name: "fetch", annotations: { readOnlyHint: true, openWorldHint: false } })).toEqual([]);
  });

  test("odd input never throws", () => {
    expect(classes({ name: "", inputSchema: "x", annotations: {}, description: "" })).toEqual([]);
    expect(classes({ name: "x".repeat(100_000), inputSchema: { properties: { a: null, b: 5 } } })).toEqual(
      [],
    );
    const long = `${"run ".repeat(20_000)}x`;
    expect(classes({ name: "helper", description: long })).toEqual([]);
  });
});

describe("TOOL-001 on changes", () => {
  const weather = { name: "get_weather", description: "Weather for a city", inputSchema: schema("city") };
  const shell = { name: "run_command", description: "Run a command", inputSchema: schema("command") };
  const mail = { name: "send_email", description: "Send mail", inputSchema: schema("to", "subject", "body") };

  test("an added manifest is judged in full: class, severity and line of each risky tool", () => {
    const text = manifest([weather, shell, mail]);
    const f = check(tool001, { path: PATH, after: text });
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [lineOf(text, '"name": "run_command"'), "high"],
      [lineOf(text, '"name": "send_email"'), "medium"],
    ]);
    expect(f[0]?.message).toMatch(
      /^new tool "run_command" gives the agent shell\/code execution \(name "run_command"; parameter "command"; description "…run a command…"\)\. /,
    );
    expect(f[1]?.message).toMatch(
      /sending e-mail\/messages \(name "send_email"; parameters "to" and "subject"\)/,
    );
  });

  test("a modified manifest reports only the tool it adds, at its head line", () => {
    const before = manifest([weather, mail]);
    const after = manifest([weather, shell, mail]);
    const f = check(tool001, { path: PATH, before, after });
    expect(f).toHaveLength(1);
    expect(f[0]?.line).toBe(lineOf(after, '"name": "run_command"'));
    expect(f[0]?.severity).toBe("high");
  });

  test("self-diff, an unrelated edit and a removal give nothing", () => {
    const text = manifest([shell, mail]);
    expect(check(tool001, { path: PATH, before: text, after: text })).toEqual([]);
    const edited = manifest([{ ...shell, description: "Run a command in the sandbox" }, mail]);
    expect(check(tool001, { path: PATH, before: text, after: edited })).toEqual([]);
    expect(check(tool001, { path: PATH, before: text })).toEqual([]);
  });

  test("a safe new tool is not reported", () => {
    expect(
      check(tool001, { path: PATH, before: manifest([shell]), after: manifest([shell, weather]) }),
    ).toEqual([]);
  });

  test("OpenAI function definitions and a payments tool", () => {
    const text = `${JSON.stringify([{ type: "function", function: { name: "refund_order", parameters: schema("order_id", "amount") } }], null, 2)}\n`;
    const f = check(tool001, { path: PATH, after: text });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[lineOf(text, '"name": "refund_order"'), "high"]]);
    expect(f[0]?.message).toContain("payments");
  });

  test("Bedrock built-in code interpreter and ADK tools", () => {
    const cfn = [
      "Resources:",
      "  Agent:",
      "    Type: AWS::Bedrock::Agent",
      "    Properties:",
      "      AgentName: a",
      "      ActionGroups:",
      "        - ActionGroupName: code",
      "          ParentActionGroupSignature: AMAZON.CodeInterpreter",
      "",
    ].join("\n");
    const f = check(tool001, { path: "infra/agent.yaml", format: "bedrock-cfn", after: cfn });
    expect(f.map((x) => [x.line, x.severity])).toEqual([[7, "high"]]);
    const adk = "name: a\nmodel: gemini-2.0-flash\ntools:\n  - name: google_search\n  - name: exit_loop\n";
    const g = check(tool001, { path: "agents/root_agent.yaml", after: adk });
    expect(g.map((x) => [x.line, x.severity])).toEqual([[4, "medium"]]);
    expect(g[0]?.message).toContain("network fetch");
  });

  test("an invisible character in a tool name is shown escaped", () => {
    const f = check(tool001, {
      path: PATH,
      after: manifest([{ name: "run\u200b_command", inputSchema: schema("command") }]),
    });
    expect(f[0]?.message).toContain('new tool "run⟨U+200B⟩_command"');
  });
});
