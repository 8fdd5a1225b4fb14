import { classifyPath, type PathClass, sniffContent } from "./formats/classify.js";
import type { FormatDef } from "./formats/registry.js";
import { decodeBlob } from "./parse/decode.js";
import type { ParsedDocument } from "./parse/document.js";
import { parseText, syntaxFromPath } from "./parse/index.js";
import { policyUnderBaseline } from "./policy/baseline.js";
import { policyFromDocument, type ResolvedPolicy } from "./policy/resolve.js";
import { RULES } from "./risk/catalog.js";
import { buildContext, type SideInput } from "./risk/context.js";
import { assessRisk, riskTier } from "./risk/engine.js";
import { type DiffEntry, semanticDiff } from "./risk/semantic-diff.js";
import type { ChangedLine, FileContext } from "./risk/types.js";
import type { Category, ClassifiedFile, FileChange, Finding, RiskTier, ValidationMessage } from "./types.js";
import { schemaMessages } from "./validate/ajv-messages.js";
import type { CompiledSchema, SchemaSet } from "./validate/schema-set.js";

export interface EvaluateInput {
  /** Every file the change touches; blobs are needed only for the paths `filesToRead` names. */
  changes: readonly FileChange[];
  policy: ResolvedPolicy;
  schemas: SchemaSet;
  /**
   * The repository schemas the policy names, read from the same side as the policy (never from the
   * change): repository path → text, or undefined when the file does not exist there.
   */
  repoSchemas?: ReadonlyMap<string, string | undefined>;
  /**
   * The date an edited policy file's suppressions are judged against (a proposed policy gets every check
   * `validate-config` makes). Without it expiry is not checked, so the same input always gives the same output.
   */
  now?: Date;
  /** Validation only: skip models, diffs and risk rules (bench/risk measures what the risk engine adds). */
  skipRisk?: boolean;
}

const POLICY_FORMAT = "agent-change-control-policy";
const POLICY_SCHEMA_FORMAT = "agent-change-control-schema";
/** A date before every suppression's expiry. */
const NO_EXPIRY = new Date(0);

export interface Evaluation {
  /** The changed files the policy watches, sorted by path. */
  files: ClassifiedFile[];
  /** Validation messages, sorted by path, line and column. */
  validation: ValidationMessage[];
  /** Risk findings, most severe first (suppressed ones included, marked). */
  findings: Finding[];
  /** What the change adds, removes and changes, entity by entity (servers, tools, permissions…). */
  diff: DiffEntry[];
  risk: RiskTier;
  errors: number;
  warnings: number;
}

/**
 * Which changed paths an adapter must read (both sides) before calling `evaluateChange`: the watched ones
 * and the generically named ones whose content decides. Everything else is skipped without a read.
 */
export function filesToRead(
  changes: readonly Pick<FileChange, "path" | "previousPath">[],
  policy: ResolvedPolicy,
): string[] {
  return changes
    .filter(
      (c) =>
        classifyPath(c.path, policy).kind !== "none" ||
        (c.previousPath !== undefined && classifyPath(c.previousPath, policy).kind !== "none"),
    )
    .map((c) => c.path);
}

/** The schema paths the policy names, for adapters to read from the policy's side. */
export function repoSchemaPaths(policy: ResolvedPolicy): string[] {
  return [...new Set(policy.schemas.map((s) => s.schema))];
}

/**
 * Evaluates one change: which agent configs it touches and whether each is valid. Pure: the same input
 * always gives the same output, and no input makes it throw — a file that cannot be checked gets an error
 * message saying why, so the gate fails closed instead of passing unchecked.
 */
