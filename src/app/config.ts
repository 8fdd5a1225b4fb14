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
];

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
  return problems;
}

export function serverConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = env.PORT?.trim() ? Number(env.PORT.trim()) : DEFAULT_PORT;
  const host = env.HOST?.trim();
  return { port, ...(host ? { host } : {}) };
}
