/**
 * Sealing: turns record drafts into log records continuing a log whose tip is `state`.
 *   seq = state.size + 1, 2, …;  leaf_index = seq - 1;  prev_hash = the previous record's record_hash
 *   (GENESIS_HASH for seq 1);  record_hash = SHA-256(RFC 8785 of the record without record_hash).
 * Each line is the RFC 8785 serialisation of the full sealed record (record_hash included) and is the Merkle
 * leaf (leafHash(line)). Pure: returns the new state (size, last_hash, frontier); the shard bookkeeping
 * (current_part) and checkpoint fields are the writer's and are carried over unchanged.
 */
import { canonicalJson } from "./canonical.js";
import { sha256Hex } from "./hash.js";
import { leafHash, MerkleFrontier } from "./merkle.js";
import {
  GENESIS_HASH,
  type LogRecord,
  type LogState,
  RECORD_SCHEMA,
  RECORD_TYPES,
  type RecordDraft,
} from "./types.js";

const SEALED_FIELDS = ["seq", "prev_hash", "record_hash", "leaf_index"] as const;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}

/** An empty log's state. */
export function emptyLogState(): LogState {
  return { size: 0, last_hash: GENESIS_HASH, frontier: [], last_checkpoint_size: 0 };
}

function checkDraft(draft: RecordDraft, i: number): void {
  const where = `draft ${i} (${JSON.stringify(draft?.record_id)})`;
  if (typeof draft !== "object" || draft === null) throw new SealError(`draft ${i} is not an object`);
  if (draft.schema !== RECORD_SCHEMA) throw new SealError(`${where}: schema must be ${RECORD_SCHEMA}`);
  if (!(RECORD_TYPES as readonly string[]).includes(draft.type)) {
    throw new SealError(`${where}: unknown type ${JSON.stringify(draft.type)}`);
  }
  if (typeof draft.record_id !== "string" || draft.record_id === "") {
    throw new SealError(`${where}: record_id must be a non-empty string`);
  }
  if (typeof draft.recorded_at !== "string" || !RFC3339_UTC.test(draft.recorded_at)) {
    throw new SealError(`${where}: recorded_at must be an RFC 3339 UTC time (…Z)`);
  }
  for (const f of SEALED_FIELDS) {
    if (f in draft) throw new SealError(`${where}: ${f} is set by the log, not by the draft`);
  }
}

function checkState(state: LogState): void {
  if (!Number.isSafeInteger(state.size) || state.size < 0)
    throw new SealError(`invalid state size ${state.size}`);
  if (!/^[0-9a-f]{64}$/.test(state.last_hash)) throw new SealError("invalid state last_hash");
  if (state.size === 0 && state.last_hash !== GENESIS_HASH) throw new SealError("empty log with a last_hash");
}

export function sealRecords(
  state: LogState,
  drafts: readonly RecordDraft[],
): { records: LogRecord[]; lines: string[]; state: LogState } {
  checkState(state);
  drafts.forEach(checkDraft);
  const frontier = MerkleFrontier.from(state.frontier, state.size);
  let size = state.size;
  let last = state.last_hash;
  const records: LogRecord[] = [];
  const lines: string[] = [];
  for (const draft of drafts) {
    const unsealed = { ...draft, seq: size + 1, prev_hash: last, leaf_index: size };
    const record_hash = sha256Hex(canonicalJson(unsealed));
    const record = { ...unsealed, record_hash } as LogRecord;
    const line = canonicalJson(record);
    frontier.push(leafHash(line));
    records.push(record);
    lines.push(line);
    size += 1;
    last = record_hash;
  }
  return { records, lines, state: { ...state, size, last_hash: last, frontier: frontier.toHex() } };
}
