import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import { DirStore } from "../../src/changelog/dir-store.js";
import { appendRecords } from "../../src/changelog/writer.js";
import { keyFingerprint, publicKeyPem } from "../../src/core/changelog/keys.js";
import { mergedRecord } from "../../src/core/changelog/records/merged.js";
import type { RecordDraft } from "../../src/core/changelog/types.js";
import { scenario } from "../core/changelog/records-fixtures.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-git-repo.js";
import { ed25519Key, merged, ORIGIN, pem, REPO, writeLog } from "./log-fixture.js";

const dirs: string[] = [];
/** Keys, notes and exports live outside the log directories. */
const aside = makeTempDir("acc-admin-");
dirs.push(aside);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let nextFile = 0;
/** Writes a private key (or, with `pub`, its public half) to a file outside the log. */
function keyFile(_dir: string, name: string, key: ReturnType<typeof ed25519Key>, pub = false): string {
  const path = join(aside, `${nextFile++}-${name.replace(/^\.+/, "")}`);
  writeFileSync(path, pub ? publicKeyPem(key) : pem(key));
  return path;
}

async function idleLog() {
  // Three changes, a checkpoint every 2: the last change is not attested until the next checkpoint.
  const log = await writeLog(
    [
      merged(1, "a".repeat(40), "2026-03-01T10:00:00Z"),
      merged(2, "b".repeat(40), "2026-03-02T10:00:00Z"),
      merged(3, "c".repeat(40), "2026-03-03T10:00:00Z"),
    ],
    { now: "2026-03-31T00:00:00Z" },
  );
  dirs.push(log.dir);
  return log;
}

const checkpointFiles = (dir: string) => readdirSync(join(dir, "checkpoints")).sort();

function records(dir: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const f of walk(join(dir, "log")).sort())
    for (const l of readFileSync(f, "utf8").split("\n")) if (l) out.push(JSON.parse(l));
  return out;
}

describe("heartbeat", () => {
  test("an idle log gets no checkpoint inside the window and one after it; verify passes", async () => {
    const { dir, key } = await idleLog();
    const sk = keyFile(dir, "..key.pem", key);
    const before = checkpointFiles(dir);

    const early = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", sk, "--now", "2026-03-31T23:59:59Z"],
      { cwd: dir },
    );
    expect(early.stderr).toBe("");
    expect(early.code).toBe(0);
    expect(early.stdout).toContain("No checkpoint due");
    expect(early.stdout).toContain("2026-04-01T00:00:00Z");
    expect(checkpointFiles(dir)).toEqual(before);

    const due = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", sk, "--now", "2026-04-01T00:00:00Z"],
      { cwd: dir },
    );
    expect(due.stderr).toBe("");
    expect(due.code).toBe(0);
    const size = records(dir).length - 1;
    expect(due.stdout).toContain(`Wrote a heartbeat checkpoint at tree size ${size}`);
    expect(checkpointFiles(dir)).toEqual([...before, `${String(size).padStart(12, "0")}.txt`]);
    const last = records(dir).at(-1)!;
    expect(last).toMatchObject({ type: "log.checkpoint", checkpoint_time: "2026-04-01T00:00:00Z" });

    // Right after it, nothing is due again.
    const again = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", sk, "--now", "2026-04-01T01:00:00Z"],
      { cwd: dir },
    );
    expect(again.stdout).toContain("No checkpoint due");
    const verify = await runCli(["verify", "--log", dir], { cwd: dir });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain("Result: valid");
    expect(verify.stdout).toMatch(new RegExp(`Checkpoint +checkpoints/0*${size}\\.txt +valid`));
  });

  test("--hours shortens the window; a bad --now or a key that is not the log's is exit 2", async () => {
    const { dir, key } = await idleLog();
    const sk = keyFile(dir, "..key.pem", key);
    const six = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", sk, "--hours", "6", "--now", "2026-03-31T06:00:00Z"],
      { cwd: dir },
    );
    expect(six.code).toBe(0);
    expect(six.stdout).toContain("Wrote a heartbeat checkpoint");

    const bad = await runCli(["heartbeat", "--log", dir, "--signing-key", sk, "--now", "tomorrow"], {
      cwd: dir,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--now tomorrow: expected an RFC 3339 time");

    const other = keyFile(dir, "..other.pem", ed25519Key());
    const wrong = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", other, "--now", "2026-04-05T00:00:00Z"],
      { cwd: dir },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      `the log's checkpoints are signed with key ${keyFingerprint(key).slice(0, 16)}`,
    );
    expect(records(dir).at(-1)!.checkpoint_time).toBe("2026-03-31T06:00:00Z");
  });
});

