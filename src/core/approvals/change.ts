import type { Evaluation } from "../evaluate.js";
import { POLICY_PATHS, type ResolvedPolicy } from "../policy/resolve.js";
import { CODEOWNERS_PATHS } from "./codeowners.js";
import type { ChangeSummary } from "./types.js";

/** The formats of the policy file and of the schemas it names: changing either is a policy change. */
const POLICY_FORMATS: ReadonlySet<string> = new Set([
  "agent-change-control-policy",
  "agent-change-control-schema",
]);

/** What the approval rules need to know about a change, from the engine's evaluation and every changed path. */
export function changeSummary(ev: Evaluation, changedPaths: readonly string[]): ChangeSummary {
  return {
    files: ev.files.map((f) => ({
      path: f.path,
      ...(f.previousPath !== undefined ? { previousPath: f.previousPath } : {}),
      category: f.category,
      format: f.format,
    })),
    changedPaths: [...new Set(changedPaths)].sort(),
    risk: ev.risk,
    rulesFound: [...new Set(ev.findings.filter((f) => !f.suppressed).map((f) => f.rule))].sort(),
  };
}

/**
 * The paths that make this change a policy change, each with what it is: the policy file (either name),
 * a schema the policy names, or a CODEOWNERS file. Read from every changed path and from the evaluated
 * files (both sides of a rename), so a policy file hidden by `watch.exclude` is still caught.
 */
export function policyChangePaths(
  policy: ResolvedPolicy,
  change: ChangeSummary,
): { path: string; what: string }[] {
  const out = new Map<string, string>();
  const consider = (p: string) => {
    if ((POLICY_PATHS as readonly string[]).includes(p)) out.set(p, "the policy file");
    else if (policy.schemaFiles.has(p)) out.set(p, "a schema the policy names");
    else if (CODEOWNERS_PATHS.includes(p)) out.set(p, "CODEOWNERS");
  };
  for (const p of change.changedPaths) consider(p);
  for (const f of change.files) {
    consider(f.path);
    if (f.previousPath !== undefined) consider(f.previousPath);
    if (POLICY_FORMATS.has(f.format) && !out.has(f.path))
      out.set(
        f.path,
        f.format === "agent-change-control-policy" ? "the policy file" : "a schema the policy names",
      );
  }
  return [...out].map(([path, what]) => ({ path, what })).sort((a, b) => (a.path < b.path ? -1 : 1));
}
