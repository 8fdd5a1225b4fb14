import { isRecord as isObject, type PointerSegment, stringValue as str, valueAt } from "../parse/document.js";
import { parseYaml } from "../parse/yaml.js";
import type { ModelSettings, ToolDef } from "./types.js";

type Obj = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Tools read from one file at most; a file with more is a data dump, not a tool list an agent loads. */
const MAX_TOOLS = 2000;
/** Largest inline OpenAPI payload (Bedrock `ApiSchema.Payload`) read for operations. */
const MAX_PAYLOAD_CHARS = 64 * 1024;

/**
 * Tool definitions a file declares, by tool name. Every `inputSchema` is a JSON Schema object
 * (`{type: "object", properties, required}`): formats that list parameters differently (Prompty v2
 * parameter lists, Bedrock function parameters, OpenAPI operations) are converted. A name that occurs
 * twice keeps the first entry under its name and later ones under `name#2`, `name#3`…; the pointer is the
 * tool's own object.
 */
export function extractTools(formatId: string, data: unknown): Map<string, ToolDef> {
  const out = new Map<string, ToolDef>();
  try {
    switch (formatId) {
      case "mcp-tool-manifest":
        manifestTools(data, out);
        break;
      case "prompty":
        promptyTools(data, out);
        break;
      case "bedrock-cfn":
        bedrockTools(data, out);
        break;
      case "adk-agent-config":
        adkTools(data, out);
        break;
    }
  } catch {
    // An extractor never fails a check: odd shapes simply declare no (more) tools.
  }
  return out;
}

function add(out: Map<string, ToolDef>, tool: ToolDef): void {
  if (out.size >= MAX_TOOLS || tool.name === "") return;
  let key = tool.name;
  for (let n = 2; out.has(key); n++) key = `${tool.name}#${n}`;
  out.set(key, tool);
}

function def(
  name: string,
  pointer: PointerSegment[],
  description: unknown,
  inputSchema: unknown,
  annotations?: unknown,
): ToolDef {
  const tool: ToolDef = { name, pointer };
  const d = str(description);
  if (d !== undefined) tool.description = d;
  if (inputSchema !== undefined) tool.inputSchema = inputSchema;
  if (isObject(annotations)) tool.annotations = annotations;
  return tool;
}

// --- MCP tools/list, Anthropic and OpenAI function definitions ---------------------------------------

function manifestTools(data: unknown, out: Map<string, ToolDef>): void {
  const list = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.tools) ? data.tools : [];
  const base: PointerSegment[] = Array.isArray(data) ? [] : ["tools"];
  list.forEach((t, i) => {
    if (!isObject(t)) return;
    const pointer = [...base, i];
    // OpenAI Chat Completions: {type: "function", function: {name, description, parameters}}.
    if (isObject(t.function) && typeof t.function.name === "string") {
      const f = t.function;
      add(out, def(f.name as string, pointer, f.description, f.parameters, t.annotations));
      return;
    }
    const name = str(t.name);
    if (name === undefined) return;
    // MCP `inputSchema`, Anthropic `input_schema`, OpenAI Responses / flat `parameters`.
    const schema = t.inputSchema ?? t.input_schema ?? t.parameters;
    add(out, def(name, pointer, t.description, schema, t.annotations));
  });
}

// --- Prompty v2 front matter `tools[]` ---------------------------------------------------------------

function promptyTools(data: unknown, out: Map<string, ToolDef>): void {
  if (!isObject(data) || !Array.isArray(data.tools)) return;
  data.tools.forEach((t, i) => {
    if (!isObject(t)) return;
    const name = str(t.name);
    if (name === undefined) return;
    add(out, def(name, ["tools", i], t.description, promptyParameters(t.parameters)));
  });
}

/**
 * Prompty v2 parameters: a list of `{name, kind, description, required, enum, default}`, an object whose
 * `properties` is such a list, or already a JSON Schema.
 */
