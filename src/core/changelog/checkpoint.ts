/**
 * Signed checkpoints in the C2SP signed-note format (c2sp.org/signed-note, c2sp.org/tlog-checkpoint).
 *
 *   <origin>\n<tree size, decimal>\n<base64 RFC 9162 root>\nlast-hash <hex>\ntime <RFC 3339 UTC>\n   ← note text
 *   \n
 *   — <key name> <base64(key id ‖ Ed25519 signature)>\n                                             ← signature line
 *
 * The Ed25519 signature is over the note text's UTF-8 bytes (every body line with its "\n"). The key id is
 * the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ raw 32-byte public key) — 0x01 is the signed-note
 * signature type of Ed25519 — so a verifier picks the key by (name, id) and a re-signing with another key
 * yields an unknown key id. The key name defaults to the origin. The dash is U+2014 (EM DASH).
 *
 * A checkpoint is also recorded in the log as a `log.checkpoint` record (CheckpointRecordFields) attesting the
 * tree of the records before it (tree_size = its seq - 1); checkpointRecordDraft / checkpointNoteFromRecord
 * convert between the two, and the note text can be rebuilt byte for byte from the record.
 */
import { createHash, type KeyObject, sign, verify } from "node:crypto";
import { keyFingerprint, rawPublicKey } from "./keys.js";
import { type CheckpointRecordFields, RECORD_SCHEMA, type RecordDraft } from "./types.js";

export { keyFingerprint } from "./keys.js";

const SIG_TYPE_ED25519 = 0x01;
const DASH = "\u2014";
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const HEX32 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface CheckpointBody {
  origin: string;
  size: number;
  /** RFC 9162 root: 32 bytes, or 64 hex characters. */
  root: Uint8Array | string;
  /** record_hash of the last record in the tree (hex). */
  lastHash: string;
  /** RFC 3339 UTC. */
  time: string;
}

export interface CheckpointSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
  /** base64(key id ‖ signature), as on the line. */
  encoded: string;
}

export interface ParsedCheckpoint {
  origin: string;
  size: number;
  root: Buffer;
  lastHash: string;
  time: string;
  /** The signed note text (body lines, each ending in "\n"). */
  body: string;
  signatures: CheckpointSignature[];
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** `checkpoints/NNNNNNNNNNNN.txt` (tree size zero-padded to 12 digits). */
export function checkpointPath(size: number): string {
  return `checkpoints/${String(size).padStart(12, "0")}.txt`;
}

/** The tree size a checkpoint path names, or null. */
export function sizeFromCheckpointPath(path: string): number | null {
  const m = /(?:^|\/)(\d{12})\.txt$/.exec(path);
  return m ? Number(m[1]) : null;
}

/** Signed-note key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ raw public key)[0..4). */
export function noteKeyId(name: string, key: KeyObject): Buffer {
  return createHash("sha256")
    .update(name, "utf8")
    .update(Buffer.from([0x0a, SIG_TYPE_ED25519]))
    .update(rawPublicKey(key))
    .digest()
    .subarray(0, 4);
}

function checkName(name: string): void {
  if (name === "" || /[\s+]/.test(name))
    throw new CheckpointError(`invalid key name ${JSON.stringify(name)}`);
}

function rootBytes(root: Uint8Array | string): Buffer {
  const b = typeof root === "string" ? (HEX32.test(root) ? Buffer.from(root, "hex") : Buffer.alloc(0)) : root;
  if (b.length !== 32) throw new CheckpointError("root must be 32 bytes (or 64 hex characters)");
  return Buffer.from(b);
}

/** The note text of a checkpoint (what is signed). */
export function checkpointBody(cp: CheckpointBody): string {
  if (cp.origin === "" || /[\n\r]/.test(cp.origin)) throw new CheckpointError("invalid origin");
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new CheckpointError(`invalid size ${cp.size}`);
  if (!HEX32.test(cp.lastHash)) throw new CheckpointError("lastHash must be 64 lowercase hex characters");
  if (!RFC3339_UTC.test(cp.time)) throw new CheckpointError("time must be RFC 3339 UTC");
  const root = rootBytes(cp.root).toString("base64");
  return `${cp.origin}\n${cp.size}\n${root}\nlast-hash ${cp.lastHash}\ntime ${cp.time}\n`;
}

/** Signs a checkpoint with an Ed25519 private key; returns the full signed note. */
export function makeCheckpoint(cp: CheckpointBody & { keyName?: string }, privateKey: KeyObject): string {
  const name = cp.keyName ?? cp.origin;
  checkName(name);
  return signNote(checkpointBody(cp), name, privateKey);
}

/** Signs a note text (non-empty lines, each ending in "\n") with an Ed25519 key: the C2SP signed note. */
export function signNote(text: string, keyName: string, privateKey: KeyObject): string {
  checkName(keyName);
  if (!text.endsWith("\n") || text.includes("\n\n"))
    throw new CheckpointError("note text must be lines ending in \\n");
  const sig = sign(null, Buffer.from(text, "utf8"), privateKey);
  const blob = Buffer.concat([noteKeyId(keyName, privateKey), sig]).toString("base64");
  return `${text}\n${DASH} ${keyName} ${blob}\n`;
}

/** Parses a signed checkpoint note strictly; throws CheckpointError. Does not check signatures. */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const split = text.indexOf("\n\n");
  if (split < 0 || !text.endsWith("\n")) throw new CheckpointError("not a signed note");
  const body = text.slice(0, split + 1);
  const lines = body.slice(0, -1).split("\n");
  if (lines.length !== 5) throw new CheckpointError(`expected 5 note lines, got ${lines.length}`);
  const [origin, sizeLine, rootLine, lastLine, timeLine] = lines as [string, string, string, string, string];
  if (origin === "") throw new CheckpointError("empty origin");
  if (!/^(0|[1-9]\d{0,15})$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new CheckpointError("invalid tree size line");
  }
  const root = Buffer.from(rootLine, "base64");
  if (!BASE64.test(rootLine) || root.length !== 32 || root.toString("base64") !== rootLine) {
    throw new CheckpointError("invalid root hash line");
  }
  const last = /^last-hash ([0-9a-f]{64})$/.exec(lastLine);
  if (!last) throw new CheckpointError("invalid last-hash line");
  const time = /^time (\S+)$/.exec(timeLine);
  if (!time || !RFC3339_UTC.test(time[1]!)) throw new CheckpointError("invalid time line");
  const sigLines = text.slice(split + 2, -1).split("\n");
  const signatures: CheckpointSignature[] = [];
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    if (!m) throw new CheckpointError("invalid signature line");
    const raw = Buffer.from(m[2]!, "base64");
    if (raw.length < 5) throw new CheckpointError("signature too short");
    signatures.push({ name: m[1]!, keyId: raw.subarray(0, 4), signature: raw.subarray(4), encoded: m[2]! });
  }
  if (signatures.length === 0) throw new CheckpointError("no signature");
  return { origin, size: Number(sizeLine), root, lastHash: last[1]!, time: time[1]!, body, signatures };
}

