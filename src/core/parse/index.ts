import type { ParsedDocument, Syntax } from "./document.js";
import { parseJson } from "./json.js";
import { parseMarkdown } from "./markdown.js";
import { LineIndex, stripBom } from "./source.js";
import { parseToml } from "./toml.js";
import { parseYaml } from "./yaml.js";

export interface ParseOptions {
  /** For `json`: report comments and trailing commas (the consumer reads strict JSON). */
  strictJson?: boolean;
  /** For `markdown`: front-matter keys the format knows, used when the front matter is not valid YAML. */
  knownKeys?: ReadonlySet<string>;
}

/**
 * Parses text in the given syntax; never throws for bad input (problems become messages). A leading BOM is
 * dropped as decodeBlob does, for callers that read text another way: columns never count it.
 */
export function parseText(raw: string, syntax: Syntax, options: ParseOptions = {}): ParsedDocument {
  const text = stripBom(raw);
  switch (syntax) {
    case "json":
      return parseJson(text, options.strictJson ?? true);
    case "jsonc":
      return parseJson(text, false);
    case "yaml":
      return parseYaml(text);
    case "toml":
      return parseToml(text);
    case "markdown":
      return parseMarkdown(text, options.knownKeys);
    case "text": {
      return {
        syntax: "text",
        data: undefined,
        messages: [],
        locate: () => ({ line: 1, column: 1 }),
        body: { text, line: 1 },
      };
    }
  }
}

/** The syntax a file name implies, for generic and policy-declared files. */
export function syntaxFromPath(path: string): Syntax {
  const lower = path.toLowerCase();
  if (lower.endsWith(".jsonc")) return "jsonc";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".toml")) return "toml";
  if (/\.(md|mdc|markdown|prompty)$/.test(lower)) return "markdown";
  return "text";
}

export type { ParsedDocument, Syntax };
export { LineIndex };
