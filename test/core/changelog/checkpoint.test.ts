import { createHash, createPrivateKey, createPublicKey, verify } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import {
  checkpointNoteFromRecord,
  checkpointPath,
  checkpointRecordDraft,
  keyFingerprint,
  makeCheckpoint,
  noteKeyId,
  parseCheckpoint,
  signNote,
  sizeFromCheckpointPath,
  verifyCheckpoint,
} from "../../../src/core/changelog/checkpoint.js";
import {
  checkKeyRotation,
  keyRotationFields,
  publicKeyPem,
  rawPublicKey,
} from "../../../src/core/changelog/keys.js";
import { ed25519 } from "./log-fixture.js";

// The example of Go's golang.org/x/mod/sumdb/note (the reference implementation of C2SP signed notes).
const GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

function goPrivateKey() {
  const seed = Buffer.from(GO_SKEY.split("+").slice(4).join("+"), "base64");
  expect(seed[0]).toBe(1); // algorithm byte: Ed25519
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed.subarray(1)]);
  return createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
}

const body = {
  origin: "cc8.example/acme/agents",
  size: 412,
  root: "ab".repeat(32),
  lastHash: "cd".repeat(32),
  time: "2026-03-31T23:00:00Z",
};

describe("signed notes", () => {
  test("reproduce Go's sumdb/note example byte for byte (key id and signature)", () => {
    const key = goPrivateKey();
    expect(noteKeyId("PeterNeumann", key).toString("hex")).toBe("c74f20a3");
    const vkeyRaw = Buffer.from(GO_VKEY.split("+")[2]!, "base64").subarray(1);
    expect(rawPublicKey(key).equals(vkeyRaw)).toBe(true);
    expect(signNote(GO_TEXT, "PeterNeumann", key)).toBe(`${GO_TEXT}\n${GO_SIG}`);
  });

  test("the key id is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ raw public key)[0..4)", () => {
    const { privateKey, publicKey } = ed25519();
    const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
    const want = createHash("sha256")
      .update("some.origin/log\n\x01", "latin1")
      .update(raw)
      .digest()
      .subarray(0, 4);
    expect(noteKeyId("some.origin/log", privateKey).equals(want)).toBe(true);
    expect(keyFingerprint(publicKey)).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(keyFingerprint(privateKey)).toBe(keyFingerprint(publicKey));
  });
});

