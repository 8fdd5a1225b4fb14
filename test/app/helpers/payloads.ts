import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * Real webhook payloads from `@octokit/webhooks-examples`, adapted per scenario in code (the raw fixtures are
 * never edited): each scenario copies an example and changes only what it is about.
 */

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const require_ = createRequire(import.meta.url);
const definitions: Definition[] = JSON.parse(
  readFileSync(require_.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
);

/** A deep copy of the first example of `event` with `action` (and matching `where`, if given). */
// biome-ignore lint/suspicious/noExplicitAny: payloads are adapted freely in tests
export function example(event: string, action: string, where?: (p: any) => boolean): any {
  const def = definitions.find((d) => d.name === event);
  const found = def?.examples.find((e) => e.action === action && (where ? where(e) : true));
  if (!found) throw new Error(`no ${event}.${action} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const PR_NUMBER = 2;
export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "c".repeat(40);
export const MERGE_BASE = "a".repeat(40);
export const DEFAULT_SHA = "d".repeat(40);
export const INSTALLATION_ID = 4242;

export interface PullRequestScenario {
  action?: string;
  changedFiles: number;
  headSha?: string;
  fork?: boolean;
  sender?: { login: string; type: string };
}

/** `pull_request.opened` from the examples, pointed at our commits (and a fork, if asked). */
// biome-ignore lint/suspicious/noExplicitAny: payloads are adapted freely in tests
export function pullRequestPayload(s: PullRequestScenario): any {
  const p = example("pull_request", "opened");
  p.action = s.action ?? "opened";
  p.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  p.pull_request.base.sha = BASE_SHA;
  p.pull_request.head.sha = s.headSha ?? HEAD_SHA;
  p.pull_request.changed_files = s.changedFiles;
  p.pull_request.state = "open";
  if (s.fork) {
    const fork = structuredClone(p.pull_request.head.repo);
    fork.id = 9_999_999;
    fork.full_name = `contributor/${REPO}`;
    fork.owner = { ...fork.owner, login: "contributor", id: 9_999_998 };
    fork.fork = true;
    p.pull_request.head.repo = fork;
    p.pull_request.head.label = `contributor:${p.pull_request.head.ref}`;
  }
  if (s.sender) p.sender = { ...p.sender, ...s.sender };
  return p;
}
