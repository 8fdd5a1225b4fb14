import picomatch from "picomatch";
import type { ResolvedPolicy } from "../policy/resolve.js";
import type { Category } from "../types.js";
import { BUILTIN_FORMATS, type FormatDef, formatById } from "./registry.js";

export type PathClass =
  /** The path alone decides the format. */
  | { kind: "match"; format: FormatDef; category: Category; matchedBy: "path" | "policy" }
  /** The file must be read: one of these formats may claim it by content. */
  | { kind: "sniff"; candidates: readonly FormatDef[] }
  /** Not an agent config. */
  | { kind: "none" };

/** Generic files that are never agent configs, so never read for content sniffing. */
const SNIFF_EXCLUDES = [
  "**/node_modules/**",
  "**/vendor/**",
  "**/package.json",
  "**/package-lock.json",
  "**/npm-shrinkwrap.json",
  "**/pnpm-lock.yaml",
  "**/composer.json",
  "**/composer.lock",
  "**/tsconfig*.json",
  "**/jsconfig*.json",
  "**/.eslintrc*",
  "**/.prettierrc*",
  "**/.github/workflows/**",
  "**/.github/dependabot.yml",
  "**/docker-compose*.yml",
  "**/docker-compose*.yaml",
  "**/.pre-commit-config.yaml",
  "**/pubspec.yaml",
  "**/renovate.json",
];

const GLOB_OPTIONS = { dot: true } as const;
type Matcher = (path: string) => boolean;

const matcherCache = new Map<string, Matcher>();
/** Compiles a glob once per process; policies and built-ins share compiled matchers. */
export function globMatcher(glob: string): Matcher {
  let m = matcherCache.get(glob);
  if (!m) {
    m = picomatch(glob, GLOB_OPTIONS);
    matcherCache.set(glob, m);
  }
  return m;
}

export function anyGlob(globs: readonly string[]): Matcher {
  const ms = globs.map(globMatcher);
  return (p) => ms.some((m) => m(p));
}

interface CompiledFormat {
  def: FormatDef;
  match: Matcher;
  sniffMatch: Matcher;
}
const COMPILED: readonly CompiledFormat[] = BUILTIN_FORMATS.map((def) => ({
  def,
  match: anyGlob(def.globs),
  sniffMatch: def.sniff ? anyGlob(def.sniffGlobs ?? []) : () => false,
}));
const sniffExcluded = anyGlob(SNIFF_EXCLUDES);
const POLICY_SCHEMA = formatById("agent-change-control-schema")!;

/** Decides what a path is from the path alone, under a policy. Pure and cheap: no file is read. */
export function classifyPath(path: string, policy: ResolvedPolicy): PathClass {
  // A schema the policy validates with is part of the policy: changing it changes the controls, so it is
  // always watched (an `exclude` cannot hide it).
  if (policy.schemaFiles.has(path)) {
    return { kind: "match", format: POLICY_SCHEMA, category: "policy", matchedBy: "policy" };
  }
  if (policy.watch.exclude(path)) return { kind: "none" };

  for (const o of policy.formats) {
    if (o.match(path)) {
      const format = formatById(o.format)!;
      return { kind: "match", format, category: o.category ?? format.category, matchedBy: "policy" };
    }
  }
  for (const inc of policy.watch.include) {
    if (inc.match(path)) {
      const format = inc.format ? formatById(inc.format)! : (builtinMatch(path) ?? genericFor(path));
      return { kind: "match", format, category: inc.category, matchedBy: "policy" };
    }
  }
  if (!policy.watch.defaults) return { kind: "none" };

  const builtin = builtinMatch(path);
  if (builtin) return { kind: "match", format: builtin, category: builtin.category, matchedBy: "path" };

  if (policy.watch.sniff && !sniffExcluded(path)) {
    const candidates = COMPILED.filter((c) => c.sniffMatch(path)).map((c) => c.def);
    if (candidates.length > 0) return { kind: "sniff", candidates };
  }
  return { kind: "none" };
}

function builtinMatch(path: string): FormatDef | undefined {
  return COMPILED.find((c) => c.match(path))?.def;
}

function genericFor(path: string): FormatDef {
  const lower = path.toLowerCase();
  const id = lower.endsWith(".json")
    ? "json"
    : /\.ya?ml$/.test(lower)
      ? "yaml"
      : lower.endsWith(".toml")
        ? "toml"
        : /\.(md|mdc|markdown)$/.test(lower)
          ? "markdown"
          : "text";
  return formatById(id)!;
}

/** The first candidate that recognises the parsed content, if any. */
export function sniffContent(
  candidates: readonly FormatDef[],
  data: unknown,
  text: string,
): FormatDef | undefined {
  if (data === undefined || data === null) return undefined;
  return candidates.find((f) => f.sniff?.(data, text));
}
