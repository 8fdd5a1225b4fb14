import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { ApprovalResult } from "../core/approvals/index.js";
import type { Evaluation } from "../core/evaluate.js";
import { MAX_FILE_BYTES } from "../core/parse/decode.js";
import { POLICY_PATH } from "../core/policy/resolve.js";
import type { ApprovalsMode } from "../core/report/approvals.js";
import { GATE_FAIL_ON } from "../core/report/check-run.js";
import { jsonReport } from "../core/report/json.js";
import { markdownReport } from "../core/report/markdown.js";
import { outcome, type ReportContext } from "../core/report/model.js";
import { textReport } from "../core/report/text.js";
import { FINDING_SEVERITIES, type FindingSeverity, type ValidationMessage } from "../core/types.js";
import { TOOL } from "../version.js";
import { approvalsFor, previewApprovals } from "./approvals.js";
import { type CheckOutcome, checkLocalChange, policyFromBlob } from "./check.js";
import { GitError, GitRepo } from "./git-repo.js";
import { loadSigningKey, registerLogCommands } from "./log-commands.js";
import { LogUsageError } from "./log-options.js";
import { runRecord } from "./log-record.js";
import { factsFromPrState, loadPrState } from "./pr-state.js";

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Colour the text report (stdout is a terminal and NO_COLOR is unset). */
  color: boolean;
  /** Environment the change-log commands read (tokens, signing key); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress indicators on stderr (stderr is a terminal). */
  progress?: boolean;
}

const defaultIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  progress: Boolean(process.stderr.isTTY),
});

/** Runs the CLI and resolves to its exit code; it never throws and never prints a stack trace. */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name("agent-change-control")
    .description(
      "Validate and risk-check changes to AI-agent configuration (prompts, tools, MCP servers, permissions).",
    )
    .version(TOOL.version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command("check")
    .description(
      "Compare two commits of a local git repository and check the agent-config files that changed.",
    )
    .option("--repo <dir>", "the repository (any directory inside it)", ".")
    .option(
      "--base <ref>",
      "base commit (default: the merge-base of --head with the default branch; on that branch itself, the commit before --head)",
    )
    .option("--head <ref>", "head commit", "HEAD")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"),
    )
    .addOption(
      new Option("--fail-on <severity>", "exit 1 on findings at or above this severity")
        .choices([...FINDING_SEVERITIES])
        .default("high"),
    )
    .action(
      async (opts: {
        repo: string;
        base?: string;
        head: string;
        format: string;
        failOn: FindingSeverity;
      }) => {
        const result = await evaluateLocal(opts, io);
        if (!result) {
          code = EXIT.usage;
          return;
        }
        const { evaluation, context } = result;
        // What the change will need once it is a pull request: shown, never part of the verdict.
        const approvals = previewApprovals(evaluation, result.approvalInputs, new Date());
        io.stdout(report(opts.format, evaluation, context, approvals, "preview", io.color));
        code = outcome(evaluation, opts.failOn).result === "pass" ? EXIT.ok : EXIT.failed;
      },
    );

  program
    .command("simulate")
    .description(
      "Judge a local change as the GitHub App would judge it as a pull request in a given state (reviews, commits, teams): the gate's verdict, approvals included.",
    )
    .requiredOption("--pr-state <file>", "the pull request's state as JSON (schemas/pr-state.schema.json)")
    .option("--repo <dir>", "the repository (any directory inside it)", ".")
    .option(
      "--base <ref>",
      "base commit (default: the merge-base of --head with the default branch; on that branch itself, the commit before --head)",
    )
    .option("--head <ref>", "head commit", "HEAD")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"),
    )
    .action(async (opts: { prState: string; repo: string; base?: string; head: string; format: string }) => {
      // Read the state first: a bad file is reported before any git work.
      const load = loadPrState(opts.prState, await readInputFile(io, opts.prState));
      if (!load.ok) {
        io.stderr(
          `agent-change-control: ${opts.prState} is not a valid pull-request state, so nothing was simulated.\n`,
        );
        io.stderr(formatMessages(load.messages));
        code = EXIT.usage;
        return;
      }
      const result = await evaluateLocal({ ...opts, failOn: GATE_FAIL_ON }, io);
      if (!result) {
        code = EXIT.usage;
        return;
      }
      const { evaluation, approvalInputs } = result;
      // Judged as the gate judges: findings fail at GATE_FAIL_ON.
      const context = { ...result.context, failOn: GATE_FAIL_ON };
      const now = new Date();
      const facts = factsFromPrState(load.state, approvalInputs, now);
      const approvals = approvalsFor(evaluation, approvalInputs, facts, now);
      io.stdout(report(opts.format, evaluation, context, approvals, "enforced", io.color));
      code = outcome(evaluation, GATE_FAIL_ON, approvals).result === "pass" ? EXIT.ok : EXIT.failed;
    });

  program
    .command("record")
    .description(
      "Record a merged local change in a local change log as the app records a merge: judged with the approvals in --pr-state, appended as a change.merged record and signed.",
    )
    .requiredOption("--pr-state <file>", "the pull request's state as JSON, with a pullRequest block")
    .requiredOption("--log <dir>", "the change log directory (created if missing)")
    .requiredOption("--merge-commit <ref>", "the merge commit the change landed as")
    .option("--repo <dir>", "the repository (any directory inside it)", ".")
    .option("--base <ref>", "base commit (default: as for check)")
    .option("--head <ref>", "the pull request's head commit", "HEAD")
    .option("--signing-key <pem file>", "Ed25519 private key (default: CHANGELOG_SIGNING_KEY)")
    .action(
      async (opts: {
        prState: string;
        log: string;
        mergeCommit: string;
        repo: string;
        base?: string;
        head: string;
        signingKey?: string;
      }) => {
        const load = loadPrState(opts.prState, await readInputFile(io, opts.prState));
        if (!load.ok) {
          io.stderr(
            `agent-change-control: ${opts.prState} is not a valid pull-request state, so nothing was recorded.\n`,
          );
          io.stderr(formatMessages(load.messages));
          code = EXIT.usage;
          return;
        }
        const key = await loadSigningKey(opts.signingKey, io.cwd, io.env ?? process.env);
        if (!key)
          throw new UsageError(
            "record needs a signing key: --signing-key <pem file> or CHANGELOG_SIGNING_KEY",
          );
        const repo = await GitRepo.open(resolve(io.cwd, opts.repo));
        const result = await runRecord(
          repo,
          load.state,
          {
            ...(opts.base ? { base: opts.base } : {}),
            head: opts.head,
            mergeCommit: opts.mergeCommit,
            log: resolve(io.cwd, opts.log),
          },
          key,
          () => new Date(),
        );
        if (result.kind === "policy-error") {
          io.stderr(`agent-change-control: ${result.message}, so nothing was recorded\n`);
          code = EXIT.usage;
        } else if (result.kind === "already-recorded") {
          io.stdout(`${result.recordId} is already in the log: nothing written\n`);
        } else {
          io.stdout(
            `recorded change.merged seq ${result.seq} (${result.recordId})${result.checkpoints.length ? `, checkpoint at size ${result.checkpoints.join(", ")}` : ""}\n`,
          );
        }
      },
    );

  program
    .command("validate-config")
    .description(`Check a policy file (default: ${POLICY_PATH} in the current directory).`)
    .argument("[file]", "the policy file", POLICY_PATH)
    .action(async (file: string) => {
      const load = policyFromBlob(file, await readInputFile(io, file));
      io.stdout(formatMessages(load.messages));
      if (load.ok) {
        io.stdout(
          `${file}: valid policy${load.messages.length ? ` (${load.messages.length} warning${load.messages.length === 1 ? "" : "s"})` : ""}\n`,
        );
      } else {
        io.stdout(`${file}: invalid policy\n`);
        code = EXIT.usage;
      }
    });

  registerLogCommands(program, io, (c) => {
    code = c;
  });

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage mistakes with 1, which we report as 2.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (
      err instanceof GitError ||
      err instanceof UsageError ||
      err instanceof InvalidArgumentError ||
      err instanceof LogUsageError
    ) {
      io.stderr(`agent-change-control: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr(
      `agent-change-control: internal error (${err instanceof Error ? err.name : typeof err}): ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return EXIT.usage;
  }
  return code;
}

