/**
 * The tick counter of the portable backend: a worker bumps an integer in
 * shared memory every interval, so that instrumented code learns that a
 * sample is due with one memory read instead of a clock call (pyinstrument's
 * timing thread). Uses the web `Worker` and `SharedArrayBuffer`; where either
 * is missing (a page that is not cross-origin isolated, Node, which has no
 * global `Worker`), there is no ticker here and the recorder reads the clock
 * on every event instead.
 *
 * @module
 */

/**
 * A running tick counter.
 *
 * @example
 * ```ts
 * import type { Ticker } from "tsprof/portable";
 * const ticksSoFar = (t: Ticker) => Atomics.load(t.ticks, 0);
 * ```
 */
export interface Ticker {
  /** `ticks[0]` goes up by one every interval. */
  readonly ticks: Int32Array;
  /** Stops the worker. */
  stop(): void;
}

/**
 * Starts a ticker at `intervalMs`, or resolves `undefined` where it cannot.
 *
 * @example
 * ```ts
 * import type { TickerFactory } from "tsprof/portable";
 * // Where no worker can run: read the clock on every event instead.
 * const none: TickerFactory = () => Promise.resolve(undefined);
 * ```
 */
export type TickerFactory = (intervalMs: number) => Promise<Ticker | undefined>;

/**
 * Code of the worker. It sleeps on a futex (`Atomics.wait` with a timeout),
 * which is exact to well under a millisecond and costs no CPU, then bumps
 * the counter; `ticks[2]` set to 1 tells it to end. It says "ready" once, so
 * that recording starts with the ticks already running.
 */
export const TICKER_SOURCE = `
const run = (data, post) => {
  const a = new Int32Array(data.buffer);
  post("ready");
  for (;;) {
    Atomics.wait(a, 1, 0, data.intervalMs);
    if (Atomics.load(a, 2) !== 0) return;
    Atomics.add(a, 0, 1);
  }
};`;

/** Sets up shared memory for a ticker: [ticks, futex word, stop flag]. */
export function tickerMemory(): Int32Array | undefined {
  if (typeof SharedArrayBuffer !== "function") return undefined;
  // Browsers hide SharedArrayBuffer's use outside cross-origin isolation.
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return undefined;
  return new Int32Array(new SharedArrayBuffer(12));
}

/** Tells a ticker's worker to end. */
export function stopTickerMemory(ticks: Int32Array): void {
  Atomics.store(ticks, 2, 1);
  Atomics.notify(ticks, 1);
}

interface WebWorker {
  postMessage(data: unknown): void;
  terminate(): void;
  addEventListener(type: "message" | "error", fn: (e: { data?: unknown }) => void): void;
  unref?(): void;
}

/**
 * A ticker on a web `Worker` made from a Blob URL: browsers, Web Workers,
 * Deno and Bun.
 */
export const webWorkerTicker: TickerFactory = async (intervalMs) => {
  const W = (globalThis as { Worker?: new (url: string, options?: { type?: string }) => WebWorker }).Worker;
  const ticks = tickerMemory();
  if (typeof W !== "function" || ticks === undefined || typeof URL.createObjectURL !== "function") return undefined;
  let url: string | undefined;
  let worker: WebWorker | undefined;
  try {
    const source = `${TICKER_SOURCE}\nself.onmessage = (e) => run(e.data, (m) => self.postMessage(m));\n`;
    url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    worker = new W(url, { type: "module" });
    const w = worker;
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2000);
      w.addEventListener("message", () => {
        clearTimeout(timer);
        resolve(true);
      });
      w.addEventListener("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
      w.postMessage({ buffer: ticks.buffer, intervalMs });
    });
    if (!ready) throw new Error("the ticker worker did not start");
    // Bun lets a worker keep the process alive; the ticker must not.
    w.unref?.();
  } catch {
    worker?.terminate();
    if (url) URL.revokeObjectURL(url);
    return undefined;
  }
  const w = worker;
  return {
    ticks,
    stop() {
      stopTickerMemory(ticks);
      w.terminate();
      URL.revokeObjectURL(url!);
    },
  };
};
