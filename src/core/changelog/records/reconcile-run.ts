/** The `log.reconcile_run` record: the completeness test (source vs log) with its query parameters (IPE evidence). */
import { RECORD_SCHEMA, type RecordDraft } from "../types.js";
import { outcome } from "./common.js";
import type { ReconcileRunFacts, RecordException } from "./types.js";

export function reconcileRunRecordId(runId: string): string {
  return `reconcile:${runId}`;
}

export function reconcileRunRecord(facts: ReconcileRunFacts): RecordDraft {
  const c = facts.counts;
  const exceptions: RecordException[] = [];
  const unrecovered = c.missing - c.backfilled;
  if (unrecovered > 0)
    exceptions.push({
      code: "RECORDS_MISSING",
      detail: `${unrecovered} change(s) in the source have no record (${c.missing} missing, ${c.backfilled} backfilled).`,
    });
  if (c.off_branch !== undefined && c.off_branch > 0)
    exceptions.push({
      code: "FORCE_PUSH",
      detail: `${c.off_branch} merged pull request(s) of the period are no longer on the branch's first-parent history: it was rewritten (force push or reset).`,
    });
  if (c.duplicates > 0)
    exceptions.push({
      code: "DUPLICATE_RECORDS",
      detail: `${c.duplicates} record id(s) appear more than once.`,
    });
  return {
    schema: RECORD_SCHEMA,
    type: "log.reconcile_run",
    record_id: reconcileRunRecordId(facts.run_id),
    recorded_at: facts.recorded_at,
    run_id: facts.run_id,
    started_at: facts.started_at,
    finished_at: facts.finished_at,
    query: {
      since: facts.query.since,
      until: facts.query.until,
      repositories: [...facts.query.repositories].sort(),
      repository_filter: facts.query.repository_filter ?? null,
      backfill: facts.query.backfill,
      sources: [...facts.query.sources],
    },
    counts: { ...c },
    tool_version: facts.tool_version,
    ...outcome(exceptions),
  };
}