class UsageError extends Error {}

/** A file named on the command line; never more than the engine would check (a huge one is left unread). */
async function readInputFile(io: CliIo, file: string): Promise<{ size: number; data?: Uint8Array }> {
  const path = resolve(io.cwd, file);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    return info.size > MAX_FILE_BYTES
      ? { size: info.size }
      : await readFile(path).then((data) => ({ size: data.length, data }));
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${describeFsError(err)}`);
  }
}

/**
 * Evaluates the local change `check` and `simulate` judge; prints the policy's warnings. An invalid policy
 * is reported on stderr and gives undefined (exit 2: nothing was judged).
 */
async function evaluateLocal(
  opts: { repo: string; base?: string; head: string; failOn: FindingSeverity },
  io: CliIo,
): Promise<Extract<CheckOutcome, { kind: "evaluated" }> | undefined> {
  if (opts.repo === "") throw new UsageError("--repo needs a directory (got an empty string)");
  const repo = await GitRepo.open(resolve(io.cwd, opts.repo));
  const result = await checkLocalChange(repo, { base: opts.base, head: opts.head, failOn: opts.failOn });
  if (result.kind === "policy-error") {
    io.stderr(
      `agent-change-control: the policy file ${result.path} at ${result.ref} (${result.sha.slice(0, 7)}) is invalid, so nothing was checked. The policy is read from the base commit, never from the change: fix it there.\n`,
    );
    io.stderr(formatMessages(result.messages));
    return undefined;
  }
  if (result.policyMessages.length > 0) io.stderr(formatMessages(result.policyMessages));
  return result;
}

function report(
  format: string,
  ev: Evaluation,
  ctx: ReportContext,
  approvals: ApprovalResult,
  mode: ApprovalsMode,
  color: boolean,
): string {
  if (format === "json") return `${JSON.stringify(jsonReport(ev, ctx, approvals, mode), null, 2)}\n`;
  if (format === "markdown") return markdownReport(ev, ctx, approvals, mode);
  return textReport(ev, ctx, color, approvals, mode);
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOENT: "no such file",
    EISDIR: "it is a directory, not a file",
    EACCES: "permission denied",
    EPERM: "permission denied",
    ENOTDIR: "a parent of it is not a directory",
  };
  return (code && words[code]) ?? (err instanceof Error ? err.message : String(err));
}

export function formatMessages(messages: readonly ValidationMessage[]): string {
  return messages.map((m) => `${m.path}:${m.line}:${m.column}: ${m.severity}: ${m.message}\n`).join("");
}
