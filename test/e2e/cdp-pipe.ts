import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { Readable, Writable } from "node:stream";

/** Names Debian, Ubuntu and Google give the browser, tried in this order after $CHROMIUM_PATH. */
const BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The first Chromium-family browser found ($CHROMIUM_PATH, then PATH), or undefined. */
export function findChromium(): string | undefined {
  const candidates = [
    ...(process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : []),
    ...BROWSER_NAMES.flatMap((name) =>
      (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, name)),
    ),
  ];
  for (const path of candidates) {
    if (path === "" || !path.includes("/")) continue;
    const probe = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
    if (probe.status === 0) return path;
  }
  return undefined;
}

type Message = {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
};

/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (fd 3 in, fd 4 out, messages ended by
 * NUL): no port, no network, no extra package. Headless, with a throwaway profile and networking to anything but
 * the file under test disabled by flags.
 */
export class Chromium {
  private nextId = 1;
  private buffer = "";
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: Array<(m: Message) => void> = [];
  private readonly profile = mkdtempSync(join(tmpdir(), "acc-chromium-"));
  private readonly child: ChildProcess;
  private stderr = "";

  constructor(executable: string) {
    this.child = spawn(
      executable,
      [
        "--headless=new",
        "--remote-debugging-pipe",
        "--no-sandbox", // CI runs as root, where Chromium refuses its sandbox
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${this.profile}`,
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
    );
    this.child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const out = this.child.stdio[4] as Readable;
    out.on("data", (chunk: Buffer) => this.receive(chunk.toString("utf8")));
    this.child.on("exit", (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    for (let end = this.buffer.indexOf("\0"); end >= 0; end = this.buffer.indexOf("\0")) {
      const message = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else {
        for (const listener of this.listeners) listener(message);
      }
    }
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Resolves with the first event of this name (after `start` has run, so the event cannot be missed). */
  async until(method: string, start: () => Promise<unknown>): Promise<unknown> {
    let resolveEvent!: (p: unknown) => void;
    const event = new Promise<unknown>((resolve) => {
      resolveEvent = resolve;
    });
    const listener = (m: Message) => {
      if (m.method === method) resolveEvent(m.params);
    };
    this.listeners.push(listener);
    try {
      await start();
      return await event;
    } finally {
      this.listeners.splice(this.listeners.indexOf(listener), 1);
    }
  }

  /** Every event seen from now on, for checks such as "no request left the file". */
  record(): Message[] {
    const seen: Message[] = [];
    this.listeners.push((m) => seen.push(m));
    return seen;
  }

  async close(): Promise<void> {
    try {
      if (this.child.exitCode === null) {
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        await Promise.race([this.send("Browser.close"), exited]).catch(() => undefined);
        if (this.child.exitCode === null && !this.child.kill()) this.child.kill("SIGKILL");
        await exited;
      }
    } finally {
      // Chromium's helper processes (crashpad, GPU) can still be writing the profile for a moment after the
      // browser exits: ENOTEMPTY then, so the removal is retried with a growing delay (up to about 5.5 s).
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  }
}
