/**
 * `export`: verify the log, select a period, write the auditor's files (population, exceptions, records, report).
 * Streams: after verify the log is read twice (core/changelog/export/stream.ts; the second time only the record
 * files that hold records of the period) and each file is written and hashed as it grows, so memory stays flat
 * whatever the log's size.
 */
import { createHash, type Hash } from "node:crypto";
import { type FileHandle, mkdir, open } from "node:fs/promises";
import { join, resolve } from "node:path";
import { EXPORT_FILES } from "../core/changelog/export/bundle.js";
import { fileEntries } from "../core/changelog/export/entries.js";
import { type FileDigest, MANIFEST_NAME } from "../core/changelog/export/manifest.js";
import type { LogEntry } from "../core/changelog/export/select.js";
import {
  type ExportChunks,
  ExportIndex,
  ExportWriter,
  STREAMED_FILES,
  type StreamedFile,
} from "../core/changelog/export/stream.js";
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
  const index = new ExportIndex({
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
  // First reading: every file. The second reads only the files that hold selected records.
  const selectedIn: string[] = [];
  for (const path of await source.listRecordFiles()) {
    const before = index.tally.records;
    for await (const entry of fileEntries(source, path)) index.add(entry);
    if (index.tally.records > before) selectedIn.push(path);
  }
  const writer = new ExportWriter(index);
  const outDir = resolve(cwd, opts.out);
  const digests = await writeFiles(outDir, writer, () => entriesOf(source, selectedIn), opts.out);
  const bytes = new Map(digests.map((d) => [d.name, d.bytes]));
  const c = writer.manifestMeta().counts;
  const lines = [
    `Exported ${opts.since} to ${opts.until}${opts.repository !== undefined ? ` (repositories ${opts.repository})` : ""} into ${opts.out}:`,
    `  ${c.records} record${c.records === 1 ? "" : "s"}, ${c.changes} change${c.changes === 1 ? "" : "s"}, ${c.exceptions} exception${c.exceptions === 1 ? "" : "s"}`,
    ...EXPORT_FILES.map((name) => `  ${name.padEnd(18)} ${bytes.get(name)} bytes`),
    report.ok
      ? `Log verified: valid (tree size ${report.totals.tree_size}${verification.checkpoint ? `, checkpoint ${verification.checkpoint.size}` : ", no checkpoint"})`
      : `Log verification FAILED: ${report.first_failure ? describeFailure(report.first_failure) : "see verify-report.txt"}; the export is marked unverified`,
  ];
  return { verified: report.ok, summary: `${lines.join("\n")}\n` };
}

async function* entriesOf(source: LogSource, paths: readonly string[]): AsyncGenerator<LogEntry> {
  for (const path of paths) yield* fileEntries(source, path);
}

/** Streams the second reading into the files, then writes verify-report.txt and manifest.json; their digests. */
async function writeFiles(
  outDir: string,
  writer: ExportWriter,
  entries: () => AsyncIterable<LogEntry>,
  outFlag: string,
): Promise<FileDigest[]> {
  const written = <T>(action: Promise<T>): Promise<T> =>
    action.catch((error: Error) => {
      throw new LogUsageError(`--out ${outFlag}: cannot write the export (${error.message})`);
    });
  await written(mkdir(outDir, { recursive: true }));
  const sinks = new Map<StreamedFile, FileSink>();
  const put = async (chunks: ExportChunks | undefined) => {
    for (const name of STREAMED_FILES) {
      const text = chunks?.[name];
      if (text) await written(sinks.get(name)!.write(text));
    }
  };
  try {
    for (const name of STREAMED_FILES) sinks.set(name, await written(FileSink.open(join(outDir, name))));
    await put(writer.start());
    for await (const entry of entries()) await put(writer.add(entry));
    await put(writer.finish());
    for (const sink of sinks.values()) await written(sink.close());
  } catch (error) {
    await Promise.allSettled([...sinks.values()].map((sink) => sink.close()));
    throw error;
  }
  const digests = STREAMED_FILES.map((name) => sinks.get(name)!.digest(name));
  const whole = async (name: string, text: string) => {
    const sink = await written(FileSink.open(join(outDir, name)));
    await written(sink.write(text).then(() => sink.close()));
    digests.push(sink.digest(name));
  };
  await whole("verify-report.txt", writer.verifyReport());
  await whole(MANIFEST_NAME, writer.manifest(digests));
  return digests;
}

function describeFailure(f: { path: string; reason: string; line?: number; seq?: number }): string {
  return f.line !== undefined
    ? `${f.reason} at ${f.path} line ${f.line} (seq ${f.seq})`
    : `${f.reason} at ${f.path}`;
}

/** The bytes a sink gathers before writing them (and hashing them) in one go. */
const FLUSH_CHARS = 1 << 20;

/** A file written in appended pieces, UTF-8, whose size and SHA-256 are computed from the bytes written. */
class FileSink {
  private pending: string[] = [];
  private pendingChars = 0;
  private bytes = 0;
  private readonly hash: Hash = createHash("sha256");
  private closed = false;

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<FileSink> {
    return new FileSink(await open(path, "w"));
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const buffer = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingChars = 0;
    this.hash.update(buffer);
    this.bytes += buffer.length;
    await this.handle.write(buffer);
  }

  /** Writes what is pending and closes the file (once). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }

  /** Size and SHA-256 of what was written; after close. */
  digest(name: string): FileDigest {
    return { name, bytes: this.bytes, sha256: this.hash.copy().digest("hex") };
  }
}