describe("rotate-key", () => {
  test("a rotation signed by both keys hands over: later checkpoints use the new key, verify (pinned to the old key) passes", async () => {
    const { dir, key: oldKey } = await idleLog();
    const newKey = ed25519Key();
    const oldPem = keyFile(dir, "..old.pem", oldKey);
    const newPem = keyFile(dir, "..new.pem", newKey);
    const oldPub = keyFile(dir, "..old.pub", oldKey, true);
    const newFp = keyFingerprint(newKey);
    const oldCheckpoints = checkpointFiles(dir).length;
    expect(oldCheckpoints).toBeGreaterThan(0);

    const rot = await runCli(
      ["rotate-key", "--log", dir, "--old-key", oldPem, "--new-key", newPem, "--now", "2026-04-01T09:00:00Z"],
      { cwd: dir },
    );
    expect(rot.stderr).toBe("");
    expect(rot.code).toBe(0);
    expect(rot.stdout).toContain(`keys/${newFp}.pub`);
    expect(existsSync(join(dir, "keys", `${newFp}.pub`))).toBe(true);
    const all = records(dir);
    const rotated = all.find((r) => r.type === "log.key_rotated")!;
    expect(rotated).toMatchObject({
      record_id: `key:${newFp}`,
      recorded_at: "2026-04-01T09:00:00Z",
      old_fingerprint: keyFingerprint(oldKey),
      new_fingerprint: newFp,
    });
    expect(all.at(-1)).toMatchObject({ type: "log.checkpoint", key_fingerprint: newFp });

    // The old key is now refused; the new one writes the next heartbeat.
    const stale = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", oldPem, "--now", "2026-04-03T00:00:00Z"],
      { cwd: dir },
    );
    expect(stale.code).toBe(2);
    const beat = await runCli(
      ["heartbeat", "--log", dir, "--signing-key", newPem, "--now", "2026-04-03T00:00:00Z"],
      { cwd: dir },
    );
    expect(beat.code).toBe(0);
    expect(beat.stdout).toContain(`key ${newFp.slice(0, 16)}`);

    for (const args of [[], ["--trusted-key", oldPub]]) {
      const v = await runCli(["verify", "--log", dir, "--format", "json", ...args], { cwd: dir });
      expect(v.code).toBe(0);
      const report = JSON.parse(v.stdout) as {
        ok: boolean;
        checkpoints: { key_fingerprint?: string }[];
        keys: { fingerprint: string; trust: string }[];
      };
      expect(report.ok).toBe(true);
      expect(report.checkpoints.map((c) => c.key_fingerprint)).toEqual([
        ...Array.from({ length: oldCheckpoints }, () => keyFingerprint(oldKey)),
        newFp,
        newFp,
      ]);
      if (args.length > 0) expect(report.keys.find((k) => k.fingerprint === newFp)?.trust).toBe("rotated");
    }
  });

  test("a checkpoint signed by a key no rotation introduced is rejected", async () => {
    const { dir, key } = await idleLog();
    const oldPub = keyFile(dir, "..old.pub", key, true);
    const rogue = ed25519Key();
    // Someone appends with another key (the CLI would refuse): its public key is planted in keys/.
    await appendRecords(new DirStore(dir), [], {
      signingKey: rogue,
      origin: ORIGIN,
      now: () => new Date("2026-04-02T00:00:00Z"),
    });
    const rogueFile = join(dir, "keys", `${keyFingerprint(rogue)}.pub`);
    expect(existsSync(rogueFile)).toBe(true);

    const pinned = await runCli(["verify", "--log", dir, "--trusted-key", oldPub], { cwd: dir });
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toMatch(/Checkpoint +checkpoints\/0+5\.txt +INVALID: unknown key/);
    expect(pinned.stdout).toContain("Result: INVALID");

    // Without the planted key file the log itself does not know the key either.
    rmSync(rogueFile);
    const bare = await runCli(["verify", "--log", dir], { cwd: dir });
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain("INVALID: unknown key");
  });

  test("the wrong old key, the same key twice or a log without a checkpoint is exit 2", async () => {
    const { dir, key } = await idleLog();
    const a = keyFile(dir, "..a.pem", key);
    const b = keyFile(dir, "..b.pem", ed25519Key());
    const c = keyFile(dir, "..c.pem", ed25519Key());
    const wrongOld = await runCli(["rotate-key", "--log", dir, "--old-key", b, "--new-key", c], { cwd: dir });
    expect(wrongOld.code).toBe(2);
    expect(wrongOld.stderr).toContain("--old-key is key");
    const same = await runCli(["rotate-key", "--log", dir, "--old-key", a, "--new-key", a], { cwd: dir });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("the same key");
    expect(records(dir).some((r) => r.type === "log.key_rotated")).toBe(false);

    const empty = await writeLog([merged(1, "a".repeat(40), "2026-03-01T10:00:00Z")], {
      key,
      every: 5,
      now: "2026-03-01T10:00:00Z",
    });
    dirs.push(empty.dir);
    const none = await runCli(["rotate-key", "--log", empty.dir, "--old-key", a, "--new-key", b], {
      cwd: dir,
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no checkpoint yet");
  });
});

const EMERGENCY_POLICY = `
approvals:
  emergency:
    enabled: true
    review_within_business_days: 2
`;
const EMERGENCY_SHA = "e".repeat(40);
const EMERGENCY_ID = `${REPO.id}:7:${EMERGENCY_SHA}`;

/** An emergency merge of PR 7 (declared by a comment, no approval), follow-up review due by 2026-03-04. */
function emergency(): RecordDraft {
  const d = mergedRecord(
    scenario({
      policyYaml: EMERGENCY_POLICY,
      reviews: [],
      comments: [
        {
          id: 9,
          author: { login: "admin", type: "User" },
          body: "/agent-change-control emergency revert the leaking tool",
          createdAt: "2026-03-02T11:00:00Z",
        },
      ],
    }),
  );
  return { ...d, record_id: EMERGENCY_ID, repository: { ...REPO }, recorded_at: "2026-03-02T12:00:05Z" };
}

async function emergencyLog() {
  const log = await writeLog([merged(1, "a".repeat(40), "2026-03-01T10:00:00Z"), emergency()], {
    now: "2026-03-02T12:00:05Z",
  });
  dirs.push(log.dir);
  return { ...log, sk: keyFile(log.dir, "..key.pem", log.key) };
}

function populationRow(out: string, recordId: string): Record<string, string> {
  const [header, ...rows] = readFileSync(join(out, "population.csv"), "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  // The cells asserted on hold no commas or quotes.
  const cols = header!.split(",");
  const row = rows.map((r) => r.split(",")).find((cells) => cells.includes(recordId));
  expect(row).toBeDefined();
  return Object.fromEntries(cols.map((c, i) => [c, row![i] ?? ""]));
}

describe("post-review", () => {
  test("an accepted review on time refers to the record's id and hash; export shows post_review_at", async () => {
    const { dir, sk } = await emergencyLog();
    const target = records(dir).find((r) => r.record_id === EMERGENCY_ID)!;
    const notes = join(aside, `${nextFile++}-notes.md`);
    writeFileSync(notes, "Reviewed; the revert stays.\n");
    const run = await runCli(
      [
        "post-review",
        "--log",
        dir,
        "--record",
        EMERGENCY_ID,
        "--reviewer",
        "bob",
        "--outcome",
        "accepted",
        "--notes",
        notes,
        "--issue-url",
        "https://github.com/acme/audit/issues/7",
        "--signing-key",
        sk,
        "--now",
        "2026-03-04T15:00:00Z",
      ],
      { cwd: dir },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("accepted, on time (due by 2026-03-04)");
    const review = records(dir).find((r) => r.type === "change.post_review")!;
    expect(review).toMatchObject({
      refers_to: { record_id: EMERGENCY_ID, record_hash: target.record_hash },
      reviewer: { login: "bob" },
      reviewed_at: "2026-03-04T15:00:00Z",
      outcome: "accepted",
      due_by: "2026-03-04",
      overdue: false,
      result: "pass",
      issue_url: "https://github.com/acme/audit/issues/7",
    });

    const out = join(aside, `${nextFile++}-export`);
    const exp = await runCli(
      ["export", "--log", dir, "--since", "2026-03-01", "--until", "2026-03-31", "--out", out],
      { cwd: dir },
    );
    expect(exp.code).toBe(0);
    const row = populationRow(out, EMERGENCY_ID);
    expect(row.post_review_at).toBe("2026-03-04T15:00:00Z");
    expect(row.post_review_outcome).toBe("accepted");
    expect((await runCli(["verify", "--log", dir], { cwd: dir })).code).toBe(0);
  });

  test("a rejected review after the due date is overdue, with both exceptions", async () => {
    const { dir, sk } = await emergencyLog();
    const run = await runCli(
      [
        "post-review",
        "--log",
        dir,
        "--record",
        EMERGENCY_ID,
        "--reviewer",
        "carol",
        "--outcome",
        "rejected",
        "--signing-key",
        sk,
        "--now",
        "2026-03-06T10:00:00Z",
      ],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("rejected, OVERDUE (due by 2026-03-04)");
    const review = records(dir).find((r) => r.type === "change.post_review")!;
    expect(review.overdue).toBe(true);
    expect(review.result).toBe("exception");
    expect((review.exceptions as { code: string }[]).map((e) => e.code)).toEqual([
      "POST_REVIEW_OVERDUE",
      "POST_REVIEW_REJECTED",
    ]);
    const out = join(aside, `${nextFile++}-export`);
    const exp = await runCli(
      ["export", "--log", dir, "--since", "2026-03-01", "--until", "2026-03-31", "--out", out],
      { cwd: dir },
    );
    expect(exp.code).toBe(0);
    expect(populationRow(out, EMERGENCY_ID).post_review_at).toBe("2026-03-06T10:00:00Z");
    expect((await runCli(["verify", "--log", dir], { cwd: dir })).code).toBe(0);
  });

  test("an unknown record id, or a change that is no emergency without --due-by, is exit 2 and writes nothing", async () => {
    const { dir, sk } = await emergencyLog();
    const count = records(dir).length;
    const base = [
      "post-review",
      "--log",
      dir,
      "--reviewer",
      "bob",
      "--outcome",
      "accepted",
      "--signing-key",
      sk,
    ];
    const unknown = await runCli([...base, "--record", `${REPO.id}:99:${"f".repeat(40)}`], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      `--record ${REPO.id}:99:${"f".repeat(40)}: no record with that id in the log`,
    );
    const standard = await runCli([...base, "--record", `${REPO.id}:1:${"a".repeat(40)}`], { cwd: dir });
    expect(standard.code).toBe(2);
    expect(standard.stderr).toContain("not an emergency change");
    const outcome = await runCli([...base.slice(0, 6), "--outcome", "maybe", "--record", EMERGENCY_ID], {
      cwd: dir,
    });
    expect(outcome.code).toBe(2);
    expect(records(dir)).toHaveLength(count);
  });
});
