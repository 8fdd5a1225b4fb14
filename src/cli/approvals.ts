import {
  type ApprovalFacts,
  type ApprovalResult,
  changeSummary,
  evaluateApprovals,
} from "../core/approvals/index.js";
import type { Evaluation } from "../core/evaluate.js";
import type { LocalApprovalInputs } from "./check.js";

/**
 * The author `check` previews approvals for: not a valid GitHub login (it has a space and parentheses), so
 * it matches no reviewer, team member or CODEOWNER and excludes nobody who could approve.
 */
export const PREVIEW_AUTHOR = "(local author)";

/**
 * Which approvals a local change will need (`check`): the base commit's policy applied to the change as a
 * pull request with no reviews, labels or comments yet. Never a verdict: every applicable rule is pending.
 */
export function previewApprovals(ev: Evaluation, local: LocalApprovalInputs, now: Date): ApprovalResult {
  const facts: ApprovalFacts = {
    author: { login: PREVIEW_AUTHOR, type: "User" },
    headSha: local.headSha,
    baseRef: local.targetBranch,
    labels: [],
    requesters: [],
    reviews: [],
    commits: [],
    pushers: [],
    comments: [],
    contentIdenticalCommits: [],
    teams: {},
    permissions: {},
    ...(local.codeowners ? { codeowners: local.codeowners } : {}),
  };
  return approvalsFor(ev, local, facts, now);
}

/** The approval state of a local change under given pull-request facts (`simulate`). */
export function approvalsFor(
  ev: Evaluation,
  local: LocalApprovalInputs,
  facts: ApprovalFacts,
  now: Date,
): ApprovalResult {
  const change = changeSummary(ev, local.changedPaths);
  return evaluateApprovals({ policy: local.policy, change, facts, now });
}
