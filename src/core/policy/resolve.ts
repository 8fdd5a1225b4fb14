import { anyGlob } from "../formats/classify.js";
import { formatById } from "../formats/registry.js";
import { type ParsedDocument, parseText } from "../parse/index.js";
import type { Category, ValidationMessage } from "../types.js";
import { schemaMessages } from "../validate/ajv-messages.js";
import type { SchemaSet } from "../validate/schema-set.js";
import type { ApproverSet, CustomSchema, PolicyFile, Risk } from "./policy-file.generated.js";

/** Where the policy lives in a repository. The CLI and the app read it from the base / default branch. */
export const POLICY_PATH = ".github/agent-change-control.yml";
export const POLICY_PATHS = [POLICY_PATH, ".github/agent-change-control.yaml"] as const;

type Matcher = (path: string) => boolean;
export type PolicyObject = NonNullable<PolicyFile>;

/** The policy with defaults applied and globs compiled, ready for the engine. */
export interface ResolvedPolicy {
  /** Repository path the policy came from, or undefined when no file exists (all defaults). */
  path?: string;
  /** The file as written (validated), for later features and for the change log. */
  raw: PolicyObject;
  watch: {
    defaults: boolean;
    sniff: boolean;
    include: { match: Matcher; category: Category; format?: string }[];
    exclude: Matcher;
  };
  formats: { match: Matcher; format: string; category?: Category }[];
  schemas: {
    match: Matcher;
    schema: string;
    unknownKeys: "warning" | "error";
    /** Under an org baseline the repository's schema runs in addition to the format's built-in schema. */
    keepBuiltin?: boolean;
  }[];
  /** Repository paths of the schemas above: changes to them are policy changes. */
  schemaFiles: ReadonlySet<string>;
  risk: Risk;
  /**
   * The org baseline merged into this policy (`policy/baseline.ts`): where it came from, for reports
   * ("policy: .github/agent-change-control.yml + org baseline acme/.github"), and its validated contents, so a
   * proposed repository policy is checked under the same baseline.
   */
  baseline?: { label: string; path: string; raw: PolicyObject };
}

/** How a policy file is used: on its own, as an org baseline, or as a repository file under a baseline. */
export interface PolicyRole {
  role: "repository" | "baseline" | "under-baseline";
  /** `under-baseline`: the baseline's approval rule names, which the repository's `distinct_from` may name. */
  baselineRuleNames?: ReadonlySet<string>;
}

const STANDALONE: PolicyRole = { role: "repository" };

export type PolicyLoad =
  | { ok: true; policy: ResolvedPolicy; messages: ValidationMessage[] }
  | { ok: false; messages: ValidationMessage[] };

const STRICT_IN_POLICY = new Set(["duplicate-key", "multi-document"]);

const globs = (g: string | readonly string[]): string[] => (typeof g === "string" ? [g] : [...g]);

/** The policy in force when a repository has no policy file. */
export function defaultPolicy(): ResolvedPolicy {
  return resolvePolicy({}, undefined);
}

/**
 * Reads a policy file's text (undefined: no file) into a resolved policy. Any error — YAML syntax, a schema
 * violation, an unknown format id — makes the whole policy unusable (`ok: false`): an engine that guessed
 * would judge changes under rules nobody wrote. Warnings (an expired suppression) keep it usable.
 */
export function loadPolicy(
  text: string | undefined,
  path: string,
  schemas: SchemaSet,
  now: Date = new Date(),
): PolicyLoad {
  if (text === undefined) return { ok: true, policy: defaultPolicy(), messages: [] };
  return policyFromDocument(parseText(text, "yaml"), path, schemas, now);
}

/**
 * `loadPolicy` for a policy file already parsed as YAML (the engine judging a proposed policy has it).
 * `role` says how the file is used (`policy/baseline.ts` checks an org baseline and the repository file
 * under it with this); by default it is a repository's policy on its own.
 */
