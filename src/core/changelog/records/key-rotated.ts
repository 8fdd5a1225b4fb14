/**
 * The `log.key_rotated` record: the log's checkpoint signing key changes. Both keys sign the RFC 8785
 * serialisation of `{ new_fingerprint, new_public_key, recorded_at }` (the integrity core's keys.ts:
 * `keyRotationFields` signs, `checkKeyRotation` verifies), so a verifier trusting the old key learns the new one.
 */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import type { KeyRotatedFacts } from "./types.js";

export function keyRotatedRecordId(newFingerprint: string): string {
  return `key:${newFingerprint}`;
}

export function keyRotatedRecord(facts: KeyRotatedFacts): RecordDraft {
  return {
    schema: RECORD_SCHEMA,
    type: "log.key_rotated",
    record_id: keyRotatedRecordId(facts.new_fingerprint),
    recorded_at: facts.recorded_at,
    old_fingerprint: facts.old_fingerprint,
    new_fingerprint: facts.new_fingerprint,
    new_public_key: facts.new_public_key,
    signature_old: facts.signature_old,
    signature_new: facts.signature_new,
  };
}
