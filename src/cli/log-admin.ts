/**
 * The log owner's maintenance commands over a local log directory (a clone of the log branch): `heartbeat`
 * (a signed checkpoint when none was made for the heartbeat window, so an idle period is provable),
 * `rotate-key` (a `log.key_rotated` record signed by both keys; later checkpoints use the new key) and
 * `post-review` (the follow-up review of an emergency change). Each refuses a signing key that is not the key
 * the log's checkpoints currently use, so a mistake cannot leave checkpoints `verify` rejects.
 */
import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { LogStore } from "../changelog/store.js";
import {
  appendRecords,
  DEFAULT_HEARTBEAT_HOURS,
  heartbeatDue,
  maybeHeartbeat,
  rfc3339,
} from "../changelog/writer.js";
import { logEntries } from "../core/changelog/export/entries.js";
import { keyFingerprint, keyRotationFields } from "../core/changelog/keys.js";
import { keyRotatedRecord, postReviewRecord } from "../core/changelog/records/index.js";
import type { LogRecord } from "../core/changelog/types.js";
import { LogUsageError } from "./log-options.js";

/** What a walk over the log learns: the checkpoint origin, the key now in use, one record asked for. */
export interface LogFacts {
  origin?: string;
  /** Fingerprint of the key the next checkpoint must be signed with (undefined: no checkpoint yet). */
  currentKey?: string;
  record?: LogRecord;
}

/** One pass over the log: the first checkpoint's origin, the newest signing key, and record `wanted`. */
export async function scanLog(store: LogStore, wanted?: string): Promise<LogFacts> {
  const facts: LogFacts = {};
  for await (const { record } of logEntries(store)) {
    if (record.type === "log.checkpoint") {
      if (typeof record.origin === "string") facts.origin ??= record.origin;
      if (typeof record.key_fingerprint === "string") facts.currentKey = record.key_fingerprint;
    } else if (record.type === "log.key_rotated" && typeof record.new_fingerprint === "string") {
      facts.currentKey = record.new_fingerprint;
    }
    if (wanted !== undefined && record.record_id === wanted) facts.record ??= record;
  }
  return facts;
}

const short = (fp: string) => fp.slice(0, 16);

/** The key must be the one the log's checkpoints now use (any key for a log without a checkpoint yet). */
function assertCurrentKey(facts: LogFacts, key: KeyObject, option: string): void {
  const fp = keyFingerprint(key);
  if (facts.currentKey !== undefined && facts.currentKey !== fp) {
    throw new LogUsageError(
      `${option} is key ${short(fp)}, but the log's checkpoints are signed with key ${short(facts.currentKey)}: use that key (rotate-key changes it)`,
    );
  }
}

function originOf(facts: LogFacts, origin: string | undefined): string {
  const o = origin ?? facts.origin;
  if (o === undefined)
    throw new LogUsageError("the log has no checkpoint yet to take its origin from: pass --origin <name>");
  return o;
}

/** `--now`: an RFC 3339 time (for tests and for backfilling with a clock that is known to be wrong). */
export function parseNow(value: string | undefined): () => Date {
  if (value === undefined) return () => new Date();
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(ms))
    throw new LogUsageError(`--now ${value}: expected an RFC 3339 time such as 2026-03-31T00:00:00Z`);
  return () => new Date(ms);
}

export interface AdminOptions {
  signingKey: KeyObject;
  origin?: string;
  now: () => Date;
  checkpointEvery?: number;
}

export type HeartbeatResult =
  | { kind: "written"; size: number; seq: number; time: string; key: string }
  | { kind: "not-due"; lastAt: string; lastSize: number; dueAt: string }
  | { kind: "empty" };

export async function runHeartbeat(
  store: LogStore,
  opts: AdminOptions & { hours?: number },
): Promise<HeartbeatResult> {
  const hours = opts.hours ?? DEFAULT_HEARTBEAT_HOURS;
  const { state } = await store.snapshot();
  if (!state || state.size === 0) return { kind: "empty" };
  const now = opts.now();
  if (!heartbeatDue(state, now, hours)) {
    const since = state.last_checkpoint_at ?? state.started_at!;
    return {
      kind: "not-due",
      lastAt: since,
      lastSize: state.last_checkpoint_size,
      dueAt: rfc3339(new Date(Date.parse(since) + hours * 3_600_000)),
    };
  }
  const facts = await scanLog(store);
  assertCurrentKey(facts, opts.signingKey, "--signing-key");
  const result = await maybeHeartbeat(store, {
    signingKey: opts.signingKey,
    origin: originOf(facts, opts.origin),
    heartbeatHours: hours,
    now: opts.now,
  });
  const cp = result.written.find((r) => r.type === "log.checkpoint");
  if (!cp) {
    // Another writer checkpointed between the snapshot and the append.
    const after = (await store.snapshot()).state!;
    return {
      kind: "not-due",
      lastAt: after.last_checkpoint_at ?? after.started_at!,
      lastSize: after.last_checkpoint_size,
      dueAt: rfc3339(new Date(Date.parse(after.last_checkpoint_at ?? after.started_at!) + hours * 3_600_000)),
    };
  }
  return {
    kind: "written",
    size: cp.tree_size as number,
    seq: cp.seq,
    time: cp.checkpoint_time as string,
    key: cp.key_fingerprint as string,
  };
}

