/**
 * Ticket references in a pull request's title, description and branch: the policy's
 * `changelog.ticket_pattern`, or by default Jira-style keys (`ABC-123`) and issue numbers (`#123`).
 */

/** Jira keys not preceded or followed by another key character; `#123` not part of a word or URL path. */
const DEFAULT_PATTERN = /(?<![A-Za-z0-9_-])[A-Z][A-Z0-9]+-\d+(?![A-Za-z0-9_-])|(?<![\w&/#])#\d+\b/g;

/** Standards and identifiers that look like Jira keys but are not tickets (SHA-256, UTF-8, ISO-8601…). */
const NOT_TICKETS = new Set([
  "SHA",
  "UTF",
  "ISO",
  "RFC",
  "TLS",
  "SSL",
  "HTTP",
  "CVE",
  "GHSA",
  "AES",
  "ECMA",
  "IEEE",
]);

export const DEFAULT_TICKET_PATTERN = "default";

export interface TicketParse {
  tickets: string[];
  /** The pattern used (`default`, or the policy's), recorded so the parse can be re-performed. */
  pattern: string;
  /** Set when the policy's pattern is not a valid regular expression (the default was used instead). */
  invalidPattern?: string;
}

/** Tickets in order of first appearance (title, then branch, then description), without duplicates. */
export function linkedTickets(
  texts: { title: string; headRef: string; body: string },
  pattern?: string,
): TicketParse {
  let re = DEFAULT_PATTERN;
  let used = DEFAULT_TICKET_PATTERN;
  let invalidPattern: string | undefined;
  if (pattern !== undefined) {
    try {
      re = new RegExp(pattern, "g");
      used = pattern;
    } catch {
      invalidPattern = pattern;
    }
  }
  const found = new Set<string>();
  for (const text of [texts.title, texts.headRef, texts.body]) {
    for (const m of text.matchAll(
      new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`),
    )) {
      const ticket = m[0];
      if (ticket === "") continue;
      if (used === DEFAULT_TICKET_PATTERN && NOT_TICKETS.has(ticket.split("-")[0] ?? "")) continue;
      found.add(ticket);
    }
  }
  return { tickets: [...found], pattern: used, ...(invalidPattern !== undefined ? { invalidPattern } : {}) };
}
