import { classifyPath } from "../../src/core/formats/classify.js";
import { type FormatDef, formatById } from "../../src/core/formats/registry.js";
import { parseText, syntaxFromPath } from "../../src/core/parse/index.js";
import { defaultPolicy } from "../../src/core/policy/resolve.js";
import { RULES } from "../../src/core/risk/catalog.js";
import { buildContext } from "../../src/core/risk/context.js";
import type { FileContext, RawFinding, RiskRule } from "../../src/core/risk/types.js";
import type { ChangeStatus } from "../../src/core/types.js";
import { builtinSchemas } from "../../src/schemas.js";

/**
 * A risk-rule test context for one file, built exactly as the engine builds it: the path is classified
 * under the default policy (or `format` forces one), both sides are parsed with the format's parser, the
 * line diff and semantic models are computed. `before` undefined = added; `after` undefined = removed.
 */
export function fileContext(opts: {
  path: string;
  before?: string;
  after?: string;
  format?: string;
  previousPath?: string;
}): FileContext {
  let format: FormatDef | undefined = opts.format ? formatById(opts.format) : undefined;
  if (!format) {
    const cls = classifyPath(opts.path, defaultPolicy());
    if (cls.kind !== "match") throw new Error(`${opts.path} is not classified by path; pass format`);
    format = cls.format;
  }
  const f = format;
  const syntax = f.syntax === "auto" ? syntaxFromPath(opts.path) : f.syntax;
  const knownKeys = f.schema ? builtinSchemas().topLevelKeys(f.schema) : undefined;
  const side = (text: string | undefined) =>
    text === undefined ? undefined : { text, doc: parseText(text, syntax, { strictJson: false, knownKeys }) };
  const status: ChangeStatus =
    opts.before === undefined
      ? "added"
      : opts.after === undefined
        ? "removed"
        : opts.previousPath
          ? "renamed"
          : "modified";
  const ctx = buildContext(
    {
      path: opts.path,
      ...(opts.previousPath ? { previousPath: opts.previousPath } : {}),
      status,
      format: f,
      category: f.category,
      before: side(opts.before),
      after: side(opts.after),
    },
    RULES.filter((r) => r.textRule),
    () => [],
  );
  return ctx;
}

/** Runs one rule on a context built by `fileContext`. */
export function check(rule: RiskRule, opts: Parameters<typeof fileContext>[0]): RawFinding[] {
  return rule.check(fileContext(opts));
}
