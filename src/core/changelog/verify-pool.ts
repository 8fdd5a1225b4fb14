/**
 * A pool of worker threads computing the per-line facts (line-facts.ts) of local record files, file by file, for
 * `verifyLog`, which applies them in log order on its own thread. Read-ahead is bounded: a worker holds at most
 * MAX_UNACKED unconsumed batches of a file, and files are handed out at most 2 × pool size ahead of the one
 * being consumed, so memory stays flat in the log's size.
 *
 * The worker (src/changelog/verify-worker.ts, which reads the files) only exists compiled, next to this module in
 * lib/; run from TypeScript sources (ts-jest) `FactsPool.create` returns undefined and the caller stays
 * single-threaded.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FactsBatch } from "./line-facts.js";

/** Lines per batch a worker posts. */
export const BATCH_LINES = 256;
/** Unconsumed batches a worker may hold per file before it waits (16,384 lines, more than a full part file, so a
 * worker can check the next file while the main thread walks this one; about 4 MB of facts). */
export const MAX_UNACKED = 64;

/** worker → main */
export type WorkerMessage =
  | { type: "batch"; id: number; batch: FactsBatch }
  | { type: "end"; id: number }
  | { type: "error"; id: number; message: string };
/** main → worker */
export type MainMessage = { type: "file"; id: number; path: string } | { type: "ack"; id: number };

interface Job {
  id: number;
  path: string;
  worker?: Worker;
  queue: FactsBatch[];
  done: boolean;
  error?: Error;
  wake?: () => void;
}

export function poolSize(): number {
  return Math.min(4, Math.max(1, availableParallelism()));
}

export class FactsPool {
  private readonly idle: Worker[] = [];
  private readonly jobs: Job[] = [];
  private readonly byId = new Map<number, Job>();
  private next = 0;
  private consuming = 0;
  private failure?: Error;

  private constructor(
    private readonly workers: Worker[],
    private readonly lookahead: number,
  ) {
    for (const w of workers) {
      w.on("message", (m: WorkerMessage) => this.onMessage(w, m));
      w.on("error", (e) => this.fail(e));
      w.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`verify worker exited with code ${code}`));
      });
      this.idle.push(w);
    }
  }

  /** A pool over the compiled worker, or undefined when it is not available (running from sources). */
  static create(size = poolSize()): FactsPool | undefined {
    if (!import.meta.url.endsWith(".js")) return undefined;
    const url = new URL("../../changelog/verify-worker.js", import.meta.url);
    // A smaller young generation than the default keeps each worker's heap (and the process RSS) small; at
    // 100,000 bench records it cut peak RSS from about 165 to 130 MB at the same speed.
    const workers = Array.from(
      { length: size },
      () => new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 16 } }),
    );
    return new FactsPool(workers, 2 * size);
  }

  /** Queues the files (absolute paths, in log order); read them back in that order with `batches`. */
  open(paths: readonly string[]): void {
    for (const path of paths) this.jobs.push({ id: this.jobs.length, path, queue: [], done: false });
    this.pump();
  }

  /** The facts of the k-th opened file, in line order; call for k = 0, 1, 2, … in turn. */
  async *batches(k: number): AsyncGenerator<FactsBatch> {
    this.consuming = k;
    this.pump();
    const job = this.jobs[k]!;
    for (;;) {
      if (this.failure) throw this.failure;
      if (job.error) throw job.error;
      const batch = job.queue.shift();
      if (batch) {
        job.worker?.postMessage({ type: "ack", id: job.id } satisfies MainMessage);
        yield batch;
      } else if (job.done) {
        break;
      } else {
        await new Promise<void>((resolve) => {
          job.wake = resolve;
        });
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (
      this.idle.length > 0 &&
      this.next < this.jobs.length &&
      this.next < this.consuming + this.lookahead
    ) {
      const job = this.jobs[this.next++]!;
      const worker = this.idle.pop()!;
      job.worker = worker;
      this.byId.set(job.id, job);
      worker.postMessage({ type: "file", id: job.id, path: job.path } satisfies MainMessage);
    }
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    const job = this.byId.get(m.id);
    if (!job) return;
    if (m.type === "batch") job.queue.push(m.batch);
    else {
      if (m.type === "error") job.error = new Error(m.message);
      job.done = true;
      this.byId.delete(m.id);
      this.idle.push(worker);
      this.pump();
    }
    const wake = job.wake;
    job.wake = undefined;
    wake?.();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const job of this.byId.values()) {
      const wake = job.wake;
      job.wake = undefined;
      wake?.();
    }
  }
}
