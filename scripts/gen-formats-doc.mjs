// Regenerates the format table in docs/formats.md (between the BEGIN/END markers) from the registry in
// src/core/formats/registry.ts, so the documentation cannot drift from the code. Needs `npm run build`;
// test/docs/formats-doc.test.ts fails when the committed table is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const doc = join(root, "docs", "formats.md");
const code = (s) => `\`${s.replace(/\|/g, "\\|")}\``;

/** The markdown table for a list of format definitions (the registry's BUILTIN_FORMATS). */
export function formatsTable(formats) {
  const rows = formats.map((f) => {
    const globs = f.globs.length ? f.globs.map(code).join("<br>") : "—";
    const sniff = f.sniff ? `content of ${(f.sniffGlobs ?? []).map(code).join(", ")}` : "";
    const schema = f.schema
      ? `[${f.schema === "policy" ? "policy" : f.schema}](../schemas/${f.schema === "policy" ? "policy.schema.json" : `formats/${f.schema}.schema.json`})`
      : "syntax only";
    return `| ${code(f.id)} | ${f.title} | ${f.category} | ${f.syntax} | ${globs}${sniff ? `<br>${sniff}` : ""} | ${schema} |`;
  });
  return [
    "| Format id | What | Category | Syntax | Recognised by | Schema |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The document with the text between the markers replaced by `table`. */
export function replaceTable(text, table) {
  return text.replace(/(<!-- BEGIN formats -->)[\s\S]*?(<!-- END formats -->)/, `$1\n${table}\n$2`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { BUILTIN_FORMATS } = await import("../lib/core/formats/registry.js");
  const text = readFileSync(doc, "utf8");
  const next = replaceTable(text, formatsTable(BUILTIN_FORMATS));
  writeFileSync(doc, next);
  console.log(`updated ${doc}`);
}
