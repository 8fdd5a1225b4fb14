import { rmSync } from "node:fs";
import { afterAll, describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { runReconcile } from "../../src/cli/log-reconcile.js";
import type { ReconcileSource, SourcePullRequest } from "../../src/cli/reconcile-source.js";
import type { FirstParentCommit, RawChange } from "../../src/core/changelog/history.js";
import { defaultPolicy } from "../../src/core/policy/resolve.js";
import { merged, REPO, writeLog } from "./log-fixture.js";

/** The comparison itself, over an in-memory source: how commits, pull requests and records are counted. */

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

const sha = (n: number) => String(n).repeat(40).slice(0, 40);

function fakeSource(
  history: { sha: string; files: string[]; pr?: SourcePullRequest; at: string }[],
  asked: string[],
): ReconcileSource {
  const commits: FirstParentCommit[] = history.map((h, i) => ({
    sha: h.sha,
    parents: i === 0 ? [] : [history[i - 1]!.sha],
    committedAt: h.at,
    authorName: "a",
    authorEmail: "a@example.com",
    committerName: "a",
    subject: "s",
    message: "s",
  }));
  return {
    repository: { ...REPO },
    branch: "main",
    policy: defaultPolicy(),
    description: "in-memory",
    commits: async () => commits,
    changes: async (c): Promise<RawChange[]> => {
      asked.push(`changes ${c.sha}`);
      return history
        .find((h) => h.sha === c.sha)!
        .files.map((path) => ({ path, status: "modified", blobBefore: null, blobAfter: null }));
    },
    pullRequestOf: async (c) => {
      asked.push(`pr ${c.sha}`);
      return history.find((h) => h.sha === c.sha)!.pr;
    },
    backfill: async () => {
      throw new Error("not in this test");
    },
  };
}

describe("reconcile's comparison", () => {
  test("a rebase merge is one change: logged under its last commit, counted once; an unlogged one is one missing change", async () => {
    const { dir } = await writeLog([merged(5, sha(2), "2026-03-02T00:00:00Z")], { every: 1 });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const asked: string[] = [];
    const source = fakeSource(
      [
        // PR #5, rebased as two commits; only the first touched an agent config; logged under sha(2).
        {
          sha: sha(1),
          files: ["CLAUDE.md"],
          pr: { number: 5, mergeSha: sha(2) },
          at: "2026-03-01T00:00:00Z",
        },
        { sha: sha(2), files: ["src/a.ts"], pr: { number: 5, mergeSha: sha(2) }, at: "2026-03-02T00:00:00Z" },
        // PR #6, rebased as two commits touching agent configs, not logged.
        {
          sha: sha(3),
          files: [".mcp.json"],
          pr: { number: 6, mergeSha: sha(4) },
          at: "2026-03-03T00:00:00Z",
        },
        {
          sha: sha(4),
          files: ["AGENTS.md"],
          pr: { number: 6, mergeSha: sha(4) },
          at: "2026-03-04T00:00:00Z",
        },
      ],
      asked,
    );
    const result = await runReconcile(new DirStore(dir), source, {
      since: "2026-03-01",
      until: "2026-03-31",
      backfill: false,
      now: () => new Date("2026-04-01T00:00:00Z"),
    });
    expect(result.counts).toEqual({
      source: 2,
      logged: 1,
      missing: 1,
      backfilled: 0,
      direct_pushes: 0,
      duplicates: 0,
    });
    expect(result.findings).toEqual([
      { kind: "missing", sha: sha(4), pr: 6, at: "2026-03-03T00:00:00Z", files: [".mcp.json"] },
    ]);
    // The logged last commit of PR #5 is known from the log: its files were never asked for.
    expect(asked).not.toContain(`changes ${sha(2)}`);
  });

  test("a backfill that fails leaves the change missing, with the reason, and the run still reports", async () => {
    const { dir } = await writeLog([merged(5, sha(2), "2026-03-02T00:00:00Z")], { every: 1 });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const source = fakeSource(
      [
        {
          sha: sha(3),
          files: ["CLAUDE.md"],
          pr: { number: 6, mergeSha: sha(3) },
          at: "2026-03-03T00:00:00Z",
        },
      ],
      [],
    );
    const { generateKeyPairSync } = await import("node:crypto");
    const result = await runReconcile(new DirStore(dir), source, {
      since: "2026-03-01",
      until: "2026-03-31",
      backfill: true,
      signingKey: generateKeyPairSync("ed25519").privateKey,
      now: () => new Date("2026-04-01T00:00:00Z"),
    });
    expect(result.counts.missing).toBe(1);
    expect(result.counts.backfilled).toBe(0);
    expect(result.findings[0]).toMatchObject({ kind: "missing", pr: 6, notBackfilled: "not in this test" });
    // Only the run record is written (and the heartbeat checkpoint a month of quiet calls for); it says
    // records are missing.
    const written = result.written.filter((r) => r.type !== "log.checkpoint");
    expect(written.map((r) => r.type)).toEqual(["log.reconcile_run"]);
    expect((written[0]!.exceptions as { code: string }[]).map((e) => e.code)).toEqual(["RECORDS_MISSING"]);
  });
});
