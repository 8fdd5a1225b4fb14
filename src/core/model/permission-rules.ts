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
  return name === "*" || name === ""
    ? { server: rest.slice(0, sep) }
    : { server: rest.slice(0, sep), tool: name };
}

/** Whether the rule matches every call of its tool: no specifier, or `*`. */
export function isWholeTool(rule: RuleSpec): boolean {
  if (rule.specifier === undefined || rule.specifier.trim() === "*") {
    const mcp = mcpParts(rule.tool);
    return mcp ? mcp.tool === undefined : true;
  }
  return false;
}

/** What `covers` needs of a rule (computed once per rule in a comparison). */
interface Norm {
  mcp: { server: string; tool?: string } | undefined;
  tool: string;
  whole: boolean;
  spec: string;
  raw: string | undefined;
  /** The tool name as written (to notice edited rule objects). */
  of: string;
  /** Specifier globs as tokens, by family (built on first use). */
  match: Match | undefined;
}

/** A parsed specifier: its root (path root, `domain`, or "" for commands) and its globs. */
interface Match {
  root: string | undefined;
  globs: number[][];
  /** `//**`: every path on every root. */
  everything?: boolean;
}

function matchOf(n: Norm): Match {
  if (n.match) return n.match;
  let m: Match;
  if (SHELL_TOOLS.has(n.tool)) m = { root: "", globs: shellGlobs(n.spec).map(anyStarTokens) };
  else if (PATH_TOOLS.has(n.tool)) {
    const p = parsePathSpec(n.spec);
    m = {
      root: p.root,
      globs: [pathTokens(p.glob)],
      ...(p.root === "abs" && p.glob === "**" ? { everything: true } : {}),
    };
  } else if (n.tool === "WebFetch") {
    const host = domainOf(n.spec);
    m = {
      root: host === undefined ? undefined : "domain",
      globs: host === undefined ? [] : [anyStarTokens(host)],
    };
  } else m = { root: undefined, globs: [] };
  n.match = m;
  return m;
}

function makeNorm(r: RuleSpec): Norm {
  const mcp = mcpParts(r.tool);
  const raw = r.specifier;
  const whole = raw === undefined || raw.trim() === "*" ? (mcp ? mcp.tool === undefined : true) : false;
  // One object shape for every rule (keeps the comparison loops monomorphic).
  return {
    mcp,
    tool: r.tool === "Task" ? "Agent" : r.tool,
    whole,
    spec: raw ?? "",
    raw,
    of: r.tool,
    match: undefined,
  };
}
/** Norms of rule objects seen so far (rule objects of a model are compared many times by several rules). */
const normCache = new WeakMap<object, Norm>();

function normOf(r: RuleSpec): Norm {
  const cached = normCache.get(r);
  // Rebuilt when the object was edited since (rules are plain objects).
  if (cached && cached.raw === r.specifier && cached.of === r.tool) return cached;
  const n = makeNorm(r);
  normCache.set(r, n);
  return n;
}

/** Whether rule `a` matches every tool call rule `b` matches (decisions are ignored). */
export function covers(a: RuleSpec, b: RuleSpec): boolean {
  if (typeof a?.tool !== "string" || typeof b?.tool !== "string") return false;
  return coversNorm(normOf(a), normOf(b));
}

