import type { Octokit } from "./octokit.js";

export type CommentAction = "created" | "updated" | "unchanged";

/**
 * The sticky comment: created once, then edited only when its body changes (an edit costs a write and
 * notifies nobody, a new comment notifies everyone watching the PR).
 */
export async function publishComment(
  octokit: Octokit,
  target: { owner: string; repo: string; prNumber: number },
  body: string,
  existing: { id: number; body: string } | undefined,
): Promise<CommentAction> {
  if (existing) {
    if (existing.body === body) return "unchanged";
    await octokit.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: existing.id,
      body,
    });
    return "updated";
  }
  await octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.prNumber,
    body,
  });
  return "created";
}
