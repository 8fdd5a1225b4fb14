import { createHash } from "node:crypto";

/** Hex SHA-256 of a string's UTF-8 bytes (descriptions, notes and messages are logged as this, never as text). */
export function sha256OfText(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The baseline hash: SHA-256 over one line `<path>\t<blob sha>\n` per in-scope file at the merge commit, sorted
 * by path in byte order. Reproducible from a clone:
 * `git ls-tree -r --format='%(path)%x09%(objectname)' <merge sha> -- <paths> | LC_ALL=C sort | sha256sum`.
 */
export function baselineSha256(files: readonly { path: string; blob_sha: string }[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return sha256OfText(sorted.map((f) => `${f.path}\t${f.blob_sha}\n`).join(""));
}