export function evaluateChange(input: EvaluateInput): Evaluation {
  const files: ClassifiedFile[] = [];
  const validation: ValidationMessage[] = [];
  const customs = new CustomSchemas(input);

  const checked: CheckedFile[] = [];
  for (const change of input.changes) {
    try {
      const result = checkFile(change, input, customs);
      if (!result) continue;
      files.push(result.file);
      validation.push(...result.messages);
      checked.push(result);
    } catch (err) {
      // A bug or a pathological input that escaped every guard: never let it pass silently.
      files.push({
        path: change.path,
        status: change.status,
        format: "unknown",
        category: "other",
        matchedBy: "path",
      });
      validation.push({
        path: change.path,
        line: 1,
        column: 1,
        severity: "error",
        code: "internal",
        message: `could not be checked: ${err instanceof RangeError ? "input too deeply nested or too large" : "internal error"} (${errorName(err)}); the gate fails closed. Please report this with the file's shape`,
      });
    }
  }
  validation.push(...customs.problems());

  files.sort((a, b) => cmp(a.path, b.path));
  validation.sort((a, b) => cmp(a.path, b.path) || a.line - b.line || a.column - b.column);
  const contexts = input.skipRisk ? [] : riskContexts(checked, input.policy);
  const findings = assessRisk(contexts, input.policy, input.now);
  return {
    files,
    validation,
    findings,
    diff: semanticDiff(contexts),
    risk: riskTier(
      findings,
      files.map((f) => f.category),
    ),
    errors: validation.filter((m) => m.severity === "error").length,
    warnings: validation.filter((m) => m.severity === "warning").length,
  };
}

function checkFile(
  change: FileChange,
  input: EvaluateInput,
  customs: CustomSchemas,
): CheckedFile | undefined {
  const { policy } = input;
  let cls: PathClass = classifyPath(change.path, policy);
  let renamedAway = false;
  if (cls.kind === "none" && change.previousPath !== undefined) {
    cls = classifyPath(change.previousPath, policy);
    renamedAway = cls.kind !== "none";
  }
  if (cls.kind === "none") return undefined;

  const messages: ValidationMessage[] = [];
  const msg = (line: number, column: number, severity: "error" | "warning", code: string, message: string) =>
    messages.push({ path: change.path, line, column, severity, code, message });

  // The side that tools will read after the change; a removed (or renamed-away) file is judged by its base.
  const blob = change.status === "removed" || renamedAway ? change.before : change.after;
  const judgeHead = !(change.status === "removed" || renamedAway);
  let format: FormatDef | undefined = cls.kind === "match" ? cls.format : undefined;
  let category: Category | undefined = cls.kind === "match" ? cls.category : undefined;
  let matchedBy: ClassifiedFile["matchedBy"] = cls.kind === "match" ? cls.matchedBy : "content";
  let doc: ParsedDocument | undefined;
  let text: string | undefined;
  /** Whether the head content was actually checked against a schema (reported as `schema`). */
  let checked = false;

  if (!blob) {
    if (cls.kind === "sniff") return undefined;
    if (judgeHead) msg(1, 1, "error", "unreadable", "content could not be read, so the file was not checked");
  } else {
    const decoded = decodeBlob(blob);
    if (!decoded.ok) {
      if (cls.kind === "sniff") return undefined; // an unreadable generic file is not an agent config
      if (judgeHead)
        // Every undecodable case fails closed, a symlink included: its target is outside change control.
        msg(decoded.line, 1, "error", decoded.code, decoded.message);
    } else {
      text = decoded.text;
      if (cls.kind === "sniff") {
        // With a single candidate, read lenient front matter with its keys so the parse can be reused.
        const only = cls.candidates.length === 1 ? cls.candidates[0] : undefined;
        const generic = parseText(decoded.text, syntaxFromPath(change.path), {
          knownKeys: only?.schema ? input.schemas.topLevelKeys(only.schema) : undefined,
        });
        format = sniffContent(cls.candidates, generic.data, decoded.text);
        if (!format) return undefined;
        category = format.category;
        matchedBy = "content";
        // Reuse the generic parse unless the format reads differently (another syntax, or markdown whose
        // lenient front-matter reader needs the format's keys).
        const lenient = generic.messages.some((m) => m.code === "front-matter-not-yaml");
        doc =
          syntaxOf(format, change.path) === generic.syntax && (!lenient || format === only)
            ? generic
            : undefined;
      }
      const f = format!;
      doc ??= parseText(decoded.text, syntaxOf(f, change.path), {
        strictJson: f.strictJson ?? false,
        knownKeys: f.schema ? input.schemas.topLevelKeys(f.schema) : undefined,
      });
      const custom = customs.schemaFor(change.path);
      if (judgeHead && f.id === POLICY_FORMAT && (!custom || custom.keepBuiltin)) {
        // The proposed policy: its schema and the rules the schema cannot express (format ids, schema paths,
        // rule names), exactly as it will be loaded once merged — under the org baseline, if there is one.
        const now = input.now ?? NO_EXPIRY;
        const { baseline } = policy;
        const load = baseline
          ? policyUnderBaseline(doc, change.path, baseline, input.schemas, now)
          : policyFromDocument(doc, change.path, input.schemas, now);
        messages.push(...load.messages);
        if (custom && doc.data !== undefined)
          messages.push(...customSchemaMessages(change.path, custom, doc, customs));
        checked = doc.data !== undefined;
      } else if (judgeHead && f.id === POLICY_SCHEMA_FORMAT) {
        messages.push(...doc.messages.map((m) => ({ path: change.path, ...m })));
        if (doc.data !== undefined) messages.push(...proposedSchemaProblems(change.path, doc, input.schemas));
      } else if (judgeHead) {
        messages.push(...validateDocument(change.path, f, doc, input, customs));
        checked = doc.data !== undefined;
      }
    }
  }
  if (!format || !category) return undefined;
  if (renamedAway) {
    msg(
      1,
      1,
      "warning",
      "renamed-away",
      `renamed from ${change.previousPath} (${format.title}) to a path agent tools do not read; this removes the config`,
    );
  }

  const schema = !checked
    ? undefined
    : (customs.schemaFor(change.path)?.schema ??
      (format.schema && input.schemas.has(format.schema) ? `builtin:${format.schema}` : undefined));
  const file: ClassifiedFile = {
    path: change.path,
    ...(change.previousPath !== undefined ? { previousPath: change.previousPath } : {}),
    status: change.status,
    format: format.id,
    category,
    matchedBy,
    ...(schema ? { schema } : {}),
  };

  // Both sides, parsed, for the risk rules: the judged side as read above, the base side of an edit too.
  const judged = doc && text !== undefined ? { text, doc } : undefined;
  const sides: { before?: SideInput; after?: SideInput } = judgeHead ? { after: judged } : { before: judged };
  if (judgeHead && change.before && !input.skipRisk) {
    const base = decodeBlob(change.before);
    if (base.ok) {
      sides.before = {
        text: base.text,
        doc: parseText(base.text, syntaxOf(format, change.previousPath ?? change.path), {
          strictJson: format.strictJson ?? false,
          knownKeys: format.schema ? input.schemas.topLevelKeys(format.schema) : undefined,
        }),
      };
    }
  }
  return { file, messages, format, sides, identical: sameBytes(change) };
}