function coversNorm(na: Norm, nb: Norm): boolean {
  if (na.mcp || nb.mcp) {
    if (!na.mcp || !nb.mcp || na.mcp.server !== nb.mcp.server) return false;
    if (na.mcp.tool === undefined) return na.whole;
    if (nb.mcp.tool === undefined || na.mcp.tool !== nb.mcp.tool) return false;
    return na.whole || na.raw === nb.raw;
  }
  if (!(na.tool === nb.tool || (na.tool === "Edit" && EDIT_FAMILY.has(nb.tool)))) return false;
  if (na.whole) return true;
  if (nb.whole) return false;
  if (na.spec === nb.spec) return true;
  const ma = matchOf(na);
  if (ma.everything) return true;
  const mb = matchOf(nb);
  // Other tools' specifiers (and other WebFetch forms) compare as exact strings: done above.
  if (ma.root === undefined || ma.root !== mb.root) return false;
  return mb.globs.every((tb) => ma.globs.some((ta) => globCovers(ta, tb)));
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
 * Cells the inclusion checks of one `compareRuleSets` call may still use. Past it, inclusion is decided by
 * equality (conservative: more widenings reported, never fewer), so a hostile rule list stays fast.
 */
let cellBudget = Number.POSITIVE_INFINITY;

/**
 * Whether every string matched by glob `b` is matched by glob `a`, deciding symbolically: a wildcard of `b`
 * can only be absorbed by a wildcard of `a` at least as wide. Dynamic programming over token pairs, O(|a|·|b|).
 */
export function globCovers(a: readonly number[], b: readonly number[]): boolean {
  // The literal head and tail of `a` must be the literal head and tail of `b`: most pairs end here.
  const n0 = a.length;
  const m0 = b.length;
  let head = 0;
  while (head < n0 && a[head]! >= 0) {
    if (head >= m0 || b[head] !== a[head]) return false;
    head++;
  }
  if (head === n0) return n0 === m0;
  let tail = 0;
  while (tail < n0 - head && a[n0 - 1 - tail]! >= 0) {
    if (tail >= m0 - head || b[m0 - 1 - tail] !== a[n0 - 1 - tail]) return false;
    tail++;
  }
  return coversMiddle(a.slice(head, n0 - tail), b.slice(head, m0 - tail));
}

/** Reused DP tables (rule comparisons call the inclusion check thousands of times). */
let dpBuf = new Uint8Array(1024);
let gBuf = new Uint8Array(1024);

function coversMiddle(a: readonly number[], b: readonly number[]): boolean {
  const n = a.length;
  const m = b.length;
  const cells = (n + 1) * (m + 1);
  if (cells > MAX_CELLS || cells > cellBudget) return n === m && a.every((t, i) => t === b[i]);
  cellBudget -= cells;
  if (dpBuf.length < cells) {
    dpBuf = new Uint8Array(cells);
    gBuf = new Uint8Array(cells);
  }
  const dp = dpBuf;
  const g = gBuf;
  dp.fill(0, 0, cells);
  g.fill(0, 0, cells);
  const w = m + 1;
  // dp[i*w+j]: a[i..] covers b[j..]; g[i*w+j]: a[i] is `**/` that has started absorbing and must end on `/`.
  dp[n * w + m] = 1;
  for (let i = n - 1; i >= 0; i--) {
    const t = a[i]!;
    const row = i * w;
    const down = row + w;
    for (let j = m; j >= 0; j--) {
      const bt = j < m ? b[j]! : undefined;
      let ok = false;
      if (t >= 0) ok = bt === t && dp[down + j + 1] === 1;
      else if (t === QMARK)
        ok = bt !== undefined && ((bt >= 0 && bt !== SLASH) || bt === QMARK) && dp[down + j + 1] === 1;
      else if (t === STAR)
        ok =
          dp[down + j] === 1 ||
          (bt !== undefined &&
            ((bt >= 0 && bt !== SLASH) || bt === STAR || bt === QMARK) &&
            dp[row + j + 1] === 1);
      else if (t === GLOBSTAR) ok = dp[down + j] === 1 || (bt !== undefined && dp[row + j + 1] === 1);
      else if (t === GLOBSTAR_SLASH) {
        let gg = false;
        if (bt !== undefined) gg = (bt === SLASH && dp[down + j + 1] === 1) || g[row + j + 1] === 1;
        g[row + j] = gg ? 1 : 0;
        ok = dp[down + j] === 1 || (bt === GLOBSTAR_SLASH && dp[down + j + 1] === 1) || gg;
      }
      dp[row + j] = ok ? 1 : 0;
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

// ---------------------------------------------------------------------------------------------------------
// Web domains

/** The host of a `domain:host` specifier, lower-cased, or undefined for other forms. */
function domainOf(spec: string): string | undefined {
  return /^domain:/i.test(spec) ? spec.slice(7).trim().toLowerCase() : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Rule sets

export interface RuleSetComparison {
  /**
   * Allow rules of the head not covered by any allow rule of the base, leaving out allow rules that grant
   * nothing (inside a deny/ask rule of the head) and pure ask → allow moves (inside an ask rule of the base).
   */
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
  const saved = cellBudget;
  cellBudget = Math.min(saved, CELL_BUDGET);
  try {
    return before.length * after.length > MAX_PAIRS ? compareLinear(before, after) : compare(before, after);
  } finally {
    cellBudget = saved;
  }
}

/** Above this many rule pairs, coverage is decided in linear time (exact text or a whole-tool rule). */
const MAX_PAIRS = 250_000;
/** Inclusion cells one comparison may spend (a few milliseconds). */
const CELL_BUDGET = 5_000_000;

/** The part of a rule a whole-tool rule matches on: the canonical tool, or the MCP server. */
function toolKey(r: RuleSpec): string {
  const mcp = mcpParts(r.tool);
  return mcp ? `mcp__${mcp.server}` : canonicalTool(r.tool);
}

/** Rules indexed for linear-time coverage: same text, or a whole-tool rule of the tool (Edit: its family). */
function index(rules: readonly PermissionRule[]): {
  covered: (r: PermissionRule) => PermissionRule | undefined;
} {
  const byText = new Map<string, PermissionRule>();
  const whole = new Map<string, PermissionRule>();
  for (const r of rules) {
    if (!byText.has(r.rule)) byText.set(r.rule, r);
    if (isWholeTool(r) && !whole.has(toolKey(r))) whole.set(toolKey(r), r);
  }
  return {
    covered: (r) =>
      byText.get(r.rule) ??
      whole.get(toolKey(r)) ??
      (EDIT_FAMILY.has(canonicalTool(r.tool)) && !mcpParts(r.tool) ? whole.get("Edit") : undefined),
  };
}

/**
 * `compareRuleSets` for huge lists, in linear time: coverage is only by equal text or a whole-tool rule.
 * It never claims coverage `covers` would deny, so it reports at least what the exact comparison reports.
 */
export function compareLinear(
  before: readonly PermissionRule[],
  after: readonly PermissionRule[],
): RuleSetComparison {
  const by = (rules: readonly PermissionRule[], d: PermissionDecision) =>
    rules.filter((r) => r.decision === d);
  const aAllow = by(after, "allow");
  const bAllowIdx = index(by(before, "allow"));
  const bAskIdx = index(by(before, "ask"));
  const aAllowIdx = index(aAllow);
  const aDenyIdx = index(by(after, "deny"));
  const aRestrictIdx = index([...by(after, "deny"), ...by(after, "ask")]);
  const removed = before.filter(
    (r) =>
      (r.decision === "deny" && !aDenyIdx.covered(r)) || (r.decision === "ask" && !aRestrictIdx.covered(r)),
  );
  const askToAllow: RuleSetComparison["askToAllow"] = [];
  for (const r of removed) {
    const allow = r.decision === "ask" ? aAllowIdx.covered(r) : undefined;
    if (allow) askToAllow.push({ ask: r, allow });
  }
  const moved = new Set(askToAllow.map((p) => p.ask));
  const widenedAllow = aAllow.filter(
    (x) => !bAllowIdx.covered(x) && !aRestrictIdx.covered(x) && !bAskIdx.covered(x),
  );
  return { widenedAllow, removedDeny: removed.filter((r) => !moved.has(r)), askToAllow };
}

function compare(before: readonly PermissionRule[], after: readonly PermissionRule[]): RuleSetComparison {
  const norms = new Map<PermissionRule, Norm>();
  for (const r of [...before, ...after]) if (!norms.has(r)) norms.set(r, normOf(r));
  const by = (rules: readonly PermissionRule[], d: PermissionDecision) =>
    rules.filter((r) => r.decision === d);
  const g = (rules: readonly PermissionRule[]) => group(rules, norms);
  const bAllow = g(by(before, "allow"));
  const bAsk = g(by(before, "ask"));
  const aAllowList = by(after, "allow");
  const aAllow = g(aAllowList);
  const aDeny = g(by(after, "deny"));
  const aRestrict = g([...by(after, "deny"), ...by(after, "ask")]);
  const removed: PermissionRule[] = [];
  for (const r of before) {
    if (r.decision === "deny" && !aDeny.findCovering(r)) removed.push(r);
    else if (r.decision === "ask" && !aRestrict.findCovering(r)) removed.push(r);
  }
  const askToAllow: RuleSetComparison["askToAllow"] = [];
  for (const r of removed) {
    if (r.decision !== "ask") continue;
    const allow = aAllow.findCovering(r) ?? aAllow.findCoveredBy(r);
    if (allow) askToAllow.push({ ask: r, allow });
  }
  const moved = new Set(askToAllow.map((p) => p.ask));
  // An allow inside a deny/ask rule of the head grants nothing (those are checked first); one inside an ask
  // rule of the base is an ask → allow move (reported in askToAllow) or again grants nothing.
  const widenedAllow = aAllowList.filter(
    (x) => !bAllow.findCovering(x) && !aRestrict.findCovering(x) && !bAsk.findCovering(x),
  );
  return { widenedAllow, removedDeny: removed.filter((r) => !moved.has(r)), askToAllow };
}

/** The key `covers` can match across: the canonical tool, or `mcp__<server>`. */
function normKey(n: Norm): string {
  return n.mcp ? `mcp__${n.mcp.server}` : n.tool;
}

/**
 * Rules grouped by tool key, with exact texts first: each query only looks at rules `covers` could relate
 * (same tool or MCP server; `Edit` also over its family).
 */
function group(rules: readonly PermissionRule[], norms: Map<PermissionRule, Norm>) {
  const texts = new Map<string, PermissionRule>();
  const byKey = new Map<string, PermissionRule[]>();
  for (const r of rules) {
    if (!texts.has(r.rule)) texts.set(r.rule, r);
    const k = normKey(norms.get(r)!);
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  const n = (r: PermissionRule) => norms.get(r)!;
  return {
    /** A rule of the group that covers `r`. */
    findCovering(r: PermissionRule): PermissionRule | undefined {
      const same = texts.get(r.rule);
      if (same) return same;
      const nr = n(r);
      const k = normKey(nr);
      const hit = (byKey.get(k) ?? []).find((x) => coversNorm(n(x), nr));
      if (hit || !EDIT_FAMILY.has(k) || k === "Edit") return hit;
      return (byKey.get("Edit") ?? []).find((x) => coversNorm(n(x), nr));
    },
    /** A rule of the group that `r` covers. */
    findCoveredBy(r: PermissionRule): PermissionRule | undefined {
      const nr = n(r);
      const k = normKey(nr);
      const keys = k === "Edit" ? [...EDIT_FAMILY] : [k];
      for (const key of keys) {
        const hit = (byKey.get(key) ?? []).find((x) => coversNorm(nr, n(x)));
        if (hit) return hit;
      }
      return undefined;
    },
  };
}
