/* Generated from schemas/policy.schema.json by scripts/gen-policy-types.mjs. Do not edit: run `npm run gen:types`. */

/**
 * Which agent-config files a repository watches, how they are validated and risk-checked, who must approve changes to them and how merged changes are logged. Read from the repository's default branch (the CLI reads it from the base side of the change), never from the change under review. An empty file is valid and means: all built-in defaults.
 */
export type PolicyFile = {
  $schema?: string;
  /**
   * Policy format version. Only 1 exists.
   */
  version?: 1;
  watch?: Watch;
  /**
   * Force a format (and optionally a category) for files matching a path glob. Checked before the built-in globs; the first matching entry wins.
   */
  formats?: FormatOverride[];
  /**
   * The repository's own JSON Schemas. A matching entry replaces the built-in schema of the file's format (under an org baseline both apply). Schema files are read from the same side as the policy (the default branch), never from the change.
   */
  schemas?: CustomSchema[];
  risk?: Risk;
  approvals?: Approvals;
  changelog?: Changelog;
  /**
   * Org baseline only (the same file in the owner's `.github` repository): what a repository's own policy may loosen. Without an entry here a repository can only tighten the baseline. In a repository's policy this key has no effect and is reported.
   */
  delegate?: ("watch.exclude" | "risk.suppressions" | "risk.allowed_mcp_hosts" | "approvals.emergency")[];
} | null;
export type Globs = Glob | [Glob, ...Glob[]];
/**
 * A path glob relative to the repository root (picomatch syntax, dot files matched). `**` crosses directories.
 */
export type Glob = string;
export type Category = "prompt" | "tool" | "mcp" | "permissions" | "policy" | "model" | "other";
/**
 * A built-in format id (see docs/formats.md), or `text`, `json`, `jsonc`, `yaml`, `toml`, `markdown` for a generic file checked only for syntax (and the repository's schema, if one matches).
 */
export type FormatId = string;
export type Severity = "info" | "low" | "medium" | "high" | "critical";
/**
 * A calendar date, YYYY-MM-DD (UTC).
 */
export type IsoDate = string;

/**
 * Which changed files are agent configs.
 */
export interface Watch {
  /**
   * Watch every built-in well-known agent-config path (default true). Set false to watch only the paths named by `include` and `formats`.
   */
  defaults?: boolean;
  /**
   * Extra paths to watch, each with the category it belongs to and optionally a format.
   */
  include?: {
    path: Globs;
    category: Category;
    format?: FormatId;
  }[];
  /**
   * Paths never treated as agent configs, even when a built-in glob matches (for example test fixtures).
   */
  exclude?: Glob[];
  /**
   * Recognise generically named JSON/YAML/TOML files by their content (for example a CloudFormation template declaring AWS::Bedrock::Agent). Default true.
   */
  sniff?: boolean;
}
export interface FormatOverride {
  path: Globs;
  format: FormatId;
  category?: Category;
}
export interface CustomSchema {
  path: Globs;
  /**
   * Repository path of a JSON Schema (JSON or YAML, draft 2020-12 or draft-07).
   */
  schema: string;
  /**
   * How `additionalProperties: false` violations are reported: `warning` (default, as for built-in schemas) or `error`.
   */
  unknown_keys?: "warning" | "error";
}
/**
 * Risk checks on what a change adds or widens.
 */
export interface Risk {
  /**
   * Per-rule settings by rule id (for example INS-001). `off` disables a rule; an object sets its severity or enablement.
   */
  rules?: {
    [k: string]:
      | "off"
      | Severity
      | {
          enabled?: boolean;
          severity?: Severity;
        };
  };
  /**
   * Accepted risks. Each needs a rule id, a path glob, a reason and an expiry date; an expired suppression stops working and is reported.
   */
  suppressions?: {
    rule: string;
    path: Globs;
    reason: string;
    expires: IsoDate;
    ticket?: string;
  }[];
  /**
   * Hosts remote MCP servers may use without a finding (exact host or `*.example.com`).
   */
  allowed_mcp_hosts?: string[];
}
/**
 * Who must approve agent-config changes before the gate turns green. Without rules, built-in tiered defaults apply (see docs/configuration.md).
 */
export interface Approvals {
  rules?: ApprovalRule[];
  policy_owners?: ApproverSet1;
  /**
   * `always` (default): an approval counts only for the commit it reviewed. `content`: keep approvals across pushes that leave the change's diff against its base identical (a clean rebase).
   */
  invalidate_on_push?: "always" | "content";
  /**
   * Let committers who are not the PR author approve. Default false. Co-authored-by trailers never grant credit.
   */
  count_committers?: boolean;
  /**
   * Request reviews from the teams and users of pending rules. Default true.
   */
  request_reviews?: boolean;
  /**
   * List individual users who can still approve (teams are always shown). Default false.
   */
  show_approver_names?: boolean;
  /**
   * Break-glass: who may declare an emergency, and when its follow-up review is due.
   */
  emergency?: {
    enabled?: boolean;
    declarers?: ApproverSet;
    label?: string;
    review_within_business_days?: number;
  };
}
export interface ApprovalRule {
  name: string;
  description?: string;
  /**
   * All given conditions must hold for the rule to apply; an empty or missing `when` always applies.
   */
  when?: {
    /**
     * @minItems 1
     */
    categories?: [Category, ...Category[]];
    /**
     * @minItems 1
     */
    formats?: [FormatId, ...FormatId[]];
    paths?: Globs;
    risk_at_least?: "low" | "medium" | "high" | "critical";
    /**
     * @minItems 1
     */
    rules_found?: [string, ...string[]];
    target_branches?: Globs;
    /**
     * @minItems 1
     */
    labels?: [string, ...string[]];
  };
  requires: {
    count: number;
    from?: ApproverSet;
    /**
     * @minItems 2
     */
    one_from_each_team?: [string, string, ...string[]];
    /**
     * Names of other rules whose counted approvers may not be counted again here.
     *
     * @minItems 1
     */
    distinct_from?: [string, ...string[]];
  };
}
export interface ApproverSet {
  users?: string[];
  /**
   * Teams as `org/slug`.
   */
  teams?: string[];
  /**
   * Anyone with at least this repository permission.
   */
  permission?: "triage" | "write" | "maintain" | "admin";
  /**
   * The CODEOWNERS owners (read from the default branch) of the touched paths.
   */
  codeowners?: boolean;
  /**
   * Bots or GitHub Apps (login without [bot]) whose approval counts for this rule. Bots never count otherwise.
   */
  apps?: string[];
}
/**
 * Who must approve changes to this policy file, to schemas it names and to CODEOWNERS. Default: repository admins.
 */
export interface ApproverSet1 {
  users?: string[];
  /**
   * Teams as `org/slug`.
   */
  teams?: string[];
  /**
   * Anyone with at least this repository permission.
   */
  permission?: "triage" | "write" | "maintain" | "admin";
  /**
   * The CODEOWNERS owners (read from the default branch) of the touched paths.
   */
  codeowners?: boolean;
  /**
   * Bots or GitHub Apps (login without [bot]) whose approval counts for this rule. Bots never count otherwise.
   */
  apps?: string[];
}
/**
 * Where and how merged agent-config changes are recorded (CC8 change log).
 */
export interface Changelog {
  enabled?: boolean;
  /**
   * `owner/name` of a dedicated audit repository (recommended); default: this repository.
   */
  repository?: string;
  branch?: string;
  checkpoint_every?: number;
  heartbeat_hours?: number;
  ticket_pattern?: string;
}
