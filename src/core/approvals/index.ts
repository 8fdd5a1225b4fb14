/** The approvals engine's public API (pure: adapters gather `ApprovalFacts`, nothing here calls GitHub). */
export { changeSummary, policyChangePaths } from "./change.js";
export { CODEOWNERS_PATHS, type CodeownersRule, ownersOf, parseCodeowners } from "./codeowners.js";
export { addBusinessDays } from "./emergency.js";
export { type ApprovalInput, evaluateApprovals } from "./evaluate-approvals.js";
export { coAuthorLogins } from "./identity.js";
export { lookupNeeds } from "./lookup.js";
export {
  CRITICAL_RULE,
  DEFAULT_RULE,
  type EffectiveRule,
  effectiveRules,
  HIGH_RULE,
  POLICY_OWNERS_RULE,
} from "./rules.js";
export * from "./types.js";
