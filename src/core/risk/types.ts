import type { FormatDef } from "../formats/registry.js";
import type { AgentModel } from "../model/types.js";
import type { ParsedDocument, PointerSegment } from "../parse/document.js";
import type { Category, ChangeStatus, FindingSeverity, Position, ValidationMessage } from "../types.js";

/** The threat a rule guards against (SOC 2 CC9 asks that agent risk assessment covers these). */
export type Threat =
  | "prompt-injection"
  | "tool-misuse"
  | "data-exfiltration"
  | "privilege-escalation"
  | "secret-exposure"
  | "supply-chain"
  | "self-modification";

/** A rule's catalogue entry: everything docs/risk-checks.md says about it. */
export interface RuleMeta {
  /** Stable id, `AREA-NNN`. */
  id: string;
  title: string;
  threat: Threat;
  severity: FindingSeverity;
  /** When the rule fires, in one sentence. */
  trigger: string;
  /** What the author of the change should do. */
  fix: string;
  /** OWASP Top 10 for LLM Applications 2025 ids (`LLM01`…) and MITRE ATLAS technique ids. */
  owasp: string[];
  atlas: string[];
}

/** One side (base or head) of a changed file, parsed. */
export interface Side {
  text: string;
  doc: ParsedDocument;
  model: AgentModel;
}

/** A line the change added (head numbering) or removed (base numbering). */
export interface ChangedLine {
  line: number;
  text: string;
}

/** Everything a rule may look at for one changed agent-config file. */
export interface FileContext {
  path: string;
  previousPath?: string;
  status: ChangeStatus;
  format: FormatDef;
  category: Category;
  /** Base side; undefined for added files or when it could not be read. */
  before?: Side;
  /** Head side; undefined for removed files or when it could not be read. */
  after?: Side;
  /** Lines present in the head but not the base (every line of an added file). */
  added: ChangedLine[];
  /** Lines present in the base but not the head. */
  removed: ChangedLine[];
  /** Position of a pointer on the head side (base side for removals), for findings. */
  locate(pointer: readonly PointerSegment[], side?: "after" | "before"): Position;
  /**
   * Runs every text rule (`textRule: true`) over a piece of text as if it had been added to this file, and
   * returns which rules fire: how HID-005 rescans decoded blobs and TOOL-004 judges a new description.
   */
  scanText(text: string): { rule: string; message: string }[];
  /** All lines added anywhere in the change (every file), for rules that look for moved text (INS-006). */
  changeAdded(): readonly ChangedLine[];
  /** Head-side validation errors of this file (POL-003 fails closed on them). */
  validationErrors: readonly ValidationMessage[];
  /** Policy settings rules need (from the policy's `risk` section). */
  settings: RiskSettings;
}

export interface RiskSettings {
  /** `risk.allowed_mcp_hosts`: hosts remote MCP servers may use (`host` or `*.domain`); empty = no allowlist. */
  allowedMcpHosts: readonly string[];
}

/** What a rule reports; the engine adds rule id, path, default severity and the policy's settings. */
export interface RawFinding {
  line: number;
  column?: number;
  message: string;
  /** Overrides the rule's default severity for this finding (e.g. HID-005 raised when decoded text is bad). */
  severity?: FindingSeverity;
  /** Which side the line refers to; default head ("after"). */
  side?: "after" | "before";
}

export interface RiskRule extends RuleMeta {
  /** Rules that only read `added` text lines, so `scanText` can run them on any text (no models needed). */
  textRule?: boolean;
  check(file: FileContext): RawFinding[];
}
