// The shared corpus of real agent configs, for scripts and benchmarks (tests use test/helpers/corpus.ts).
// It lives beside the project (../shared), never inside it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "shared",
  "corpus",
  "real-agent-configs",
);

/** Every corpus file `{format, localFile, repo, path, data}` in manifest order, or undefined when absent. */
export function readCorpus(dir = CORPUS_DIR) {
  const manifest = join(dir, "MANIFEST.tsv");
  if (!existsSync(manifest)) return undefined;
  return readFileSync(manifest, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .slice(1)
    .map((l) => {
      const [format, localFile, repo, path] = l.split("\t");
      return { format, localFile, repo, path, data: new Uint8Array(readFileSync(join(dir, localFile))) };
    });
}