describe("checkpoints", () => {
  test("have the C2SP checkpoint body with last-hash and time extensions and a verifiable signature", () => {
    const { privateKey, publicKey } = ed25519();
    const note = makeCheckpoint(body, privateKey);
    const lines = note.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      body.origin,
      "412",
      Buffer.from(body.root, "hex").toString("base64"),
      `last-hash ${body.lastHash}`,
      `time ${body.time}`,
      "",
    ]);
    expect(lines[6]).toMatch(/^\u2014 cc8\.example\/acme\/agents [A-Za-z0-9+/]+=*$/);
    const blob = Buffer.from(lines[6]!.split(" ")[2]!, "base64");
    expect(blob).toHaveLength(68);
    const signed = Buffer.from(`${lines.slice(0, 5).join("\n")}\n`);
    expect(verify(null, signed, publicKey, blob.subarray(4))).toBe(true);
    const v = verifyCheckpoint(note, [publicKey]);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.fingerprint).toBe(keyFingerprint(publicKey));
      expect(v.checkpoint).toMatchObject({
        origin: body.origin,
        size: 412,
        lastHash: body.lastHash,
        time: body.time,
      });
      expect(v.checkpoint.root.toString("hex")).toBe(body.root);
    }
  });

  test("verify against the right key only: another key is unknown, a changed signature or body is invalid", () => {
    const a = ed25519();
    const b = ed25519();
    const note = makeCheckpoint(body, a.privateKey);
    expect(verifyCheckpoint(note, [b.publicKey])).toMatchObject({ ok: false, reason: "unknown key" });
    expect(verifyCheckpoint(note, [b.publicKey, a.publicKey]).ok).toBe(true);
    // Same key name, other key: the key id differs.
    expect(verifyCheckpoint(makeCheckpoint(body, b.privateKey), [a.publicKey])).toMatchObject({
      reason: "unknown key",
    });
    const [text, sigLine] = note.split("\n\n") as [string, string];
    const blob = Buffer.from(sigLine.trim().split(" ")[2]!, "base64");
    blob[10] = blob[10]! ^ 1;
    const forged = `${text}\n\n\u2014 ${body.origin} ${blob.toString("base64")}\n`;
    expect(verifyCheckpoint(forged, [a.publicKey])).toMatchObject({ ok: false, reason: "signature invalid" });
    const bigger = note.replace("\n412\n", "\n413\n");
    expect(verifyCheckpoint(bigger, [a.publicKey])).toMatchObject({ ok: false, reason: "signature invalid" });
  });

  test("parse strictly", () => {
    const { privateKey, publicKey } = ed25519();
    const note = makeCheckpoint(body, privateKey);
    expect(parseCheckpoint(note).signatures).toHaveLength(1);
    for (const bad of [
      note.replace("\n\n", "\n"),
      note.slice(0, -1),
      note.replace("\n412\n", "\n0412\n"),
      note.replace("\n412\n", "\n-1\n"),
      note.replace("last-hash ", "last_hash "),
      note.replace(`time ${body.time}`, "time yesterday"),
      note.replace("\u2014", "-"),
      note.replace(/\n\n.*\n$/, "\n\n"),
      `${note.split("\n")[0]}\n412\nAAAA\nlast-hash ${body.lastHash}\ntime ${body.time}\n\n${note.split("\n\n")[1]}`,
    ]) {
      expect(verifyCheckpoint(bad, [publicKey])).toMatchObject({ ok: false, reason: "unparseable" });
    }
    expect(() => makeCheckpoint({ ...body, keyName: "has space" }, privateKey)).toThrow(/key name/);
    expect(() => makeCheckpoint({ ...body, time: "2026-03-31" }, privateKey)).toThrow(/time/);
    expect(() => makeCheckpoint({ ...body, root: "ab" }, privateKey)).toThrow(/root/);
  });

  test("a log.checkpoint record mirrors its note, which can be rebuilt from it byte for byte", () => {
    const { privateKey, publicKey } = ed25519();
    const note = makeCheckpoint(body, privateKey);
    const draft = checkpointRecordDraft(note, keyFingerprint(publicKey), "2026-03-31T23:00:01Z");
    expect(draft).toMatchObject({
      type: "log.checkpoint",
      record_id: "checkpoint:412",
      tree_size: 412,
      root_hash: body.root,
      last_hash: body.lastHash,
      checkpoint_time: body.time,
      key_name: body.origin,
      key_fingerprint: keyFingerprint(publicKey),
    });
    expect(checkpointNoteFromRecord(draft)).toBe(note);
    expect(checkpointNoteFromRecord({ ...draft, tree_size: "412" })).toBeNull();
    expect(checkpointNoteFromRecord({ ...draft, key_name: "a b" })).toBeNull();
  });

  test("paths carry the zero-padded tree size", () => {
    expect(checkpointPath(412)).toBe("checkpoints/000000000412.txt");
    expect(sizeFromCheckpointPath(checkpointPath(1_000_000))).toBe(1_000_000);
    expect(sizeFromCheckpointPath("checkpoints/412.txt")).toBeNull();
  });
});

describe("key rotation", () => {
  test("is signed by the old and the new key and checked against the trusted old key", () => {
    const oldK = ed25519();
    const newK = ed25519();
    const at = "2026-02-01T00:00:00Z";
    const fields = keyRotationFields(oldK.privateKey, newK.privateKey, at);
    expect(fields.old_fingerprint).toBe(keyFingerprint(oldK.publicKey));
    expect(fields.new_fingerprint).toBe(keyFingerprint(newK.publicKey));
    expect(createPublicKey(fields.new_public_key).equals(newK.publicKey)).toBe(true);
    const record = { ...fields, recorded_at: at };
    const ok = checkKeyRotation(record, oldK.publicKey);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(keyFingerprint(ok.newKey)).toBe(fields.new_fingerprint);

    const other = ed25519();
    expect(checkKeyRotation(record, other.publicKey)).toMatchObject({ reason: "unknown key" });
    expect(checkKeyRotation(record, null)).toMatchObject({ reason: "unknown key" });
    expect(
      checkKeyRotation({ ...record, recorded_at: "2026-02-02T00:00:00Z" }, oldK.publicKey),
    ).toMatchObject({
      reason: "signature invalid",
    });
    expect(
      checkKeyRotation({ ...record, signature_new: fields.signature_old }, oldK.publicKey),
    ).toMatchObject({
      reason: "signature invalid",
    });
    // Swapping in another public key breaks the fingerprint binding.
    expect(
      checkKeyRotation({ ...record, new_public_key: publicKeyPem(other.publicKey) }, oldK.publicKey),
    ).toMatchObject({
      reason: "fingerprint mismatch",
    });
    expect(checkKeyRotation({ ...record, new_public_key: "nope" }, oldK.publicKey)).toMatchObject({
      reason: "unparseable",
    });
  });
});