export type RotateResult =
  | { kind: "rotated"; seq: number; oldKey: string; newKey: string; checkpoint: number | undefined }
  | { kind: "already-rotated"; newKey: string };

/**
 * Appends `log.key_rotated` (signed by both keys over `{ new_fingerprint, new_public_key, recorded_at }`) and,
 * in the same commit, a checkpoint signed by the new key (which publishes keys/<new fingerprint>.pub), so the
 * hand-over is attested at once.
 */
export async function runRotateKey(
  store: LogStore,
  oldKey: KeyObject,
  newKey: KeyObject,
  opts: Omit<AdminOptions, "signingKey">,
): Promise<RotateResult> {
  const oldFp = keyFingerprint(oldKey);
  const newFp = keyFingerprint(newKey);
  if (oldFp === newFp) throw new LogUsageError("--old-key and --new-key are the same key");
  const facts = await scanLog(store);
  if (facts.currentKey === undefined)
    throw new LogUsageError(
      "the log has no checkpoint yet, so there is no key to rotate from: sign its first checkpoint with the new key",
    );
  assertCurrentKey(facts, oldKey, "--old-key");
  const recordedAt = rfc3339(opts.now());
  const draft = keyRotatedRecord({
    ...keyRotationFields(oldKey, newKey, recordedAt),
    recorded_at: recordedAt,
  });
  const result = await appendRecords(store, [draft], {
    signingKey: newKey,
    origin: originOf(facts, opts.origin),
    ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
    // A heartbeat window of 0 h: a checkpoint right after the rotation record, signed by the new key.
    heartbeatHours: 0,
    now: opts.now,
  });
  const written = result.written.find((r) => r.record_id === draft.record_id);
  if (!written) return { kind: "already-rotated", newKey: newFp };
  return {
    kind: "rotated",
    seq: written.seq,
    oldKey: oldFp,
    newKey: newFp,
    checkpoint: result.checkpoints[0],
  };
}

export interface PostReviewInput {
  recordId: string;
  reviewer: string;
  outcome: "accepted" | "rejected";
  notesFile?: string;
  issueUrl?: string;
  /** The due date for a change that is not an emergency (which carries its own review_due_by). */
  dueBy?: string;
}

export type PostReviewResult =
  | {
      kind: "recorded";
      seq: number;
      recordId: string;
      overdue: boolean;
      dueBy: string;
      exceptions: string[];
      checkpoints: number[];
    }
  | { kind: "already-recorded"; recordId: string };

export async function runPostReview(
  store: LogStore,
  input: PostReviewInput,
  opts: AdminOptions,
  cwd: string,
): Promise<PostReviewResult> {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\[bot\])?$/.test(input.reviewer))
    throw new LogUsageError(`--reviewer ${input.reviewer}: expected a GitHub login`);
  if (input.issueUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(input.issueUrl))
    throw new LogUsageError(`--issue-url ${input.issueUrl}: expected an http(s) URL`);
  if (input.dueBy !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueBy))
    throw new LogUsageError(`--due-by ${input.dueBy}: expected a date (YYYY-MM-DD)`);
  const notes =
    input.notesFile === undefined
      ? ""
      : await readFile(resolve(cwd, input.notesFile), "utf8").catch((error: NodeJS.ErrnoException) => {
          throw new LogUsageError(`--notes ${input.notesFile}: cannot read (${error.code ?? error.message})`);
        });
  const facts = await scanLog(store, input.recordId);
  const target = facts.record;
  if (!target) throw new LogUsageError(`--record ${input.recordId}: no record with that id in the log`);
  if (target.type !== "change.merged" && target.type !== "change.direct_push")
    throw new LogUsageError(
      `--record ${input.recordId} is a ${target.type} record: only changes (change.merged, change.direct_push) are reviewed`,
    );
  const emergency = target.emergency as { review_due_by?: unknown } | null | undefined;
  const dueBy = typeof emergency?.review_due_by === "string" ? emergency.review_due_by : input.dueBy;
  if (dueBy === undefined)
    throw new LogUsageError(
      `--record ${input.recordId} is not an emergency change (it has no review_due_by): pass --due-by <YYYY-MM-DD>`,
    );
  assertCurrentKey(facts, opts.signingKey, "--signing-key");
  const at = rfc3339(opts.now());
  const draft = postReviewRecord({
    recorded_at: at,
    refers_to: { record_id: target.record_id, record_hash: target.record_hash },
    source_id: `cli:${input.reviewer}:${at}`,
    reviewer: {
      login: input.reviewer,
      id: null,
      type: input.reviewer.endsWith("[bot]") ? "Bot" : "User",
    },
    reviewed_at: at,
    outcome: input.outcome,
    notes,
    ...(input.issueUrl !== undefined ? { issue_url: input.issueUrl } : {}),
    due_by: dueBy,
  });
  const result = await appendRecords(store, [draft], {
    signingKey: opts.signingKey,
    origin: originOf(facts, opts.origin),
    ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
    now: opts.now,
  });
  const written = result.written.find((r) => r.record_id === draft.record_id);
  if (!written) return { kind: "already-recorded", recordId: draft.record_id };
  return {
    kind: "recorded",
    seq: written.seq,
    recordId: draft.record_id,
    overdue: written.overdue === true,
    dueBy,
    exceptions: (written.exceptions as { code: string }[]).map((e) => e.code),
    checkpoints: result.checkpoints,
  };
}
