/**
 * Runs the CLI's `main()` in-process with a capturing io, so end-to-end tests are fast and see exactly what a
 * user would see on stdout and stderr, plus the exit code.
 */
import { main } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: readonly string[],
  options: { cwd: string; color?: boolean; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    cwd: options.cwd,
    color: options.color ?? false,
    ...(options.env ? { env: options.env } : {}),
  });
  return { code, stdout, stderr };
}

/** The `--format json` report, as documented in docs/cli.md (version 1). */
export interface JsonReport {
  reportVersion: number;
  tool: { name: string; version: string };
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  policy: { path: string | null; ref: string };
  result: "pass" | "fail";
  reasons: string[];
  risk: string;
  failOn: string;
  summary: { files: number; errors: number; warnings: number; findings: number; suppressed: number };
  files: {
    path: string;
    previousPath?: string;
    status: string;
    format: string;
    category: string;
    matchedBy: string;
    schema: string | null;
  }[];
  validation: {
    path: string;
    line: number;
    column: number;
    severity: "error" | "warning";
    code: string;
    message: string;
  }[];
  findings: {
    rule: string;
    severity: string;
    path: string;
    line: number;
    message: string;
    suppressed: unknown;
  }[];
  diff: unknown[];
}

/** Runs `check --format json` and parses the report; stdout must be exactly one JSON document. */
export async function runCheckJson(
  args: readonly string[],
  options: { cwd: string },
): Promise<CliRun & { report: JsonReport }> {
  const run = await runCli(["check", "--format", "json", ...args], options);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\nstderr:\n${run.stderr.slice(0, 2000)}`,
    );
  }
  return { ...run, report };
}

/** A stack-trace line as Node prints it ("    at fn (file:line:col)"). */
export const STACK_LINE = /^ {4}at /m;
