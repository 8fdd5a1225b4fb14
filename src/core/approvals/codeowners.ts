import picomatch from "picomatch";

/** One CODEOWNERS line: a pattern and its owners (an empty list: the matched paths have no owner). */
export interface CodeownersRule {
  pattern: string;
  /** 1-based line in the file, for explanations. */
  line: number;
  users: string[];
  /** Teams as `org/slug`. */
  teams: string[];
  match: (path: string) => boolean;
}

/** Where GitHub reads CODEOWNERS from; a change to any of them is a policy change. */
export const CODEOWNERS_PATHS: readonly string[] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/**
 * Parses CODEOWNERS text as GitHub reads it: one `pattern owner…` per line, `#` starts a comment, owners are
 * `@user` or `@org/team` (email owners name no login and are dropped). Patterns follow gitignore rules: a
 * leading or inner `/` anchors to the root, otherwise the pattern matches at any depth; a pattern whose last
 * segment has no wildcard also matches everything under a directory of that name; `docs/*` matches direct
 * children only. Lines GitHub would reject (`!` negation, `[…]` ranges) are skipped, as GitHub skips them.
 * The last matching rule wins (`ownersOf`).
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = stripComment(raw).trim();
    if (line === "") return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern || pattern.startsWith("!") || /[[\]]/.test(pattern)) return;
    const users: string[] = [];
    const teams: string[] = [];
    for (const o of owners) {
      const m = /^@([A-Za-z0-9-]+(?:\[bot\])?)(?:\/([A-Za-z0-9_.-]+))?$/.exec(o);
      if (!m) continue;
      if (m[2] !== undefined) teams.push(`${m[1]}/${m[2]}`);
      else users.push(m[1]!);
    }
    const globs = patternGlobs(pattern.replace(/\\#/g, "#"));
    const matchers = globs.map((g) => picomatch(g, { dot: true }));
    rules.push({ pattern, line: i + 1, users, teams, match: (p) => matchers.some((m) => m(p)) });
  });
  return rules;
}

/** The owners of a path: those of the last rule matching it (none when no rule matches). */
export function ownersOf(
  rules: readonly CodeownersRule[],
  path: string,
): { users: string[]; teams: string[] } {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.match(path)) return { users: [...r.users], teams: [...r.teams] };
  }
  return { users: [], teams: [] };
}

/** `#` starts a comment unless escaped (`\#` begins a pattern that starts with `#`). */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "#" && (i === 0 || line[i - 1] !== "\\")) return line.slice(0, i);
  }
  return line;
}

function patternGlobs(pattern: string): string[] {
  let p = pattern;
  const dirOnly = p.endsWith("/");
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith("/") || p.includes("/");
  p = p.replace(/^\/+/, "");
  if (p === "" || p === "**") return ["**"];
  const base = anchored ? p : `**/${p}`;
  if (dirOnly) return [`${base}/**`];
  const last = p.split("/").at(-1) ?? "";
  return last.includes("*") ? [base] : [base, `${base}/**`];
}
