import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, test } from "@jest/globals";
import {
  checkpointNoteFromRecord,
  checkpointRecordDraft,
  makeCheckpoint,
} from "../../../src/core/changelog/checkpoint.js";
import { checkKeyRotation, keyFingerprint, keyRotationFields } from "../../../src/core/changelog/keys.js";
import {
  type CheckpointFacts,
  checkpointRecord,
  directPushRecord,
  isOverdue,
  keyRotatedRecord,
  policyChangedRecord,
  postReviewRecord,
  reconcileRunRecord,
} from "../../../src/core/changelog/records/index.js";
import {
  codes,
  directPushFacts,
  policyChangedFacts,
  postReviewFacts,
  reconcileFacts,
} from "./records-fixtures.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("change.direct_push", () => {
  test("is always an exception; the commit message is hashed, never stored", () => {
    const f = directPushFacts();
    const r = directPushRecord(f);
    expect(r.record_id).toBe(`1296269:push:${f.before}..${f.after}`);
    expect(codes(r)).toEqual(["DIRECT_PUSH"]);
    expect(r.result).toBe("exception");
    expect(r.commits).toEqual([
      { sha: f.after, author_login: "admin", committer_login: "admin", message_sha256: sha("hotfix prompt") },
    ]);
    expect(JSON.stringify(r)).not.toContain("hotfix prompt");
  });

  test("a force push adds FORCE_PUSH; an unknown pusher is null", () => {
    const r = directPushRecord(directPushFacts({ forced: true, pusher: null }));
    expect(codes(r)).toEqual(["DIRECT_PUSH", "FORCE_PUSH"]);
    expect(r.pusher).toBeNull();
  });
});

describe("change.post_review", () => {
  test("refers to the reviewed record by id and hash, with the notes hashed", () => {
    const f = postReviewFacts();
    const r = postReviewRecord(f);
    expect(r.refers_to).toEqual(f.refers_to);
    expect(r.record_id).toBe(`${f.refers_to.record_id}:post-review:555`);
    expect(r.notes_sha256).toBe(sha(f.notes));
    expect(r.overdue).toBe(false);
    expect(r.result).toBe("pass");
  });

  test.each([
    ["2026-03-04T23:59:59Z", false],
    ["2026-03-05T00:00:00Z", true],
    ["2026-03-03T08:00:00Z", false],
  ])("reviewed at %s with the review due on 2026-03-04: overdue %s", (reviewedAt, overdue) => {
    expect(isOverdue(reviewedAt, "2026-03-04")).toBe(overdue);
    const r = postReviewRecord(postReviewFacts({ reviewed_at: reviewedAt }));
    expect(r.overdue).toBe(overdue);
    expect(codes(r)).toEqual(overdue ? ["POST_REVIEW_OVERDUE"] : []);
  });

  test("a rejected change is an exception", () => {
    expect(codes(postReviewRecord(postReviewFacts({ outcome: "rejected" })))).toEqual([
      "POST_REVIEW_REJECTED",
    ]);
  });
});

describe("policy.changed", () => {
  test("a revert to earlier content is a new record; a redelivered event is the same record", () => {
    const a = policyChangedRecord(policyChangedFacts());
    const again = policyChangedRecord(policyChangedFacts());
    const revert = policyChangedRecord(
      policyChangedFacts({ before: "7".repeat(40), after: "5".repeat(40), commit_sha: "9".repeat(40) }),
    );
    expect(again.record_id).toBe(a.record_id);
    expect(revert.record_id).not.toBe(a.record_id);
  });

  test("a deleted file has after null; a ruleset change without a commit is keyed by its time", () => {
    const r = policyChangedRecord(
      policyChangedFacts({
        subject: { kind: "ruleset", name: "42" },
        after: null,
        commit_sha: undefined,
        pr_number: undefined,
      }),
    );
    expect(r).toMatchObject({ after: null, commit_sha: null, pr_number: null });
    expect(r.record_id).toBe("1296269:policy:ruleset:42:2026-03-05T09:59:00Z");
  });
});

describe("log.reconcile_run", () => {
  test("keeps the query parameters (sorted repositories) and the counts", () => {
    const r = reconcileRunRecord(reconcileFacts());
    expect((r.query as { repositories: string[] }).repositories).toEqual(["acme/agents", "acme/web"]);
    expect(r.counts).toEqual(reconcileFacts().counts);
    expect(r.result).toBe("pass");
  });

  test("missing records not backfilled and duplicates are exceptions", () => {
    const r = reconcileRunRecord(
      reconcileFacts({
        counts: { source: 10, logged: 7, missing: 3, backfilled: 1, direct_pushes: 0, duplicates: 2 },
      }),
    );
    expect(codes(r)).toEqual(["RECORDS_MISSING", "DUPLICATE_RECORDS"]);
    expect((r.exceptions as { detail: string }[])[0]!.detail).toMatch(/^2 change/);
  });
});

describe("log.key_rotated and log.checkpoint use the integrity core's signed fields", () => {
  const oldKey = generateKeyPairSync("ed25519");
  const newKey = generateKeyPairSync("ed25519");

  test("a rotation record built from keyRotationFields verifies with the old key", () => {
    const at = "2026-03-06T00:00:00Z";
    const r = keyRotatedRecord({
      ...keyRotationFields(oldKey.privateKey, newKey.privateKey, at),
      recorded_at: at,
    });
    expect(r.record_id).toBe(`key:${keyFingerprint(newKey.publicKey)}`);
    expect(checkKeyRotation(r, oldKey.publicKey).ok).toBe(true);
    expect(checkKeyRotation({ ...r, recorded_at: "2026-03-07T00:00:00Z" }, oldKey.publicKey).ok).toBe(false);
  });

  test("a checkpoint record equals the integrity core's draft and rebuilds the signed note", () => {
    const note = makeCheckpoint(
      {
        origin: "cc8.example/acme/agents",
        size: 3,
        root: "d".repeat(64),
        lastHash: "e".repeat(64),
        time: "2026-03-06T01:00:00Z",
      },
      oldKey.privateKey,
    );
    const draft = checkpointRecordDraft(note, keyFingerprint(oldKey.publicKey), "2026-03-06T01:00:01Z");
    const { schema: _s, type: _t, record_id: _id, ...fields } = draft;
    const r = checkpointRecord(fields as unknown as CheckpointFacts);
    expect(r).toEqual(draft);
    expect(checkpointNoteFromRecord(r)).toBe(note);
  });
});
