/**
 * Worker thread of the verifier's FactsPool (src/core/changelog/verify-pool.ts): for each file it is given, streams
 * its lines exactly as DirStore.readLines does and posts their per-line facts in batches, waiting while
 * MAX_UNACKED batches are unconsumed.
 */
import { parentPort } from "node:worker_threads";
import { FactsBuilder } from "../core/changelog/line-facts.js";
import {
  BATCH_LINES,
  MAX_UNACKED,
  type MainMessage,
  type WorkerMessage,
} from "../core/changelog/verify-pool.js";
import { readFileLines } from "./dir-store.js";

const port = parentPort;
if (!port) throw new Error("verify-worker must run in a worker thread");

let current = -1;
let unacked = 0;
let resume: (() => void) | undefined;
const files: { id: number; path: string }[] = [];
let running = false;

function post(m: WorkerMessage): void {
  if (m.type === "batch") {
    const b = m.batch;
    port!.postMessage(m, [
      b.leaves.buffer as ArrayBuffer,
      b.seqs.buffer as ArrayBuffer,
      b.flags.buffer as ArrayBuffer,
    ]);
  } else port!.postMessage(m);
}

async function run(id: number, path: string): Promise<void> {
  current = id;
  unacked = 0;
  const builder = new FactsBuilder(BATCH_LINES);
  const flush = async (): Promise<void> => {
    post({ type: "batch", id, batch: builder.take() });
    unacked += 1;
    while (unacked >= MAX_UNACKED) await new Promise<void>((r) => (resume = r));
  };
  try {
    for await (const line of readFileLines(path)) {
      builder.add(line);
      if (builder.full) await flush();
    }
    if (builder.size > 0) await flush();
    post({ type: "end", id });
  } catch (error) {
    post({ type: "error", id, message: (error as Error).message });
  }
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  for (let f = files.shift(); f; f = files.shift()) await run(f.id, f.path);
  running = false;
}

port.on("message", (m: MainMessage) => {
  if (m.type === "file") {
    files.push(m);
    void drain();
  } else if (m.id === current) {
    unacked -= 1;
    const r = resume;
    resume = undefined;
    r?.();
  }
});
