import { describe, expect, test } from "@jest/globals";
import { DirStore } from "../../../src/changelog/dir-store.js";
import { logEntries } from "../../../src/core/changelog/export/entries.js";
import type { LogEntry } from "../../../src/core/changelog/export/select.js";
import { ExportIndex, ExportWriter, verifyReportText } from "../../../src/core/changelog/export/stream.js";
import { detailed, MAX_HTML_CHANGES } from "../../../src/core/changelog/export/tally.js";
import { FIXTURE_LOG_DIR } from "./export-fixture.js";

async function fixtureEntries(): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of logEntries(new DirStore(FIXTURE_LOG_DIR))) out.push(e);
  return out;
}

const settings = {
  query: { since: "2026-03-01", until: "2026-03-31" },
  verification: { valid: true, text: "Result: VALID", logSize: 8 },
  generatedAt: "2026-04-05T12:00:00Z",
  tool: { name: "agent-change-control", version: "0.0.0-test" },
};

describe("the two readings of a streaming export", () => {
  test("a second reading that selects other records than the first fails loudly", async () => {
    const entries = await fixtureEntries();
    const index = new ExportIndex(settings);
    for (const e of entries) index.add(e);
    const writer = new ExportWriter(index);
    writer.start();
    // The second reading misses one selected record (the log changed in between).
    const march = entries.findIndex((e) => index.selected(e.record));
    for (const e of entries.filter((_, i) => i !== march)) writer.add(e);
    expect(() => writer.finish()).toThrow(/the log changed while it was exported/);
  });

  test("records outside the period give no text on the second reading; records inside do", async () => {
    const entries = await fixtureEntries();
    const index = new ExportIndex(settings);
    for (const e of entries) index.add(e);
    const writer = new ExportWriter(index);
    writer.start();
    for (const e of entries) {
      const chunks = writer.add(e);
      const r = e.record;
      const time =
        r.type === "change.merged"
          ? r.merged_at
          : r.type === "change.direct_push"
            ? r.pushed_at
            : r.recorded_at;
      const inMarch = String(time).startsWith("2026-03");
      expect(chunks === undefined).toBe(!inMarch);
      if (chunks) expect(chunks["records.jsonl"]).toBe(`${e.line}\n`);
    }
    expect(writer.finish()["report.html"]).toMatch(/<\/html>\n$/);
    expect(writer.manifestMeta().counts.records).toBe(index.tally.records);
  });

  test("verify-report.txt ends in one newline", () => {
    expect(verifyReportText("a")).toBe("a\n");
    expect(verifyReportText("a\n")).toBe("a\n");
    expect(verifyReportText("")).toBe("");
  });
});

describe("which changes report.html details", () => {
  test("under the cap, every change", () => {
    expect(detailed(false, MAX_HTML_CHANGES - 11, 10)).toBe(true);
    expect(detailed(true, 9, 10)).toBe(true);
  });

  test("changes with exceptions take the places first", () => {
    expect(detailed(false, MAX_HTML_CHANGES - 10, 10)).toBe(false);
    expect(detailed(false, 0, MAX_HTML_CHANGES)).toBe(false);
    expect(detailed(false, 0, MAX_HTML_CHANGES + 5)).toBe(false);
    expect(detailed(true, MAX_HTML_CHANGES - 1, MAX_HTML_CHANGES + 5)).toBe(true);
    expect(detailed(true, MAX_HTML_CHANGES, MAX_HTML_CHANGES + 5)).toBe(false);
  });
});
