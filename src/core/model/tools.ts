import type { ModelSettings, ToolDef } from "./types.js";

/** Tool definitions a file declares, by tool name. */
export function extractTools(_formatId: string, _data: unknown): Map<string, ToolDef> {
  return new Map();
}

/** Model choice and sampling settings. */
export function extractModelSettings(_formatId: string, _data: unknown): ModelSettings | undefined {
  return undefined;
}
