import { describe, expect, test } from "@jest/globals";
import { canonicalJson } from "../../../src/core/changelog/canonical.js";
import { recordHash } from "../../../src/core/changelog/hash.js";
import { leafHash, MerkleFrontier, merkleRoot } from "../../../src/core/changelog/merkle.js";
import { emptyLogState, SealError, sealRecords } from "../../../src/core/changelog/seal.js";
import { GENESIS_HASH, type RecordDraft } from "../../../src/core/changelog/types.js";
import { mergedDraft } from "./log-fixture.js";

describe("sealRecords", () => {
  test("numbers, chains and hashes records from an empty log", () => {
    const drafts = [1, 2, 3].map(mergedDraft);
    const { records, lines, state } = sealRecords(emptyLogState(), drafts);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.leaf_index)).toEqual([0, 1, 2]);
    expect(records[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(records[1]!.prev_hash).toBe(records[0]!.record_hash);
    expect(records[2]!.prev_hash).toBe(records[1]!.record_hash);
    for (const [i, r] of records.entries()) {
      expect(r.record_hash).toBe(recordHash(r));
      expect(lines[i]).toBe(canonicalJson(r));
      expect(JSON.parse(lines[i]!)).toEqual(r);
      expect(r.pr).toEqual(drafts[i]!.pr);
    }
    expect(state.size).toBe(3);
    expect(state.last_hash).toBe(records[2]!.record_hash);
    const root = merkleRoot(lines.map((l) => leafHash(l)));
    expect(MerkleFrontier.from(state.frontier, 3).root().equals(root)).toBe(true);
  });

  test("sealing in batches gives the same lines and state as sealing at once", () => {
    const drafts = Array.from({ length: 13 }, (_, i) => mergedDraft(i + 1));
    const once = sealRecords(emptyLogState(), drafts);
    let state = emptyLogState();
    const lines: string[] = [];
    for (const batch of [drafts.slice(0, 1), drafts.slice(1, 8), [], drafts.slice(8)]) {
      const r = sealRecords(state, batch);
      state = r.state;
      lines.push(...r.lines);
    }
    expect(lines).toEqual(once.lines);
    expect(state).toEqual(once.state);
  });

  test("keeps the writer's fields of the state and does not mutate its inputs", () => {
    const start = {
      ...emptyLogState(),
      last_checkpoint_size: 0,
      current_part: { path: "log/x.jsonl", records: 0 },
    };
    const draft = mergedDraft(1);
    const copy = structuredClone(draft);
    const { state } = sealRecords(start, [draft]);
    expect(state.current_part).toEqual(start.current_part);
    expect(start.size).toBe(0);
    expect(draft).toEqual(copy);
  });

  test("rejects drafts the log cannot seal", () => {
    const bad: Array<[Partial<RecordDraft> & Record<string, unknown>, RegExp]> = [
      [{ ...mergedDraft(1), schema: "other/1" as never }, /schema/],
      [{ ...mergedDraft(1), type: "change.unknown" as never }, /unknown type/],
      [{ ...mergedDraft(1), record_id: "" }, /record_id/],
      [{ ...mergedDraft(1), recorded_at: "2026-01-01 10:00" }, /recorded_at/],
      [{ ...mergedDraft(1), seq: 5 }, /seq is set by the log/],
      [{ ...mergedDraft(1), record_hash: "00" }, /record_hash is set by the log/],
      [{ ...mergedDraft(1), risk_score: 0.5 }, /safe integer.*\/risk_score/],
    ];
    for (const [draft, message] of bad) {
      expect(() => sealRecords(emptyLogState(), [draft as RecordDraft])).toThrow(message);
    }
    expect(() => sealRecords(emptyLogState(), [mergedDraft(1), { ...mergedDraft(2), seq: 1 }])).toThrow(
      SealError,
    );
  });

  test("rejects an inconsistent state", () => {
    expect(() => sealRecords({ ...emptyLogState(), size: 2 }, [mergedDraft(1)])).toThrow(/frontier/);
    expect(() => sealRecords({ ...emptyLogState(), last_hash: "xyz" }, [mergedDraft(1)])).toThrow(
      /last_hash/,
    );
    expect(() => sealRecords({ ...emptyLogState(), size: -1 }, [])).toThrow(/size/);
  });
});
