import type { PointerSegment } from "../../../parse/document.js";
import { FINDING_SEVERITIES, type FindingSeverity } from "../../../types.js";
import { reveal } from "../../reveal.js";
import type { FileContext, RawFinding, RiskRule } from "../../types.js";
import { defaultSeverity } from "./known-rules.js";
import { at, canonical, isObject, keyLine, list, type Obj, plain, show } from "./util.js";

type Finding = RawFinding;

// --- this project's policy file ----------------------------------------------------------------------

/** Generic formats: a `formats` override to one of them leaves only a syntax check. */
const GENERIC = new Set(["json", "jsonc", "yaml", "toml", "markdown", "text"]);

function rank(s: FindingSeverity): number {
  return FINDING_SEVERITIES.indexOf(s);
}

/** A rule setting's effect: off, or the severity it reports at. */
function effective(setting: unknown, id: string): "off" | FindingSeverity | undefined {
  const def = defaultSeverity(id);
  if (def === undefined) return undefined;
  if (setting === "off") return "off";
  if (typeof setting === "string" && (FINDING_SEVERITIES as readonly string[]).includes(setting))
    return setting as FindingSeverity;
  if (isObject(setting)) {
    if (setting.enabled === false) return "off";
    const s = setting.severity;
    if (typeof s === "string" && (FINDING_SEVERITIES as readonly string[]).includes(s))
      return s as FindingSeverity;
  }
  return def;
}

function policyFile(file: FileContext): Finding[] {
  const b: unknown = file.before?.doc.data ?? {};
  const a: unknown = file.after?.doc.data ?? {};
  const out: Finding[] = [];
  // Findings point at the key (a block value starts on the next line); a removed policy file has no
  // head, so its findings point at the base.
  const head = (pointer: PointerSegment[]): { line: number; side?: "before" } =>
    file.after
      ? { line: keyLine(file, pointer, "after") }
      : { line: keyLine(file, pointer, "before"), side: "before" };
  const base = (pointer: PointerSegment[]) => ({
    line: keyLine(file, pointer, "before"),
    side: "before" as const,
  });

  // Risk rules turned off or lowered.
  const br = at(b, "risk", "rules");
  const ar = at(a, "risk", "rules");
  const ids = new Set([...(isObject(br) ? Object.keys(br) : []), ...(isObject(ar) ? Object.keys(ar) : [])]);
  for (const id of ids) {
    const was = effective(isObject(br) ? br[id] : undefined, id);
    const now = effective(isObject(ar) ? ar[id] : undefined, id);
    if (was === undefined || now === undefined || was === now || was === "off") continue;
    const where = head(["risk", "rules", id]);
    if (now === "off")
      out.push({
        ...where,
        message: `risk rule ${id} is turned off (it reported at ${was}): its findings will no longer be raised.`,
      });
    else if (rank(now) < rank(was))
      out.push({
        ...where,
        message: `risk rule ${id} is lowered from ${was} to ${now}: its findings will weigh less in the risk tier and approvals.`,
      });
  }

  // Suppressions added (or changed: a changed suppression is a new acceptance).
  const known = new Set(list(at(b, "risk", "suppressions")).map((s) => canonical(s)));
  list(at(a, "risk", "suppressions")).forEach((s, i) => {
    if (known.has(canonical(s))) return;
    const o = isObject(s) ? s : {};
    const rule = typeof o.rule === "string" ? plain(o.rule) : "a rule";
    const path =
      typeof o.path === "string" ? plain(o.path) : Array.isArray(o.path) ? plain(o.path.join(", ")) : "?";
    out.push({
      ...head(["risk", "suppressions", i]),
      message: `suppression added for ${rule} on ${path}${typeof o.expires === "string" ? ` until ${plain(o.expires)}` : ""}: matching findings will no longer count towards the risk tier.`,
    });
  });

  // MCP host allowlist widened.
  const hosts = new Set(list(at(b, "risk", "allowed_mcp_hosts")));
  list(at(a, "risk", "allowed_mcp_hosts")).forEach((h, i) => {
    if (hosts.has(h)) return;
    out.push({
      ...head(["risk", "allowed_mcp_hosts", i]),
      message: `MCP host ${show(h)} added to risk.allowed_mcp_hosts: remote MCP servers there are no longer flagged.`,
    });
  });

  // Watch scope narrowed.
  const excluded = new Set(list(at(b, "watch", "exclude")));
  list(at(a, "watch", "exclude")).forEach((g, i) => {
    if (excluded.has(g)) return;
    out.push({
      ...head(["watch", "exclude", i]),
      message: `watch.exclude gains ${show(g)}: agent configs matching it will no longer be validated or risk-checked.`,
    });
  });
  for (const [key, what] of [
    ["defaults", "the built-in agent-config paths are no longer watched"],
    ["sniff", "generically named agent configs (recognised by content) are no longer watched"],
  ] as const) {
    if (at(b, "watch", key) !== false && at(a, "watch", key) === false)
      out.push({ ...head(["watch", key]), message: `watch.${key} is turned off: ${what}.` });
  }

  // Format overrides that leave files with a syntax check only.
  const formats = new Set(list(at(b, "formats")).map((f) => canonical(f)));
  list(at(a, "formats")).forEach((f, i) => {
    if (!isObject(f) || formats.has(canonical(f))) return;
    if ((typeof f.format === "string" && GENERIC.has(f.format)) || f.category === "other")
      out.push({
        ...head(["formats", i]),
        message: `format override added: ${show(f.path)} is read as ${show(f.format)}${f.category === "other" ? " in category other" : ""}, so its built-in schema and risk model no longer apply.`,
      });
  });

  // Repository schemas removed or relaxed.
  const schemaKey = (s: unknown) =>
    isObject(s) ? canonical({ path: s.path, schema: s.schema }) : canonical(s);
  const afterSchemas = new Map(list(at(a, "schemas")).map((s, i) => [schemaKey(s), { s, i }]));
  list(at(b, "schemas")).forEach((s, i) => {
    const now = afterSchemas.get(schemaKey(s));
    const name = isObject(s) ? show(s.schema) : "a schema";
    if (!now) {
      out.push({
        ...base(["schemas", i]),
        message: `custom schema mapping ${name} for ${isObject(s) ? show(s.path) : "?"} removed: those files fall back to the built-in schema (or a syntax check).`,
      });
      return;
    }
    if (isObject(s) && s.unknown_keys === "error" && isObject(now.s) && now.s.unknown_keys !== "error")
      out.push({
        ...head(["schemas", now.i, "unknown_keys"]),
        message: `custom schema ${name}: unknown_keys changed from error to ${show(now.s.unknown_keys ?? "warning (default)")}: unknown keys no longer fail validation.`,
      });
  });

  // Approval rules removed or weakened.
  const ruleName = (r: unknown) => (isObject(r) && typeof r.name === "string" ? r.name : undefined);
  const afterRules = new Map<string, { r: Obj; i: number }>();
  list(at(a, "approvals", "rules")).forEach((r, i) => {
    const n = ruleName(r);
    if (n !== undefined && isObject(r) && !afterRules.has(n)) afterRules.set(n, { r, i });
  });
  list(at(b, "approvals", "rules")).forEach((r, i) => {
    const n = ruleName(r);
    if (n === undefined) return;
    const now = afterRules.get(n);
    if (!now) {
      out.push({
        ...base(["approvals", "rules", i]),
        message: `approval rule "${plain(n)}" removed: changes it covered no longer need its approvals.`,
      });
      return;
    }
    const was = at(r, "requires", "count");
    const is = at(now.r, "requires", "count");
    if (typeof was === "number" && (typeof is !== "number" || is < was))
      out.push({
        ...head(["approvals", "rules", now.i, "requires", "count"]),
        message: `approval rule "${plain(n)}" now requires ${typeof is === "number" ? is : "no"} approval${is === 1 ? "" : "s"} instead of ${was}.`,
      });
  });
  if (at(b, "approvals", "count_committers") !== true && at(a, "approvals", "count_committers") === true)
    out.push({
      ...head(["approvals", "count_committers"]),
      message:
        "approvals.count_committers turned on: people who pushed commits to the change may now approve it.",
    });
  if (
    at(b, "approvals", "invalidate_on_push") !== "content" &&
    at(a, "approvals", "invalidate_on_push") === "content"
  )
    out.push({
      ...head(["approvals", "invalidate_on_push"]),
      message:
        "approvals.invalidate_on_push set to content: approvals now survive pushes instead of counting only for the commit reviewed.",
    });
  return out;
}

