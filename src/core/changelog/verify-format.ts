/** Text form of a VerifyReport, modelled on `aws cloudtrail validate-logs`. */
import type { Failure, VerifyReason, VerifyReport } from "./verify-types.js";

const COL = 44;

function row(kind: string, path: string, verdict: string): string {
  return `${kind.padEnd(11)} ${path.padEnd(COL)} ${verdict}`;
}

function where(f: Failure | { path: string; reason: VerifyReason }): string {
  return "line" in f ? `${f.reason} at ${f.path} line ${f.line} (seq ${f.seq})` : `${f.reason} at ${f.path}`;
}

function inRange(report: VerifyReport, time: string | undefined): boolean {
  const { since, until } = report.requested;
  if (time === undefined) return since === undefined && until === undefined;
  return (!since || time >= since) && (!until || time <= until);
}

export function formatVerifyReport(report: VerifyReport): string {
  const { since, until } = report.requested;
  const t = report.totals;
  const out: string[] = [];
  out.push(
    `Validating change log ${report.origin ?? "(no checkpoint)"} between ${since ?? "the first record"} and ${until ?? "the last record"}`,
  );
  for (const k of report.keys) {
    const verdict = k.status === "valid" ? `valid (${k.trust})` : `INVALID: ${k.reason}`;
    out.push(row("Key", k.path, verdict));
  }
  for (const f of report.files) {
    if (f.status === "valid" && f.in_range === 0 && (since || until)) continue;
    const span = f.records > 0 ? `seq ${f.first_seq}-${f.last_seq}` : "empty";
    const verdict =
      f.status === "valid"
        ? `valid (${span})`
        : `INVALID: ${f.first_failure!.reason} at line ${f.first_failure!.line} (seq ${f.first_failure!.seq}); ${f.invalid_records}/${f.records} records invalid`;
    out.push(row("Records", f.path, verdict));
  }
  for (const c of report.checkpoints) {
    if (c.status === "valid" && !inRange(report, c.time) && (since || until)) continue;
    const key = c.key_fingerprint ? `, key ${c.key_fingerprint.slice(0, 16)}` : "";
    out.push(
      row(
        "Checkpoint",
        c.path,
        c.status === "valid" ? `valid (size ${c.size}${key})` : `INVALID: ${c.reason}`,
      ),
    );
  }
  for (const w of report.witnesses ?? []) {
    out.push(
      row(
        "Witness",
        w.label,
        w.status === "valid"
          ? `valid (size ${w.size}: the log still has this root there)`
          : `INVALID: ${w.reason}${w.reason === "root mismatch" || w.reason === "last hash mismatch" ? ` (the first ${w.size} records were rewritten since)` : w.reason === "truncated" ? ` (the log is shorter than ${w.size} records now)` : ""}`,
      ),
    );
  }
  out.push(`Results requested for ${since ?? "the first record"} to ${until ?? "the last record"}`);
  if (t.records_in_range === 0) out.push("No records found in the requested range:");
  else out.push(`Results found for ${report.found.first} to ${report.found.last}:`);
  const line = (valid: number, total: number, what: string) =>
    valid === total
      ? `${valid}/${total} ${what} valid`
      : `${valid}/${total} ${what} valid, ${total - valid}/${total} ${what} INVALID`;
  out.push(`  ${line(t.files_valid, t.files, "files")}`);
  out.push(`  ${line(t.checkpoints_valid, t.checkpoints, "checkpoints")}`);
  if (report.witnesses) {
    const valid = report.witnesses.filter((w) => w.status === "valid").length;
    out.push(`  ${line(valid, report.witnesses.length, "witnesses")}`);
  }
  const chain =
    t.records_valid === t.records
      ? `chain unbroken from seq 1 to ${t.records}`
      : `chain broken; first: ${report.first_failure ? where(report.first_failure) : "?"}`;
  out.push(`  ${t.records_valid}/${t.records} records valid (${t.records_in_range} in range); ${chain}`);
  out.push(`  Tree size ${t.tree_size}, root ${t.root}`);
  out.push(
    `  Attested by checkpoints up to size ${t.attested_size}; ${t.unattested} newer record${t.unattested === 1 ? "" : "s"} not yet attested`,
  );
  out.push(
    t.keys_pinned
      ? "  Keys: pinned by the verifier"
      : "  Keys: taken from the log's keys/ (not pinned; pass trusted keys to rule out a re-signed log)",
  );
  if (report.first_failure) out.push(`First failure: ${where(report.first_failure)}`);
  out.push(report.ok ? "Result: valid" : "Result: INVALID");
  return `${out.join("\n")}\n`;
}
