import { DEFAULT_HEARTBEAT_HOURS } from "../changelog/writer.js";

/**
 * The app's settings, read from the environment once at start-up. Probot reads most of them itself
 * (`createProbot`); this module checks them first so the app refuses to start on a dangerous or broken
 * configuration instead of running with Probot's silent fallbacks (the webhook secret "development").
 */

export interface EnvVar {
  name: string;
  required: boolean | "one-of";
  description: string;
  example?: string;
}

/** Every variable the server reads (`.env.example` and docs/deploy.md mirror this list; a test checks). */
export const ENV_VARS: readonly EnvVar[] = [
  {
    name: "APP_ID",
    required: true,
    description: "The GitHub App's numeric id (app settings page).",
    example: "123456",
  },
  {
    name: "PRIVATE_KEY",
    required: "one-of",
    description:
      "The app's private key (PEM text; `\\n` escapes or base64 accepted). Or use PRIVATE_KEY_PATH.",
  },
  {
    name: "PRIVATE_KEY_PATH",
    required: "one-of",
    description: "Path to the app's private key .pem file. Or use PRIVATE_KEY.",
    example: "/run/secrets/agent-change-control.pem",
  },
  {
    name: "WEBHOOK_SECRET",
    required: true,
    description: "The webhook secret set in the app's settings. The server refuses to start without it.",
  },
  {
    name: "GHE_HOST",
    required: false,
    description: "GitHub Enterprise Server host name; unset means github.com.",
    example: "github.example.com",
  },
  {
    name: "GHE_PROTOCOL",
    required: false,
    description: "Protocol for GHE_HOST (default https).",
    example: "https",
  },
  { name: "PORT", required: false, description: "HTTP port (default 3000).", example: "3000" },
  { name: "HOST", required: false, description: "Interface to listen on (default all).", example: "0.0.0.0" },
  {
    name: "LOG_LEVEL",
    required: false,
    description: "trace, debug, info (default), warn, error, fatal or silent.",
    example: "info",
  },
  {
    name: "LOG_FORMAT",
    required: false,
    description: "json (default when not a terminal) or pretty.",
    example: "json",
  },
  {
    name: "REDIS_URL",
    required: false,
    description: "Optional: shares Octokit's rate-limit throttling between replicas.",
    example: "redis://redis:6379",
  },
  { name: "WEBHOOK_PATH", required: false, description: "Webhook route (default /api/github/webhooks)." },
  {
    name: "CHANGELOG_SIGNING_KEY",
    required: false,
    description:
      "Ed25519 private key (PEM) that signs the change log's checkpoints. Keep it in the secret store, never in a repository.",
  },
  {
    name: "CHANGELOG_HEARTBEAT_MINUTES",
    required: false,
    description:
      "How often the app looks for change logs due a heartbeat checkpoint, in minutes (default 60, at most 1440; 0 turns the app's heartbeats off). Needs CHANGELOG_SIGNING_KEY.",
    example: "60",
  },
  {
    name: "CHANGELOG_HEARTBEAT_HOURS",
    required: false,
    description:
      "A log gets a heartbeat checkpoint when it has had none for this many hours (default 24, from 1 to 744).",
    example: "24",
  },
  {
    name: "CHANGELOG_HEARTBEAT_TARGETS",
    required: false,
    description:
      "The logs the app writes heartbeats to, as owner/repo or owner/repo@branch, comma separated. Replaces discovery (every installed repository with an agent-change-log branch); needed for a custom changelog.branch.",
    example: "acme/audit-log,acme/payments@compliance-log",
  },
];

export const DEFAULT_HEARTBEAT_MINUTES = 60;
/** The longest interval between two looks: a day (longer would leave a 24-hour heartbeat late). */
export const MAX_HEARTBEAT_MINUTES = 1440;
/** The policy's bounds for `changelog.heartbeat_hours` (schemas/policy.schema.json). */
export const MIN_HEARTBEAT_HOURS = 1;
export const MAX_HEARTBEAT_HOURS = 744;

/** A log named in CHANGELOG_HEARTBEAT_TARGETS. */
export interface HeartbeatTargetSpec {
  owner: string;
  repo: string;
  /** Undefined: the default log branch. */
  branch?: string;
}

export interface HeartbeatConfig {
  /** Minutes between sweeps; 0 = the app writes no heartbeats. */
  intervalMinutes: number;
  heartbeatHours: number;
  /** The explicit list; undefined = discover the logs. */
  targets?: HeartbeatTargetSpec[];
}

export const DEFAULT_PORT = 3000;
export const HEALTH_PATH = "/healthz";

export interface ServerConfig {
  port: number;
  host?: string;
}

/**
 * Checks the environment; returns the problems (empty when the app may start). Values are never echoed:
 * a misplaced secret must not end up in a log.
 */