// --- NeMo Guardrails ---------------------------------------------------------------------------------

/** Rail sections whose flows check or filter what goes in and out of the model. */
const RAILS = ["input", "output", "retrieval", "execution", "tool_input", "tool_output"];

function nemo(file: FileContext): Finding[] {
  const b = file.before?.doc.data;
  if (!isObject(b)) return [];
  const a = file.after?.doc.data;
  const out: Finding[] = [];
  for (const section of RAILS) {
    const kept = new Set(list(at(a, "rails", section, "flows")).map((f) => canonical(f)));
    list(at(b, "rails", section, "flows")).forEach((f, i) => {
      if (kept.has(canonical(f))) return;
      out.push({
        line: file.locate(["rails", section, "flows", i], "before").line,
        side: "before",
        message: `${section} rail flow ${show(f)} removed${file.after ? "" : " with the whole config"}: ${section.includes("output") ? "model output" : section.includes("input") ? "user or tool input" : `${section} content`} is no longer checked by it.`,
      });
    });
  }
  return out;
}

// --- OPA Rego ----------------------------------------------------------------------------------------

const REGO_DEFAULT = /^\s*default\s+([A-Za-z_][A-Za-z0-9_]*)\s*:?=\s*(true|false)\b/;
const ALLOWISH = /^(?:allow|allowed|authz|authorized|authorised|permit|permitted)$/;
const DENYISH = /^(?:deny|denied|block|blocked|forbid|forbidden|reject|rejected)$/;

