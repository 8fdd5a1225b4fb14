/**
 * Designated approvals, as plain data. Adapters (the app's GitHub reader, the CLI's `simulate` JSON) gather
 * `ApprovalFacts`; `evaluateApprovals` (pure) decides which approval rules apply to a change, who counts for
 * each and whether the gate may turn green. Nothing here calls GitHub.
 */
import type { RiskTier } from "../types.js";

export type Permission = "none" | "read" | "triage" | "write" | "maintain" | "admin";
export const PERMISSIONS: readonly Permission[] = ["none", "read", "triage", "write", "maintain", "admin"];

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Actor {
  login: string;
  /** GitHub's account type: `Bot` for GitHub Apps and bot accounts (`name[bot]`). */
  type: "User" | "Bot" | "Organization";
}

export interface Review {
  /** GitHub's review id (for the change log and explanations). */
  id: number;
  user: Actor;
  /** Upper-case as REST and GraphQL return it (webhook payloads are lower-case: adapters normalise). */
  state: ReviewState;
  /** The commit the reviewer saw. */
  commitId: string;
  /** ISO time; orders a user's reviews (the latest decides). */
  submittedAt: string;
}

/** A PR commit as GitHub maps it to accounts (null login: the email matches no GitHub account). */
export interface PrCommit {
  sha: string;
  authorLogin: string | null;
  committerLogin: string | null;
  /** The full message: `Co-authored-by:` trailers are read from it (to exclude, never to credit). */
  message: string;
}

export interface IssueComment {
  id: number;
  author: Actor;
  body: string;
  createdAt: string;
}

/** What the approval engine knows about one pull request. */
export interface ApprovalFacts {
  author: Actor;
  headSha: string;
  /** The branch the PR targets. */
  baseRef: string;
  labels: string[];
  /** For PRs opened by a bot or coding agent: the humans who started it (assignees, requester). */
  requesters: string[];
  reviews: Review[];
  commits: PrCommit[];
  /** Accounts that pushed to the PR's branch where GitHub says so (force-push events, web-flow edits). */
  pushers: string[];
  comments: IssueComment[];
  /**
   * Head commits whose change is content-identical to the current head's (same diff against the base):
   * with `invalidate_on_push: content` an approval of one of these still counts. Adapters decide this by
   * comparing diffs, never by timestamps.
   */
  contentIdenticalCommits: string[];
  /** Team membership, looked up live: `org/slug` → active member logins (only teams and logins asked for). */
  teams: Record<string, string[]>;
  /** Repository permission per login (only logins asked for; missing means unknown → not counted). */
  permissions: Record<string, Permission>;
  /** CODEOWNERS text from the default branch (undefined: no file). */
  codeowners?: { path: string; text: string };
}

/** What the change is, for deciding which rules apply (from the engine's evaluation). */
export interface ChangeSummary {
  /** Changed agent-config files with category and format. */
  files: { path: string; previousPath?: string; category: string; format: string }[];
  /** Every changed path (agent config or not): CODEOWNERS changes are policy changes. */
  changedPaths: string[];
  risk: RiskTier;
  /** Rule ids of unsuppressed findings. */
  rulesFound: string[];
}

export type RuleStatus = "satisfied" | "pending" | "not-applicable";

export type IgnoredReason =
  | "stale-commit"
  | "author"
  | "pusher"
  | "committer"
  | "co-author"
  | "bot"
  | "requester"
  | "not-in-approver-set"
  | "counted-for-distinct-rule"
  | "changes-requested"
  | "not-approved";

export interface RuleResult {
  name: string;
  description?: string;
  /** Why the rule applies (e.g. "risk high ≥ high", "categories: mcp"), or why not. */
  because: string;
  status: RuleStatus;
  required: number;
  /** Logins counted towards this rule, with their review ids. */
  counted: { login: string; reviewId: number }[];
  /** Who can still approve: team names always; users only when the policy allows; permission; codeowners. */
  canApprove: {
    teams: string[];
    users: string[];
    permission?: Permission;
    codeowners: boolean;
    apps: string[];
  };
  /** For `one_from_each_team`: the teams still without an approver. */
  missingTeams: string[];
  /** A built-in default rule (the policy defines none that apply), or the policy owners rule. */
  origin: "policy" | "default" | "policy-owners";
  /**
   * Added by the approvals engine: reviewers in this rule's approver set whose approval did not count here,
   * with the reason (stale commit, counted for a rule it must be distinct from…). Rules that do not apply
   * have none.
   */
  notCounted?: { login: string; reviewId: number; reason: IgnoredReason }[];
  /** Added by the approvals engine: the rules this one must not share approvers with (`distinct_from`). */
  distinctFrom?: string[];
}

export interface Emergency {
  declarer: string;
  reason: string;
  commentId: number;
  declaredAt: string;
  /** ISO date the follow-up review is due (business days after the declaration). */
  followUpDue: string;
}

export interface ApprovalResult {
  /** Every rule, applicable or not, in policy order (defaults and policy owners last). */
  rules: RuleResult[];
  /** Reviews that did not count anywhere, once per reviewer, with the reason. */
  ignored: { login: string; reviewId: number; reason: IgnoredReason }[];
  /** Eligible approvers whose latest review requests changes: each blocks the gate. */
  blockedBy: { login: string; reviewId: number }[];
  /** Emergency declarations by users not allowed to declare one (answered with why). */
  refusedEmergencies: { commentId: number; login: string; why: string }[];
  emergency?: Emergency;
  /** All applicable rules satisfied and nothing blocking (or an emergency was declared). */
  approved: boolean;
  /** Teams and users to request reviews from (pending rules), when the policy asks for it. */
  requestReviews: { teams: string[]; users: string[] };
}

/** Logins and teams whose membership and permission the evaluation needs (adapters look these up). */
export interface LookupNeeds {
  teams: { team: string; logins: string[] }[];
  permissionsFor: string[];
}
