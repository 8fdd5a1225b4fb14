import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@jest/globals";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

test("src/core/policy/policy-file.generated.ts is up to date with schemas/policy.schema.json (run `npm run gen:types`)", async () => {
  const script = join(root, "scripts", "gen-policy-types.mjs");
  const { generatePolicyTypes } = (await import(script)) as { generatePolicyTypes: () => Promise<string> };
  const generated = await generatePolicyTypes();
  const committed = readFileSync(join(root, "src", "core", "policy", "policy-file.generated.ts"), "utf8");
  expect(generated.length).toBeGreaterThan(1000);
  expect(committed).toBe(generated);
});