function promptyParameters(p: unknown): unknown {
  const list = Array.isArray(p) ? p : isObject(p) && Array.isArray(p.properties) ? p.properties : undefined;
  if (!list) return p;
  const properties: Obj = {};
  const required: string[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== "string") continue;
    const { name, kind, type, required: req, ...rest } = item;
    const prop: Obj = { ...rest };
    const t = str(kind) ?? str(type);
    if (t !== undefined) prop.type = t;
    properties[name as string] = prop;
    if (req === true) required.push(name as string);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

// --- Amazon Bedrock agents in CloudFormation / SAM ---------------------------------------------------

function bedrockTools(data: unknown, out: Map<string, ToolDef>): void {
  if (!isObject(data) || !isObject(data.Resources)) return;
  for (const [rid, r] of Object.entries(data.Resources)) {
    if (!isObject(r) || r.Type !== "AWS::Bedrock::Agent" || !isObject(r.Properties)) continue;
    const groups = r.Properties.ActionGroups;
    if (!Array.isArray(groups)) continue;
    groups.forEach((g, gi) => {
      if (!isObject(g)) return;
      const gp: PointerSegment[] = ["Resources", rid, "Properties", "ActionGroups", gi];
      // Built-in action groups (AMAZON.CodeInterpreter, AMAZON.UserInput) are tools by their signature.
      const signature = str(g.ParentActionGroupSignature);
      if (signature !== undefined) {
        add(out, def(signature, gp, g.Description, undefined));
      }
      const fs = isObject(g.FunctionSchema) ? g.FunctionSchema.Functions : undefined;
      if (Array.isArray(fs)) {
        fs.forEach((f, fi) => {
          if (!isObject(f) || typeof f.Name !== "string") return;
          const annotations =
            typeof f.RequireConfirmation === "string"
              ? { requireConfirmation: f.RequireConfirmation === "ENABLED" }
              : undefined;
          add(
            out,
            def(
              f.Name,
              [...gp, "FunctionSchema", "Functions", fi],
              f.Description,
              bedrockParameters(f.Parameters),
              annotations,
            ),
          );
        });
      }
      const payload = isObject(g.ApiSchema) ? str(g.ApiSchema.Payload) : undefined;
      if (payload !== undefined) openApiTools(payload, [...gp, "ApiSchema", "Payload"], out);
    });
  }
}

/** Bedrock function parameters: `{name: {Type, Description, Required}}`. */
function bedrockParameters(p: unknown): unknown {
  if (!isObject(p)) return undefined;
  const properties: Obj = {};
  const required: string[] = [];
  for (const [name, v] of Object.entries(p)) {
    if (!isObject(v)) continue;
    const prop: Obj = {};
    if (typeof v.Type === "string") prop.type = v.Type;
    if (typeof v.Description === "string") prop.description = v.Description;
    properties[name] = prop;
    if (v.Required === true) required.push(name);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/** Operations of an inline OpenAPI document (JSON or YAML text): one tool per operation. */
function openApiTools(payload: string, pointer: PointerSegment[], out: Map<string, ToolDef>): void {
  if (payload.length > MAX_PAYLOAD_CHARS) return;
  const doc = parseYaml(payload).data;
  if (!isObject(doc) || !isObject(doc.paths)) return;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const name = str(op.operationId) ?? `${method.toUpperCase()} ${path}`;
      const description = str(op.description) ?? str(op.summary);
      add(out, def(name, pointer, description, operationSchema(op, item)));
    }
  }
}

/** An operation's inputs as one object schema: its parameters plus a JSON request body's properties. */
function operationSchema(op: Obj, item: Obj): unknown {
  const properties: Obj = {};
  const required: string[] = [];
  const params = [
    ...(Array.isArray(item.parameters) ? item.parameters : []),
    ...(Array.isArray(op.parameters) ? op.parameters : []),
  ];
  for (const p of params) {
    if (!isObject(p) || typeof p.name !== "string") continue;
    properties[p.name] = isObject(p.schema)
      ? { ...p.schema, ...(typeof p.description === "string" ? { description: p.description } : {}) }
      : {};
    if (p.required === true) required.push(p.name);
  }
  const body =
    isObject(op.requestBody) && isObject(op.requestBody.content) ? op.requestBody.content : undefined;
  const json = body
    ? (Object.entries(body).find(([type]) => type.includes("json"))?.[1] ?? undefined)
    : undefined;
  const schema = isObject(json) && isObject(json.schema) ? json.schema : undefined;
  if (schema && isObject(schema.properties)) {
    Object.assign(properties, schema.properties);
    if (Array.isArray(schema.required))
      required.push(...schema.required.filter((r) => typeof r === "string"));
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

// --- Google ADK agent config `tools[]` ---------------------------------------------------------------

function adkTools(data: unknown, out: Map<string, ToolDef>): void {
  if (!isObject(data) || !Array.isArray(data.tools)) return;
  data.tools.forEach((t, i) => {
    // ADK also accepts a bare tool name string in some samples.
    const name = typeof t === "string" ? t : isObject(t) ? str(t.name) : undefined;
    if (name === undefined) return;
    add(out, def(name, ["tools", i], undefined, undefined));
  });
}

// --- Model settings ----------------------------------------------------------------------------------

/** Model choice and sampling settings, each with the pointer it was read from. */
export function extractModelSettings(formatId: string, data: unknown): ModelSettings | undefined {
  try {
    const m = modelSettings(formatId, data);
    return m && (m.id || m.temperature || m.maxTokens) ? m : undefined;
  } catch {
    return undefined;
  }
}

class Settings {
  readonly m: ModelSettings = {};
  constructor(private readonly data: unknown) {}

  /** The value at a pointer below the data, if any. */
  at(pointer: readonly PointerSegment[]): unknown {
    return valueAt(this.data, pointer);
  }

  /** Sets the first of these pointers that holds a non-empty string as the model id. */
  id(...pointers: PointerSegment[][]): this {
    for (const p of pointers) {
      const v = this.at(p);
      if (this.m.id === undefined && typeof v === "string" && v.trim() !== "")
        this.m.id = { value: v, pointer: p };
    }
    return this;
  }

  temperature(...pointers: PointerSegment[][]): this {
    for (const p of pointers) {
      const v = num(this.at(p));
      if (this.m.temperature === undefined && v !== undefined) this.m.temperature = { value: v, pointer: p };
    }
    return this;
  }

  maxTokens(...pointers: PointerSegment[][]): this {
    for (const p of pointers) {
      const v = num(this.at(p));
      if (this.m.maxTokens === undefined && v !== undefined) this.m.maxTokens = { value: v, pointer: p };
    }
    return this;
  }
}

function modelSettings(formatId: string, data: unknown): ModelSettings | undefined {
  const s = new Settings(data);
  switch (formatId) {
    case "github-prompt":
      s.id(["model"])
        .temperature(["modelParameters", "temperature"])
        .maxTokens(["modelParameters", "max_tokens"], ["modelParameters", "max_completion_tokens"]);
      break;
    case "prompty":
      // v2: model.id, model.options{temperature, maxOutputTokens}; v1: model.configuration{model,
      // azure_deployment, name}, model.parameters{temperature, max_tokens}; `model` may also be a plain id.
      s.id(
        ["model"],
        ["model", "id"],
        ["model", "configuration", "model"],
        ["model", "configuration", "azure_deployment"],
        ["model", "configuration", "name"],
      )
        .temperature(["model", "options", "temperature"], ["model", "parameters", "temperature"])
        .maxTokens(
          ["model", "options", "maxOutputTokens"],
          ["model", "options", "max_tokens"],
          ["model", "parameters", "max_tokens"],
        );
      break;
    case "claude-settings":
    case "claude-agent":
    case "claude-command":
    case "claude-skill":
    case "codex-config":
    case "adk-agent-config":
    case "copilot-prompt":
    case "copilot-agent":
    case "copilot-chatmode":
      s.id(["model"]);
      break;
    case "crewai-agents": {
      // The first agent that names an llm (CrewAI agents each pick their own).
      if (!isObject(data)) return undefined;
      for (const [key, agent] of Object.entries(data)) {
        if (isObject(agent) && typeof agent.llm === "string") {
          s.id([key, "llm"]);
          break;
        }
      }
      break;
    }
    case "semantic-kernel": {
      if (!isObject(data) || !isObject(data.execution_settings)) return undefined;
      const services = data.execution_settings;
      const key = "default" in services ? "default" : Object.keys(services)[0];
      if (key === undefined) return undefined;
      const at = ["execution_settings", key];
      s.id([...at, "model_id"], [...at, "ai_model_id"], [...at, "model"])
        .temperature([...at, "temperature"])
        .maxTokens([...at, "max_tokens"], [...at, "max_completion_tokens"]);
      break;
    }
    case "autogen":
      s.id([0, "model"]).temperature([0, "temperature"]).maxTokens([0, "max_tokens"]);
      break;
    default:
      return undefined;
  }
  return s.m;
}
