/**
 * Where `reconcile` reads the default branch's history from: a clone (`--git`, offline) or GitHub's API
 * (`--repo`, online). The comparison with the log is the same for both (log-reconcile.ts); a source only
 * answers what landed, what it changed, which pull request brought it, and how to backfill what is missing.
 */
import type { FirstParentCommit, RawChange } from "../core/changelog/history.js";
import type { ChangedFileFacts } from "../core/changelog/records/types.js";
import type { RecordDraft } from "../core/changelog/types.js";
import type { ResolvedPolicy } from "../core/policy/resolve.js";

export interface SourcePullRequest {
  number: number;
  /** The commit the pull request landed as (for a rebase merge, its last commit). */
  mergeSha: string;
}

export interface BackfillTarget {
  repository: { id: string; full_name: string };
  recordedAt: string;
}

export interface ReconcileSource {
  /** What the source says about the repository (either may be unknown offline). */
  repository: { full_name?: string; id?: string };
  /** The branch walked (the default branch unless `--branch`). */
  branch: string;
  /** The policy at the branch's tip: which paths are agent configs. */
  policy: ResolvedPolicy;
  /** How the history was read, for the run record's `query.sources`. */
  description: string;
  /** First-parent commits committed in [from, to], oldest first. */
  commits(window: { from: string; to: string }): Promise<FirstParentCommit[]>;
  changes(commit: FirstParentCommit): Promise<RawChange[]>;
  pullRequestOf(commit: FirstParentCommit): Promise<SourcePullRequest | undefined>;
  /**
   * Pull requests merged into the branch in [from, to], when the source can list them (GitHub can, a clone
   * cannot): each must have landed on the first-parent line, or the branch was rewritten since.
   */
  mergedPullRequests?(window: {
    from: string;
    to: string;
  }): Promise<(SourcePullRequest & { mergedAt: string })[]>;
  /** The records for a change the log is missing: a merged pull request, or a direct push (`pr` undefined). */
  backfill(
    commit: FirstParentCommit,
    pr: SourcePullRequest | undefined,
    files: ChangedFileFacts[],
    target: BackfillTarget,
  ): Promise<RecordDraft[]>;
}
