import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

interface ManifestEntry {
  name: string;
  /** The permission's access level; undefined for events. */
  access?: string;
  /** The comment line directly above the entry, trimmed; "" when there is none. */
  reason: string;
}

/** The last comment line above an item. yaml puts the first item's comment on its collection. */
function reasonAbove(itemComment: string | null | undefined, collectionComment: string | null | undefined) {
  const comment = itemComment ?? collectionComment ?? "";
  const lines = comment
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.at(-1) ?? "";
}

function readManifest(text: string): { permissions: ManifestEntry[]; events: ManifestEntry[] } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`app.yml: ${doc.errors[0]!.message}`);
  const perms = doc.get("default_permissions", true) as Node | undefined;
  const events = doc.get("default_events", true) as Node | undefined;
  if (!isMap(perms)) throw new Error("app.yml: default_permissions is not a mapping");
  if (!isSeq(events)) throw new Error("app.yml: default_events is not a list");
  return {
    permissions: perms.items.map((pair, i) => {
      if (!isScalar(pair.key) || !isScalar(pair.value))
        throw new Error("app.yml: permission is not key: value");
      return {
        name: String(pair.key.value),
        access: String(pair.value.value),
        reason: reasonAbove(pair.key.commentBefore, i === 0 ? perms.commentBefore : undefined),
      };
    }),
    events: events.items.map((item, i) => {
      if (!isScalar(item)) throw new Error("app.yml: event is not a plain name");
      return {
        name: String(item.value),
        reason: reasonAbove(item.commentBefore, i === 0 ? events.commentBefore : undefined),
      };
    }),
  };
}

/** The rows of the first table after `heading` (a whole heading line), as trimmed cells without backticks. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6} /.test(line)) break;
    if (!line.trim().startsWith("|")) {
      if (rows.length > 0) break;
      continue;
    }
    const cells = line
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    rows.push(cells);
  }
  if (rows.length < 2) throw new Error(`no table after "${heading}"`);
  return rows.slice(1); // drop the header row
}

const plain = (cell: string) => cell.replace(/`/g, "").trim();
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

const manifest = readManifest(readFileSync(join(root, "app.yml"), "utf8"));
const doc = readFileSync(join(root, "docs", "permissions.md"), "utf8");
const docPermissions = tableAfter(doc, "## Repository permissions").map(
  ([name = "", access = "", why = ""]) => ({
    name: plain(name),
    access: plain(access),
    why: squash(why),
  }),
);
const docEvents = tableAfter(doc, "## Webhook events").map(([name = "", actions = "", why = ""]) => ({
  name: plain(name),
  actions: plain(actions),
  why: squash(why),
}));
// Every planned permission has landed; a future feature lists its permissions here before it ships.
const notYet = doc.includes("### Not yet requested")
  ? tableAfter(doc, "### Not yet requested").map(([name = "", access = ""]) => ({
      name: plain(name),
      access: plain(access),
    }))
  : [];

describe("app.yml", () => {
  test("requests at least one permission and one event, each named once", () => {
    expect(manifest.permissions.length).toBeGreaterThan(0);
    expect(manifest.events.length).toBeGreaterThan(0);
    const names = manifest.permissions.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    const events = manifest.events.map((e) => e.name);
    expect(new Set(events).size).toBe(events.length);
  });

  test("every permission and event has a one-line reason comment directly above it", () => {
    const missing = [...manifest.permissions, ...manifest.events]
      .filter((e) => e.reason.split(/\s+/).length < 4)
      .map((e) => e.name);
    expect(missing).toEqual([]);
  });

  test("access levels are read or write (no admin, no blanket read-all/write-all)", () => {
    for (const p of manifest.permissions) expect(["read", "write"]).toContain(p.access);
  });
});

describe("docs/permissions.md", () => {
  test("lists exactly the permissions app.yml requests, at the same access level", () => {
    const fromDoc = docPermissions.map((p) => `${p.name}: ${p.access}`).sort();
    const fromManifest = manifest.permissions.map((p) => `${p.name}: ${p.access}`).sort();
    expect(fromDoc).toEqual(fromManifest);
  });

  test("lists exactly the events app.yml subscribes to, each with the actions it uses", () => {
    expect(docEvents.map((e) => e.name).sort()).toEqual(manifest.events.map((e) => e.name).sort());
    for (const e of docEvents) expect(e.actions).toMatch(/^[a-z_]+/);
  });

  test("gives the same reason as app.yml for every permission and event", () => {
    const why = new Map([...docPermissions, ...docEvents].map((row) => [row.name, row.why]));
    const differing = [...manifest.permissions, ...manifest.events]
      .filter((entry) => !(why.get(entry.name) ?? "").includes(squash(entry.reason)))
      .map((entry) => ({ name: entry.name, appYml: entry.reason, doc: why.get(entry.name) }));
    expect(differing).toEqual([]);
  });

  test("what it calls 'not yet requested' is not in app.yml at that level", () => {
    const events = new Set(manifest.events.map((e) => e.name));
    const access = new Map(manifest.permissions.map((p) => [p.name, p.access]));
    const requested = notYet.filter((row) =>
      row.access === "event" ? events.has(row.name) : access.get(row.name) === row.access,
    );
    expect(requested).toEqual([]);
  });
});

describe("the parsers used above", () => {
  test("a permission without a comment has no reason, and the first item's comment is found", () => {
    const m = readManifest(
      "default_permissions:\n  # Create the check run with annotations.\n  checks: write\n  contents: read\n" +
        "default_events:\n  # Re-run the check on request.\n  - check_run\n  - pull_request\n",
    );
    expect(m.permissions).toEqual([
      { name: "checks", access: "write", reason: "Create the check run with annotations." },
      { name: "contents", access: "read", reason: "" },
    ]);
    expect(m.events).toEqual([
      { name: "check_run", reason: "Re-run the check on request." },
      { name: "pull_request", reason: "" },
    ]);
  });

  test("a table is read up to the next heading, without its header and separator rows", () => {
    const md =
      "## A\n\ntext\n\n| x | y |\n|---|---|\n| `a` | 1 |\n| b | 2 |\n\n## B\n\n| z |\n|---|\n| c |\n";
    expect(tableAfter(md, "## A")).toEqual([
      ["`a`", "1"],
      ["b", "2"],
    ]);
    expect(() => tableAfter(md, "## C")).toThrow("no heading");
  });
});
