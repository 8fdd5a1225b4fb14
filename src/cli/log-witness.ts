/**
 * `verify --witness <file>`: a tree head the auditor kept from an earlier look at the log — a checkpoint note
 * (`checkpoints/NNNNNNNNNNNN.txt` copied at the time) or a previous export's `manifest.json` (its
 * `log.checkpoint`). Its authority is its custody (the auditor's working papers), not a signature: it shows the
 * log was only appended to since, even if whoever holds the signing key re-signed a rewritten log.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CheckpointError, parseCheckpoint } from "../core/changelog/checkpoint.js";
import { EXPORT_FORMAT } from "../core/changelog/export/manifest.js";
import type { Witness } from "../core/changelog/verify-types.js";
import { LogUsageError } from "./log-options.js";

export async function loadWitness(file: string, cwd: string): Promise<Witness> {
  const text = await readFile(resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new LogUsageError(`--witness ${file}: cannot read (${error.code ?? error.message})`);
  });
  if (text.trimStart().startsWith("{")) return fromManifest(file, text);
  try {
    const cp = parseCheckpoint(text);
    return {
      label: file,
      size: cp.size,
      root: cp.root.toString("hex"),
      lastHash: cp.lastHash,
      origin: cp.origin,
    };
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    throw new LogUsageError(
      `--witness ${file}: neither a checkpoint note nor an export manifest (${error.message})`,
    );
  }
}

function fromManifest(file: string, text: string): Witness {
  let manifest: {
    format?: unknown;
    log?: { origin?: unknown; checkpoint?: { size?: unknown; root?: unknown } | null };
  };
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new LogUsageError(`--witness ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (manifest.format !== EXPORT_FORMAT)
    throw new LogUsageError(`--witness ${file}: not an export manifest (format ${EXPORT_FORMAT} expected)`);
  const cp = manifest.log?.checkpoint;
  if (!cp) throw new LogUsageError(`--witness ${file}: the export was made from a log without a checkpoint`);
  if (
    !Number.isSafeInteger(cp.size) ||
    (cp.size as number) < 0 ||
    typeof cp.root !== "string" ||
    !/^[0-9a-f]{64}$/.test(cp.root)
  )
    throw new LogUsageError(`--witness ${file}: log.checkpoint needs an integer size and a 64-hex root`);
  return {
    label: file,
    size: cp.size as number,
    root: cp.root,
    ...(typeof manifest.log?.origin === "string" ? { origin: manifest.log.origin } : {}),
  };
}