export function policyFromDocument(
  doc: ParsedDocument,
  path: string,
  schemas: SchemaSet,
  now: Date,
  role: PolicyRole = STANDALONE,
): PolicyLoad {
  // What is a warning in an agent config is an error here, as unknown keys are: a second value for a key, or
  // a second document, would change the rules while a reviewer reads the other one.
  const messages: ValidationMessage[] = doc.messages.map((m) => ({
    path,
    ...m,
    ...(STRICT_IN_POLICY.has(m.code) ? { severity: "error" as const } : {}),
  }));
  if (doc.data === undefined) return { ok: false, messages };
  const validator = schemas.builtinSchema("policy");
  messages.push(...schemaMessages(validator.validate(doc.data), doc, path, "error"));
  if (messages.some((m) => m.severity === "error")) return { ok: false, messages };

  const raw = (doc.data ?? {}) as PolicyObject;
  messages.push(...semanticChecks(raw, doc, path, now, role));
  if (messages.some((m) => m.severity === "error")) return { ok: false, messages };
  return { ok: true, policy: resolvePolicy(raw, path), messages };
}

/** Applies defaults and compiles globs; `raw` must be a validated policy. */
export function resolvePolicy(raw: PolicyObject, path: string | undefined): ResolvedPolicy {
  const w = raw.watch ?? {};
  const schemas = (raw.schemas ?? []).map((s: CustomSchema) => ({
    match: anyGlob(globs(s.path)),
    schema: normaliseRepoPath(s.schema),
    unknownKeys: s.unknown_keys ?? ("warning" as const),
  }));
  return {
    path,
    raw,
    watch: {
      defaults: w.defaults ?? true,
      sniff: w.sniff ?? true,
      include: (w.include ?? []).map((i) => ({
        match: anyGlob(globs(i.path)),
        category: i.category,
        format: i.format,
      })),
      exclude: anyGlob(w.exclude ?? []),
    },
    formats: (raw.formats ?? []).map((f) => ({
      match: anyGlob(globs(f.path)),
      format: f.format,
      category: f.category,
    })),
    schemas,
    schemaFiles: new Set(schemas.map((s) => s.schema)),
    risk: raw.risk ?? {},
  };
}

/** Repository paths in the policy are relative to the root; a leading `./` or `/` is accepted. */
export function normaliseRepoPath(p: string): string {
  return p.replace(/^\.?\/+/, "");
}

/** Checks the schema cannot express: format ids exist, schema paths stay in the repository, suppressions. */
function semanticChecks(
  raw: PolicyObject,
  doc: ParsedDocument,
  path: string,
  now: Date,
  { role, baselineRuleNames }: PolicyRole,
): ValidationMessage[] {
  const out: ValidationMessage[] = [];
  const push = (
    pointer: (string | number)[],
    severity: "error" | "warning",
    code: string,
    message: string,
    target: "key" | "value" = "value",
  ) => {
    const pos = doc.locate(pointer, target);
    out.push({ path, line: pos.line, column: pos.column, severity, code, message });
  };
  const checkFormat = (id: string | undefined, pointer: (string | number)[]) => {
    if (id !== undefined && !formatById(id)) {
      push(
        pointer,
        "error",
        "unknown-format",
        `unknown format "${id}"; see docs/formats.md for the format ids`,
      );
    }
  };
  raw.watch?.include?.forEach((inc, i) => {
    checkFormat(inc.format, ["watch", "include", i, "format"]);
  });
  raw.formats?.forEach((f, i) => {
    checkFormat(f.format, ["formats", i, "format"]);
  });
  if (role === "repository" && raw.delegate !== undefined) {
    push(
      ["delegate"],
      "warning",
      "delegate-outside-baseline",
      "`delegate` has no effect outside the org baseline (the same file in the owner's .github repository); it is ignored here",
      "key",
    );
  }
  raw.schemas?.forEach((s, i) => {
    if (role === "baseline") {
      push(
        ["schemas", i],
        "error",
        "baseline-unsupported",
        "`schemas` entries are not supported in the org baseline yet (their schema files would have to be read from the .github repository); name the schema in each repository's own policy instead",
      );
      return;
    }
    const p = normaliseRepoPath(s.schema);
    if (p.split("/").includes("..") || /^[A-Za-z]:/.test(p) || p === "") {
      push(
        ["schemas", i, "schema"],
        "error",
        "schema-path",
        `schema path "${s.schema}" must stay inside the repository`,
      );
    }
  });
  const today = now.toISOString().slice(0, 10);
  raw.risk?.suppressions?.forEach((s, i) => {
    if (!isRealDate(s.expires)) {
      push(
        ["risk", "suppressions", i, "expires"],
        "error",
        "schema",
        `expires "${s.expires}" is not a real date`,
      );
    } else if (s.expires < today) {
      push(
        ["risk", "suppressions", i, "expires"],
        "warning",
        "suppression-expired",
        `suppression of ${s.rule} for ${globs(s.path).join(", ")} expired on ${s.expires}; it no longer applies`,
      );
    }
  });
  const names = new Set<string>();
  raw.approvals?.rules?.forEach((r, i) => {
    if (names.has(r.name))
      push(
        ["approvals", "rules", i, "name"],
        "error",
        "duplicate-rule",
        `approval rule name "${r.name}" is used twice`,
      );
    names.add(r.name);
  });
  raw.approvals?.rules?.forEach((r, i) => {
    r.requires.distinct_from?.forEach((other, j) => {
      if (!names.has(other) && !baselineRuleNames?.has(other)) {
        push(
          ["approvals", "rules", i, "requires", "distinct_from", j],
          "error",
          "unknown-rule",
          `distinct_from names "${other}", which is not an approval rule`,
        );
      }
    });
  });
  approvalSetChecks(raw, push);
  return out;
}

