/**
 * Plain data shared by every part of the engine. Nothing here knows about git, GitHub or the file system:
 * adapters (the CLI's git reader, the GitHub App's API reader) build these values and the core judges them.
 */

/** What an agent-config file controls. Approval rules and reports group files by this. */
export const CATEGORIES = ["prompt", "tool", "mcp", "permissions", "policy", "model", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Severity of a validation message. */
export type MessageSeverity = "error" | "warning";

/** Severity of a risk finding, lowest first. */
export const FINDING_SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** The change's risk tier: the highest unsuppressed finding severity above `info`, or `none`. */
export const RISK_TIERS = ["none", "low", "medium", "high", "critical"] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export type ChangeStatus = "added" | "modified" | "removed" | "renamed";

/** The bytes of one side of a changed file, as an adapter read them. */
export interface FileBlob {
  /** Size in bytes of the blob as stored (known even when `data` was not read). */
  size: number;
  /**
   * The bytes. Adapters leave this out when the blob is larger than the limit they were asked to read,
   * in which case the core reports the file as too large rather than guessing.
   */
  data?: Uint8Array;
  /** Git mode of the entry. `symlink` blobs hold the link target, not a config. */
  mode?: "file" | "executable" | "symlink" | "submodule";
}

/** One file changed between the base and the head of a change, with both sides' content. */
export interface FileChange {
  /** Path on the head side (for removed files, the path that was removed). */
  path: string;
  /** Path on the base side when the file was renamed or copied. */
  previousPath?: string;
  status: ChangeStatus;
  /** Base side; absent for added files. */
  before?: FileBlob;
  /** Head side; absent for removed files. */
  after?: FileBlob;
}

/** A 1-based position in the original file (lines and columns count as an editor shows them). */
export interface Position {
  line: number;
  column: number;
}

export interface ValidationMessage {
  path: string;
  line: number;
  column: number;
  severity: MessageSeverity;
  message: string;
  /** Stable machine id of the problem, e.g. `syntax`, `schema`, `unknown-key`, `too-large`. */
  code: string;
  /** JSON pointer of the offending value, when the message comes from a schema. */
  pointer?: string;
}

export interface Finding {
  rule: string;
  severity: FindingSeverity;
  path: string;
  line: number;
  column?: number;
  message: string;
  /** The rule's title and threat, for reports. */
  title?: string;
  threat?: string;
  /** Set when a policy suppression accepts this finding; it then does not count towards the risk tier. */
  suppressed?: { reason: string; expires: string; ticket?: string };
}

/** A changed file the policy watches, with how it was recognised. */
export interface ClassifiedFile {
  path: string;
  previousPath?: string;
  status: ChangeStatus;
  format: string;
  category: Category;
  /** How the format was decided: a path glob (built-in or from the policy) or the file's content. */
  matchedBy: "path" | "content" | "policy";
  /** Schema used for validation, if any: `builtin:<id>` or the repository path of a custom schema. */
  schema?: string;
}
