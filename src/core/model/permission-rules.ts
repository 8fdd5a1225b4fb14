import type { PointerSegment } from "../parse/document.js";
import type { PermissionDecision, PermissionRule } from "./types.js";

/**
 * Claude Code permission rules (`Tool`, `Tool(specifier)`, `mcp__server[__tool]`) and SUBSUMPTION between
 * them: `covers(a, b)` holds when every tool call rule `b` matches is also matched by rule `a`. The check is
 * sound but not complete: when it cannot prove coverage it answers false, which makes rule-set comparisons
 * report a widening (an allow rule "not covered" by the base, a deny rule "no longer covered") rather than
 * miss one.
 *
 * Matching semantics followed (Claude Code permissions documentation):
 * - `Tool` and `Tool(*)` match every call of the tool. `Task` is the legacy name of `Agent`. `Edit` rules
 *   apply to every built-in file-editing tool (`Edit`, `Write`, `MultiEdit`, `NotebookEdit`).
 * - Bash/PowerShell specifiers are command patterns where `*` matches any text; a trailing ` *` also matches
 *   the bare command (`ls *` is `^ls( .*)?$`: `ls`, `ls -la`, not `lsof`); the legacy suffix `:*`
 *   (`npm run test:*`) is the same as a trailing ` *`.
 * - Read/Edit/Write paths are gitignore-style: `//abs` (filesystem root), `~/…` (home), `/…` (relative to the
 *   settings file), `./…` or a path with a slash (relative to the working directory), a name without a slash
 *   (matches at any depth: `.env` = `**\/.env`); `*` stays within one path segment, `**` crosses segments,
 *   `**\/` matches zero or more directories, a trailing `/` means everything below. Different roots are never
 *   compared (except `//**`, which is everything).
 * - `WebFetch(domain:host)`: `*` in the host matches any text; otherwise hosts compare exactly.
 * - `mcp__server` and `mcp__server__*` match every tool of the server; `mcp__server__tool` one tool. No other
 *   wildcard is assumed (`mcp__*` covers only itself).
 * - Other tools' specifiers compare as exact strings.
 */

export interface RuleSpec {
  tool: string;
  specifier?: string;
}

/** Splits `Tool(specifier)` into its parts; anything else is a tool name (a malformed rule stays whole). */
export function parseRuleText(text: string): RuleSpec {
  const t = typeof text === "string" ? text.trim() : "";
  const open = t.indexOf("(");
  if (open > 0 && t.endsWith(")")) {
    return { tool: t.slice(0, open).trim(), specifier: t.slice(open + 1, -1) };
  }
  return { tool: t };
}

/** A permission rule of the model, parsed from its text. */
export function parsePermissionRule(
  text: string,
  decision: PermissionDecision,
  pointer: PointerSegment[],
): PermissionRule {
  const spec = parseRuleText(text);
  return {
    decision,
    rule: typeof text === "string" ? text.trim() : "",
    tool: spec.tool,
    ...(spec.specifier !== undefined ? { specifier: spec.specifier } : {}),
    pointer,
  };
}

/**
 * Splits a tool list written as one string (`Read, Grep, Bash(git add:*)`, or the space-separated form of the
 * Agent Skills spec) at commas and whitespace outside parentheses.
 */
