/**
 * Registers the log owner's commands (`heartbeat`, `rotate-key`, `post-review`) on the CLI; the work is in
 * log-admin.ts. Exit codes: 0 done (or nothing due), 2 a usage or I/O error (an unknown record id, a wrong key).
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { parseNow, runHeartbeat, runPostReview, runRotateKey } from "./log-admin.js";
import { LogUsageError, openLogDir } from "./log-options.js";

export interface AdminIo {
  stdout: (s: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  loadSigningKey: (
    file: string | undefined,
    cwd: string,
    env: NodeJS.ProcessEnv,
  ) => Promise<KeyObject | undefined>;
}

type Guard = <A extends unknown[]>(action: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;

const positiveInt = (flag: string) => (value: string) => {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value)))
    throw new InvalidArgumentError(`${flag} expects a positive whole number, got ${value}`);
  return Number(value);
};

const NOW_HELP = "the current time, RFC 3339 (for tests and for hosts with a known-wrong clock)";

async function privateKeyFile(option: string, file: string, cwd: string): Promise<KeyObject> {
  const pem = await readFile(resolve(cwd, file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new LogUsageError(`${option} ${file}: cannot read (${error.code ?? error.message})`);
  });
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new LogUsageError(`${option} ${file}: not a PEM private key`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new LogUsageError(`${option} ${file}: expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

export function registerLogAdminCommands(program: Command, io: AdminIo, guarded: Guard): void {
  const signingKey = async (file: string | undefined): Promise<KeyObject> => {
    const key = await io.loadSigningKey(file, io.cwd, io.env);
    if (!key)
      throw new LogUsageError("a signing key is needed: --signing-key <pem file> or CHANGELOG_SIGNING_KEY");
    return key;
  };

  program
    .command("heartbeat")
    .description(
      "Write a signed checkpoint when none was written for the heartbeat window, even with no new records (run it from cron or a scheduled workflow).",
    )
    .requiredOption("--log <dir>", "the log directory (a clone of the log branch)")
    .option("--signing-key <pem file>", "Ed25519 private key (default: CHANGELOG_SIGNING_KEY)")
    .option(
      "--hours <n>",
      "the heartbeat window in hours (match the policy's changelog.heartbeat_hours)",
      positiveInt("--hours"),
      24,
    )
    .option("--origin <name>", "checkpoint origin (default: the log's own)")
    .addOption(new Option("--now <time>", NOW_HELP))
    .action(
      guarded(
        async (opts: { log: string; signingKey?: string; hours: number; origin?: string; now?: string }) => {
          const now = parseNow(opts.now);
          const store = await openLogDir(io.cwd, opts.log);
          const key = await signingKey(opts.signingKey);
          const r = await runHeartbeat(store, {
            signingKey: key,
            hours: opts.hours,
            now,
            ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
          });
          if (r.kind === "empty")
            io.stdout("The log holds no records yet: nothing to attest, nothing written\n");
          else if (r.kind === "not-due")
            io.stdout(
              `No checkpoint due: the last one (tree size ${r.lastSize}) is from ${r.lastAt}; the next is due at ${r.dueAt} (${opts.hours} h)\n`,
            );
          else
            io.stdout(
              `Wrote a heartbeat checkpoint at tree size ${r.size} (record seq ${r.seq}), time ${r.time}, key ${r.key.slice(0, 16)}\n`,
            );
          return 0;
        },
      ),
    );

  program
    .command("rotate-key")
    .description(
      "Rotate the checkpoint signing key: append a log.key_rotated record signed by the old and the new key, publish the new public key and checkpoint with it.",
    )
    .requiredOption("--log <dir>", "the log directory (a clone of the log branch)")
    .requiredOption("--old-key <pem file>", "the current Ed25519 private key")
    .requiredOption("--new-key <pem file>", "the new Ed25519 private key")
    .option("--origin <name>", "checkpoint origin (default: the log's own)")
    .addOption(new Option("--now <time>", NOW_HELP))
    .action(
      guarded(
        async (opts: { log: string; oldKey: string; newKey: string; origin?: string; now?: string }) => {
          const now = parseNow(opts.now);
          const store = await openLogDir(io.cwd, opts.log);
          const oldKey = await privateKeyFile("--old-key", opts.oldKey, io.cwd);
          const newKey = await privateKeyFile("--new-key", opts.newKey, io.cwd);
          const r = await runRotateKey(store, oldKey, newKey, {
            now,
            ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
          });
          if (r.kind === "already-rotated") {
            io.stdout(`Key ${r.newKey.slice(0, 16)} was already introduced by a rotation: nothing written\n`);
            return 0;
          }
          io.stdout(
            `Rotated the signing key ${r.oldKey.slice(0, 16)} → ${r.newKey.slice(0, 16)}: log.key_rotated seq ${r.seq}, keys/${r.newKey}.pub${r.checkpoint !== undefined ? `, checkpoint at tree size ${r.checkpoint} signed by the new key` : ""}\n`,
          );
          io.stdout(
            "Sign from now on with the new key (CHANGELOG_SIGNING_KEY); keep the old one out of use.\n",
          );
          return 0;
        },
      ),
    );

  program
    .command("post-review")
    .description(
      "Record the follow-up review of an emergency change: a change.post_review record referring to the change's record id and hash (overdue after its review_due_by).",
    )
    .requiredOption("--log <dir>", "the log directory (a clone of the log branch)")
    .requiredOption("--record <record id>", "the reviewed change's record_id")
    .requiredOption("--reviewer <login>", "the reviewer's GitHub login")
    .addOption(
      new Option("--outcome <outcome>", "the review's outcome")
        .choices(["accepted", "rejected"])
        .makeOptionMandatory(),
    )
    .option("--notes <file>", "the review notes (only their SHA-256 is logged)")
    .option("--issue-url <url>", "where the review is documented")
    .option("--due-by <date>", "the due date (YYYY-MM-DD) for a change that is not an emergency")
    .option("--signing-key <pem file>", "Ed25519 private key (default: CHANGELOG_SIGNING_KEY)")
    .option("--origin <name>", "checkpoint origin (default: the log's own)")
    .addOption(new Option("--now <time>", NOW_HELP))
    .action(
      guarded(
        async (opts: {
          log: string;
          record: string;
          reviewer: string;
          outcome: "accepted" | "rejected";
          notes?: string;
          issueUrl?: string;
          dueBy?: string;
          signingKey?: string;
          origin?: string;
          now?: string;
        }) => {
          const now = parseNow(opts.now);
          const store = await openLogDir(io.cwd, opts.log);
          const key = await signingKey(opts.signingKey);
          const r = await runPostReview(
            store,
            {
              recordId: opts.record,
              reviewer: opts.reviewer,
              outcome: opts.outcome,
              ...(opts.notes !== undefined ? { notesFile: opts.notes } : {}),
              ...(opts.issueUrl !== undefined ? { issueUrl: opts.issueUrl } : {}),
              ...(opts.dueBy !== undefined ? { dueBy: opts.dueBy } : {}),
            },
            { signingKey: key, now, ...(opts.origin !== undefined ? { origin: opts.origin } : {}) },
            io.cwd,
          );
          if (r.kind === "already-recorded") {
            io.stdout(`${r.recordId} is already in the log: nothing written\n`);
            return 0;
          }
          const late = r.overdue ? `OVERDUE (due by ${r.dueBy})` : `on time (due by ${r.dueBy})`;
          io.stdout(
            `Recorded change.post_review seq ${r.seq} (${r.recordId}): ${opts.outcome}, ${late}${r.exceptions.length ? `; exceptions: ${r.exceptions.join(", ")}` : ""}${r.checkpoints.length ? `; checkpoint at tree size ${r.checkpoints.join(", ")}` : ""}\n`,
          );
          return 0;
        },
      ),
    );
}