type Push = (
  pointer: (string | number)[],
  severity: "error" | "warning",
  code: string,
  message: string,
  target?: "key" | "value",
) => void;

/**
 * Approver sets that can never be satisfied (fail closed: the policy is unusable and `validate-config` says
 * why): a `users`/`apps`-only set with fewer accounts than `count` (bots in `users` never count: they need
 * `apps`), an empty set, a rule `distinct_from` itself. `one_from_each_team` with more teams than `count`
 * is a warning: the rule needs one approver per team, so at least that many.
 */
function approvalSetChecks(raw: PolicyObject, push: Push): void {
  const a = raw.approvals;
  if (!a) return;
  a.rules?.forEach((r, i) => {
    const at = ["approvals", "rules", i];
    const { count, from, one_from_each_team: teams, distinct_from } = r.requires;
    const capacity = from && !teams ? fixedCapacity(from) : undefined;
    if (capacity !== undefined && count > capacity)
      push(
        [...at, "requires", "count"],
        "error",
        "unsatisfiable-rule",
        `approval rule "${r.name}" needs ${count} approval${count === 1 ? "" : "s"} but its approver set names only ${capacity} account${capacity === 1 ? "" : "s"} that can approve${from?.users?.some(isBotLogin) ? " (bots in `users` never count: list them in `apps`)" : ""}`,
      );
    if (teams && teams.length > count)
      push(
        [...at, "requires", "count"],
        "warning",
        "count-below-teams",
        `approval rule "${r.name}" has count ${count} but one_from_each_team lists ${teams.length} teams: it needs ${teams.length} distinct approvers, one per team`,
      );
    if (teams && new Set(teams.map((t) => t.toLowerCase())).size < teams.length)
      push(
        [...at, "requires", "one_from_each_team"],
        "warning",
        "duplicate-team",
        `approval rule "${r.name}" lists a team twice in one_from_each_team; it counts once`,
      );
    distinct_from?.forEach((other, j) => {
      if (other === r.name)
        push(
          [...at, "requires", "distinct_from", j],
          "error",
          "distinct-from-self",
          `approval rule "${r.name}" names itself in distinct_from; name the other rules its approvers must differ from`,
        );
    });
  });
  const single = (set: ApproverSet | undefined, pointer: string[], what: string) => {
    const capacity = set ? fixedCapacity(set) : undefined;
    if (capacity === 0)
      push(
        pointer,
        "error",
        "unsatisfiable-rule",
        `${what} names nobody who can approve${set?.users?.some(isBotLogin) ? " (bots in `users` never count: list them in `apps`)" : ""}`,
      );
  };
  single(a.policy_owners, ["approvals", "policy_owners"], "approvals.policy_owners");
  single(a.emergency?.declarers, ["approvals", "emergency", "declarers"], "approvals.emergency.declarers");
}

/** How many accounts a set can ever hold, when it lists them all (only `users` and `apps`); else undefined. */
function fixedCapacity(set: ApproverSet): number | undefined {
  if (set.teams?.length || set.permission !== undefined || set.codeowners === true) return undefined;
  const humans = new Set((set.users ?? []).filter((u) => !isBotLogin(u)).map((u) => u.toLowerCase()));
  const apps = new Set((set.apps ?? []).map((x) => x.toLowerCase().replace(/\[bot\]$/, "")));
  return humans.size + apps.size;
}

const isBotLogin = (login: string) => /\[bot\]$/i.test(login);

/** `YYYY-MM-DD` that names a day on the calendar (the schema's pattern accepts 2030-02-31). */
function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
