/**
 * manifest.json: what an auditor needs to treat the export as information produced by the entity (IPE) — the
 * SHA-256 and size of every exported file, the query exactly as given and the window it was resolved to, when
 * and by which tool it was generated, and the log (size, newest checkpoint root) it was verified against.
 */
import { sha256Hex } from "../hash.js";
import { LIST_SEPARATOR } from "./csv.js";
import { CSV_FORMULA_PREFIX, CSV_FORMULA_TRIGGERS } from "./csv-format.js";
import { type ExportQuery, timeWindow } from "./select.js";
import type { ExportVerification } from "./verification.js";

export const EXPORT_FORMAT = "cc8-export/1";
export const MANIFEST_NAME = "manifest.json";

/** One exported file as the manifest lists it: its size and SHA-256 (hex) as written. */
export interface FileDigest {
  name: string;
  bytes: number;
  sha256: string;
}

export interface ManifestInput extends ManifestMeta {
  /** Exported files by name (manifest.json itself excluded), as the exact text written (UTF-8). */
  files: Readonly<Record<string, string>>;
}

/** Everything the manifest says besides the files. */
export interface ManifestMeta {
  query: ExportQuery;
  generatedAt: string;
  tool: { name: string; version: string };
  verification: ExportVerification;
  counts: { records: number; changes: number; exceptions: number };
  bom: boolean;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

export function manifestJson(input: ManifestInput): string {
  const { files, ...meta } = input;
  return manifestFromDigests(
    meta,
    Object.keys(files).map((name) => {
      const bytes = Buffer.from(files[name]!, "utf8");
      return { name, bytes: bytes.length, sha256: sha256Hex(bytes) };
    }),
  );
}

/** The manifest of files already written and hashed (by a streaming export); listed by name. */
export function manifestFromDigests(input: ManifestMeta, digests: readonly FileDigest[]): string {
  const window = timeWindow(input.query);
  const v = input.verification;
  const manifest = {
    format: EXPORT_FORMAT,
    generated_at: input.generatedAt,
    tool: { name: input.tool.name, version: input.tool.version },
    query: {
      since: input.query.since ?? null,
      until: input.query.until ?? null,
      repository: input.query.repository ?? null,
      window: { from: iso(window.from), to: iso(window.to), inclusive: true },
      time_field:
        "merged_at for change.merged, pushed_at for change.direct_push, recorded_at for other records",
    },
    log: {
      origin: v.origin ?? null,
      size: v.logSize,
      verified: v.valid,
      checkpoint: v.checkpoint
        ? {
            size: v.checkpoint.size,
            root: v.checkpoint.root,
            path: v.checkpoint.path ?? null,
            time: v.checkpoint.time ?? null,
          }
        : null,
    },
    counts: input.counts,
    csv: {
      encoding: "UTF-8",
      bom: input.bom,
      line_ending: "CRLF",
      quoting: "RFC 4180",
      formula_prefix: CSV_FORMULA_PREFIX,
      formula_triggers: [...CSV_FORMULA_TRIGGERS],
      list_separator: LIST_SEPARATOR,
    },
    files: digests
      .filter((f) => f.name !== MANIFEST_NAME)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
