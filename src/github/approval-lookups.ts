import type { ApprovalFacts, LookupNeeds, Permission } from "../core/approvals/types.js";
import type { PullRequestInfo } from "./facts.js";
import type { Octokit } from "./octokit.js";

/**
 * Live lookups for approvals: team membership (only `active` counts; 404 means not a member) and repository
 * permission, for exactly the logins and teams the engine asks about, memoised per evaluation by the caller.
 * Plain REST reads in parallel (they are not throttled like writes and GraphQL), at most LOOKUP_CONCURRENCY
 * at a time.
 */
export const LOOKUP_CONCURRENCY = 8;
/** Stale approvals checked for a content-identical change at most (each costs one compare). */
export const MAX_CONTENT_CHECKS = 5;

const ROLES: Record<string, Permission> = {
  admin: "admin",
  maintain: "maintain",
  write: "write",
  push: "write",
  triage: "triage",
  read: "read",
  pull: "read",
  none: "none",
};

export async function lookupTeamsAndPermissions(
  octokit: Octokit,
  pr: Pick<PullRequestInfo, "owner" | "repo">,
  needs: LookupNeeds,
): Promise<Pick<ApprovalFacts, "teams" | "permissions">> {
  const teams: Record<string, string[]> = {};
  const permissions: Record<string, Permission> = {};
  const tasks: (() => Promise<void>)[] = [];
  for (const { team, logins } of needs.teams) {
    teams[team] ??= [];
    const [org, slug] = team.split("/") as [string, string];
    for (const login of new Set(logins)) {
      tasks.push(async () => {
        if (await isActiveMember(octokit, org, slug, login)) teams[team]!.push(login);
      });
    }
  }
  for (const login of new Set(needs.permissionsFor)) {
    tasks.push(async () => {
      permissions[login] = await permissionOf(octokit, pr, login);
    });
  }
  await runLimited(tasks, LOOKUP_CONCURRENCY);
  for (const members of Object.values(teams)) members.sort();
  return { teams, permissions };
}

async function isActiveMember(octokit: Octokit, org: string, slug: string, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
      org,
      team_slug: slug,
      username: login,
    });
    return data.state === "active";
  } catch (error) {
    // 404: not a member (or no such team, or a user account: teams exist only in organisations).
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

async function permissionOf(
  octokit: Octokit,
  pr: Pick<PullRequestInfo, "owner" | "repo">,
  login: string,
): Promise<Permission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: pr.owner,
      repo: pr.repo,
      username: login,
    });
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    return ROLES[role] ?? "none";
  } catch (error) {
    if ((error as { status?: number }).status === 404) return "none";
    throw error;
  }
}

async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

interface CompareFile {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
}

/**
 * Which reviewed commits carry the same change as the head: the same files with the same patches against the
 * base branch, ignoring only the hunk headers' line numbers (a clean rebase shifts them). A file GitHub gives no
 * patch for (binary, very large) makes the comparison fail: the approval stays stale.
 */
export async function identicalChanges(
  octokit: Octokit,
  pr: Pick<PullRequestInfo, "owner" | "repo" | "baseSha" | "headSha">,
  commits: readonly string[],
): Promise<string[]> {
  const candidates = [...new Set(commits)].filter((c) => c !== pr.headSha).slice(0, MAX_CONTENT_CHECKS);
  if (candidates.length === 0) return [];
  const changeOf = async (sha: string): Promise<string | undefined> => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: pr.owner,
      repo: pr.repo,
      basehead: `${pr.baseSha}...${sha}`,
      per_page: 1,
    });
    const files = (data.files ?? []) as CompareFile[];
    // GitHub returns at most 300 files per comparison: a longer list cannot be compared completely.
    if (files.length >= 300 || files.some((f) => f.patch === undefined && f.status !== "removed"))
      return undefined;
    return JSON.stringify(
      files
        .map((f) => [
          f.filename,
          f.status,
          f.previous_filename ?? null,
          (f.patch ?? "").replace(/^@@[^@]*@@/gm, "@@"),
        ])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  };
  const [head, ...others] = await Promise.all([changeOf(pr.headSha), ...candidates.map(changeOf)]);
  if (head === undefined) return [];
  return candidates.filter((_, i) => others[i] === head);
}
