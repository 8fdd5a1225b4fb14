/** SHA-256 helpers for the change log: hex digests and the record hash (RFC 8785 bytes, record_hash excluded). */
import { hash } from "node:crypto";
import { canonicalJson } from "./canonical.js";

/** Hex SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

/**
 * `record_hash`: hex SHA-256 of the RFC 8785 serialisation of the record without its `record_hash` member.
 * A `record_hash` member present on the argument is ignored, so a sealed record can be passed as it is.
 */
export function recordHash(record: Record<string, unknown>): string {
  const { record_hash: _ignored, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}
