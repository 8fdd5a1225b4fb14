import type { KeyObject } from "node:crypto";
import { canonicalJson } from "../core/changelog/canonical.js";
import { checkpointPath, checkpointRecordDraft, makeCheckpoint } from "../core/changelog/checkpoint.js";
import { keyFingerprint, keyPath, publicKeyPem } from "../core/changelog/keys.js";
import { MerkleFrontier } from "../core/changelog/merkle.js";
import { emptyLogState, sealRecords } from "../core/changelog/seal.js";
import type { LogRecord, LogState, RecordDraft } from "../core/changelog/types.js";
import { type RecordSchema, validateDraft } from "../core/changelog/validate-record.js";
import { changelogRecordSchema } from "../schemas.js";
import { indexPath, nextPart, type Part, STATE_PATH } from "./layout.js";
import { isConflict, type LogStore, type StoreWrite } from "./store.js";

/**
 * Appends records to a change log: read the tip → drop drafts already logged (by record_id: a redelivered
 * webhook writes nothing) → seal → add signed checkpoints (every `checkpointEvery` records, and a heartbeat
 * when none was made for `heartbeatHours`) → ONE fast-forward commit. When another writer got there first
 * the commit fails with ConflictError and the whole step is redone on the new tip after a jittered exponential
 * back-off, for up to RETRY_BUDGET_MS; then it fails loudly (AppendFailedError). Within one process, writes to
 * the same log (LogStore.id) run one after the other, so only writers in different processes (replicas) race.
 *
 * Why a time budget and not a count: racing writers get through one per read→commit window W (the winner's
 * commit overtakes everyone who read the same tip), so a burst of N merges needs about N·W however the
 * retries are spread, and the last writer needs as many attempts as fit in that time. W is milliseconds on a
 * local store and seconds on GitHub (three GraphQL requests — the tip with state.json, the record-id index,
 * the commit — which Probot's throttle starts one a second per process). A fixed count (formerly 10) gave every writer the same horizon whatever N and W were: 50 writers
 * on 50 replicas of a GitHub-like store lost about 37 records per burst; with the time budget none are lost
 * and a burst takes about 3 minutes (see RETRY_BUDGET_MS). The back-off unit is the duration of the attempt
 * that failed (at least `baseMs`), so retries spread over multiples of W on any store instead of re-colliding
 * every few milliseconds.
 *
 * Every draft is first checked against the record schema: one invalid draft fails the call before anything is
 * read or written (InvalidDraftError), so the log never holds a sealed record that breaks its own format.
 */

export const DEFAULT_CHECKPOINT_EVERY = 100;
export const DEFAULT_HEARTBEAT_HOURS = 24;
/**
 * How long one append keeps retrying after conflicts (from its first attempt) before it fails: 10 minutes.
 * 50 writers on 50 replicas through Probot's throttle all finished within 4½ minutes with four requests per
 * attempt (simulated, 200 bursts; 100 writers within 7), and within 3½ minutes since the shard's size comes from
 * state.json (100 bursts); so a burst of 50 has about three times the margin.
 */
export const RETRY_BUDGET_MS = 600_000;
export const DEFAULT_BACKOFF_BASE_MS = 50;
export const DEFAULT_BACKOFF_CAP_MS = 30_000;

export interface RetryOptions {
  /** Keep retrying after conflicts for this long, in ms from the first attempt (default RETRY_BUDGET_MS). */
  budgetMs?: number;
  /** Also give up after this many commits (default: no count limit, the time budget bounds the write). */
  attempts?: number;
  /**
   * Back-off before retry n (1-based) is random in [0, min(capMs, unit·2ⁿ)), unit = max(baseMs, how long
   * the failed attempt took) (defaults 50 ms, 30 s), and never past the budget.
   */
  baseMs?: number;
  capMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Milliseconds on a monotonic clock (default performance.now). */
  clock?: () => number;
}

export interface AppendOptions {
  /** Ed25519 private key (CHANGELOG_SIGNING_KEY) that signs checkpoints. */
  signingKey: KeyObject;
  /** The log's name in its checkpoints, e.g. `cc8.github.com/acme/audit-log`. */
  origin: string;
  /** Policy `changelog.checkpoint_every` (default 100). */
  checkpointEvery?: number;
  heartbeatHours?: number;
  now?: () => Date;
  retry?: RetryOptions;
  /** The record schema drafts must satisfy (default: the package's `schemas/changelog-record.schema.json`). */
  schema?: RecordSchema;
}

