// `npm run demo`: runs the main job offline on the bundled example (examples/README.md).
// Builds a throwaway git repository whose main branch is examples/base, lays examples/change over it on a
// feature branch as a pull request would, and runs `agent-change-control check` on that branch, then
// `simulate` with examples/pr-state.json (the approval state of that change as a pull request). Then it merges
// the branch, records the merge in a change log (`record`), verifies the log and exports it for an auditor.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../lib/cli/main.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const examples = join(root, "examples");
const repo = mkdtempSync(join(tmpdir(), "acc-demo-"));
const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Demo Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Demo Author",
  GIT_COMMITTER_EMAIL: "author@example.com",
};
const git = (...args) =>
  execFileSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd: repo, env, stdio: "pipe" });

try {
  git("init", "-q", "-b", "main");
  cpSync(join(examples, "base"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-q", "-m", "payments-api with agent configs under change control");

  git("checkout", "-q", "-b", "feature/release-helper");
  cpSync(join(examples, "change"), repo, { recursive: true, filter: (src) => !src.endsWith(".deleted") });
  for (const path of readFileSync(join(examples, "change", ".deleted"), "utf8")
    .split("\n")
    .filter(Boolean)) {
    git("rm", "-q", path);
  }
  git("add", "-A");
  git("commit", "-q", "-m", "Add release helper agent, GitHub MCP server, wider permissions");

  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const say = (s) => process.stdout.write(color ? `\u001b[1m${s}\u001b[0m\n` : `${s}\n`);
  say(`$ agent-change-control check --repo ${repo}`);
  const code = await main(["check", "--repo", repo]);
  say(
    `\n(exit code ${code}: ${code === 0 ? "the change passes" : code === 1 ? "the gate fails until the problems above are fixed" : "the check could not run"})`,
  );
  // The same change as a pull request in the state examples/pr-state.json describes. The report repeats the
  // one above, so only its approvals section and verdict are shown.
  say(
    `\n$ agent-change-control simulate --repo ${repo} --pr-state examples/pr-state.json   # approvals part`,
  );
  let simulatedOut = "";
  const simulated = await main(["simulate", "--repo", repo, "--pr-state", join(examples, "pr-state.json")], {
    stdout: (s) => {
      simulatedOut += s;
    },
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    color,
  });
  const lines = simulatedOut.split("\n");
  const from = lines.findIndex((l) => l.includes("Approvals:"));
  process.stdout.write(`${[...(from >= 0 ? lines.slice(from) : lines)].join("\n")}`);
  say(
    `\n(exit code ${simulated}: ${simulated === 0 ? "the gate would pass" : simulated === 1 ? "the gate would fail for the reasons on the Result line" : "the simulation could not run"})`,
  );
  // The change merges; the app would record it. Offline, `record` does the same into a local change log.
  git("checkout", "-q", "main");
  git(
    "merge",
    "-q",
    "--no-ff",
    "-m",
    "Merge pull request #42 from acme/feature/release-helper",
    "feature/release-helper",
  );
  const out = mkdtempSync(join(tmpdir(), "acc-demo-log-"));
  const keyFile = join(out, "signing-key.pem");
  const { privateKey } = generateKeyPairSync("ed25519");
  writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }));
  const log = join(out, "log");
  const exported = join(out, "export");
  const step = async (label, args) => {
    say(`\n$ agent-change-control ${label}`);
    return main(args);
  };
  const recorded = await step(
    "record --pr-state examples/pr-state.json --base main^1 --head feature/release-helper --merge-commit main --log <log>",
    [
      "record",
      "--repo",
      repo,
      "--pr-state",
      join(examples, "pr-state.json"),
      "--base",
      "main^1",
      "--head",
      "feature/release-helper",
      "--merge-commit",
      "main",
      "--log",
      log,
      "--signing-key",
      keyFile,
    ],
  );
  const verified = await step("verify --log <log>", ["verify", "--log", log]);
  const exportedCode = await step("export --log <log> --since 2025-01-01 --until 2025-12-31 --out <export>", [
    "export",
    "--log",
    log,
    "--since",
    "2025-01-01",
    "--until",
    "2025-12-31",
    "--out",
    exported,
  ]);
  say(`\nThe auditor's report: ${join(exported, "report.html")} (the log and export stay in ${out})`);
  say(
    "Try also: check --format markdown (the pull-request view) or --format json (the machine contract, docs/cli.md).",
  );
  process.exitCode = [code, simulated, recorded, verified, exportedCode].includes(2) ? 2 : 0;
} finally {
  rmSync(repo, { recursive: true, force: true });
}
