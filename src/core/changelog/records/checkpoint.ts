/**
 * The `log.checkpoint` record: a signed checkpoint entered in the log itself, as record tree_size + 1, with the
 * note written to `checkpoints/<tree_size, 12 digits>.txt` in the same commit. The fields are the integrity
 * core's `CheckpointRecordFields` (checkpoint.ts `checkpointRecordDraft` builds them from a signed note, and
 * `checkpointNoteFromRecord` rebuilds the note from them, so a verifier can check the signature from the record).
 */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import type { CheckpointFacts } from "./types.js";

export function checkpointRecordId(treeSize: number): string {
  return `checkpoint:${treeSize}`;
}

export function checkpointRecord(facts: CheckpointFacts): RecordDraft {
  return {
    schema: RECORD_SCHEMA,
    type: "log.checkpoint",
    record_id: checkpointRecordId(facts.tree_size),
    recorded_at: facts.recorded_at,
    tree_size: facts.tree_size,
    root_hash: facts.root_hash,
    last_hash: facts.last_hash,
    origin: facts.origin,
    checkpoint_time: facts.checkpoint_time,
    key_name: facts.key_name,
    key_fingerprint: facts.key_fingerprint,
    signature: facts.signature,
  };
}
