/**
 * Thread ids as in a direct run. The threads tsprof starts in a profiled
 * process (the portable backend's ticker, the esbuild service its Bun loader
 * transforms with, Node 20's module-hooks thread) draw their `threadId` from
 * the counter the program's own workers draw from: a program's first worker
 * would be thread 3 under `tsprof --backend portable` and 1 run directly.
 * Here tsprof's threads are noted, and every `threadId` the program can read
 * (`worker.threadId`, and `threadId` inside the worker) is told as if they
 * had never started.
 *
 * A worker is tsprof's when it starts while tsprof sets up, before the
 * program's code runs: from {@link hideOwnThreads}, the first preload, to
 * {@link endOwnThreads}, at the end of the last. (tsprof's code on the stack
 * would not tell: its loader hooks are on the stack of every module the
 * program evaluates.) The ids live in shared memory that every worker
 * gets.
 *
 * On Bun a worker runs no preload unless its constructor is given one, and a
 * module's `import { Worker } from "node:worker_threads"` is bound when that
 * module is first linked: this module reaches `node:worker_threads` through
 * `require`, and must run before any module that imports it statically (the
 * CLI hands it to Bun as the first preload; see `threads_preload.ts`).
 *
 * @module
 */
import { createRequire } from "node:module";

type Threads = typeof import("node:worker_threads");
// deno-lint-ignore no-explicit-any
type WorkerClass = new (...args: any[]) => object;

// Through require, not an import: see the module's notes on Bun.
const require = createRequire(import.meta.url);
const threads = require("node:worker_threads") as Threads;
const builtins = require("node:module") as { syncBuiltinESMExports?: () => void };
/** Key of the shared id list in the workers' environment data. */
const KEY = "tsprof.ownThreads";
/** Room for tsprof's threads: a handful in practice. */
const CAPACITY = 32;
/** The shared list: [setting up (1) or not (0), count, ids...]. */
const SETTING_UP = 0;
const COUNT = 1;
const IDS = 2;

/**
 * `real` as the program would see it: tsprof's threads below it not counted.
 * The main thread (0) and an ended worker (-1) keep theirs.
 *
 * @example
 * ```ts
 * visibleThreadId(3, [1, 2]); // 1
 * visibleThreadId(4, [2]); // 3
 * ```
 */
export function visibleThreadId(real: number, own: ArrayLike<number>): number {
  if (real <= 0) return real;
  let below = 0;
  for (let i = 0; i < own.length; i++) if (own[i]! < real) below++;
  return real - below;
}

/** The ids in the shared list. */
function idsOf(list: Int32Array): Int32Array {
  return list.subarray(IDS, IDS + Math.min(Atomics.load(list, COUNT), CAPACITY));
}

function note(list: Int32Array, id: number): void {
  if (id <= 0) return;
  const at = Atomics.add(list, COUNT, 1);
  if (at < CAPACITY) Atomics.store(list, IDS + at, id);
}

/**
 * Replaces a worker class with one that tells ids without tsprof's threads,
 * notes the workers started while tsprof sets up, and (Bun) gives the
 * program's workers `preload` so that the same happens inside them.
 */
function wrap<W extends WorkerClass>(Original: W, list: Int32Array, preload: string | undefined): W {
  const realId = (w: object): number => Reflect.get(Original.prototype, "threadId", w) as number;
  class Worker extends Original {
    // deno-lint-ignore no-explicit-any
    constructor(...args: any[]) {
      const ours = Atomics.load(list, SETTING_UP) === 1;
      const [what, options] = args as [unknown, { preload?: string[] | string } | undefined];
      const given = options?.preload === undefined ? [] : [options.preload].flat();
      super(what, ours || preload === undefined ? options : { ...options, preload: [preload, ...given] }, ...args.slice(2));
      if (ours) note(list, realId(this));
    }
  }
  Object.defineProperty(Worker.prototype, "threadId", {
    configurable: true,
    get(this: object): number {
      return visibleThreadId(realId(this), idsOf(list));
    },
  });
  return Worker;
}

function install(list: Int32Array, preload: string | undefined): void {
  threads.Worker = wrap(threads.Worker as unknown as WorkerClass, list, preload) as unknown as Threads["Worker"];
  const web = globalThis as unknown as { Worker?: WorkerClass };
  if (typeof web.Worker === "function") web.Worker = wrap(web.Worker, list, preload);
  // Node: modules that imported `Worker` or `threadId` already see the new values.
  builtins.syncBuiltinESMExports?.();
}

/**
 * In the main thread, before tsprof starts any thread: from here on, the
 * program sees thread ids as in a direct run, and the workers started until
 * {@link endOwnThreads} are tsprof's. `workerPreload` is the module
 * that calls {@link seeOwnThreads} inside each worker, where the runtime
 * does not preload workers itself (Bun).
 *
 * @example
 * ```ts
 * hideOwnThreads(); // first thing in the main thread's preload
 * ```
 */
export function hideOwnThreads(workerPreload?: string): void {
  const list = new Int32Array(new SharedArrayBuffer(4 * (IDS + CAPACITY)));
  list[SETTING_UP] = 1;
  threads.setEnvironmentData(KEY, list.buffer as SharedArrayBuffer);
  install(list, workerPreload);
}

/**
 * Says that tsprof has set up and the program's code comes next: workers
 * started from now on are the program's. Does nothing before
 * {@link hideOwnThreads}.
 *
 * @example
 * ```ts
 * endOwnThreads(); // after the backend has started
 * ```
 */
export function endOwnThreads(): void {
  const list = sharedList();
  if (list) Atomics.store(list, SETTING_UP, 0);
}

/**
 * Counts a thread tsprof started outside any `Worker` constructor (Node's
 * module-hooks thread) as tsprof's. Does nothing before
 * {@link hideOwnThreads}.
 *
 * @example
 * ```ts
 * noteOwnThread(1);
 * ```
 */
export function noteOwnThread(threadId: number): void {
  const list = sharedList();
  if (list) note(list, threadId);
}

function sharedList(): Int32Array | undefined {
  const shared = threads.getEnvironmentData(KEY);
  return shared instanceof SharedArrayBuffer ? new Int32Array(shared) : undefined;
}

/**
 * Inside a worker: its own `threadId` and those of the workers it starts,
 * as in a direct run. Does nothing in a process where the main thread did
 * not call {@link hideOwnThreads}.
 *
 * @example
 * ```ts
 * seeOwnThreads(); // first thing in a worker's preload
 * ```
 */
export function seeOwnThreads(workerPreload?: string): void {
  const list = sharedList();
  if (!list) return;
  (threads as { threadId: number }).threadId = visibleThreadId(threads.threadId, idsOf(list));
  install(list, workerPreload);
}
