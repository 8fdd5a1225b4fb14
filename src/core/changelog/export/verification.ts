import { parseCheckpoint } from "../checkpoint.js";
import { formatVerifyReport } from "../verify-format.js";
import type { VerifyReport } from "../verify-types.js";

/** What an export says about the log it was taken from: the outcome of `verify` over the same log. */
export interface ExportVerification {
  /** Whether verify found every record, chain link, checkpoint and signature valid. */
  valid: boolean;
  /** verify's report as printed (formatVerifyReport), shown in report.html and written as verify-report.txt. */
  text: string;
  /** Records in the whole log (its tree size). */
  logSize: number;
  /** The log's origin line (`cc8.<host>/<org>/<log-id>`), when known. */
  origin?: string;
  /** The newest checkpoint the log was verified against; absent when the log has none. */
  checkpoint?: { size: number; root: string; path?: string; time?: string };
}

/**
 * The export's view of a verify run. `newestCheckpoint` is the text of the newest valid checkpoint note (the
 * caller reads `checkpoints/…` named by the report); its root is what the manifest cites. Without it, the root
 * is the log's own root when every record is attested, and the checkpoint is otherwise reported without a root.
 */
export function exportVerification(report: VerifyReport, newestCheckpoint?: string): ExportVerification {
  const valid = report.checkpoints.filter((c) => c.status === "valid").sort((a, b) => a.size - b.size);
  const newest = valid.at(-1);
  let checkpoint: ExportVerification["checkpoint"];
  if (newest) {
    let root = newest.size === report.totals.tree_size ? report.totals.root : "";
    if (newestCheckpoint !== undefined) {
      const parsed = parseCheckpoint(newestCheckpoint);
      if (parsed.size !== newest.size) {
        throw new Error(
          `checkpoint text has size ${parsed.size}, the newest valid checkpoint ${newest.size}`,
        );
      }
      root = parsed.root.toString("hex");
    }
    checkpoint = {
      size: newest.size,
      root,
      path: newest.path,
      ...(newest.time ? { time: newest.time } : {}),
    };
  }
  return {
    valid: report.ok,
    text: formatVerifyReport(report),
    logSize: report.totals.tree_size,
    ...(report.origin ? { origin: report.origin } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  };
}
