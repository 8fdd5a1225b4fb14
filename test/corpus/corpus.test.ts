import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { evaluateChange } from "../../src/core/evaluate.js";
import { defaultPolicy } from "../../src/core/policy/resolve.js";
import type { FileChange } from "../../src/core/types.js";
import { builtinSchemas } from "../../src/schemas.js";
import { CORPUS_DIR, CORPUS_MANIFEST } from "../helpers/corpus.js";

/** Real agent configs copied from public repositories (see its README.md); shared, not part of this repo. */
const CORPUS = CORPUS_DIR;
const MANIFEST = CORPUS_MANIFEST;

interface Row {
  format: string;
  localFile: string;
  repo: string;
  path: string;
  note: string;
}

function readManifest(): Row[] {
  const [header, ...lines] = readFileSync(MANIFEST, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  expect(header?.split("\t")).toEqual(["format", "local_file", "repo", "path", "commit", "note"]);
  return lines.map((line) => {
    const [format = "", localFile = "", repo = "", path = "", , note = ""] = line.split("\t");
    return { format, localFile, repo, path, note };
  });
}

function bytes(row: Row): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS, row.localFile)));
}

function evaluateAs(change: FileChange) {
  return evaluateChange({ changes: [change], policy: defaultPolicy(), schemas: builtinSchemas() });
}

function added(row: Row) {
  const data = bytes(row);
  return evaluateAs({ path: row.path, status: "added", after: { size: data.length, data } });
}

/** The negative fixtures: the only corpus files expected to fail validation. */
const INVALID_ROLE = "github-prompt/actions__ai-inference____fixtures____prompts__invalid-role.prompt.yml";
const NO_MCP_SERVERS = "mcp-cursor/0xobelisk__dubhe__.cursor__mcp.json";
const MADE_UP_KEYS = "claude-settings/IshanG97__dotfiles__.claude__settings.json";

if (!existsSync(MANIFEST)) {
  console.warn(`corpus tests skipped: ${MANIFEST} not found (the shared corpus is not checked out here)`);
  describe.skip(`real-agent-configs corpus (skipped: ${MANIFEST} not found)`, () => {
    test("every corpus file is recognised and checked", () => {});
  });
} else {
  corpusTests(readManifest());
}

function corpusTests(rows: readonly Row[]): void {
  describe("real-agent-configs corpus", () => {
    const byFile = (localFile: string) => {
      const row = rows.find((r) => r.localFile === localFile);
      if (!row) throw new Error(`${localFile} is not in the manifest`);
      return row;
    };

    test("the manifest lists files that exist, in a folder named after their format", () => {
      expect(rows.length).toBeGreaterThan(60);
      for (const row of rows) {
        expect(row.localFile.startsWith(`${row.format}/`)).toBe(true);
        expect(existsSync(join(CORPUS, row.localFile))).toBe(true);
      }
    });

    describe.each(rows.map((r) => [r.localFile, r] as const))("%s", (_name, row) => {
      test(`added at ${row.path}: recognised as ${row.format}, checked without an internal error`, () => {
        const ev = added(row);
        expect(ev.files.map((f) => [f.path, f.format])).toEqual([[row.path, row.format]]);
        expect(ev.validation.filter((m) => m.code === "internal")).toEqual([]);
        expect(ev.validation.every((m) => m.path === row.path && m.line >= 1 && m.column >= 1)).toBe(true);
        if (row.localFile !== INVALID_ROLE && row.localFile !== NO_MCP_SERVERS) {
          // Real configs that their tools accept: anything doubtful is at most a warning.
          expect(ev.validation.filter((m) => m.severity === "error")).toEqual([]);
        }
      });

      test("diffed against itself: classified the same as when added", () => {
        const data = bytes(row);
        const blob = { size: data.length, data };
        const same = evaluateAs({ path: row.path, status: "modified", before: blob, after: blob });
        const fresh = added(row);
        const shape = (ev: typeof fresh) =>
          ev.files.map((f) => [f.format, f.category, f.matchedBy, f.schema]);
        expect(shape(same)).toEqual(shape(fresh));
        expect(same.validation).toEqual(fresh.validation);
      });
    });

    test("negative fixture: invalid message role is an error at the role value (line 2)", () => {
      const ev = added(byFile(INVALID_ROLE));
      const errors = ev.validation.filter((m) => m.severity === "error");
      expect(errors.map((m) => [m.line, m.column, m.code])).toEqual([[2, 11, "schema"]]);
      expect(errors[0]!.message).toMatch(/^messages\[0\]\.role has an unsupported value "not_a_valid_role"/);
    });

    test("negative fixture: a Cursor mcp.json without mcpServers is an error", () => {
      const ev = added(byFile(NO_MCP_SERVERS));
      const errors = ev.validation.filter((m) => m.severity === "error");
      expect(errors.map((m) => [m.line, m.column, m.code])).toEqual([[1, 1, "schema"]]);
      expect(errors[0]!.message).toMatch(/missing required key "mcpServers"/);
      expect(ev.validation.filter((m) => m.code === "unknown-key").map((m) => m.pointer)).toEqual(["/tools"]);
    });

    test.each([
      ["claude-agent/anthropics__claude-code__plugins__plugin-dev__agents__plugin-validator.md", 3],
      ["cursor-rule/PatrickJS__awesome-cursorrules__rules__react-mobx-cursorrules-prompt-file.mdc", 3],
    ])(
      "front matter that is not strict YAML (%s): one warning at its line, keys still checked",
      (file, line) => {
        const ev = added(byFile(file));
        // Prose lines such as `Context: …` inside a description must not turn into keys or duplicates.
        expect(ev.validation.map((m) => [m.line, m.severity, m.code])).toEqual([
          [line, "warning", "front-matter-not-yaml"],
        ]);
        expect(ev.files[0]!.schema).toMatch(/^builtin:/);
      },
    );

    test("Claude settings with made-up keys: a warning for each, and no errors", () => {
      const ev = added(byFile(MADE_UP_KEYS));
      expect(ev.errors).toBe(0);
      expect(ev.validation.map((m) => [m.severity, m.code, m.pointer])).toEqual([
        ["warning", "unknown-key", "/permissions/allowFileAccess"],
        ["warning", "unknown-key", "/permissions/allowNetworkAccess"],
        ["warning", "unknown-key", "/permissions/allowShellAccess"],
        ["warning", "unknown-key", "/preferences"],
      ]);
    });
  });
}
