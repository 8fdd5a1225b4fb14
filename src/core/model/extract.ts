import type { FormatDef } from "../formats/registry.js";
import type { ParsedDocument } from "../parse/document.js";
import { extractMcpServers } from "./mcp.js";
import { extractPermissions } from "./permissions.js";
import { extractTexts } from "./texts.js";
import { extractModelSettings, extractTools } from "./tools.js";
import type { AgentModel } from "./types.js";

/**
 * The semantic model of one side of a file. `data` is what the parser read: the whole value for JSON,
 * YAML and TOML, the front matter for markdown (undefined when there is none or it did not parse).
 */
export function extractModel(format: FormatDef, doc: ParsedDocument, text: string): AgentModel {
  const data = doc.data;
  const permissions = extractPermissions(format.id, data);
  const model = extractModelSettings(format.id, data);
  return {
    mcpServers: extractMcpServers(format.id, data),
    tools: extractTools(format.id, data),
    texts: extractTexts(doc, text),
    ...(permissions ? { permissions } : {}),
    ...(model ? { model } : {}),
  };
}
