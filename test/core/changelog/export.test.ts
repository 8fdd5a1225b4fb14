import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { parseCheckpoint } from "../../../src/core/changelog/checkpoint.js";
import { EXCEPTION_COLUMNS, POPULATION_COLUMNS } from "../../../src/core/changelog/export/csv.js";
import { csvCell, csvFile } from "../../../src/core/changelog/export/csv-format.js";
import { esc, reportHtml } from "../../../src/core/changelog/export/html.js";
import { type LogEntry, selectEntries, timeWindow } from "../../../src/core/changelog/export/select.js";
import { recordHash, sha256Hex } from "../../../src/core/changelog/hash.js";
import { leafHash, merkleRoot } from "../../../src/core/changelog/merkle.js";
import type { LogRecord } from "../../../src/core/changelog/types.js";
import { FIXTURE_LOG_DIR, fixtureExport } from "./export-fixture.js";

/** An RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read the exports back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) throw new Error("last record does not end in CRLF");
  return rows;
}

function objects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** The committed fixture log's lines, in order. */
function entries(): LogEntry[] {
  return ["02", "03", "04"]
    .map((month) => readFileSync(join(FIXTURE_LOG_DIR, `log/2026/${month}/part-0001.jsonl`), "utf8"))
    .flatMap((text) => text.split("\n").filter((l) => l !== ""))
    .map((line) => ({ line, record: JSON.parse(line) as LogRecord }));
}

describe("CSV cells", () => {
  test.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])("%j is neutralised with an apostrophe", (v) => {
    const cell = csvCell(v);
    const read = parseCsv(`${cell}\r\n`)[0]![0]!;
    expect(read).toBe(`'${v}`);
  });

  test.each(["plain", "a=b", "1-2", " =x", "'=x", ""])("%j is left as it is", (v) => {
    expect(parseCsv(`${csvCell(v)}\r\n`)[0]![0]).toBe(v);
  });

  test("commas, quotes and line breaks round-trip through RFC 4180 quoting", () => {
    const values = ['say "hi", then', "two\r\nlines", "lf\nonly", "x,y"];
    const file = csvFile(["a", "b", "c", "d"], [values]);
    expect(parseCsv(file)).toEqual([["a", "b", "c", "d"], values]);
    expect(file.split("\r\n").length).toBe(4); // header, row (holding one CRLF inside quotes), trailing ""
  });

  test("every record ends in CRLF; the BOM only when asked", () => {
    const file = csvFile(["h"], [["v"]]);
    expect(file).toBe("h\r\nv\r\n");
    expect(csvFile(["h"], [["v"]], { bom: true })).toBe("\uFEFFh\r\nv\r\n");
  });

  test("a row of the wrong width is refused", () => {
    expect(() => csvFile(["a", "b"], [["only one"]])).toThrow(/1 cells, header has 2/);
  });
});

