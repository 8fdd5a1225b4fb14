import type { Permissions } from "./types.js";

/** Permission settings a file declares, or undefined when the format carries none. */
export function extractPermissions(_formatId: string, _data: unknown): Permissions | undefined {
  return undefined;
}