export function configProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  if (!set("APP_ID")) problems.push("APP_ID is not set: the GitHub App's numeric id is required");
  else if (!/^[0-9]+$/.test(env.APP_ID!.trim())) problems.push("APP_ID must be the app's numeric id");
  if (!set("PRIVATE_KEY") && !set("PRIVATE_KEY_PATH")) {
    problems.push("neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set: the app's private key is required");
  }
  if (!set("WEBHOOK_SECRET")) {
    problems.push(
      "WEBHOOK_SECRET is not set: refusing to start, because Probot would otherwise accept webhooks signed with the public default secret",
    );
  } else if (env.WEBHOOK_SECRET === "development") {
    problems.push(
      'WEBHOOK_SECRET is "development", a publicly known value: set the secret from the app settings',
    );
  }
  if (set("PORT") && !/^[0-9]{1,5}$/.test(env.PORT!.trim())) problems.push("PORT must be a port number");
  if (set("GHE_PROTOCOL") && !/^https?$/.test(env.GHE_PROTOCOL!.trim())) {
    problems.push("GHE_PROTOCOL must be https or http");
  }
  problems.push(...heartbeatProblems(env));
  return problems;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const REPO = /^[A-Za-z0-9._-]+$/;
/** A git branch name without what git forbids (spaces, `..`, `@{`, `~^:?*[\`); commas separate entries. */
const BRANCH = /^(?!.*(?:\.\.|@\{))[^\s,~^:?*[\\]+$/;

/** Reads CHANGELOG_HEARTBEAT_TARGETS: `owner/repo` or `owner/repo@branch`, comma separated (bad entries named). */
export function parseHeartbeatTargets(text: string): { targets: HeartbeatTargetSpec[]; problems: string[] } {
  const targets: HeartbeatTargetSpec[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const m = /^([^/@\s]+)\/([^/@\s]+)(?:@(.+))?$/.exec(entry);
    if (!m || !OWNER.test(m[1]!) || !REPO.test(m[2]!) || (m[3] !== undefined && !BRANCH.test(m[3]))) {
      problems.push(
        `CHANGELOG_HEARTBEAT_TARGETS: "${entry}" is not owner/repo or owner/repo@branch (entries are comma separated)`,
      );
      continue;
    }
    const target: HeartbeatTargetSpec = { owner: m[1]!, repo: m[2]!, ...(m[3] ? { branch: m[3] } : {}) };
    const key = `${target.owner}/${target.repo}@${target.branch ?? ""}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(target);
  }
  return { targets, problems };
}

function heartbeatProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const minutes = env.CHANGELOG_HEARTBEAT_MINUTES?.trim();
  if (minutes && !(/^[0-9]+$/.test(minutes) && Number(minutes) <= MAX_HEARTBEAT_MINUTES)) {
    problems.push(
      `CHANGELOG_HEARTBEAT_MINUTES must be a whole number of minutes from 0 (off) to ${MAX_HEARTBEAT_MINUTES}`,
    );
  }
  const hours = env.CHANGELOG_HEARTBEAT_HOURS?.trim();
  if (
    hours &&
    !(/^[0-9]+$/.test(hours) && Number(hours) >= MIN_HEARTBEAT_HOURS && Number(hours) <= MAX_HEARTBEAT_HOURS)
  ) {
    problems.push(
      `CHANGELOG_HEARTBEAT_HOURS must be a whole number of hours from ${MIN_HEARTBEAT_HOURS} to ${MAX_HEARTBEAT_HOURS}`,
    );
  }
  const targets = env.CHANGELOG_HEARTBEAT_TARGETS?.trim();
  if (targets) {
    const parsed = parseHeartbeatTargets(targets);
    problems.push(...parsed.problems);
    if (parsed.problems.length === 0 && parsed.targets.length === 0) {
      problems.push("CHANGELOG_HEARTBEAT_TARGETS names no log: unset it to discover the logs");
    }
  }
  return problems;
}

/** The heartbeat settings (call after configProblems found none: values are not re-checked). */
export function heartbeatConfig(env: NodeJS.ProcessEnv): HeartbeatConfig {
  const minutes = env.CHANGELOG_HEARTBEAT_MINUTES?.trim();
  const hours = env.CHANGELOG_HEARTBEAT_HOURS?.trim();
  const targets = env.CHANGELOG_HEARTBEAT_TARGETS?.trim();
  return {
    intervalMinutes: minutes ? Number(minutes) : DEFAULT_HEARTBEAT_MINUTES,
    heartbeatHours: hours ? Number(hours) : DEFAULT_HEARTBEAT_HOURS,
    ...(targets ? { targets: parseHeartbeatTargets(targets).targets } : {}),
  };
}

export function serverConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = env.PORT?.trim() ? Number(env.PORT.trim()) : DEFAULT_PORT;
  const host = env.HOST?.trim();
  return { port, ...(host ? { host } : {}) };
}
