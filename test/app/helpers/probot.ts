import { Probot, ProbotOctokit } from "probot";
import type { GateOptions } from "../../../src/app/gate.js";
import { agentChangeControl } from "../../../src/app/index.js";

export const APP_ID = 31337;
export const BOT_LOGIN = "agent-change-control[bot]";
/** Fixed clock: check-run timestamps in snapshots do not move. */
export const NOW = new Date("2026-11-25T12:00:00Z");

export interface TestProbotOptions {
  /** Turn Octokit's retry plugin on (with a 1 ms back-off) for the retry scenarios. */
  retry?: boolean;
  gate?: GateOptions;
  /** GitHub Enterprise Server's REST base, e.g. https://ghe.example.com/api/v3. */
  baseUrl?: string;
  /** The change log: signing key and store. */
  changelog?: import("../../../src/app/record-merge.js").ChangelogSettings;
  /** A pino logger to capture what the app logs. */
  log?: NonNullable<ConstructorParameters<typeof Probot>[0]>["log"];
}

/** A Probot with the app loaded, a fixed token (no JWT exchange) and no throttling. */
export async function testProbot(options: TestProbotOptions = {}): Promise<Probot> {
  const probot = new Probot({
    appId: APP_ID,
    githubToken: "test-token",
    logLevel: "fatal",
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.log ? { log: options.log } : {}),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: options.retry ? { enabled: true, retryAfterBaseValue: 1 } : { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(
    agentChangeControl({
      appId: APP_ID,
      botLogin: BOT_LOGIN,
      gate: { now: () => NOW, ...options.gate },
      ...(options.changelog ? { changelog: options.changelog } : {}),
    }),
  );
  return probot;
}
