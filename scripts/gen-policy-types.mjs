// Generates src/core/policy/policy-file.generated.ts from schemas/policy.schema.json.
// The JSON Schema is the source of truth; test/core/policy/policy-types.test.ts fails when this output is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const OUTPUT = join(root, "src/core/policy/policy-file.generated.ts");

export async function generatePolicyTypes() {
  const schema = JSON.parse(readFileSync(join(root, "schemas/policy.schema.json"), "utf8"));
  const body = await compile({ ...schema, title: "PolicyFile" }, "PolicyFile", {
    additionalProperties: false,
    bannerComment:
      "/* Generated from schemas/policy.schema.json by scripts/gen-policy-types.mjs. Do not edit: run `npm run gen:types`. */",
    unreachableDefinitions: false,
    style: { singleQuote: false, printWidth: 110 },
  });
  return body;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OUTPUT, await generatePolicyTypes());
  console.log(`wrote ${OUTPUT}`);
}