/** An edit whose two sides hold the same bytes (a mode change): it adds and widens nothing. */
function sameBytes(change: FileChange): boolean {
  const a = change.before?.data;
  const b = change.after?.data;
  if (change.status !== "modified" || !a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface CheckedFile {
  file: ClassifiedFile;
  messages: ValidationMessage[];
  format: FormatDef;
  sides: { before?: SideInput; after?: SideInput };
  /** Same bytes on both sides: no risk rule has anything to judge. */
  identical: boolean;
}

/**
 * A JSON Schema the policy names, as the change proposes it: it must still compile, or every file it
 * governs would fail once merged.
 */
function proposedSchemaProblems(path: string, doc: ParsedDocument, schemas: SchemaSet): ValidationMessage[] {
  const compiled = schemas.customSchema(doc.data, "warning");
  if (!(compiled instanceof Error)) return [];
  return [
    {
      path,
      line: 1,
      column: 1,
      severity: "error",
      code: "schema",
      message: `this JSON Schema is named by the policy but is not valid: ${compiled.message.split("\n")[0]}`,
    },
  ];
}

function validateDocument(
  path: string,
  format: FormatDef,
  doc: ParsedDocument,
  input: EvaluateInput,
  customs: CustomSchemas,
): ValidationMessage[] {
  const out: ValidationMessage[] = doc.messages.map((m) => ({ path, ...m }));
  if (doc.syntax === "markdown" && !doc.hasFrontMatter) {
    if (format.requiresFrontMatter) {
      out.push({
        path,
        line: 1,
        column: 1,
        severity: "error",
        code: "missing-front-matter",
        message: `${format.title} files need YAML front matter between '---' lines at the top; the tool will not load this file`,
      });
    }
    return out;
  }
  if (doc.data === undefined) return out; // syntax errors already reported; nothing to validate

  // A repository schema replaces the format's built-in one, except under an org baseline: then both run.
  const custom = customs.schemaFor(path);
  if ((!custom || custom.keepBuiltin) && format.schema && input.schemas.has(format.schema)) {
    const compiled = input.schemas.builtinSchema(format.schema);
    out.push(...schemaMessages(compiled.validate(doc.data), doc, path, compiled.unknownKeys));
  }
  if (custom) out.push(...customSchemaMessages(path, custom, doc, customs));
  return out;
}

function customSchemaMessages(
  path: string,
  custom: ResolvedPolicy["schemas"][number],
  doc: ParsedDocument,
  customs: CustomSchemas,
): ValidationMessage[] {
  const compiled = customs.compiled(custom.schema, custom.unknownKeys);
  if (compiled instanceof Error) {
    return [
      {
        path,
        line: 1,
        column: 1,
        severity: "error",
        code: "custom-schema-unusable",
        message: `not validated: its schema ${custom.schema} (from the policy) cannot be used: ${compiled.message}`,
      },
    ];
  }
  return schemaMessages(compiled.validate(doc.data), doc, path, compiled.unknownKeys);
}

function syntaxOf(format: FormatDef, path: string) {
  return format.syntax === "auto" ? syntaxFromPath(path) : format.syntax;
}

/** Repository schemas named by the policy: parsed and compiled once per evaluation (and cached by content). */
class CustomSchemas {
  private readonly results = new Map<string, CompiledSchema | Error>();
  private readonly reported: ValidationMessage[] = [];

  constructor(private readonly input: EvaluateInput) {}

  schemaFor(path: string) {
    return this.input.policy.schemas.find((s) => s.match(path));
  }

  compiled(schemaPath: string, unknownKeys: "warning" | "error"): CompiledSchema | Error {
    const key = `${unknownKeys}:${schemaPath}`;
    let r = this.results.get(key);
    if (r) return r;
    const text = this.input.repoSchemas?.get(schemaPath);
    if (text === undefined) {
      r = new Error(`${schemaPath} does not exist on the policy's branch`);
    } else {
      const doc = parseText(text, syntaxFromPath(schemaPath) === "yaml" ? "yaml" : "jsonc");
      const bad = doc.messages.filter((m) => m.severity === "error");
      if (bad.length > 0 || doc.data === undefined) {
        this.reported.push(...bad.map((m) => ({ path: schemaPath, ...m })));
        r = new Error(`${schemaPath} is not valid ${doc.syntax.toUpperCase()} (line ${bad[0]?.line ?? 1})`);
      } else {
        r = this.input.schemas.customSchema(doc.data, unknownKeys);
        if (r instanceof Error)
          r = new Error(`${schemaPath} is not a valid JSON Schema: ${r.message.split("\n")[0]}`);
      }
    }
    this.results.set(key, r);
    return r;
  }

  problems(): ValidationMessage[] {
    return this.reported;
  }
}

/** The risk rules' view of every checked file; each context can see the lines the whole change adds. */
function riskContexts(checked: readonly CheckedFile[], policy: ResolvedPolicy): FileContext[] {
  const textRules = RULES.filter((r) => r.textRule);
  const settings = { allowedMcpHosts: policy.risk.allowed_mcp_hosts ?? [] };
  let all: ChangedLine[] | undefined;
  const contexts: FileContext[] = [];
  const changeAdded = () => {
    all ??= contexts.flatMap((c) => c.added);
    return all;
  };
  for (const c of checked) {
    if (c.identical) continue;
    contexts.push(
      buildContext(
        {
          path: c.file.path,
          ...(c.file.previousPath !== undefined ? { previousPath: c.file.previousPath } : {}),
          status: c.file.status,
          format: c.format,
          category: c.file.category,
          ...c.sides,
          validationErrors: c.messages.filter((m) => m.severity === "error"),
          settings,
        },
        textRules,
        changeAdded,
      ),
    );
  }
  return contexts;
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