export type CheckpointVerification =
  | {
      ok: true;
      checkpoint: ParsedCheckpoint;
      keyName: string;
      fingerprint: string;
      signature: CheckpointSignature;
    }
  | { ok: false; reason: "unparseable" | "unknown key" | "signature invalid"; checkpoint?: ParsedCheckpoint };

/**
 * Verifies a signed checkpoint against trusted public keys: valid when a signature line whose (name, key id)
 * matches one of the keys verifies. "unknown key" when no line names a trusted key; "signature invalid" when
 * one does but its signature does not verify.
 */
export function verifyCheckpoint(text: string, publicKeys: readonly KeyObject[]): CheckpointVerification {
  let checkpoint: ParsedCheckpoint;
  try {
    checkpoint = parseCheckpoint(text);
  } catch {
    return { ok: false, reason: "unparseable" };
  }
  let matched = false;
  const body = Buffer.from(checkpoint.body, "utf8");
  for (const s of checkpoint.signatures) {
    for (const key of publicKeys) {
      if (!noteKeyId(s.name, key).equals(s.keyId)) continue;
      matched = true;
      if (s.signature.length === 64 && verify(null, body, key, s.signature)) {
        return { ok: true, checkpoint, keyName: s.name, fingerprint: keyFingerprint(key), signature: s };
      }
    }
  }
  return { ok: false, reason: matched ? "signature invalid" : "unknown key", checkpoint };
}

/**
 * The `log.checkpoint` record draft for a signed note (its first signature line). Append it right after the
 * tree it attests, i.e. as record tree_size + 1, and write the note to checkpointPath(tree_size) in the same
 * commit. `fingerprint` is keyFingerprint of the signing key.
 */
export function checkpointRecordDraft(note: string, fingerprint: string, recordedAt: string): RecordDraft {
  const cp = parseCheckpoint(note);
  const sig = cp.signatures[0]!;
  const fields: CheckpointRecordFields = {
    tree_size: cp.size,
    root_hash: cp.root.toString("hex"),
    last_hash: cp.lastHash,
    origin: cp.origin,
    checkpoint_time: cp.time,
    key_name: sig.name,
    key_fingerprint: fingerprint,
    signature: sig.encoded,
  };
  return {
    schema: RECORD_SCHEMA,
    type: "log.checkpoint",
    record_id: `checkpoint:${cp.size}`,
    recorded_at: recordedAt,
    ...fields,
  };
}

/** Rebuilds the signed note from a `log.checkpoint` record's fields; null when they are malformed. */
export function checkpointNoteFromRecord(record: Record<string, unknown>): string | null {
  const r = record as Partial<Record<keyof CheckpointRecordFields, unknown>>;
  if (
    typeof r.tree_size !== "number" ||
    typeof r.root_hash !== "string" ||
    typeof r.last_hash !== "string" ||
    typeof r.origin !== "string" ||
    typeof r.checkpoint_time !== "string" ||
    typeof r.key_name !== "string" ||
    typeof r.signature !== "string"
  ) {
    return null;
  }
  try {
    checkName(r.key_name);
    const body = checkpointBody({
      origin: r.origin,
      size: r.tree_size,
      root: r.root_hash,
      lastHash: r.last_hash,
      time: r.checkpoint_time,
    });
    if (!BASE64.test(r.signature)) return null;
    return `${body}\n${DASH} ${r.key_name} ${r.signature}\n`;
  } catch {
    return null;
  }
}
