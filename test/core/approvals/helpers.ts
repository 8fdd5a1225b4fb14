import { expect } from "@jest/globals";
import type {
  ApprovalFacts,
  ApprovalResult,
  ChangeSummary,
  Review,
} from "../../../src/core/approvals/index.js";
import { loadPolicy, POLICY_PATH, type ResolvedPolicy } from "../../../src/core/policy/resolve.js";
import { builtinSchemas } from "../../../src/schemas.js";

export const HEAD = "h".repeat(40);
export const OLD = "o".repeat(40);
export const NOW = new Date("2026-03-02T12:00:00Z");

/** A policy from YAML text, which must load without messages. */
export function policy(yaml?: string): ResolvedPolicy {
  const load = loadPolicy(yaml, POLICY_PATH, builtinSchemas(), NOW);
  expect(load.messages).toEqual([]);
  if (!load.ok) throw new Error("policy did not load");
  return load.policy;
}

export function change(over: Partial<ChangeSummary> = {}): ChangeSummary {
  const files = over.files ?? [{ path: ".mcp.json", category: "mcp", format: "mcp-project" }];
  return {
    files,
    changedPaths: over.changedPaths ?? files.map((f) => f.path),
    risk: over.risk ?? "low",
    rulesFound: over.rulesFound ?? [],
  };
}

let nextId = 1;
export function review(
  login: string,
  state: Review["state"] = "APPROVED",
  over: Partial<Review> = {},
): Review {
  const id = over.id ?? nextId++;
  return {
    id,
    user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" },
    state,
    commitId: HEAD,
    submittedAt: `2026-03-02T10:${String(id % 60).padStart(2, "0")}:00Z`,
    ...over,
  };
}

/** Facts for a PR by `author` where `writers` have write access and `admins` admin. */
export function facts(over: Partial<ApprovalFacts> = {}): ApprovalFacts {
  return {
    author: { login: "author", type: "User" },
    headSha: HEAD,
    baseRef: "main",
    labels: [],
    requesters: [],
    reviews: [],
    commits: [{ sha: HEAD, authorLogin: "author", committerLogin: "author", message: "change" }],
    pushers: ["author"],
    comments: [],
    contentIdenticalCommits: [],
    teams: {},
    permissions: {
      author: "write",
      alice: "write",
      bob: "write",
      carol: "write",
      maint: "maintain",
      admin: "admin",
      admin2: "admin",
    },
    ...over,
  };
}

export const ruleNamed = (r: ApprovalResult, name: string) => {
  const found = r.rules.find((x) => x.name === name);
  if (!found) throw new Error(`no rule ${name}: ${r.rules.map((x) => x.name).join(", ")}`);
  return found;
};

export const reasonOf = (r: ApprovalResult, login: string) =>
  r.ignored.find((i) => i.login === login)?.reason;
