/**
 * report.html rendered by a real browser (headless Chromium over the DevTools pipe): the summary and the
 * exceptions section exist, are rendered (not display:none, visibility:hidden, transparent, zero-sized, clipped
 * away or off the page) on screen and in print media, the report loads nothing but itself, and the hostile
 * title shows as text. Skips, saying why, only where no Chromium-family browser can be found (.ci/run installs
 * Debian's `chromium`).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { fixtureExport } from "../core/changelog/export-fixture.js";
import { Chromium, findChromium } from "./cdp-pipe.js";

const browser = findChromium();
if (!browser) {
  console.warn(
    "SKIPPED report-chromium: no chromium, chromium-browser or google-chrome on PATH (set CHROMIUM_PATH, or apt-get install chromium)",
  );
}
const suite = browser ? describe : describe.skip;

/** Runs in the page: how each section is actually rendered. */
const PROBE = `(() => {
  const hiddenBy = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none") return "display:none on " + (e.id || e.tagName);
      if (s.visibility !== "visible" && e === el) return "visibility:" + s.visibility;
      if (Number(s.opacity) === 0) return "opacity:0 on " + (e.id || e.tagName);
      if (s.clipPath && s.clipPath !== "none") return "clip-path on " + (e.id || e.tagName);
      if (s.contentVisibility === "hidden") return "content-visibility on " + (e.id || e.tagName);
    }
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return "zero size";
    if (r.right <= 0 || r.bottom <= 0 || r.left >= document.documentElement.scrollWidth) return "off the page";
    const s = getComputedStyle(el);
    if (s.color === s.backgroundColor) return "text colour equals background";
    return null;
  };
  const probe = (id) => {
    const el = document.getElementById(id);
    if (!el) return { found: false };
    const h = el.querySelector("h2");
    return { found: true, hiddenBy: hiddenBy(el), headingHiddenBy: h ? hiddenBy(h) : "no heading", heading: h ? h.innerText : "", text: el.innerText };
  };
  const order = ["summary", "exceptions", "changes"].map((id) => document.getElementById(id))
    .map((el) => (el ? el.getBoundingClientRect().top + window.scrollY : -1));
  return { summary: probe("summary"), exceptions: probe("exceptions"), order, scripts: document.scripts.length,
    title: document.querySelector("#change-3 h3") ? document.querySelector("#change-3 h3").innerText : "" };
})()`;

interface Probe {
  found: boolean;
  hiddenBy?: string | null;
  headingHiddenBy?: string | null;
  heading?: string;
  text?: string;
}
interface Result {
  summary: Probe;
  exceptions: Probe;
  order: number[];
  scripts: number;
  title: string;
}

suite("report.html in headless Chromium", () => {
  let chromium: Chromium;
  let dir: string;
  let session: string;
  let requests: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "acc-report-"));
    const files = await fixtureExport();
    const path = join(dir, "report.html");
    writeFileSync(path, files["report.html"]);
    chromium = new Chromium(browser!);
    const { targetInfos } = await chromium.send<{ targetInfos: { targetId: string; type: string }[] }>(
      "Target.getTargets",
    );
    const page = targetInfos.find((t) => t.type === "page")!;
    ({ sessionId: session } = await chromium.send<{ sessionId: string }>("Target.attachToTarget", {
      targetId: page.targetId,
      flatten: true,
    }));
    const seen = chromium.record();
    await chromium.send("Page.enable", {}, session);
    await chromium.send("Network.enable", {}, session);
    await chromium.until("Page.loadEventFired", () =>
      chromium.send("Page.navigate", { url: pathToFileURL(path).href }, session),
    );
    requests = seen
      .filter((m) => m.method === "Network.requestWillBeSent")
      .map((m) => (m.params as { request: { url: string } }).request.url);
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function probe(media: "screen" | "print"): Promise<Result> {
    await chromium.send("Emulation.setEmulatedMedia", { media }, session);
    const out = await chromium.send<{ result: { value: Result } }>(
      "Runtime.evaluate",
      { expression: PROBE, returnByValue: true },
      session,
    );
    return out.result.value;
  }

  test.each(["screen", "print"] as const)("summary and exceptions are visible (%s media)", async (media) => {
    const r = await probe(media);
    expect(r.summary).toMatchObject({
      found: true,
      hiddenBy: null,
      headingHiddenBy: null,
      heading: "Summary",
    });
    expect(r.exceptions).toMatchObject({
      found: true,
      hiddenBy: null,
      headingHiddenBy: null,
      heading: "Exceptions (6)",
    });
    expect(r.summary.text).toContain("VALID");
    expect(r.summary.text).toContain("2026-03-01T00:00:00.000Z to 2026-03-31T23:59:59.999Z");
    for (const code of ["NO_APPROVAL", "CHECKS_FAILED", "DIRECT_PUSH", "FORCE_PUSH", "RECORDS_MISSING"]) {
      expect(r.exceptions.text).toContain(code);
    }
    // Summary first, exceptions next, then the changes.
    expect(r.order[0]!).toBeGreaterThanOrEqual(0);
    expect(r.order[0]!).toBeLessThan(r.order[1]!);
    expect(r.order[1]!).toBeLessThan(r.order[2]!);
  });

  test("nothing is loaded but the report itself, and no script runs", async () => {
    const r = await probe("screen");
    expect(r.scripts).toBe(0);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith("file:") && u.endsWith("/report.html"))).toBe(true);
  });

  test("a hostile title is shown as text", async () => {
    const r = await probe("screen");
    expect(r.title).toContain("<script>alert(1)</script>");
    expect(r.title).toContain("\\u202e");
  });
});
