/** `export`: verify the log, select a period, write the auditor's files (population, exceptions, records, report). */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { buildExport, EXPORT_FILES } from "../core/changelog/export/bundle.js";
import { logEntries } from "../core/changelog/export/entries.js";
import type { LogEntry } from "../core/changelog/export/select.js";
import { exportVerification } from "../core/changelog/export/verification.js";
import { type LogSource, verifyLog } from "../core/changelog/verify.js";
import { TOOL } from "../version.js";
import { LogUsageError, parseWindow } from "./log-options.js";

export interface ExportOptions {
  since: string;
  until: string;
  repository?: string;
  bom?: boolean;
  out: string;
}

export interface ExportOutcome {
  verified: boolean;
  /** What to print: the files written with their counts. */
  summary: string;
}

export async function runExport(
  source: LogSource,
  opts: ExportOptions,
  cwd: string,
  now: Date,
): Promise<ExportOutcome> {
  const window = parseWindow(opts.since, opts.until);
  if (opts.out === "") throw new LogUsageError("--out needs a directory (got an empty string)");
  const report = await verifyLog(source, { since: window.from, until: window.to });
  const newest = report.checkpoints
    .filter((c) => c.status === "valid")
    .sort((a, b) => a.size - b.size)
    .at(-1);
  const verification = exportVerification(report, newest ? await source.readText(newest.path) : undefined);
  const log: LogEntry[] = [];
  for await (const entry of logEntries(source)) log.push(entry);
  const files = buildExport({
    log,
    query: {
      since: opts.since,
      until: opts.until,
      ...(opts.repository !== undefined ? { repository: opts.repository } : {}),
    },
    verification,
    generatedAt: now.toISOString().replace(/\.[0-9]{3}Z$/, "Z"),
    tool: TOOL,
    bom: opts.bom ?? false,
  });
  const outDir = resolve(cwd, opts.out);
  try {
    await mkdir(outDir, { recursive: true });
    for (const name of EXPORT_FILES) await writeFile(join(outDir, name), files[name], "utf8");
  } catch (error) {
    throw new LogUsageError(`--out ${opts.out}: cannot write the export (${(error as Error).message})`);
  }
  const manifest = JSON.parse(files["manifest.json"]) as {
    counts: { records: number; changes: number; exceptions: number };
  };
  const c = manifest.counts;
  const lines = [
    `Exported ${opts.since} to ${opts.until}${opts.repository !== undefined ? ` (repositories ${opts.repository})` : ""} into ${opts.out}:`,
    `  ${c.records} record${c.records === 1 ? "" : "s"}, ${c.changes} change${c.changes === 1 ? "" : "s"}, ${c.exceptions} exception${c.exceptions === 1 ? "" : "s"}`,
    ...EXPORT_FILES.map((name) => `  ${name.padEnd(18)} ${Buffer.byteLength(files[name], "utf8")} bytes`),
    report.ok
      ? `Log verified: valid (tree size ${report.totals.tree_size}${verification.checkpoint ? `, checkpoint ${verification.checkpoint.size}` : ", no checkpoint"})`
      : `Log verification FAILED: ${report.first_failure ? describeFailure(report.first_failure) : "see verify-report.txt"}; the export is marked unverified`,
  ];
  return { verified: report.ok, summary: `${lines.join("\n")}\n` };
}

function describeFailure(f: { path: string; reason: string; line?: number; seq?: number }): string {
  return f.line !== undefined
    ? `${f.reason} at ${f.path} line ${f.line} (seq ${f.seq})`
    : `${f.reason} at ${f.path}`;
}
