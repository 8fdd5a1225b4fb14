import { classifyPath } from "../formats/classify.js";
import { isRecord, type ParsedDocument } from "../parse/document.js";
import { parseText } from "../parse/index.js";
import type { SchemaSet } from "../validate/schema-set.js";
import { type MergeReport, mergePolicies } from "./merge.js";
import {
  loadPolicy,
  type PolicyLoad,
  type PolicyObject,
  policyFromDocument,
  type ResolvedPolicy,
  resolvePolicy,
} from "./resolve.js";

/** A policy file's repository path and text (`text` undefined: no such file). */
export interface PolicyText {
  path: string;
  text: string | undefined;
}

/** The org baseline as loaded: `label` names the repository it came from (`acme/.github`). */
export type BaselineSource = NonNullable<ResolvedPolicy["baseline"]>;

/**
 * The policy in force for a repository: its own policy file merged into the org baseline (the same file in
 * the owner's `.github` repository), which the repository may only tighten. Both files are checked and every
 * message returned; either file being invalid makes the policy unusable (`ok: false`). Loosenings the
 * repository attempts are ignored, each with a `baseline-loosening` warning at its key. Without a baseline
 * this is `loadPolicy`.
 */
export function loadEffectivePolicy(input: {
  repository: PolicyText;
  /** label = "owner/.github"; omitted when there is no baseline repository or file */
  baseline?: PolicyText & { label: string };
  schemas: SchemaSet;
  now?: Date;
}): PolicyLoad {
  const { repository, baseline, schemas, now = new Date() } = input;
  if (baseline?.text === undefined) return loadPolicy(repository.text, repository.path, schemas, now);

  const baseDoc = parseText(baseline.text, "yaml");
  const base = policyFromDocument(baseDoc, baselineFileName(baseline), schemas, now, { role: "baseline" });
  const source = base.ok ? { label: baseline.label, path: baseline.path, raw: base.policy.raw } : undefined;
  if (repository.text === undefined) {
    if (!source) return base;
    return { ok: true, policy: underBaseline({}, undefined, source, () => {}), messages: base.messages };
  }
  const repoDoc = parseText(repository.text, "yaml");
  if (!source) {
    // The repository file is still checked, so one run reports every problem; there is nothing to merge into.
    const baselineRuleNames = ruleNamesIn(baseDoc.data);
    const own = policyFromDocument(repoDoc, repository.path, schemas, now, {
      role: "under-baseline",
      baselineRuleNames,
    });
    return { ok: false, messages: [...base.messages, ...own.messages] };
  }
  const repo = policyUnderBaseline(repoDoc, repository.path, source, schemas, now);
  const messages = [...base.messages, ...repo.messages];
  return repo.ok ? { ok: true, policy: repo.policy, messages } : { ok: false, messages };
}

/**
 * A repository policy (already parsed) under a loaded baseline: its own checks, then the merge. The engine
 * judges a proposed policy file with this, so a pull request sees the warnings the merged policy will give.
 */
export function policyUnderBaseline(
  doc: ParsedDocument,
  path: string,
  baseline: BaselineSource,
  schemas: SchemaSet,
  now: Date,
): PolicyLoad {
  const baselineRuleNames = ruleNamesIn(baseline.raw);
  const own = policyFromDocument(doc, path, schemas, now, { role: "under-baseline", baselineRuleNames });
  if (!own.ok) return own;
  const messages = [...own.messages];
  const report: MergeReport = (pointer, severity, code, message) => {
    const pos = doc.locate(pointer, typeof pointer.at(-1) === "string" ? "key" : "value");
    messages.push({ path, line: pos.line, column: pos.column, severity, code, message });
  };
  const policy = underBaseline(own.policy.raw, path, baseline, report);
  return messages.some((m) => m.severity === "error")
    ? { ok: false, messages }
    : { ok: true, policy, messages };
}

/** How messages about the baseline name its file: `acme/.github:.github/agent-change-control.yml`. */
export function baselineFileName(baseline: { label: string; path: string }): string {
  return `${baseline.label}:${baseline.path}`;
}

function underBaseline(
  repoRaw: PolicyObject,
  path: string | undefined,
  baseline: BaselineSource,
  report: MergeReport,
): ResolvedPolicy {
  const raw = mergePolicies(baseline.raw, repoRaw, baseline, report);
  const policy = resolvePolicy(raw, path);
  // A repository `include` or `formats` entry may add files to the watch set, never reclassify a file the
  // baseline itself claims (by its own entries or the built-in globs): only unclaimed paths reach it.
  const alone = resolvePolicy(baseline.raw, undefined);
  const claimed = memo((p: string) => classifyPath(p, alone).kind === "match");
  const guard = <T extends { match: (p: string) => boolean }>(entries: T[], fromBaseline: number): T[] =>
    entries.map((e, i) => (i < fromBaseline ? e : { ...e, match: (p: string) => e.match(p) && !claimed(p) }));
  policy.watch.include = guard(policy.watch.include, baseline.raw.watch?.include?.length ?? 0);
  policy.formats = guard(policy.formats, baseline.raw.formats?.length ?? 0);
  // The baseline requires the built-in schemas: a repository schema runs in addition, never instead.
  policy.schemas = policy.schemas.map((s) => ({ ...s, keepBuiltin: true }));
  policy.baseline = baseline;
  return policy;
}

/** Approval rule names of a baseline, read leniently (also from one that failed validation). */
function ruleNamesIn(data: unknown): Set<string> {
  const approvals = isRecord(data) ? data.approvals : undefined;
  const rules = isRecord(approvals) && Array.isArray(approvals.rules) ? approvals.rules : [];
  return new Set(rules.flatMap((r) => (isRecord(r) && typeof r.name === "string" ? [r.name] : [])));
}

function memo(f: (p: string) => boolean): (p: string) => boolean {
  const seen = new Map<string, boolean>();
  return (p) => {
    let v = seen.get(p);
    if (v === undefined) {
      v = f(p);
      seen.set(p, v);
    }
    return v;
  };
}
