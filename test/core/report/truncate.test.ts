import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../../src/core/evaluate.js";
import { defaultPolicy } from "../../../src/core/policy/resolve.js";
import { markdownReport, omittedReportItems } from "../../../src/core/report/markdown.js";
import { clip, truncateMarkdown } from "../../../src/core/report/truncate.js";
import type { FileChange } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";
import { CTX } from "./fixtures.js";

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const BROKEN_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The lines before the note: blank-line separated from it, with any closers in between. */
function keptLines(out: string): string[] {
  const at = out.lastIndexOf("\n\n… ");
  return at < 0 ? [] : out.slice(0, at).split("\n");
}

/** `n` numbered lines of emoji-heavy text, each a different length. */
const emojiLines = (n: number) =>
  `${Array.from({ length: n }, (_, i) => `line ${i} ${"😀é".repeat(i % 7)}`).join("\n")}\n`;

describe("truncateMarkdown", () => {
  test("returns the input unchanged when it fits", () => {
    const md = emojiLines(5);
    expect(truncateMarkdown(md, md.length)).toBe(md);
    expect(truncateMarkdown(md, md.length + 100, () => "never")).toBe(md);
  });

  test("cuts at a line boundary, within the limit, never inside a surrogate pair, counting what it left", () => {
    const md = emojiLines(60);
    const lines = md.split("\n").slice(0, -1);
    for (let limit = 1; limit < md.length; limit += 7) {
      const out = truncateMarkdown(md, limit);
      expect(out.length).toBeLessThanOrEqual(limit);
      expect(out).not.toMatch(BROKEN_SURROGATE);
      if (limit < 250) continue; // too small for even the note: it is clipped
      const kept = keptLines(out);
      expect(kept).toEqual(lines.slice(0, kept.length));
      const left = lines.length - kept.length;
      expect(out).toContain(`\n\n… ${left} more line${left === 1 ? "" : "s"} not shown; run \``);
      expect(out.endsWith(" locally for the full report\n")).toBe(true);
    }
  });

  test("keeps as many lines as fit", () => {
    const md = emojiLines(60);
    expect(md.length).toBeGreaterThan(800);
    const out = truncateMarkdown(md, 800);
    const kept = keptLines(out).length;
    expect(kept).toBeGreaterThan(0);
    const next = md.split("\n")[kept]!;
    // One more line (and the note's count one smaller) would not have fitted.
    expect(out.length + next.length + 1).toBeGreaterThan(800);
  });

  test("the note says what the cut lines held, as `what` describes them", () => {
    const md = emojiLines(40);
    let seen: string[] = [];
    const out = truncateMarkdown(md, 600, (omitted) => {
      seen = omitted;
      return `${omitted.length} things`;
    });
    const lines = md.split("\n").slice(0, -1);
    expect(seen).toEqual(lines.slice(lines.length - seen.length));
    expect(keptLines(out).length + seen.length).toBe(lines.length);
    expect(out).toContain(`… ${seen.length} more lines not shown (${seen.length} things); run`);
  });

  test("closes an open <details> (and a code fence) before the note", () => {
    const body = Array.from({ length: 50 }, (_, i) => `| row ${i} | x |`);
    const md = [
      "# t",
      "",
      "<details><summary>s</summary>",
      "",
      ...body,
      "",
      "</details>",
      "",
      "end",
      "",
    ].join("\n");
    const out = truncateMarkdown(md, 400);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out).toMatch(/\| x \|\n\n<\/details>\n\n… \d+ more lines not shown/);
    expect(out.match(/<details>/g)).toHaveLength(1);
    expect(out.match(/<\/details>/g)).toHaveLength(1);

    const fenced = ["intro", "```yaml", ...body, "```", "after", ""].join("\n");
    const cut = truncateMarkdown(fenced, 300);
    expect(cut).toMatch(/\| x \|\n\n```\n\n… \d+ more lines not shown/);
    // Outside a fence, no closer is added.
    expect(truncateMarkdown(body.join("\n"), 300)).toMatch(/\| x \|\n\n… \d+ more lines not shown/);
  });

  test("a <details> closed before the cut is not closed again", () => {
    const md = [
      "<details><summary>a</summary>",
      "x",
      "</details>",
      ...Array.from({ length: 50 }, () => "y".repeat(20)),
    ].join("\n");
    const out = truncateMarkdown(md, 300);
    expect(out.match(/<\/details>/g)).toHaveLength(1);
  });

  test("a limit smaller than the note still holds, without a broken surrogate", () => {
    const md = emojiLines(10);
    for (const limit of [0, 1, 10, 50]) {
      const out = truncateMarkdown(md, limit, () => "😀".repeat(40));
      expect(out.length).toBeLessThanOrEqual(limit);
      expect(out).not.toMatch(BROKEN_SURROGATE);
    }
  });

  test("a line longer than the limit is left out whole", () => {
    const md = `short\n${"z".repeat(5000)}\nlast\n`;
    const out = truncateMarkdown(md, 400);
    expect(out).toMatch(/^short\n\n… 2 more lines not shown;/);
    expect(out).not.toContain("zzz");
  });
});

describe("clip", () => {
  test("cuts to the limit, the mark included, never between the halves of a pair", () => {
    expect(clip("abcdef", 6)).toBe("abcdef");
    expect(clip("abcdef", 4)).toBe("abc…");
    expect(clip("ab😀cd", 4)).toBe("ab…");
    expect(clip("ab😀cd", 5)).toBe("ab😀…");
    expect(clip("ab😀cd", 3, "")).toBe("ab");
    expect(clip("abc", 0)).toBe("");
  });
});

describe("a cut-off report says what it left out", () => {
  function mcpChange(n: number, tail: string): FileChange {
    const servers = Array.from(
      { length: n },
      (_, i) => `    "s${i}": { "command": "npx", "args": ["-y", "p${i}"] }`,
    );
    const text = `{\n  "mcpServers": {\n${servers.join(",\n")}\n  }${tail}\n}\n`;
    const data = new TextEncoder().encode(text);
    return { path: ".mcp.json", status: "added", after: { size: data.length, data } };
  }

  test("counts of findings, validation messages and changes match the rows that are missing", () => {
    const ev = evaluateChange({
      changes: [mcpChange(60, ',\n  "extra": 1, "other": 2')],
      policy: defaultPolicy(),
      schemas: builtinSchemas(),
    });
    const md = markdownReport(ev, CTX);
    const rows = (text: string, start: RegExp) => text.split("\n").filter((l) => start.test(l)).length;
    for (const limit of [600, 1500, 4000, 9000, 20000]) {
      const out = truncateMarkdown(md, limit, omittedReportItems(md));
      expect(out.length).toBeLessThanOrEqual(limit);
      const missing = {
        finding: rows(md, /^\| `MCP-/) - rows(out, /^\| `MCP-/),
        "validation message":
          rows(md, /^\| (❌ error|⚠️ warning) \|/) - rows(out, /^\| (❌ error|⚠️ warning) \|/),
        change: rows(md, /^\| ➕ added \|/) - rows(out, /^\| ➕ added \|/),
      };
      const expected = Object.entries(missing)
        .filter(([, n]) => n > 0)
        .map(([noun, n]) => `${n} ${n === 1 ? noun : `${noun}s`}`)
        .join(", ");
      expect(expected).not.toBe("");
      expect(out).toContain(`not shown (${expected}); run`);
    }
  });
});
