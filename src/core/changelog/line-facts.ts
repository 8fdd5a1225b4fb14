/**
 * The per-line half of log verification: everything about one JSONL line that does not depend on earlier lines
 * (parse, RFC 8785 canonical form, record_hash, leaf hash, and the fields the sequential walk needs). Lines are
 * gathered in columnar batches (plain typed arrays and string arrays), so worker threads can compute them and
 * post them cheaply; `verifyLog` applies them in log order.
 */
import { canonicalLineInfo } from "./canonical.js";
import { sha256Hex } from "./hash.js";
import { leafHash } from "./merkle.js";

/** Flag bits of a parsed line. */
export const CANONICAL = 1;
export const LEAF_INDEX_OK = 2;
export const HASH_OK = 4;

/** The record types whose checks need the whole record (and the walk's state). */
const TYPED = new Set(["log.checkpoint", "log.key_rotated"]);

/** Facts of `n` consecutive lines of one file. */
export interface FactsBatch {
  n: number;
  /** 32 bytes per line: RFC 9162 leaf hash of the line as found. */
  leaves: Uint8Array;
  /** The record's seq, NaN when the line is unparseable (not an object, or no integer seq / string record_hash). */
  seqs: Float64Array;
  /** CANONICAL | LEAF_INDEX_OK | HASH_OK (HASH_OK only computed for canonical lines). */
  flags: Uint8Array;
  /** record_hash as claimed ("" when unparseable). */
  claimed: string[];
  /** prev_hash when it is a string, else null. */
  prev: (string | null)[];
  /** recorded_at when it is a string, else null. */
  recordedAt: (string | null)[];
  /** [index in batch, record] for log.checkpoint and log.key_rotated records. */
  typed: [number, Record<string, unknown>][];
}

/** Builds FactsBatch objects line by line. */
export class FactsBuilder {
  private leaves: Uint8Array;
  private seqs: Float64Array;
  private flags: Uint8Array;
  private claimed: string[] = [];
  private prev: (string | null)[] = [];
  private recordedAt: (string | null)[] = [];
  private typed: [number, Record<string, unknown>][] = [];
  private n = 0;

  constructor(readonly capacity: number) {
    this.leaves = new Uint8Array(32 * capacity);
    this.seqs = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === this.capacity;
  }

  add(line: string): void {
    const i = this.n++;
    this.leaves.set(leafHash(line), 32 * i);
    let record: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        record = parsed as Record<string, unknown>;
    } catch {
      record = undefined;
    }
    const seq = record?.seq;
    if (
      record === undefined ||
      typeof seq !== "number" ||
      !Number.isSafeInteger(seq) ||
      typeof record.record_hash !== "string"
    ) {
      this.seqs[i] = Number.NaN;
      this.flags[i] = 0;
      this.claimed.push("");
      this.prev.push(null);
      this.recordedAt.push(null);
      return;
    }
    const claimed = record.record_hash;
    this.seqs[i] = seq;
    this.claimed.push(claimed);
    this.prev.push(typeof record.prev_hash === "string" ? record.prev_hash : null);
    this.recordedAt.push(typeof record.recorded_at === "string" ? record.recorded_at : null);
    let flags = record.leaf_index === seq - 1 ? LEAF_INDEX_OK : 0;
    const canon = canonicalLineInfo(line, record);
    if (canon.canonical) {
      flags |= CANONICAL;
      if (sha256Hex(withoutMember(line, record, canon.at)) === claimed) flags |= HASH_OK;
    }
    this.flags[i] = flags;
    if (typeof record.type === "string" && TYPED.has(record.type)) this.typed.push([i, record]);
  }

  /** The batch so far (its arrays are handed over); the builder starts a new one. */
  take(): FactsBatch {
    const n = this.n;
    const batch: FactsBatch = {
      n,
      leaves: this.leaves.subarray(0, 32 * n),
      seqs: this.seqs.subarray(0, n),
      flags: this.flags.subarray(0, n),
      claimed: this.claimed,
      prev: this.prev,
      recordedAt: this.recordedAt,
      typed: this.typed,
    };
    this.leaves = new Uint8Array(32 * this.capacity);
    this.seqs = new Float64Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.claimed = [];
    this.prev = [];
    this.recordedAt = [];
    this.typed = [];
    this.n = 0;
    return batch;
  }
}

/** Facts of the given lines, in one batch. */
export function lineFacts(lines: readonly string[]): FactsBatch {
  const b = new FactsBuilder(Math.max(1, lines.length));
  for (const line of lines) b.add(line);
  return b.take();
}

/**
 * The canonical text of the record without its top-level record_hash member. The line is canonical, so that is the
 * line with the member cut out at `at` (its offset, found by the canonical scan); otherwise re-serialise.
 */
function withoutMember(line: string, record: Record<string, unknown>, at: number): string {
  if (at > 0) {
    const end = at + '"record_hash":'.length + JSON.stringify(record.record_hash).length;
    if (line.charCodeAt(at - 1) === 44) return line.slice(0, at - 1) + line.slice(end);
    if (line.charCodeAt(end) === 44) return line.slice(0, at) + line.slice(end + 1);
    return line.slice(0, at) + line.slice(end);
  }
  const { record_hash: _h, ...rest } = record;
  return JSON.stringify(rest);
}
