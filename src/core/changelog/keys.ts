/**
 * Ed25519 keys of the change log (node:crypto). A key's fingerprint is the hex SHA-256 of its raw 32-byte public
 * key; public keys are published in the log as `keys/<fingerprint>.pub` (PEM, SPKI). Key rotation is a
 * `log.key_rotated` record signed by the old and the new key over the RFC 8785 serialisation of
 * `{ new_fingerprint, new_public_key, recorded_at }`.
 */
import { createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { canonicalJson } from "./canonical.js";
import { sha256Hex } from "./hash.js";
import type { KeyRotationFields } from "./types.js";

/** The raw 32-byte Ed25519 public key (of a public or a private key). */
export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== "ed25519")
    throw new Error(`expected an Ed25519 key, got ${pub.asymmetricKeyType}`);
  const der = pub.export({ format: "der", type: "spki" });
  return der.subarray(der.length - 32);
}

/** Hex SHA-256 of the raw 32-byte public key. */
export function keyFingerprint(key: KeyObject): string {
  return sha256Hex(rawPublicKey(key));
}

/** PEM (SPKI) of the public half of `key`. */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return pub.export({ format: "pem", type: "spki" }).toString();
}

/** `keys/<fingerprint>.pub` */
export function keyPath(fingerprint: string): string {
  return `keys/${fingerprint}.pub`;
}

/** Parses a PEM public key; null unless it is an Ed25519 public key. */
export function parsePublicKey(pem: string): KeyObject | null {
  try {
    const k = createPublicKey(pem);
    return k.asymmetricKeyType === "ed25519" ? k : null;
  } catch {
    return null;
  }
}

function rotationMessage(newFingerprint: string, newPublicKey: string, recordedAt: string): Buffer {
  return Buffer.from(
    canonicalJson({ new_fingerprint: newFingerprint, new_public_key: newPublicKey, recorded_at: recordedAt }),
  );
}

/** The signed fields of a `log.key_rotated` record (the records helper wraps them in a draft). */
export function keyRotationFields(
  oldKey: KeyObject,
  newKey: KeyObject,
  recordedAt: string,
): KeyRotationFields {
  const new_public_key = publicKeyPem(newKey);
  const new_fingerprint = keyFingerprint(newKey);
  const msg = rotationMessage(new_fingerprint, new_public_key, recordedAt);
  return {
    old_fingerprint: keyFingerprint(oldKey),
    new_fingerprint,
    new_public_key,
    signature_old: sign(null, msg, oldKey).toString("base64"),
    signature_new: sign(null, msg, newKey).toString("base64"),
  };
}

export type KeyRotationCheck =
  | { ok: true; newKey: KeyObject }
  | { ok: false; reason: "unparseable" | "fingerprint mismatch" | "unknown key" | "signature invalid" };

/**
 * Checks a `log.key_rotated` record: its new key parses and matches new_fingerprint, and both signatures verify
 * (`oldKey` must be the trusted key whose fingerprint is old_fingerprint; null when it is not trusted).
 */
export function checkKeyRotation(
  record: Record<string, unknown>,
  oldKey: KeyObject | null,
): KeyRotationCheck {
  const { new_fingerprint, new_public_key, signature_old, signature_new, recorded_at, old_fingerprint } =
    record;
  if (
    typeof new_fingerprint !== "string" ||
    typeof new_public_key !== "string" ||
    typeof signature_old !== "string" ||
    typeof signature_new !== "string" ||
    typeof recorded_at !== "string" ||
    typeof old_fingerprint !== "string"
  ) {
    return { ok: false, reason: "unparseable" };
  }
  const newKey = parsePublicKey(new_public_key);
  if (!newKey) return { ok: false, reason: "unparseable" };
  if (keyFingerprint(newKey) !== new_fingerprint) return { ok: false, reason: "fingerprint mismatch" };
  if (!oldKey || keyFingerprint(oldKey) !== old_fingerprint) return { ok: false, reason: "unknown key" };
  const msg = rotationMessage(new_fingerprint, new_public_key, recorded_at);
  const okOld = verify(null, msg, oldKey, Buffer.from(signature_old, "base64"));
  const okNew = verify(null, msg, newKey, Buffer.from(signature_new, "base64"));
  return okOld && okNew ? { ok: true, newKey } : { ok: false, reason: "signature invalid" };
}
