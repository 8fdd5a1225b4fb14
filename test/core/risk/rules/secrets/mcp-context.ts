import type { McpServer } from "../../../../../src/core/model/types.js";
import type { FileContext, Side } from "../../../../../src/core/risk/types.js";
import { fileContext } from "../../../../helpers/risk.js";

/**
 * `fileContext` for MCP configs. While the real extractor (src/core/model/mcp.ts) yields no servers for a
 * side whose data has a `mcpServers`/`servers`/`mcp_servers` object, the servers are filled in here from
 * the parsed data, the way that extractor models them; once it does, its output is used unchanged.
 */
export function mcpContext(opts: Parameters<typeof fileContext>[0]): FileContext {
  const ctx = fileContext(opts);
  fill(ctx.before);
  fill(ctx.after);
  return ctx;
}

function fill(side: Side | undefined): void {
  if (!side || side.model.mcpServers.size > 0) return;
  const data = side.doc.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== "object") return;
  for (const key of ["mcpServers", "servers", "mcp_servers"]) {
    const group = data[key];
    if (!group || typeof group !== "object" || Array.isArray(group)) continue;
    for (const [name, raw] of Object.entries(group as Record<string, unknown>)) {
      if (!raw || typeof raw !== "object") continue;
      const s = raw as Record<string, unknown>;
      const strings = (v: unknown) =>
        new Map(
          Object.entries(v && typeof v === "object" ? (v as Record<string, unknown>) : {}).filter(
            (e): e is [string, string] => typeof e[1] === "string",
          ),
        );
      const server: McpServer = {
        key: name,
        pointer: [key, name],
        transport: typeof s.url === "string" ? "http" : "stdio",
        args: Array.isArray(s.args) ? s.args.filter((a): a is string => typeof a === "string") : [],
        env: strings(s.env),
        headers: strings(s.headers ?? s.http_headers),
        autoApprove: [],
        ...(typeof s.command === "string" ? { command: s.command } : {}),
        ...(typeof s.url === "string" ? { url: s.url } : {}),
      };
      side.model.mcpServers.set(name, server);
    }
  }
}
