import type { Octokit } from "./octokit.js";

/**
 * Asks the people of pending approval rules for a review — only those not asked yet, so a re-evaluation never
 * re-notifies anyone. Teams can be requested only within the repository's own organisation.
 */
export async function requestReviews(
  octokit: Octokit,
  target: { owner: string; repo: string; prNumber: number },
  wanted: { users: string[]; teams: string[] },
  already: { users: string[]; teams: string[] },
): Promise<{ users: string[]; teams: string[] }> {
  const askedUsers = new Set(already.users.map((u) => u.toLowerCase()));
  const askedTeams = new Set(already.teams.map((t) => t.toLowerCase()));
  const users = [...new Set(wanted.users)].filter((u) => !askedUsers.has(u.toLowerCase()));
  const teams = [...new Set(wanted.teams)]
    .filter((t) => !askedTeams.has(t.toLowerCase()))
    .filter((t) => t.split("/")[0]?.toLowerCase() === target.owner.toLowerCase());
  if (users.length === 0 && teams.length === 0) return { users, teams };
  await octokit.rest.pulls.requestReviewers({
    owner: target.owner,
    repo: target.repo,
    pull_number: target.prNumber,
    reviewers: users,
    team_reviewers: teams.map((t) => t.split("/")[1]!),
  });
  return { users, teams };
}
