// Regenerates the format table in docs/formats.md (between the BEGIN/END markers) from the registry in
// src/core/formats/registry.ts, so the documentation cannot drift from the code. Needs `npm run build`.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_FORMATS } from "../lib/core/formats/registry.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const doc = join(root, "docs", "formats.md");
const code = (s) => `\`${s.replace(/\|/g, "\\|")}\``;

export function formatsTable() {
  const rows = BUILTIN_FORMATS.map((f) => {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(doc, "utf8");
  const next = text.replace(
    /(<!-- BEGIN formats -->\n)[\s\S]*?(\n<!-- END formats -->)/,
    `$1${formatsTable()}$2`,
  );
  writeFileSync(doc, next);
  console.log(`updated ${doc}`);
}