export interface AppendResult {
  /** Records this call wrote (log.checkpoint records included), in seq order. */
  written: LogRecord[];
  /** Ids of drafts that were already in the log (or repeated in the call) and were not written again. */
  skipped: string[];
  /** Tree sizes of the checkpoints written. */
  checkpoints: number[];
  /** The store's version after the call (unchanged when nothing was written). */
  version: string;
  attempts: number;
}

export class AppendFailedError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = "AppendFailedError";
  }
}

/** Problems reported per invalid draft in the error message (all of them are on `problems`). */
const PROBLEMS_SHOWN = 5;

/** A draft that does not satisfy the record schema: nothing of the call was written. */
export class InvalidDraftError extends Error {
  constructor(
    readonly recordId: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, PROBLEMS_SHOWN).join("; ");
    const more = problems.length > PROBLEMS_SHOWN ? ` (and ${problems.length - PROBLEMS_SHOWN} more)` : "";
    super(
      `change log: record ${recordId} does not satisfy changelog-record.schema.json: ${shown}${more}; nothing was written by this call`,
    );
    this.name = "InvalidDraftError";
  }
}

/** Throws InvalidDraftError for the first draft the schema rejects. */
export function assertValidDrafts(drafts: readonly RecordDraft[], schema: RecordSchema): void {
  for (const draft of drafts) {
    const problems = validateDraft(draft, schema);
    if (problems.length > 0) throw new InvalidDraftError(String(draft.record_id), problems);
  }
}

/** The tail of each log's queue of writes in this process (by LogStore.id). */
const queues = new Map<string, Promise<unknown>>();

export function appendRecords(
  store: LogStore,
  drafts: readonly RecordDraft[],
  options: AppendOptions,
): Promise<AppendResult> {
  try {
    assertValidDrafts(drafts, options.schema ?? changelogRecordSchema());
  } catch (error) {
    return Promise.reject(error);
  }
  const before = queues.get(store.id) ?? Promise.resolve();
  const run = before.then(() => appendWithRetries(store, drafts, options));
  const tail = run.catch(() => undefined);
  queues.set(store.id, tail);
  void tail.then(() => {
    if (queues.get(store.id) === tail) queues.delete(store.id);
  });
  return run;
}

async function appendWithRetries(
  store: LogStore,
  drafts: readonly RecordDraft[],
  options: AppendOptions,
): Promise<AppendResult> {
  const retry = options.retry ?? {};
  const budget = retry.budgetMs ?? RETRY_BUDGET_MS;
  const maxAttempts = retry.attempts ?? Number.POSITIVE_INFINITY;
  const baseMs = retry.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const capMs = retry.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = retry.random ?? Math.random;
  const clock = retry.clock ?? (() => performance.now());
  const start = clock();
  let lastConflict: unknown;
  let attempt = 0;
  for (;;) {
    attempt++;
    const began = clock();
    try {
      return { ...(await appendOnce(store, drafts, options)), attempts: attempt };
    } catch (error) {
      if (!isConflict(error)) throw error;
      lastConflict = error;
    }
    const now = clock();
    const left = start + budget - now;
    if (attempt >= maxAttempts || left <= 0) break;
    const unit = Math.max(baseMs, now - began);
    const ceiling = Math.min(capMs, unit * 2 ** attempt);
    await sleep(Math.min(Math.floor(random() * ceiling), Math.ceil(left)));
  }
  const seconds = ((clock() - start) / 1000).toFixed(1);
  throw new AppendFailedError(
    `change log: gave up after ${attempt} attempts in ${seconds} s, each overtaken by another writer (${(lastConflict as Error).message}); nothing was written by this call`,
    attempt,
    lastConflict,
  );
}

/** A heartbeat: writes a checkpoint if none was made for `heartbeatHours`, even when nothing was logged. */
export function maybeHeartbeat(store: LogStore, options: AppendOptions): Promise<AppendResult> {
  return appendRecords(store, [], options);
}

/** Whether a heartbeat checkpoint is due for a log at `state`. */
export function heartbeatDue(state: LogState, now: Date, heartbeatHours = DEFAULT_HEARTBEAT_HOURS): boolean {
  const since = state.last_checkpoint_at ?? state.started_at;
  if (since === undefined) return false;
  return now.getTime() - Date.parse(since) >= heartbeatHours * 3_600_000;
}

