import type { ApprovalFacts } from "../../approvals/types.js";
import type { Evaluation } from "../../evaluate.js";
import type { ClassifiedFile } from "../../types.js";
import type { EvaluationSummary, MergedFacts } from "./types.js";

/**
 * The parts of a `change.merged` record's facts that come straight from the engine's evaluation and approval
 * facts, the same for every adapter (the app at merge, the CLI's `record`): only the blob ids differ in where
 * they come from, so the adapter passes them in.
 */
export function evaluationSummary(
  ev: Evaluation,
  blobIds: (file: ClassifiedFile) => { before: string | null; after: string | null },
): EvaluationSummary {
  return {
    risk: ev.risk,
    findings: ev.findings.filter((f) => !f.suppressed).map((f) => ({ rule: f.rule, path: f.path })),
    files: ev.files.map((f) => {
      const ids = blobIds(f);
      return {
        path: f.path,
        ...(f.previousPath ? { previous_path: f.previousPath } : {}),
        status: f.status,
        category: f.category,
        format: f.format,
        blob_before: f.status === "added" ? null : ids.before,
        blob_after: f.status === "removed" ? null : ids.after,
      };
    }),
    errors: ev.errors,
  };
}

/** The approval facts the log keeps (who reviewed, committed, pushed and requested; which heads count). */
export function approvalFactsForLog(
  facts: Pick<
    ApprovalFacts,
    "reviews" | "commits" | "pushers" | "requesters" | "headSha" | "contentIdenticalCommits"
  >,
): MergedFacts["approval_facts"] {
  return {
    reviews: facts.reviews,
    commits: facts.commits,
    pushers: facts.pushers,
    requesters: facts.requesters,
    headSha: facts.headSha,
    contentIdenticalCommits: facts.contentIdenticalCommits,
  };
}