export function splitToolList(text: string): string[] {
  if (typeof text !== "string") return [];
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || ch === " " || ch === "\t" || ch === "\n" || ch === "\r")) {
      if (cur.trim()) out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Tools

const EDIT_FAMILY = new Set(["Edit", "Write", "MultiEdit", "NotebookEdit"]);
const PATH_TOOLS = new Set(["Read", "Edit", "Write", "MultiEdit", "NotebookEdit", "NotebookRead"]);
const SHELL_TOOLS = new Set(["Bash", "PowerShell"]);

function canonicalTool(tool: string): string {
  return tool === "Task" ? "Agent" : tool;
}

/** `mcp__server[__tool]` split into server and tool (`*` tool = the whole server); undefined for other tools. */
export function mcpParts(tool: string): { server: string; tool?: string } | undefined {
  if (!tool.startsWith("mcp__")) return undefined;
  const rest = tool.slice(5);
  const sep = rest.indexOf("__");
  if (sep < 0) return { server: rest };
  const name = rest.slice(sep + 2);
  return name === "*" || name === "" ? { server: rest.slice(0, sep) } : { server: rest.slice(0, sep), tool: name };
}

/** Whether the rule matches every call of its tool: no specifier, or `*`. */
export function isWholeTool(rule: RuleSpec): boolean {
  if (rule.specifier === undefined || rule.specifier.trim() === "*") {
    const mcp = mcpParts(rule.tool);
    return mcp ? mcp.tool === undefined : true;
  }
  return false;
}

function toolCovers(a: string, b: string): boolean {
  const ca = canonicalTool(a);
  const cb = canonicalTool(b);
  return ca === cb || (ca === "Edit" && EDIT_FAMILY.has(cb));
}

/** Whether rule `a` matches every tool call rule `b` matches (decisions are ignored). */
export function covers(a: RuleSpec, b: RuleSpec): boolean {
  if (typeof a?.tool !== "string" || typeof b?.tool !== "string") return false;
  const ma = mcpParts(a.tool);
  const mb = mcpParts(b.tool);
  if (ma || mb) {
    if (!ma || !mb || ma.server !== mb.server) return false;
    if (ma.tool === undefined) return a.specifier === undefined || a.specifier.trim() === "*";
    if (mb.tool === undefined || ma.tool !== mb.tool) return false;
    return isWholeTool(a) || a.specifier === b.specifier;
  }
  if (!toolCovers(a.tool, b.tool)) return false;
  if (isWholeTool(a)) return true;
  if (isWholeTool(b)) return false;
  const sa = a.specifier ?? "";
  const sb = b.specifier ?? "";
  if (sa === sb) return true;
  const tool = canonicalTool(a.tool);
  if (SHELL_TOOLS.has(tool)) return shellCovers(sa, sb);
  if (PATH_TOOLS.has(tool)) return pathCovers(sa, sb);
  if (tool === "WebFetch") return domainCovers(sa, sb);
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Glob inclusion

/** Token codes: literal characters are their char code (≥ 0); wildcards are negative. */
const STAR = -1; // any text within one path segment (no `/`)
const GLOBSTAR = -2; // any text
const GLOBSTAR_SLASH = -3; // `**/`: empty, or any text ending in `/`
const QMARK = -4; // one character other than `/`
const SLASH = 47;
/** Above this many token pairs, inclusion is only decided by equality (never slow, never "covered" by mistake). */
const MAX_CELLS = 1_000_000;

/**
 * Whether every string matched by glob `b` is matched by glob `a`, deciding symbolically: a wildcard of `b`
 * can only be absorbed by a wildcard of `a` at least as wide. Dynamic programming over token pairs, O(|a|·|b|).
 */
export function globCovers(a: readonly number[], b: readonly number[]): boolean {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return n === m && a.every((t, i) => t === b[i]);
  const w = m + 1;
  // dp[i*w+j]: a[i..] covers b[j..]; g[i*w+j]: a[i] is `**/` that has started absorbing and must end on `/`.
  const dp = new Uint8Array((n + 1) * w);
  const g = new Uint8Array((n + 1) * w);
  dp[n * w + m] = 1;
  for (let i = n - 1; i >= 0; i--) {
    const t = a[i]!;
    for (let j = m; j >= 0; j--) {
      const bt = j < m ? b[j]! : undefined;
      const next = (ii: number, jj: number) => dp[ii * w + jj] === 1;
      let ok = false;
      if (t >= 0) ok = bt === t && next(i + 1, j + 1);
      else if (t === QMARK) ok = bt !== undefined && ((bt >= 0 && bt !== SLASH) || bt === QMARK) && next(i + 1, j + 1);
      else if (t === STAR)
        ok =
          next(i + 1, j) ||
          (bt !== undefined && ((bt >= 0 && bt !== SLASH) || bt === STAR || bt === QMARK) && next(i, j + 1));
      else if (t === GLOBSTAR) ok = next(i + 1, j) || (bt !== undefined && next(i, j + 1));
      else if (t === GLOBSTAR_SLASH) {
        let gg = false;
        if (bt !== undefined) gg = (bt === SLASH && next(i + 1, j + 1)) || g[i * w + j + 1] === 1;
        g[i * w + j] = gg ? 1 : 0;
        ok = next(i + 1, j) || (bt === GLOBSTAR_SLASH && next(i + 1, j + 1)) || gg;
      }
      dp[i * w + j] = ok ? 1 : 0;
    }
  }
  return dp[0] === 1;
}

/** Tokens of a pattern where every `*` matches any text (shell commands, host names). */
function anyStarTokens(pattern: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 /* * */) {
      if (out[out.length - 1] !== GLOBSTAR) out.push(GLOBSTAR);
    } else out.push(c);
  }
  return out;
}

