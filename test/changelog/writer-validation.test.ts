import { describe, expect, test } from "@jest/globals";
import { FakeGitBackend } from "../../src/changelog/fake-git.js";
import { appendRecords, InvalidDraftError } from "../../src/changelog/writer.js";
import { backfilledMergedRecord } from "../../src/core/changelog/records/backfilled-merged.js";
import type { RecordDraft } from "../../src/core/changelog/types.js";
import { backfilledFacts } from "../core/changelog/records-fixtures.js";
import { mergeDraft, ORIGIN, signingKey } from "./helpers.js";

const key = signingKey();
const opts = { signingKey: key, origin: ORIGIN, now: () => new Date("2026-03-01T12:00:00Z") };

/** A webhook merge whose approvals GitHub-side field is null: not a valid record. */
function nullApprovals(n: number): RecordDraft {
  return { ...mergeDraft(n), approvals: null } as RecordDraft;
}

describe("appendRecords validates every draft against the record schema before sealing", () => {
  test("an invalid draft is refused with its record id and problems, and nothing is written", async () => {
    const store = new FakeGitBackend();
    await appendRecords(store, [mergeDraft(1)], opts);
    const version = store.version;
    const files = new Map(store.files());
    const bad = nullApprovals(2);
    const failure = appendRecords(store, [mergeDraft(3), bad], opts);
    await expect(failure).rejects.toThrow(InvalidDraftError);
    await expect(failure).rejects.toThrow(
      new RegExp(`record ${bad.record_id} does not satisfy .*/approvals must be array.*nothing was written`),
    );
    const error = (await failure.catch((e: unknown) => e)) as InvalidDraftError;
    expect(error.recordId).toBe(bad.record_id);
    expect(error.problems).toContain("/approvals must be array");
    // Neither the valid draft before it nor the invalid one reached the store.
    expect(store.version).toBe(version);
    expect(store.messages).toHaveLength(1);
    expect(store.files()).toEqual(files);
  });

  test("a draft missing a required field is refused", async () => {
    const store = new FakeGitBackend();
    const { verdicts: _dropped, ...rest } = mergeDraft(4) as RecordDraft & { verdicts: unknown };
    await expect(appendRecords(store, [rest as RecordDraft], opts)).rejects.toThrow(
      /required property 'verdicts'/,
    );
    expect(await store.listRecordFiles()).toEqual([]);
    expect(store.messages).toHaveLength(0);
  });

  test("the schema option replaces the package's schema", async () => {
    const store = new FakeGitBackend();
    const onlyPolicyChanges = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      required: ["type"],
      properties: { type: { const: "policy.changed" } },
    };
    await expect(
      appendRecords(store, [mergeDraft(5)], { ...opts, schema: onlyPolicyChanges }),
    ).rejects.toThrow(InvalidDraftError);
    expect(store.messages).toHaveLength(0);
  });

  test("valid drafts, a backfilled merge among them, are written", async () => {
    const store = new FakeGitBackend();
    const backfilled = backfilledMergedRecord(backfilledFacts());
    const result = await appendRecords(store, [mergeDraft(6), backfilled], opts);
    expect(result.written.map((r) => r.record_id)).toEqual([mergeDraft(6).record_id, backfilled.record_id]);
  });
});