describe("selection", () => {
  const seqs = (q: Parameters<typeof selectEntries>[1]) =>
    selectEntries(entries(), q).map((e) => e.record.seq);

  test("a plain --until date covers that whole day; merged changes are placed by merged_at", () => {
    // seq 8 (April) is merged at 2026-04-01T00:00:00Z: outside March even though it follows March's records.
    expect(seqs({ since: "2026-03-01", until: "2026-03-31" })).toEqual([2, 3, 4, 5, 6]);
    expect(seqs({ since: "2026-03-01", until: "2026-04-01" })).toEqual([2, 3, 4, 5, 6, 7]);
    expect(seqs({ since: "2026-03-31T23:30:00Z", until: "2026-03-31T23:30:00Z" })).toEqual([6]);
    expect(seqs({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("--repository is a glob on the full name, case-insensitive; records of no repository are left out", () => {
    expect(seqs({ repository: "acme/tools" })).toEqual([3]);
    expect(seqs({ repository: "ACME/*", since: "2026-03-01", until: "2026-03-31" })).toEqual([2, 3, 4, 5]);
    expect(seqs({ repository: "other/*" })).toEqual([]);
  });

  test("unreadable or reversed bounds throw instead of widening the population", () => {
    expect(() => timeWindow({ since: "last week" })).toThrow(/--since/);
    expect(() => timeWindow({ until: "2026-13-45" })).toThrow(/--until/);
    expect(() => timeWindow({ since: "2026-04-01", until: "2026-03-01" })).toThrow(/after/);
  });
});

describe("export files", () => {
  test("population.csv has one row per change with the record's own values", async () => {
    const files = await fixtureExport();
    const rows = objects(files["population.csv"]);
    const byId = new Map(entries().map((e) => [e.record.record_id, e.record]));
    expect(Object.keys(rows[0]!)).toEqual([...POPULATION_COLUMNS]);
    expect(rows.map((r) => r.type)).toEqual(["change.merged", "change.merged", "change.direct_push"]);
    for (const row of rows) {
      const record = byId.get(row.record_id!)!;
      expect(row.record_hash).toBe(record.record_hash);
      expect(row.record_hash).toBe(recordHash(record));
      expect(row.leaf_index).toBe(String(record.leaf_index));
      expect(row.seq).toBe(String(record.seq));
    }
    const clean = rows[0]!;
    expect(clean).toMatchObject({
      pr_number: "42",
      approvers: "alice",
      result: "pass",
      exceptions: "",
      tickets: "OPS-17",
    });
    const hostile = rows[1]!;
    expect(hostile.title!.startsWith("'=HYPERLINK(")).toBe(true);
    expect(hostile.exceptions).toBe("NO_APPROVAL; CHECKS_FAILED; GATE_FAILING_AT_MERGE");
    expect(hostile.approved_before_merge).toBe("false");
    // Its follow-up review was recorded in April, outside the period, and still shows against it.
    expect(hostile.post_review_at).toBe("2026-04-03T08:55:00Z");
    expect(rows[2]).toMatchObject({ merge_method: "force push", last_pusher: "'-admin", pr_number: "" });
  });

  test("exceptions.csv has one row per exception of every selected record", async () => {
    const files = await fixtureExport();
    const rows = objects(files["exceptions.csv"]);
    const selected = selectEntries(entries(), { since: "2026-03-01", until: "2026-03-31" });
    const expected = selected.flatMap((e) =>
      ((e.record.exceptions ?? []) as { code: string }[]).map((x) => `${e.record.record_id} ${x.code}`),
    );
    expect(Object.keys(rows[0]!)).toEqual([...EXCEPTION_COLUMNS]);
    expect(rows.map((r) => `${r.record_id} ${r.code}`)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  test("records.jsonl holds the log's own lines: their leaves and hashes recompute", async () => {
    const files = await fixtureExport();
    const lines = files["records.jsonl"].split("\n");
    expect(lines.pop()).toBe("");
    const log = readFileSync(join(FIXTURE_LOG_DIR, "log/2026/03/part-0001.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean);
    expect(lines).toEqual(log);
    for (const line of lines) {
      const record = JSON.parse(line) as LogRecord;
      expect(recordHash(record)).toBe(record.record_hash);
    }
    // With the months around it, the exported lines rebuild the Merkle root the checkpoint signed.
    const month = (m: string) =>
      readFileSync(join(FIXTURE_LOG_DIR, `log/2026/${m}/part-0001.jsonl`), "utf8")
        .split("\n")
        .filter(Boolean);
    const leaves = [...month("02"), ...lines, ...month("04")].map((l) => leafHash(l));
    const note = parseCheckpoint(readFileSync(join(FIXTURE_LOG_DIR, "checkpoints/000000000008.txt"), "utf8"));
    expect(merkleRoot(leaves).equals(note.root)).toBe(true);
  });

  test("manifest.json hashes every other file and cites the checkpoint verified against", async () => {
    const files = await fixtureExport(
      { since: "2026-03-01", until: "2026-03-31", repository: "acme/*" },
      true,
    );
    const manifest = JSON.parse(files["manifest.json"]) as {
      files: { name: string; bytes: number; sha256: string }[];
      query: Record<string, unknown>;
      log: { size: number; verified: boolean; checkpoint: { size: number; root: string; path: string } };
      csv: { bom: boolean };
      counts: { records: number; changes: number; exceptions: number };
    };
    const others = Object.keys(files).filter((n) => n !== "manifest.json");
    expect(manifest.files.map((f) => f.name)).toEqual(others.sort());
    for (const f of manifest.files) {
      const text = files[f.name as keyof typeof files];
      expect(f.sha256).toBe(sha256Hex(text));
      expect(f.bytes).toBe(Buffer.byteLength(text));
    }
    expect(manifest.query).toMatchObject({ since: "2026-03-01", until: "2026-03-31", repository: "acme/*" });
    const note = parseCheckpoint(readFileSync(join(FIXTURE_LOG_DIR, manifest.log.checkpoint.path), "utf8"));
    expect(manifest.log.checkpoint).toMatchObject({ size: note.size, root: note.root.toString("hex") });
    expect(manifest.log).toMatchObject({ size: 8, verified: true });
    expect(manifest.csv.bom).toBe(true);
    expect(files["population.csv"].startsWith("\uFEFF")).toBe(true);
    expect(manifest.counts).toEqual({ records: 4, changes: 3, exceptions: 5 });
  });
});

describe("report.html", () => {
  test("escapes everything and loads nothing", async () => {
    const html = (await fixtureExport())["report.html"];
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("\\u202e"); // the bidi override is shown, not obeyed
    expect(html).not.toMatch(/\u202e/);
    expect(html).not.toMatch(/\bsrc=|<link|@import|url\(|<iframe|<object|<embed/i);
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="exceptions"'));
    expect(html.indexOf('id="exceptions"')).toBeLessThan(html.indexOf('id="changes"'));
  });

  test("only http(s) URLs become links", () => {
    const record = {
      ...entries()[1]!.record,
      pr: { number: 1, html_url: "javascript:alert(1)", title: "t" },
    } as LogRecord;
    const html = reportHtml({
      records: [record],
      postReviews: new Map(),
      query: {},
      verification: { valid: false, text: "Result: INVALID", logSize: 1 },
      generatedAt: "2026-04-05T12:00:00Z",
      tool: { name: "t", version: "1" },
    });
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain("INVALID");
    expect(html).toContain("(no checkpoint)");
  });

  test("esc escapes markup and both quotes", () => {
    expect(esc(`<a href="x" title='y'>&`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;");
  });
});
