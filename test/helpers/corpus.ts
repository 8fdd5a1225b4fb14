import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The shared corpus of real agent configs: it ships beside the project (`../shared`), never inside it, so
 * every test that reads it skips where it is absent (a user's clone).
 */
export const CORPUS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "shared",
  "corpus",
  "real-agent-configs",
);
export const CORPUS_MANIFEST = join(CORPUS_DIR, "MANIFEST.tsv");
export const CORPUS_PRESENT = existsSync(CORPUS_MANIFEST);

/** One MANIFEST.tsv row: the format (= folder), the local file, and where it lived upstream. */
export interface CorpusRow {
  format: string;
  localFile: string;
  repo: string;
  /** The file's path in its repository: what classification sees. */
  path: string;
}

let rows: CorpusRow[] | undefined;

/** Every corpus file, in manifest order (empty when the corpus is absent). */
export function corpusRows(): CorpusRow[] {
  if (!CORPUS_PRESENT) return [];
  rows ??= readFileSync(CORPUS_MANIFEST, "utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [format = "", localFile = "", repo = "", path = ""] = l.split("\t");
      return { format, localFile, repo, path };
    });
  return rows;
}

export function corpusBytes(row: CorpusRow): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, row.localFile)));
}

export function corpusText(row: CorpusRow): string {
  return readFileSync(join(CORPUS_DIR, row.localFile), "utf8");
}
