import type { ApproverSet } from "../policy/policy-file.generated.js";
import { type CodeownersRule, ownersOf, parseCodeowners } from "./codeowners.js";
import { appName, isBot, loginKey } from "./identity.js";
import { type Actor, type ApprovalFacts, PERMISSIONS, type Permission } from "./types.js";

/** Team memberships, permissions and CODEOWNERS as looked up for this evaluation, keyed case-insensitively. */
export class Directory {
  private readonly teams = new Map<string, Set<string>>();
  private readonly permissions = new Map<string, Permission>();
  readonly codeowners: CodeownersRule[];

  constructor(facts: Pick<ApprovalFacts, "teams" | "permissions" | "codeowners">) {
    for (const [team, members] of Object.entries(facts.teams))
      this.teams.set(loginKey(team), new Set(members.map(loginKey)));
    for (const [login, p] of Object.entries(facts.permissions)) this.permissions.set(loginKey(login), p);
    this.codeowners = facts.codeowners ? parseCodeowners(facts.codeowners.text) : [];
  }

  /** Listed as an active member; a team or login nobody looked up is not membership (fail closed). */
  isMember(login: string, team: string): boolean {
    return this.teams.get(loginKey(team))?.has(loginKey(login)) ?? false;
  }

  hasPermission(login: string, atLeast: Permission): boolean {
    const p = this.permissions.get(loginKey(login));
    return p !== undefined && PERMISSIONS.indexOf(p) >= PERMISSIONS.indexOf(atLeast);
  }

  /** Owns at least one of the paths (directly or through a team) under CODEOWNERS from the default branch. */
  ownsAny(login: string, paths: readonly string[]): boolean {
    return paths.some((p) => {
      const o = ownersOf(this.codeowners, p);
      return (
        o.users.some((u) => loginKey(u) === loginKey(login)) || o.teams.some((t) => this.isMember(login, t))
      );
    });
  }

  /** CODEOWNERS teams of the paths (for lookups). */
  ownerTeams(paths: readonly string[]): string[] {
    return [...new Set(paths.flatMap((p) => ownersOf(this.codeowners, p).teams))];
  }
}

/**
 * Whether an account is in an approver set. Bots and GitHub Apps are in it only through `apps`; people through
 * `users`, `teams`, `permission` or `codeowners` (owners of at least one of `paths`).
 */
export function inSet(actor: Actor, set: ApproverSet, paths: readonly string[], dir: Directory): boolean {
  if (isBot(actor)) return (set.apps ?? []).some((a) => appName(a) === appName(actor.login));
  const k = loginKey(actor.login);
  if ((set.users ?? []).some((u) => loginKey(u) === k)) return true;
  if ((set.teams ?? []).some((t) => dir.isMember(actor.login, t))) return true;
  if (set.permission !== undefined && dir.hasPermission(actor.login, set.permission)) return true;
  return set.codeowners === true && dir.ownsAny(actor.login, paths);
}