/** RFC 3339 UTC to the second. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.[0-9]{3}Z$/, "Z");
}

async function appendOnce(
  store: LogStore,
  drafts: readonly RecordDraft[],
  options: AppendOptions,
): Promise<Omit<AppendResult, "attempts">> {
  const { version, state: tip } = await store.snapshot();
  const indexed = await store.indexedRecords([...new Set(drafts.map((d) => d.record_id))], version);
  const seen = new Set<string>();
  const fresh: RecordDraft[] = [];
  const skipped: string[] = [];
  for (const d of drafts) {
    if (indexed.has(d.record_id) || seen.has(d.record_id)) skipped.push(d.record_id);
    else fresh.push(d);
    seen.add(d.record_id);
  }
  let state = tip ?? emptyLogState();
  const now = (options.now ?? (() => new Date()))();
  const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (!Number.isSafeInteger(every) || every < 1)
    throw new Error(`checkpointEvery must be a positive integer`);
  const heartbeat = heartbeatDue(state, now, options.heartbeatHours);
  if (fresh.length === 0 && !heartbeat) return { written: [], skipped, checkpoints: [], version };

  const appends = new Map<string, string>();
  const writes: StoreWrite[] = [];
  const written: LogRecord[] = [];
  const checkpoints: number[] = [];
  let part: Part | undefined = state.current_part && {
    ...state.current_part,
    bytes: state.current_part.bytes ?? (await store.fileBytes(state.current_part.path, version)),
  };
  const fingerprint = keyFingerprint(options.signingKey);

  const add = (draft: RecordDraft): void => {
    const sealed = sealRecords(state, [draft]);
    const record = sealed.records[0]!;
    const line = `${sealed.lines[0]!}\n`;
    const bytes = Buffer.byteLength(line, "utf8");
    part = nextPart(part, record.recorded_at, bytes);
    appends.set(part.path, (appends.get(part.path) ?? "") + line);
    part = { path: part.path, records: part.records + 1, bytes: part.bytes + bytes };
    state = {
      ...sealed.state,
      current_part: { path: part.path, records: part.records, bytes: part.bytes },
      started_at: state.started_at ?? record.recorded_at,
    };
    written.push(record);
    if (record.type !== "log.checkpoint") {
      const entry = {
        record_id: record.record_id,
        seq: record.seq,
        record_hash: record.record_hash,
        part: part.path,
      };
      writes.push({ path: indexPath(record.record_id), content: `${canonicalJson(entry)}\n` });
    }
  };
  const checkpoint = (): void => {
    const time = rfc3339(now);
    const root = MerkleFrontier.from(state.frontier, state.size).root();
    const note = makeCheckpoint(
      { origin: options.origin, size: state.size, root, lastHash: state.last_hash, time },
      options.signingKey,
    );
    writes.push({ path: checkpointPath(state.size), content: note });
    checkpoints.push(state.size);
    const size = state.size;
    add(checkpointRecordDraft(note, fingerprint, time));
    state = { ...state, last_checkpoint_size: size, last_checkpoint_at: time };
  };

  for (const draft of fresh) {
    add(draft);
    if (state.size - state.last_checkpoint_size >= every) checkpoint();
  }
  if (checkpoints.length === 0 && heartbeatDue(state, now, options.heartbeatHours)) checkpoint();
  // Asked only when a checkpoint is written: one request less per attempt, which keeps a race's
  // read→commit window short on GitHub.
  if (checkpoints.length > 0 && (await store.fileBytes(keyPath(fingerprint), version)) === 0) {
    writes.push({ path: keyPath(fingerprint), content: publicKeyPem(options.signingKey) });
  }

  for (const [path, text] of appends) writes.push({ path, append: text });
  writes.push({ path: STATE_PATH, content: `${JSON.stringify(state, null, 2)}\n` });
  const message = commitMessage(written, checkpoints, skipped);
  const next = await store.commit(version, writes, message);
  return { written, skipped, checkpoints, version: next };
}

function commitMessage(
  written: readonly LogRecord[],
  checkpoints: readonly number[],
  skipped: readonly string[],
): string {
  const first = written[0]!.seq;
  const last = written.at(-1)!.seq;
  const range = first === last ? `record ${first}` : `records ${first}-${last}`;
  const body = written.map((r) => `${r.seq} ${r.type} ${r.record_id}`);
  if (checkpoints.length > 0) body.push(`checkpoint at tree size ${checkpoints.join(", ")}`);
  if (skipped.length > 0) body.push(`already logged: ${skipped.join(", ")}`);
  return `Change log: ${range}\n\n${body.join("\n")}\n`;
}
