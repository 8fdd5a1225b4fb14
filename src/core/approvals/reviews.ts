import { loginKey } from "./identity.js";
import type { Actor, Review } from "./types.js";

/** One reviewer's standing: the latest review that decides, and the latest review of any kind. */
export interface ReviewerState {
  actor: Actor;
  /** Latest APPROVED / CHANGES_REQUESTED / DISMISSED review, if any. */
  decisive?: Review;
  /** Latest review of any state (explains a reviewer who only commented). */
  latest: Review;
  /**
   * The reviewer's approvals since their last CHANGES_REQUESTED or DISMISSED review, oldest first: while their
   * standing is "approved", any of them may be the one of the commit under review (a later approval of an older
   * commit does not take back an approval of the head).
   */
  approvals: Review[];
}

const DECISIVE = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

/**
 * Each reviewer's latest decisive review: reviews ordered by `submittedAt`, then id; COMMENTED and PENDING
 * never change a standing. Sorted by login, so the result does not depend on the order reviews arrive in.
 */
export function reviewerStates(reviews: readonly Review[]): ReviewerState[] {
  const ordered = [...reviews].sort((a, b) =>
    a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : a.id - b.id,
  );
  const byLogin = new Map<string, ReviewerState>();
  for (const r of ordered) {
    const k = loginKey(r.user.login);
    const s = byLogin.get(k) ?? { actor: r.user, latest: r, approvals: [] };
    s.latest = r;
    if (DECISIVE.has(r.state)) {
      s.decisive = r;
      s.actor = r.user;
      s.approvals = r.state === "APPROVED" ? [...s.approvals, r] : [];
    }
    byLogin.set(k, s);
  }
  return [...byLogin.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}
