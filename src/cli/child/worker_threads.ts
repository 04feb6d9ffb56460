/**
 * Worker threads of a profiled Node process: the preload runs in each of
 * them too (Node passes `--import` on), records the thread with its own
 * inspector session and writes its own session file beside the main one.
 *
 * A worker writes when it ends by itself. A worker stopped from outside
 * (`worker.terminate()`, or the process ending) runs no exit handler, so
 * the main thread asks it first, over a `BroadcastChannel`, and waits for
 * its answer a short while: an idle worker answers at once, a worker stuck
 * in a loop cannot, and its profile is lost.
 *
 * @module
 */
import { writeSync } from "node:fs";
import process from "node:process";
import { BroadcastChannel, getEnvironmentData, isMainThread, setEnvironmentData, threadId, Worker } from "node:worker_threads";

/** Key of the preload's settings in the workers' environment data. */
const SETTINGS = "tsprof.child";
/** Key of the counters the threads share: [workers recording, workers written]. */
const COUNTERS = "tsprof.counters";
/** How long the main thread waits for workers to write, in ms. */
const FLUSH_WAIT_MS = 500;

/** A request on the channel: `all` at the process's end, or one thread before its `terminate()`. */
type Message = { flush: "all" | number } | { recording: number } | { written: number };



/** The preload's settings in this thread: the environment's in the main thread, the environment data's in a worker. */
export function threadSettings(fromEnv: string | undefined): string | undefined {
  if (isMainThread) return fromEnv;
  const raw = getEnvironmentData(SETTINGS);
  return typeof raw === "string" ? raw : undefined;
}

function channelName(): string {
  return `tsprof-${process.pid}`;
}

function counters(): Int32Array | undefined {
  const shared = getEnvironmentData(COUNTERS);
  return shared instanceof SharedArrayBuffer ? new Int32Array(shared) : undefined;
}

/**
 * In the main thread: hands the settings on to workers, and makes sure
 * recording workers write before they are stopped. Returns what the main
 * thread's exit handler calls: it waits for the workers still recording and
 * says how many never wrote.
 */
export function coordinateWorkers(settings: string): () => number {
  setEnvironmentData(SETTINGS, settings);
  const shared = new SharedArrayBuffer(8);
  setEnvironmentData(COUNTERS, shared);
  const count = new Int32Array(shared);
  const channel = new BroadcastChannel(channelName());
  // The channel must not keep the process alive.
  (channel as unknown as { unref(): void }).unref();
  const waiting = new Map<number, () => void>();
  // Workers that said they record and have not written yet: only they are
  // asked, so a worker started without the preload is stopped at once.
  const recording = new Set<number>();
  channel.onmessage = (e) => {
    const data = (e as unknown as MessageEvent<Message>).data;
    if ("recording" in data) recording.add(data.recording);
    if ("written" in data) {
      recording.delete(data.written);
      waiting.get(data.written)?.();
    }
  };
  // terminate() runs no exit handler in the worker: ask it to write first.
  const terminate = Worker.prototype.terminate;
  Worker.prototype.terminate = function (this: Worker) {
    const id = this.threadId;
    if (!recording.has(id)) return terminate.call(this);
    const written = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FLUSH_WAIT_MS);
      waiting.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    channel.postMessage({ flush: id } satisfies Message);
    return written.then(() => {
      waiting.delete(id);
      return terminate.call(this);
    });
  };
  return () => {
    if (Atomics.load(count, 0) === Atomics.load(count, 1)) return 0;
    // The process is ending: every worker still recording writes now.
    channel.postMessage({ flush: "all" } satisfies Message);
    const deadline = performance.now() + FLUSH_WAIT_MS;
    for (;;) {
      const recording = Atomics.load(count, 0);
      const written = Atomics.load(count, 1);
      const left = deadline - performance.now();
      if (written >= recording || left <= 0) return Math.max(0, recording - written);
      Atomics.wait(count, 1, written, left);
    }
  };
}

/**
 * In a worker: counts it as recording, and has `write` run once, at the
 * worker's own end or when the main thread asks.
 */
export function workerFlushes(write: () => void): void {
  const count = counters();
  if (count) Atomics.add(count, 0, 1);
  const channel = new BroadcastChannel(channelName());
  (channel as unknown as { unref(): void }).unref();
  channel.postMessage({ recording: threadId } satisfies Message);
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    try {
      write();
    } catch (e) {
      writeSync(2, `tsprof: worker ${threadId}: ${(e as Error).message}\n`);
    }
    if (count) {
      Atomics.add(count, 1, 1);
      Atomics.notify(count, 1);
    }
    // Said however it came to write, so that terminate() on a worker that
    // has ended by itself does not wait for an answer that cannot come.
    channel.postMessage({ written: threadId } satisfies Message);
  };
  channel.onmessage = (e) => {
    const data = (e as unknown as MessageEvent<Message>).data;
    if ("flush" in data && (data.flush === "all" || data.flush === threadId)) once();
  };
  process.on("exit", once);
}