function rego(file: FileContext): Finding[] {
  const out: Finding[] = [];
  const baseDefaults = new Set<string>();
  const collect = (text: string | undefined) => {
    if (!text?.includes("default")) return;
    for (const line of text.split(/\r\n|\n|\r/)) {
      const m = REGO_DEFAULT.exec(line);
      if (m) baseDefaults.add(`${m[1]}=${m[2]}`);
    }
  };
  collect(file.before?.text);
  for (const { line, text } of file.added) {
    if (!text.includes("default")) continue;
    const m = REGO_DEFAULT.exec(text);
    if (!m) continue;
    const [, name = "", value] = m;
    const failOpen = (ALLOWISH.test(name) && value === "true") || (DENYISH.test(name) && value === "false");
    if (!failOpen || baseDefaults.has(`${name}=${value}`)) continue;
    out.push({
      line,
      message: `Rego default \`${name}\` set to ${value} (fail-open): every request that no rule decides is ${value === "true" ? "allowed" : "not denied"}. Default to ${value === "true" ? "false" : "true"} and allow explicitly.`,
    });
  }
  return out;
}

// --- Cedar -------------------------------------------------------------------------------------------

interface CedarStatement {
  /** Normalised text: annotations dropped, white space around punctuation removed. */
  norm: string;
  effect: "permit" | "forbid" | undefined;
  line: number;
}

/** Statements of Cedar policy text, split at `;` outside strings and `//` comments, with their lines. */
export function cedarStatements(text: string, firstLine = 1): CedarStatement[] {
  const out: CedarStatement[] = [];
  let line = firstLine;
  let cur = "";
  let startLine = -1;
  let i = 0;
  const flush = () => {
    const norm = cur
      .replace(/\s+/g, " ")
      .trim()
      .replace(/^(?:@[A-Za-z_][A-Za-z0-9_]*(?:\s*\(\s*"(?:[^"\\]|\\.)*"\s*\))?\s*)+/, "")
      .replace(/\s*([(),;{}=<>!&|.[\]:+\-*])\s*/g, "$1");
    if (norm !== "") {
      const effect = norm.startsWith("permit(")
        ? "permit"
        : norm.startsWith("forbid(")
          ? "forbid"
          : undefined;
      out.push({ norm, effect, line: startLine });
    }
    cur = "";
    startLine = -1;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") line++;
        j++;
      }
      if (startLine < 0) startLine = line;
      cur += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ";") {
      flush();
      i++;
      continue;
    }
    if (startLine < 0 && !/\s/.test(c)) startLine = line;
    cur += c;
    i++;
  }
  flush();
  return out;
}

const UNCONSTRAINED = /^permit\(principal,action,resource\)(?:when\{true\})?$/;

function cedarSide(file: FileContext, side: "before" | "after"): CedarStatement[] {
  const s = file[side];
  if (!s) return [];
  if (s.doc.syntax === "text" || s.doc.data === undefined) return cedarStatements(s.text);
  const policies = at(s.doc.data, "cedar", "policies");
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((p, i) =>
    typeof p === "string" ? cedarStatements(p, file.locate(["cedar", "policies", i], side).line) : [],
  );
}

function cedar(file: FileContext): Finding[] {
  const before = cedarSide(file, "before");
  const after = cedarSide(file, "after");
  const out: Finding[] = [];
  const now = new Set(after.map((s) => s.norm));
  const was = new Set(before.map((s) => s.norm));
  for (const s of before) {
    if (s.effect !== "forbid" || now.has(s.norm)) continue;
    out.push({
      line: s.line,
      side: "before",
      message: `Cedar forbid policy removed: \`${short(s.norm)}\`. Forbids override every permit; what it blocked may now be allowed.`,
    });
  }
  for (const s of after) {
    if (s.effect !== "permit" || was.has(s.norm) || !UNCONSTRAINED.test(s.norm)) continue;
    out.push({
      line: s.line,
      message:
        "unconstrained Cedar policy `permit(principal, action, resource)` added: it allows every principal every action on every resource. Constrain the scope or add a `when` condition.",
    });
  }
  return out;
}

function short(s: string): string {
  return reveal(s.length > 120 ? `${s.slice(0, 119)}…` : s);
}

export const pol001: RiskRule = {
  id: "POL-001",
  title: "Guardrail tooling loosened",
  threat: "self-modification",
  severity: "high",
  trigger:
    "A change loosens a guardrail: in this project's policy a risk rule turned off or lowered, a suppression, excluded path, allowed MCP host or syntax-only format override added, watching turned off, a custom schema removed or relaxed, an approval rule removed or its count lowered; a NeMo Guardrails rail flow removed; a fail-open Rego default; a Cedar forbid removed or an unconstrained permit added.",
  fix: "Make sure the loosening is intended and recorded (reason, ticket); guardrail changes need approval from the owners of the guardrail, never only from the author of the change they would let through.",
  owasp: ["LLM06"],
  atlas: ["AML.T0081"],
  check(file) {
    switch (file.format.id) {
      case "agent-change-control-policy":
        return policyFile(file);
      case "nemo-guardrails":
        return nemo(file);
      case "policy-rego":
        return rego(file);
      case "policy-cedar":
        return cedar(file);
      default:
        return [];
    }
  },
};
