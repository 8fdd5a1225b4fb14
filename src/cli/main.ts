import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { MAX_FILE_BYTES } from "../core/parse/decode.js";
import { POLICY_PATH } from "../core/policy/resolve.js";
import { jsonReport } from "../core/report/json.js";
import { markdownReport } from "../core/report/markdown.js";
import { outcome } from "../core/report/model.js";
import { textReport } from "../core/report/text.js";
import { FINDING_SEVERITIES, type FindingSeverity, type ValidationMessage } from "../core/types.js";
import { TOOL } from "../version.js";
import { checkLocalChange, policyFromBlob } from "./check.js";
import { GitError, GitRepo } from "./git-repo.js";

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Colour the text report (stdout is a terminal and NO_COLOR is unset). */
  color: boolean;
}

const defaultIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
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
        if (opts.repo === "") throw new UsageError("--repo needs a directory (got an empty string)");
        const repo = await GitRepo.open(resolve(io.cwd, opts.repo));
        const result = await checkLocalChange(repo, {
          base: opts.base,
          head: opts.head,
          failOn: opts.failOn,
        });
        if (result.kind === "policy-error") {
          io.stderr(
            `agent-change-control: the policy file ${result.path} at ${result.ref} (${result.sha.slice(0, 7)}) is invalid, so nothing was checked. The policy is read from the base commit, never from the change: fix it there.\n`,
          );
          io.stderr(formatMessages(result.messages));
          code = EXIT.usage;
          return;
        }
        const { evaluation, context, policyMessages } = result;
        if (policyMessages.length > 0) io.stderr(formatMessages(policyMessages));
        if (opts.format === "json")
          io.stdout(`${JSON.stringify(jsonReport(evaluation, context), null, 2)}\n`);
        else if (opts.format === "markdown") io.stdout(markdownReport(evaluation, context));
        else io.stdout(textReport(evaluation, context, io.color));
        code = outcome(evaluation, opts.failOn).result === "pass" ? EXIT.ok : EXIT.failed;
      },
    );

  program
    .command("validate-config")
    .description(`Check a policy file (default: ${POLICY_PATH} in the current directory).`)
    .argument("[file]", "the policy file", POLICY_PATH)
    .action(async (file: string) => {
      const path = resolve(io.cwd, file);
      let blob: { size: number; data?: Uint8Array };
      try {
        const info = await stat(path);
        if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
        // Never read more than the engine would check: a huge file is reported as too large, unread.
        blob =
          info.size > MAX_FILE_BYTES
            ? { size: info.size }
            : await readFile(path).then((data) => ({ size: data.length, data }));
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${describeFsError(err)}`);
      }
      const load = policyFromBlob(file, blob);
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

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage mistakes with 1, which we report as 2.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof GitError || err instanceof UsageError || err instanceof InvalidArgumentError) {
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
