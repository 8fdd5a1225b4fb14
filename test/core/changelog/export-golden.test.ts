/**
 * Golden export: the fixed log in test/fixtures/changelog/export-log, verified and exported for March 2026 with
 * an injected time, must give exactly the committed files in test/fixtures/changelog/export-golden. Regenerate
 * both deliberately with UPDATE_GOLDEN=1 and review the diff.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { DirStore } from "../../../src/changelog/dir-store.js";
import { EXPORT_FILES } from "../../../src/core/changelog/export/bundle.js";
import { verifyLog } from "../../../src/core/changelog/verify.js";
import { fixtureExport, fixtureLogFiles, GOLDEN_DIR, FIXTURE_LOG_DIR as LOG_DIR } from "./export-fixture.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

if (UPDATE) {
  rmSync(LOG_DIR, { recursive: true, force: true });
  for (const [path, text] of Object.entries(fixtureLogFiles())) {
    mkdirSync(dirname(join(LOG_DIR, path)), { recursive: true });
    writeFileSync(join(LOG_DIR, path), text);
  }
}

describe("golden export of the fixed log", () => {
  test("the fixed log verifies", async () => {
    const report = await verifyLog(new DirStore(LOG_DIR));
    expect(report.first_failure).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.totals.tree_size).toBe(8);
  });

  test.each(EXPORT_FILES)("%s is byte-identical to the golden", async (name) => {
    const files = await fixtureExport();
    const golden = join(GOLDEN_DIR, name);
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(golden, files[name]);
    }
    expect(Buffer.from(files[name], "utf8").equals(readFileSync(golden))).toBe(true);
    // Shown on failure: the first differing line.
    expect(files[name]).toBe(readFileSync(golden, "utf8"));
  });
});
