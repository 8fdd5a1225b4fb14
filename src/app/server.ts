import { createPrivateKey, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createNodeMiddleware, createProbot, type Probot } from "probot";
import { TOOL } from "../version.js";
import { configProblems, HEALTH_PATH, heartbeatConfig, serverConfig } from "./config.js";
import { startHeartbeats } from "./heartbeat.js";
import { agentChangeControl } from "./index.js";

/**
 * `npm start`: the app as a long-running HTTP server. Refuses to start on a broken or unsafe environment,
 * serves webhooks (signature-checked by Probot) and a health endpoint, and keeps no state: run as many
 * replicas as you like behind a load balancer. With CHANGELOG_SIGNING_KEY it records merges in the change log
 * and writes heartbeat checkpoints on a timer (src/app/heartbeat.ts), stopped when the server closes.
 */
export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<Server> {
  const problems = configProblems(env);
  if (problems.length > 0) throw new ConfigError(problems);
  const signingKey = changelogSigningKey(env);
  const gheHost = env.GHE_HOST?.trim() || undefined;
  const probot = createProbot({ env: withLogDefaults(env) });
  const appId = Number(env.APP_ID);
  const botLogin = await resolveBotLogin(probot);
  const changelog = signingKey ? { signingKey, ...(gheHost ? { host: gheHost } : {}) } : undefined;
  const middleware = await createNodeMiddleware(
    agentChangeControl({ appId, ...(botLogin ? { botLogin } : {}), ...(changelog ? { changelog } : {}) }),
    {
      probot,
      ...(env.WEBHOOK_PATH ? { webhooksPath: env.WEBHOOK_PATH } : {}),
    },
  );
  const server = createServer((req, res) => handle(req, res, middleware));
  const { port, host } = serverConfig(env);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  probot.log.info({ port, host: host ?? "all", version: TOOL.version }, "agent-change-control listening");
  if (changelog) {
    const { intervalMinutes, heartbeatHours, targets } = heartbeatConfig(env);
    const stop = startHeartbeats(probot, {
      ...changelog,
      intervalMinutes,
      heartbeatHours,
      ...(targets ? { targets } : {}),
    });
    server.once("close", stop);
  }
  return server;
}

/**
 * Probot's own defaults are `warn` and `pretty`, which would drop the one line per evaluation and write
 * unstructured logs in production; ours are `info`, and JSON when stdout is not a terminal.
 */
export function withLogDefaults(
  env: NodeJS.ProcessEnv,
  tty = process.stdout.isTTY === true,
): NodeJS.ProcessEnv {
  return {
    ...env,
    LOG_LEVEL: env.LOG_LEVEL?.trim() ? env.LOG_LEVEL : "info",
    LOG_FORMAT: env.LOG_FORMAT?.trim() ? env.LOG_FORMAT : tty ? "pretty" : "json",
  } as NodeJS.ProcessEnv;
}

type Middleware = Awaited<ReturnType<typeof createNodeMiddleware>>;

function handle(req: IncomingMessage, res: ServerResponse, middleware: Middleware): void {
  if (req.method === "GET" && (req.url === HEALTH_PATH || req.url?.startsWith(`${HEALTH_PATH}?`))) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "ok", version: TOOL.version }));
    return;
  }
  Promise.resolve(
    middleware(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    }),
  ).catch(() => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

/** The app's bot login, so its own events can be ignored; the app still runs if GitHub cannot say. */
async function resolveBotLogin(probot: Probot): Promise<string | undefined> {
  try {
    const octokit = await probot.auth();
    const { data } = await octokit.rest.apps.getAuthenticated();
    return data?.slug ? `${data.slug}[bot]` : undefined;
  } catch (error) {
    probot.log.warn(
      { status: (error as { status?: number }).status },
      "could not read the app's slug from GitHub; events from the app's own bot will not be filtered",
    );
    return undefined;
  }
}

/** The change log's Ed25519 signing key from the environment (PEM; `\n` escapes accepted), if set. */
export function changelogSigningKey(env: NodeJS.ProcessEnv): KeyObject | undefined {
  const pem = env.CHANGELOG_SIGNING_KEY?.trim();
  if (!pem) return undefined;
  const key = createPrivateKey(pem.includes("\\n") ? pem.replace(/\\n/g, "\n") : pem);
  if (key.asymmetricKeyType !== "ed25519") {
    throw new ConfigError(["CHANGELOG_SIGNING_KEY must be an Ed25519 private key (PEM)"]);
  }
  return key;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`refusing to start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  startServer().catch((error: unknown) => {
    process.stderr.write(
      `agent-change-control: ${error instanceof ConfigError ? error.message : `failed to start: ${(error as Error).message}`}\n`,
    );
    process.exit(1);
  });
}
