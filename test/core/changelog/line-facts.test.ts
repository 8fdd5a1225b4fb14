/** The per-line half of verification (what the worker threads compute), from the TypeScript sources. */
import { describe, expect, test } from "@jest/globals";
import {
  CANONICAL,
  FactsBuilder,
  HASH_OK,
  LEAF_INDEX_OK,
  lineFacts,
} from "../../../src/core/changelog/line-facts.js";
import { leafHash } from "../../../src/core/changelog/merkle.js";
import { buildLog } from "./log-fixture.js";

const ALL = CANONICAL | LEAF_INDEX_OK | HASH_OK;

function sealedLines(): string[] {
  return buildLog(12, 5, 10)
    .allLines()
    .map((l) => l.text);
}

describe("lineFacts", () => {
  test("an intact line: every flag, its seq, hashes, time, and the record for typed records only", () => {
    const lines = sealedLines();
    const b = lineFacts(lines);
    expect(b.n).toBe(lines.length);
    for (const [i, line] of lines.entries()) {
      const r = JSON.parse(line);
      expect(b.flags[i]).toBe(ALL);
      expect(b.seqs[i]).toBe(r.seq);
      expect(b.claimed[i]).toBe(r.record_hash);
      expect(b.prev[i]).toBe(r.prev_hash);
      expect(b.recordedAt[i]).toBe(r.recorded_at);
      expect(Buffer.from(b.leaves.subarray(32 * i, 32 * i + 32))).toEqual(leafHash(line));
    }
    const typed = lines.flatMap((l, i) => (JSON.parse(l).type === "log.checkpoint" ? [i] : []));
    expect(typed.length).toBeGreaterThan(0);
    expect(b.typed.map(([i]) => i)).toEqual(typed);
    expect(b.typed.map(([, r]) => r)).toEqual(typed.map((i) => JSON.parse(lines[i]!)));
  });

  test("broken lines: unparseable, not canonical, hash and leaf index flags, odd field types", () => {
    const [a, b, c, d, e] = sealedLines();
    const lines = [
      "{not json",
      "[1,2]",
      a!.replace('"seq":1', '"seq":"1"'),
      b!.replace(/^\{/, "{ "),
      c!.replace(/"login":"bob"/, '"login":"eve"'),
      d!.replace('"leaf_index":3', '"leaf_index":9'),
      e!
        .replace(/"recorded_at":"[^"]*"/, '"recorded_at":5')
        .replace(/"prev_hash":"[^"]*"/, '"prev_hash":null'),
    ];
    expect(new Set(lines).size).toBe(lines.length);
    const f = lineFacts(lines);
    expect([...f.seqs.subarray(0, 3)]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(f.claimed.slice(0, 3)).toEqual(["", "", ""]);
    expect(f.flags[3]! & CANONICAL).toBe(0);
    expect(f.flags[4]).toBe(CANONICAL | LEAF_INDEX_OK);
    expect(f.flags[5]).toBe(CANONICAL);
    // An edited value no longer hashes to record_hash; fields of the wrong type are passed on as null.
    expect(f.flags[6]! & HASH_OK).toBe(0);
    expect(f.recordedAt[6]).toBeNull();
    expect(f.prev[6]).toBeNull();
    for (const [i, line] of lines.entries())
      expect(Buffer.from(f.leaves.subarray(32 * i, 32 * i + 32))).toEqual(leafHash(line));
  });

  test("the builder hands out full batches and starts afresh", () => {
    const lines = sealedLines();
    const builder = new FactsBuilder(4);
    const batches = [];
    for (const line of lines) {
      builder.add(line);
      if (builder.full) batches.push(builder.take());
    }
    if (builder.size > 0) batches.push(builder.take());
    expect(batches.map((x) => x.n)).toEqual([4, 4, 4, lines.length - 12]);
    expect(batches.flatMap((x) => [...x.seqs])).toEqual([...lineFacts(lines).seqs]);
    expect(batches.flatMap((x) => x.claimed)).toEqual(lineFacts(lines).claimed);
  });
});
