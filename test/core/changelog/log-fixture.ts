/** An in-memory change log for the integrity tests: built with sealRecords + makeCheckpoint like the writer. */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  checkpointPath,
  checkpointRecordDraft,
  keyFingerprint,
  makeCheckpoint,
} from "../../../src/core/changelog/checkpoint.js";
import { keyPath, publicKeyPem } from "../../../src/core/changelog/keys.js";
import { MerkleFrontier } from "../../../src/core/changelog/merkle.js";
import { emptyLogState, sealRecords } from "../../../src/core/changelog/seal.js";
import { type LogState, RECORD_SCHEMA, type RecordDraft } from "../../../src/core/changelog/types.js";
import type { LogSource } from "../../../src/core/changelog/verify.js";

export const ORIGIN = "cc8.example/acme/agents";

export function ed25519(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync("ed25519");
}

export function time(i: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function mergedDraft(i: number): RecordDraft {
  return {
    schema: RECORD_SCHEMA,
    type: "change.merged",
    record_id: `1001:${i}:${"a".repeat(39)}${i % 10}`,
    recorded_at: time(i),
    capture_mode: "webhook",
    repository: { id: "1001", full_name: "acme/agents" },
    pr: { number: i, title: `Change ${i} — ünïcode 😀`, url: `https://github.com/acme/agents/pull/${i}` },
    approvals: [{ reviewer: { login: "bob", id: "7" }, submitted_at: time(i) }],
    verdicts: { approved_before_merge: true, checks_passed: i % 3 !== 0 },
  };
}

/** A log in memory: files of lines, checkpoint notes and public keys by path. */
export class MemoryLog implements LogSource {
  files = new Map<string, string[]>();
  texts = new Map<string, string>();
  state: LogState = emptyLogState();

  constructor(
    public key: KeyObject,
    public linesPerFile = 10,
  ) {}

  async listRecordFiles(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }
  async *readLines(path: string): AsyncIterable<string> {
    for (const l of this.files.get(path) ?? []) yield l;
  }
  async listCheckpoints(): Promise<string[]> {
    return [...this.texts.keys()].filter((p) => p.startsWith("checkpoints/")).sort();
  }
  async readText(path: string): Promise<string> {
    const t = this.texts.get(path);
    if (t === undefined) throw new Error(`no such file ${path}`);
    return t;
  }
  async listKeys(): Promise<string[]> {
    return [...this.texts.keys()].filter((p) => p.startsWith("keys/")).sort();
  }

  publish(key: KeyObject): void {
    this.texts.set(keyPath(keyFingerprint(key)), publicKeyPem(key));
  }

  /** Every line in log order, with its file and 1-based line number. */
  allLines(): Array<{ path: string; line: number; text: string }> {
    const out: Array<{ path: string; line: number; text: string }> = [];
    for (const path of [...this.files.keys()].sort()) {
      for (const [i, text] of this.files.get(path)!.entries()) out.push({ path, line: i + 1, text });
    }
    return out;
  }

  /** Re-shards a flat list of lines into files of linesPerFile. */
  setLines(lines: string[]): void {
    this.files.clear();
    for (let i = 0; i < lines.length; i += this.linesPerFile) {
      const part = String(i / this.linesPerFile + 1).padStart(4, "0");
      this.files.set(`log/2026/01/part-${part}.jsonl`, lines.slice(i, i + this.linesPerFile));
    }
  }

  append(drafts: RecordDraft[]): void {
    const { lines, state } = sealRecords(this.state, drafts);
    this.state = state;
    this.setLines([...this.allLines().map((l) => l.text), ...lines]);
  }

  /** Signs the current tree, writes checkpoints/<size>.txt and appends the log.checkpoint record. */
  checkpoint(at: string, key: KeyObject = this.key): string {
    const root = MerkleFrontier.from(this.state.frontier, this.state.size).root();
    const note = makeCheckpoint(
      { origin: ORIGIN, size: this.state.size, root, lastHash: this.state.last_hash, time: at },
      key,
    );
    this.texts.set(checkpointPath(this.state.size), note);
    this.append([checkpointRecordDraft(note, keyFingerprint(key), at)]);
    return note;
  }
}

/** n change.merged records with a checkpoint after every `every` of them (and one at the end). */
export function buildLog(n: number, every = 5, linesPerFile = 10): MemoryLog {
  const { privateKey } = ed25519();
  const log = new MemoryLog(privateKey, linesPerFile);
  log.publish(privateKey);
  for (let i = 1; i <= n; i++) {
    log.append([mergedDraft(i)]);
    if (i % every === 0 || i === n) log.checkpoint(time(i));
  }
  return log;
}