/** Tokens of a gitignore-style path glob (`*`, `**`, `**\/`, `?`). */
export function pathTokens(glob: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (c === 42 /* * */) {
      const double = glob.charCodeAt(i + 1) === 42;
      const atSegmentStart = i === 0 || glob.charCodeAt(i - 1) === SLASH;
      if (double && atSegmentStart) {
        let k = i + 2;
        while (glob.charCodeAt(k) === 42) k++;
        if (glob.charCodeAt(k) === SLASH) {
          if (out[out.length - 1] !== GLOBSTAR_SLASH) out.push(GLOBSTAR_SLASH);
          i = k;
        } else if (k >= glob.length) {
          out.push(GLOBSTAR);
          i = k - 1;
        } else {
          out.push(STAR);
          i = k - 1;
        }
      } else {
        if (out[out.length - 1] !== STAR) out.push(STAR);
      }
    } else if (c === 63 /* ? */) out.push(QMARK);
    else out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Shell commands

/** The globs a Bash specifier stands for: the pattern and, with a trailing ` *`, the bare command. */
export function shellGlobs(specifier: string): string[] {
  let s = specifier.trim();
  if (s.endsWith(":*")) s = `${s.slice(0, -2)} *`;
  const out = [s];
  if (s.endsWith(" *")) out.push(s.slice(0, -2).trimEnd());
  return out;
}

function shellCovers(a: string, b: string): boolean {
  const as = shellGlobs(a).map(anyStarTokens);
  return shellGlobs(b).every((gb) => {
    const tb = anyStarTokens(gb);
    return as.some((ta) => globCovers(ta, tb));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Paths

export type PathRoot = "abs" | "home" | "settings" | "cwd";

/** A Read/Edit path specifier split into its root and a glob relative to it. */
export function parsePathSpec(spec: string): { root: PathRoot; glob: string } {
  let s = spec.trim();
  let root: PathRoot = "cwd";
  if (s.startsWith("//")) {
    root = "abs";
    s = s.slice(2);
  } else if (s === "~" || s.startsWith("~/")) {
    root = "home";
    s = s === "~" ? "**" : s.slice(2);
  } else if (s.startsWith("/")) {
    root = "settings";
    s = s.slice(1);
  } else if (s.startsWith("./")) {
    s = s.slice(2);
  } else {
    const body = s.endsWith("/") ? s.slice(0, -1) : s;
    if (!body.includes("/") && body !== "**") s = `**/${s}`;
  }
  if (s.endsWith("/")) s = `${s}**`;
  return { root, glob: s };
}

function pathCovers(a: string, b: string): boolean {
  const pa = parsePathSpec(a);
  const pb = parsePathSpec(b);
  if (pa.root === "abs" && (pa.glob === "**" || pa.glob === "")) return pa.glob === "**";
  if (pa.root !== pb.root) return false;
  return globCovers(pathTokens(pa.glob), pathTokens(pb.glob));
}

// ---------------------------------------------------------------------------------------------------------
// Web domains

function domainCovers(a: string, b: string): boolean {
  const da = /^domain:/i.test(a) ? a.slice(7).trim().toLowerCase() : undefined;
  const db = /^domain:/i.test(b) ? b.slice(7).trim().toLowerCase() : undefined;
  if (da === undefined || db === undefined) return false;
  return da === db || globCovers(anyStarTokens(da), anyStarTokens(db));
}

// ---------------------------------------------------------------------------------------------------------
// Rule sets

export interface RuleSetComparison {
  /** Allow rules of the head not covered by any allow rule of the base (minus pure ask→allow moves). */
  widenedAllow: PermissionRule[];
  /**
   * Deny rules of the base no longer covered by a deny rule of the head, and ask rules of the base no longer
   * covered by a deny or ask rule of the head (minus those in `askToAllow`).
   */
  removedDeny: PermissionRule[];
  /** Ask rules of the base that are gone and now overlap an allow rule of the head: the calls run unasked. */
  askToAllow: { ask: PermissionRule; allow: PermissionRule }[];
}

/**
 * What a change of rule lists widens. Adding a deny or ask rule is a narrowing and never appears; removing
 * one, or moving a call from ask to allow, does. Claude Code checks deny first, then ask, then allow.
 */
export function compareRuleSets(
  before: readonly PermissionRule[],
  after: readonly PermissionRule[],
): RuleSetComparison {
  const by = (rules: readonly PermissionRule[], d: PermissionDecision) => rules.filter((r) => r.decision === d);
  const bAllow = by(before, "allow");
  const aAllow = by(after, "allow");
  const aDeny = by(after, "deny");
  const aAsk = by(after, "ask");
  const aRestrict = [...aDeny, ...aAsk];
  const removed: PermissionRule[] = [];
  for (const r of before) {
    if (r.decision === "deny" && !aDeny.some((x) => covers(x, r))) removed.push(r);
    else if (r.decision === "ask" && !aRestrict.some((x) => covers(x, r))) removed.push(r);
  }
  const askToAllow: RuleSetComparison["askToAllow"] = [];
  for (const r of removed) {
    if (r.decision !== "ask") continue;
    const allow = aAllow.find((x) => covers(x, r)) ?? aAllow.find((x) => covers(r, x));
    if (allow) askToAllow.push({ ask: r, allow });
  }
  const moved = new Set(askToAllow.map((p) => p.ask));
  const widenedAllow = aAllow.filter(
    (x) =>
      !bAllow.some((y) => covers(y, x)) && !askToAllow.some((p) => p.allow === x && covers(p.ask, x)),
  );
  return { widenedAllow, removedDeny: removed.filter((r) => !moved.has(r)), askToAllow };
}
