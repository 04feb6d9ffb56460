/**
 * The portable backend's tick counter on Node, which has no web `Worker`:
 * the same worker code on `node:worker_threads`. Kept apart from the
 * backend, which imports no runtime module; `runtimes/auto.ts` hands it in.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { type Ticker, type TickerFactory, TICKER_SOURCE, tickerMemory, stopTickerMemory } from "./ticker.ts";

/**
 * Starts a ticker on a Node worker thread.
 *
 * @example
 * ```ts
 * import { nodeWorkerTicker } from "./node_ticker.ts";
 * import { portableBackend } from "tsprof/portable";
 * const backend = portableBackend({ ticker: nodeWorkerTicker });
 * ```
 */
export const nodeWorkerTicker: TickerFactory = async (intervalMs) => {
  const ticks = tickerMemory();
  if (ticks === undefined) return undefined;
  const source = `${TICKER_SOURCE}\nconst { parentPort, workerData } = require("node:worker_threads");\nrun(workerData, (m) => parentPort.postMessage(m));\n`;
  let worker: Worker;
  try {
    worker = new Worker(source, { eval: true, workerData: { buffer: ticks.buffer, intervalMs } });
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
  } catch {
    return undefined;
  }
  // The ticker must not keep the process alive.
  worker.unref();
  const ticker: Ticker = {
    ticks,
    stop() {
      stopTickerMemory(ticks);
      void worker.terminate();
    },
  };
  return ticker;
};
