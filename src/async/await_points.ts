/**
 * Records where a program waits from its marked `await`s (`await_edits.ts`),
 * for runtimes without promise hooks (Bun): each marked `await` hands its
 * value here as it starts waiting. For a promise, a stack is taken (within
 * the budget of `stack_budget.ts`) and a reaction registered on it; registered
 * before the `await`'s own, it runs as the promise settles, right before the
 * function resumes, and ends the wait. Anything else (a value, a thenable) is
 * handed back untouched and not recorded.
 *
 * Only the user's modules are marked, so every `await` seen here is the
 * user's: a library's waits stay with the user's `await` waiting on them.
 *
 * @module
 */
import { normalizeFile } from "../paths.ts";
import { type AwaitTrace, type CallSite, callSites, readWaits, STACK_DEPTH, type TrackAwaitsOptions, waitLog } from "./await_tracker.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { StackBudget } from "./stack_budget.ts";

/** What a marked `await` calls: gets the awaited value, returns it unchanged. */
export type AwaitPoint = (value: unknown, line: number, col: number) => unknown;

/** What {@linkcode trackAwaitPoints} returns. */
export interface AwaitPoints {
  /** The recorder of one file's marked `await`s (what the registry hands the edited code). */
  forFile(file: string): AwaitPoint;
  /** Stops recording; returns when, on the clock of the waits. */
  stop(): number;
  /** The waits recorded, with their stacks read (once). */
  waits(): AwaitWait[];
}

/**
 * Starts recording the waits of marked `await`s, on the clock of
 * `performance.now()`.
 *
 * @example
 * ```ts
 * import { trackAwaitPoints } from "./await_points.ts";
 * const points = trackAwaitPoints({ minMs: 0.25 });
 * const at = points.forFile("/app/a.ts");
 * await (at(new Promise((r) => setTimeout(r, 5)), 3, 9) as Promise<unknown>);
 * points.waits(); // one wait of about 5 ms, at /app/a.ts:3:9
 * ```
 */
export function trackAwaitPoints(options: TrackAwaitsOptions): AwaitPoints {
  const { minMs } = options;
  const tools = options.toolPaths ?? [];
  const isUserFile = (f: string) => !tools.some((p) => normalizeFile(f).startsWith(p));
  const log = waitLog((kept) => readWaits(kept, isUserFile, isJscTopLevel));
  // Only the user's `await`s call here: no look at a promise's maker is spent.
  const budget = new StackBudget(options.soon);
  const then = Promise.prototype.then;
  const forFile = (name: string): AwaitPoint => {
    const file = normalizeFile(name);
    const point: AwaitPoint = (value, line, col) => {
      // A plain promise only: a subclass's `then` or a thenable's could do anything.
      if (!log.on || (budget.tokens < 1 && !budget.refilled()) || !(value instanceof Promise) || Object.getPrototypeOf(value) !== Promise.prototype) return value;
      budget.tokens -= 1;
      const trace: AwaitTrace = { at: { file, line, col } };
      capture(trace, point);
      const start = performance.now();
      const end = () => {
        const t = performance.now();
        if (log.on && t - start >= minMs) log.kept.push(start, t, trace);
        budget.waitEnded(t);
      };
      then.call(value, end, end);
      return value;
    };
    return point;
  };
  return { forFile, stop: log.stop, waits: log.waits };
}

/**
 * Whether a JavaScriptCore call site is a module's top level: it has no
 * function name, and prints without one (an unnamed function prints as
 * `<anonymous> (file:line:col)`, the top level as `file:line:col`).
 */
function isJscTopLevel(site: CallSite): boolean {
  return site.getFunctionName() === "" && !String(site).includes("(");
}

/**
 * Takes the stack below `fn` into `trace.stack` as call sites: JavaScriptCore
 * formats a stack as it is taken, V8 when it is read (`readWaits` asks for
 * call sites then).
 */
function capture(trace: AwaitTrace, fn: AwaitPoint): void {
  const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const limit = ErrorCtor.stackTraceLimit;
  const prepare = ErrorCtor.prepareStackTrace;
  ErrorCtor.stackTraceLimit = STACK_DEPTH;
  ErrorCtor.prepareStackTrace = callSites;
  try {
    Error.captureStackTrace(trace, fn);
  } finally {
    ErrorCtor.stackTraceLimit = limit;
    ErrorCtor.prepareStackTrace = prepare;
  }
}
