import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package name and version, read once from package.json (one level above src/ and lib/). */
export const TOOL = (() => {
  const pkg = JSON.parse(
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "package.json"), "utf8"),
  ) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
})();
