import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { indexPath, MAX_PART_BYTES, nextPart } from "../../src/changelog/layout.js";
import { ConflictError } from "../../src/changelog/store.js";
import { appendRecords } from "../../src/changelog/writer.js";
import { RECORDS_PER_PART } from "../../src/core/changelog/types.js";
import { verifyLog } from "../../src/core/changelog/verify.js";
import { collect, mergeDraft, ORIGIN, signingKey } from "./helpers.js";

const tmp = () => mkdtempSync(join(tmpdir(), "acc-log-"));
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("DirStore", () => {
  test("commits atomically on the expected version; a stale version writes nothing", async () => {
    const store = new DirStore(tmp());
    expect(await store.snapshot()).toEqual({ version: "", state: undefined });
    const v1 = await store.commit(
      "",
      [
        { path: "log/2026/03/part-0001.jsonl", append: "a\n" },
        { path: "state.json", content: '{"size":1}' },
      ],
      "m",
    );
    expect(v1).toBe(sha('{"size":1}'));
    const v2 = await store.commit(
      v1,
      [
        { path: "log/2026/03/part-0001.jsonl", append: "b\n" },
        { path: "state.json", content: '{"size":2}' },
      ],
      "m",
    );
    await expect(
      store.commit(
        v1,
        [
          { path: "log/2026/03/part-0001.jsonl", append: "c\n" },
          { path: "state.json", content: "{}" },
        ],
        "m",
      ),
    ).rejects.toThrow(ConflictError);
    expect(await collect(store.readLines("log/2026/03/part-0001.jsonl"))).toEqual(["a", "b"]);
    expect((await store.snapshot()).version).toBe(v2);
    expect(await store.listRecordFiles()).toEqual(["log/2026/03/part-0001.jsonl"]);
    await expect(store.commit(v2, [{ path: "../escape", content: "x" }], "m")).rejects.toThrow(
      /inside the log/,
    );
  });

  test("a live lock is a conflict; a lock left by a dead process is taken over", async () => {
    const root = tmp();
    const store = new DirStore(root);
    writeFileSync(join(root, ".lock"), String(process.pid));
    await expect(store.commit("", [{ path: "state.json", content: "{}" }], "m")).rejects.toThrow(/locked/);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(root, ".lock"), String(dead));
    await store.commit("", [{ path: "state.json", content: "{}" }], "m");
    expect(existsSync(join(root, ".lock"))).toBe(false);
  });

  test("a commit interrupted after its journal is finished by the next writer", async () => {
    const root = tmp();
    const store = new DirStore(root);
    const v1 = await store.commit("", [{ path: "state.json", content: "1" }], "m");
    // The crash: temporary files and the journal written, nothing renamed yet.
    writeFileSync(join(root, ".state.json.x.tmp"), "2");
    writeFileSync(join(root, ".p.x.tmp"), "line\n");
    writeFileSync(
      join(root, ".commit"),
      JSON.stringify([
        { tmp: ".p.x.tmp", path: "p" },
        { tmp: ".state.json.x.tmp", path: "state.json" },
      ]),
    );
    await expect(store.commit(v1, [{ path: "state.json", content: "3" }], "m")).rejects.toThrow(
      ConflictError,
    );
    expect(readFileSync(join(root, "state.json"), "utf8")).toBe("2");
    expect(readFileSync(join(root, "p"), "utf8")).toBe("line\n");
    expect(existsSync(join(root, ".commit"))).toBe(false);
  });

  test("readLines splits at \\n only, across read chunks", async () => {
    const root = tmp();
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i}}`);
    lines[5] = '{"n":5}\r';
    writeFileSync(join(root, "f.jsonl"), `${lines.join("\n")}\n`);
    expect(await collect(new DirStore(root).readLines("f.jsonl"))).toEqual(lines);
  });

  test("the writer on a directory: verifiable, idempotent, indexed", async () => {
    const root = tmp();
    const opts = {
      signingKey: signingKey(),
      origin: ORIGIN,
      now: () => new Date("2026-03-02T00:00:00Z"),
      checkpointEvery: 2,
    };
    const first = await appendRecords(
      new DirStore(root),
      [mergeDraft(1), mergeDraft(2), mergeDraft(3)],
      opts,
    );
    expect(first.checkpoints).toEqual([2, 4]); // records 1 2 cp 3 cp
    const again = await appendRecords(new DirStore(root), [mergeDraft(3)], opts);
    expect(again.written).toEqual([]);
    expect(existsSync(join(root, ...indexPath(mergeDraft(3).record_id).split("/")))).toBe(true);
    const report = await verifyLog(new DirStore(root));
    expect(report.ok).toBe(true);
    expect(report.totals.tree_size).toBe(5);
  });
});

describe("layout", () => {
  test("index paths: change.merged ids by repository and PR, others hashed", () => {
    expect(indexPath(`7:12:${"ab".repeat(20)}`)).toBe(`index/7/12-${"ab".repeat(20)}.json`);
    expect(indexPath("reconcile:../../x")).toMatch(/^index\/other\/[0-9a-f]{64}\.json$/);
  });

  test("a shard closes at RECORDS_PER_PART records or MAX_PART_BYTES, and opens with a new month", () => {
    const part = { path: "log/2026/03/part-0001.jsonl", records: 5, bytes: 100 };
    expect(nextPart(undefined, "2026-03-01T00:00:00Z", 10)).toEqual({
      path: "log/2026/03/part-0001.jsonl",
      records: 0,
      bytes: 0,
    });
    expect(nextPart(part, "2026-03-09T00:00:00Z", 10)).toBe(part);
    expect(nextPart(part, "2026-02-09T00:00:00Z", 10)).toBe(part);
    expect(nextPart(part, "2026-04-01T00:00:00Z", 10).path).toBe("log/2026/04/part-0001.jsonl");
    expect(nextPart({ ...part, records: RECORDS_PER_PART }, "2026-03-09T00:00:00Z", 10).path).toBe(
      "log/2026/03/part-0002.jsonl",
    );
    expect(nextPart({ ...part, bytes: MAX_PART_BYTES - 10 }, "2026-03-09T00:00:00Z", 10).path).toBe(
      part.path,
    );
    expect(nextPart({ ...part, bytes: MAX_PART_BYTES - 9 }, "2026-03-09T00:00:00Z", 10).path).toBe(
      "log/2026/03/part-0002.jsonl",
    );
    // A record larger than a whole shard still goes into an empty one.
    expect(nextPart({ ...part, records: 0, bytes: 0 }, "2026-03-09T00:00:00Z", MAX_PART_BYTES * 2).path).toBe(
      part.path,
    );
  });
});
