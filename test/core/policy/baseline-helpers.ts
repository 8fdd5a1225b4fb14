import { expect } from "@jest/globals";
import { classifyPath } from "../../../src/core/formats/classify.js";
import { loadEffectivePolicy } from "../../../src/core/policy/baseline.js";
import { POLICY_PATH, type PolicyLoad, type ResolvedPolicy } from "../../../src/core/policy/resolve.js";
import type { ValidationMessage } from "../../../src/core/types.js";
import { builtinSchemas } from "../../../src/schemas.js";

export const NOW = new Date("2026-01-15T12:00:00Z");
export const LABEL = "acme/.github";
export const BASELINE_FILE = `${LABEL}:${POLICY_PATH}`;

/** The repository policy `repo` under the org baseline `base` (undefined: no such file). */
export function effective(repo: string | undefined, base: string | undefined, now: Date = NOW): PolicyLoad {
  return loadEffectivePolicy({
    repository: { path: POLICY_PATH, text: repo },
    ...(base !== undefined ? { baseline: { label: LABEL, path: POLICY_PATH, text: base } } : {}),
    schemas: builtinSchemas(),
    now,
  });
}

/** A usable merged policy and its messages. */
export function merged(
  repo: string | undefined,
  base: string | undefined,
): { policy: ResolvedPolicy; messages: ValidationMessage[] } {
  const r = effective(repo, base);
  if (!r.ok) throw new Error(`expected a usable policy, got ${JSON.stringify(r.messages)}`);
  return { policy: r.policy, messages: r.messages };
}

/** `path:line severity code`, one per message. */
export function where(messages: readonly ValidationMessage[]): string[] {
  return messages.map((m) => `${m.path}:${m.line} ${m.severity} ${m.code}`);
}

/** The 1-based line of the first line of `text` containing `needle` (where a message must point). */
export function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

/** `format/category` a path is classified as under a policy, `sniff`, or `none`. */
export function classify(path: string, policy: ResolvedPolicy): string {
  const c = classifyPath(path, policy);
  return c.kind === "match" ? `${c.format.id}/${c.category}` : c.kind;
}
