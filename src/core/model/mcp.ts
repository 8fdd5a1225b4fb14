import type { McpServer } from "./types.js";

/** MCP servers a file declares (every client's root shape), by server key. */
export function extractMcpServers(_formatId: string, _data: unknown): Map<string, McpServer> {
  return new Map();
}
