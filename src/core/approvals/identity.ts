import type { Actor, ApprovalFacts, IgnoredReason } from "./types.js";

/** Logins are case-insensitive on GitHub: every comparison uses this key. */
export const loginKey = (login: string): string => login.toLowerCase();

/** A bot or GitHub App account (`type: Bot`, or a `name[bot]` login however it was reported). */
export function isBot(actor: Actor): boolean {
  return actor.type === "Bot" || /\[bot\]$/i.test(actor.login);
}

/** The name an `apps` allowlist uses for a bot: its login without `[bot]`, lower-cased. */
export function appName(login: string): string {
  return loginKey(login.replace(/\[bot\]$/i, ""));
}

/**
 * The GitHub logins named by `Co-authored-by:` trailers, read from GitHub's noreply addresses
 * (`123+login@users.noreply.github.com` or `login@users.noreply.github.com`). Other addresses name no account
 * the engine can know, so they give nothing. Used only to exclude people, never to credit them.
 */
export function coAuthorLogins(message: string): string[] {
  const out = new Set<string>();
  for (const line of message.split(/\r?\n/)) {
    const m =
      /^\s*co-authored-by:.*<\s*(?:\d+\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com\s*>/i.exec(
        line,
      );
    if (m) out.add(m[1]!);
  }
  return [...out];
}

/**
 * Why a login may never approve this pull request, whatever the rule (undefined: it may). The author, the
 * humans who started a bot's PR, anyone who pushed to it; commit authors, committers and co-authors too unless
 * `count_committers` (the PR author and pushers stay excluded even then).
 */
export function disqualifier(
  login: string,
  facts: Pick<ApprovalFacts, "author" | "requesters" | "pushers" | "commits">,
  countCommitters: boolean,
): IgnoredReason | undefined {
  const k = loginKey(login);
  if (k === loginKey(facts.author.login)) return "author";
  if (facts.requesters.some((r) => loginKey(r) === k)) return "requester";
  if (facts.pushers.some((p) => loginKey(p) === k)) return "pusher";
  if (countCommitters) return undefined;
  for (const c of facts.commits) {
    if (c.authorLogin !== null && loginKey(c.authorLogin) === k) return "committer";
    if (c.committerLogin !== null && loginKey(c.committerLogin) === k) return "committer";
  }
  for (const c of facts.commits) {
    if (coAuthorLogins(c.message).some((l) => loginKey(l) === k)) return "co-author";
  }
  return undefined;
}
