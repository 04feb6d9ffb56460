/**
 * Records where a program waits: every `await` of the user's code, when it
 * suspended and when it resumed, with the stack that awaited. Runtime-neutral
 * over V8's promise hooks, which each runtime hands in its own way (Node's
 * `node:v8` `promiseHooks`, Deno's core): an `await` makes a promise whose
 * parent is the awaited one, created inside the awaiting function (so a
 * stack trace taken there names the function, the position of the `await`,
 * and its callers: synchronous ones in the function's first run, V8's async
 * frames after), and resumed when the `before` hook of that promise fires.
 *
 * Stacks are captured unformatted at each `await` (V8 formats them only
 * when read), and read only for the waits long enough to matter, after the
 * program ends. Promises that are not `await`s of the user's code (a
 * `.then` in a library, the runtime's own `await`s) are told apart by the
 * frame that made them, read as they are made (the whole stack is taken for
 * the user's only) and again when the stacks are read: their waits stay
 * with the user's `await` that waited on them. Where the program's `await`s
 * are marked as its modules load, `marked_awaits.ts` records at the marks
 * instead, with no promise hook.
 *
 * @module
 */
import { ANONYMOUS_NAME, type Frame, MODULE_FRAME_NAME, topLevelName } from "../format/types.ts";
import { codeOrigin, normalizeFile } from "../paths.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { AWAIT_END_FUNCTION, AWAIT_POINT_FUNCTION } from "./await_point_names.ts";
import { StackBudget } from "./stack_budget.ts";
import { mapWaitFrames } from "./wait_frames.ts";
/** Frames kept of the stack at an `await`: callers deeper than this are cut. */
export const STACK_DEPTH = 32;
/**
 * Whether `file` is a runtime's dispatcher of promise hooks, which calls
 * each set when there are several: Deno's core, Node's `initAll` (whenever
 * `async_hooks` are on: `AsyncLocalStorage`, `node:test`, tracing).
 */
const isHookDispatch = (file: string | undefined) => file !== undefined && (file.startsWith("ext:core/") || file === "node:internal/promise_hooks");

/**
 * Installs promise hooks (calling `init` itself, with no function between:
 * the stack of an `await` starts below it) and returns the function that
 * removes them, where the runtime can.
 *
 * @example
 * ```ts
 * import type { PromiseHooksInstaller } from "./await_tracker.ts";
 * const none: PromiseHooksInstaller = () => () => {};
 * ```
 */
export type PromiseHooksInstaller = (
  init: (promise: Promise<unknown>, parent: Promise<unknown> | undefined) => void,
  before: (promise: Promise<unknown>) => void,
) => () => void;

/** What {@linkcode trackAwaits} returns. */
export interface AwaitTracker {
  /** Stops recording; returns when, on the clock of the waits. */
  stop(): number;
  /** The waits of the user's `await`s, with their stacks read (once). */
  waits(): AwaitWait[];
}

/** Options for {@linkcode trackAwaits}. */
export interface TrackAwaitsOptions {
  /** Waits shorter than this (ms) are not kept. */
  readonly minMs: number;
  /** tsprof's own files: their `await`s are not the program's. */
  readonly toolPaths?: readonly string[];
  /**
   * Given a callback, returns the function that has it called shortly
   * without keeping the program running (`runtimes/_soon.ts`: in a
   * millisecond). Without it, the budgets read the clock for every
   * promise once spent.
   */
  readonly soon?: (callback: () => void) => () => void;
  /** Looks at a promise's maker per millisecond at most (`stack_budget.ts`'s default otherwise). */
  readonly looksPerMs?: number;
}

/** Where an `await` is. */
export interface AwaitPlace {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A stack captured at an `await`; `at` where the `await` is, when known better than its top frame tells. */
export interface AwaitTrace {
  stack?: unknown;
  at?: AwaitPlace;
}
type Trace = AwaitTrace;

/**
 * Starts recording the waits of `await`s on the calling thread, on the
 * clock of `performance.now()`.
 *
 * @example
 * ```ts
 * import { trackAwaits } from "./await_tracker.ts";
 * const tracker = trackAwaits(() => () => {}, { minMs: 0.25 });
 * tracker.stop();
 * tracker.waits(); // []: these hooks never fire
 * ```
 */
export function trackAwaits(install: PromiseHooksInstaller, options: TrackAwaitsOptions): AwaitTracker {
  const { minMs } = options;
  const isUserFile = userFileTest(options.toolPaths ?? []);
  const pending = new WeakMap<object, { start: number; trace: Trace }>();
  const budget = new StackBudget({ soon: options.soon, checksPerMs: options.looksPerMs });
  // Hooks a runtime cannot remove (Deno's) stay installed: stopped, they do nothing.
  let disable = () => {};
  const log = waitLog((kept) => readWaits(kept, isUserFile), () => disable());
  function init(promise: Promise<unknown>, parent: Promise<unknown> | undefined): void {
    // The budgets' own check stays inline: this runs for every promise.
    if (parent === undefined || !log.on || ((budget.tokens < 1 || budget.checks < 1) && !budget.refilled())) return;
    budget.checks -= 1;
    if (madeElsewhere(init, isUserFile)) return;
    budget.tokens -= 1;
    pending.set(promise, { start: performance.now(), trace: captureBelow({}, init) });
  }
  function before(promise: Promise<unknown>): void {
    if (!log.on) return;
    const p = pending.get(promise);
    if (p === undefined) return;
    pending.delete(promise);
    const end = performance.now();
    if (end - p.start >= minMs) log.keep(p.start, end, p.trace);
    budget.waitEnded();
  }
  disable = install(init, before);
  return { stop: log.stop, waits: log.waits };
}

/**
 * The waits a recorder kept, a wait at each index: its start and end (two
 * entries each in `times`), its trace, and where it waited when that is not
 * where its trace was taken (a stack taken at another `await` of the same
 * call of the same function: `marked_awaits.ts`), else `undefined`.
 */
export interface KeptWaits {
  readonly times: readonly number[];
  readonly traces: readonly AwaitTrace[];
  readonly places: readonly (AwaitPlace | undefined)[];
}

/** What {@linkcode waitLog} returns. */
export interface WaitLog {
  /** Keeps a wait (see {@linkcode KeptWaits}); returns its index. Needs no `this`. */
  readonly keep: (start: number, end: number, trace: AwaitTrace, at?: AwaitPlace) => number;
  /** When the wait kept at `index` ended. */
  endOf(index: number): number;
  /** Moves the end of the wait kept at `index` (a wait of the same call at the same place that followed it closely). */
  extend(index: number, end: number): void;
  /** Whether recording goes on (read by the recorder's hot path). */
  readonly on: boolean;
  /** Stops recording, once; returns when, on the clock of the waits. */
  stop(): number;
  /** Stops, and reads the kept waits (once: they are let go). */
  waits(): AwaitWait[];
}

/**
 * What each wait recorder keeps (the hook tracker, the marks', Bun's) and
 * how it stops: `onStop` runs once, at the stop (a runtime's hooks removed);
 * `read` reads the kept waits' stacks. `keep`, `stop` and `waits` need no
 * `this`. A wait kept costs its numbers and two references (the times in an
 * array of doubles, unboxed): a stack it shares with the other waits of its
 * call is held once.
 *
 * @example
 * ```ts
 * import { readWaits, waitLog } from "./await_tracker.ts";
 * const log = waitLog((kept) => readWaits(kept, () => true));
 * log.stop();
 * log.on; // false
 * ```
 */
export function waitLog(read: (kept: KeptWaits) => AwaitWait[], onStop?: () => void): WaitLog {
  let stoppedAt: number | undefined;
  let times: number[] = [];
  let traces: AwaitTrace[] = [];
  let places: (AwaitPlace | undefined)[] = [];
  const log = {
    keep: (start: number, end: number, trace: AwaitTrace, at?: AwaitPlace) => {
      times.push(start, end);
      places.push(at);
      return traces.push(trace) - 1;
    },
    endOf: (index: number) => times[2 * index + 1]!,
    extend: (index: number, end: number) => {
      times[2 * index + 1] = end;
    },
    on: true,
    stop: () => {
      if (stoppedAt === undefined) {
        stoppedAt = performance.now();
        log.on = false;
        onStop?.();
      }
      return stoppedAt;
    },
    waits: () => {
      log.stop();
      const waits = read({ times, traces, places });
      times = [];
      traces = [];
      places = [];
      return waits;
    },
  };
  return log;
}

/**
 * Whether a file, by the name the runtime gives it (a URL or a path), is
 * the program's own: not a library's, the runtime's or tsprof's (under
 * `toolPaths`). Each name is normalized once.
 *
 * @example
 * ```ts
 * import { userFileTest } from "./await_tracker.ts";
 * userFileTest(["/opt/tsprof/"])("file:///app/main.ts"); // true
 * ```
 */
export function userFileTest(toolPaths: readonly string[]): (name: string) => boolean {
  const userFiles = new Map<string, boolean>();
  return (name) => {
    let user = userFiles.get(name);
    if (user === undefined) {
      const file = normalizeFile(name);
      userFiles.set(name, (user = codeOrigin(file) === "app" && !toolPaths.some((p) => file.startsWith(p))));
    }
    return user;
  };
}

/**
 * `trace` with the stack below `fn` (at most {@linkcode STACK_DEPTH} frames), unformatted.
 *
 * @example
 * ```ts
 * import { captureBelow } from "./await_tracker.ts";
 * function here() { return captureBelow({}, here); }
 * here().stack; // the stack of here's caller, formatted when read
 * ```
 */
export function captureBelow(trace: Trace, fn: (...args: never[]) => void): Trace {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_DEPTH;
  Error.captureStackTrace(trace, fn);
  Error.stackTraceLimit = limit;
  return trace;
}

/**
 * As {@linkcode captureBelow}, on JavaScriptCore (Bun), which formats a
 * stack as it is taken, not when it is read: the call sites are asked for
 * now.
 */
export function captureSitesBelow(trace: Trace, fn: (...args: never[]) => void): Trace {
  const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown };
  const prepare = ErrorCtor.prepareStackTrace;
  ErrorCtor.prepareStackTrace = callSites;
  try {
    return captureBelow(trace, fn);
  } finally {
    ErrorCtor.prepareStackTrace = prepare;
  }
}

/**
 * Whether a JavaScriptCore call site is a module's top level: it has no
 * function name, and prints without one (an unnamed function prints as
 * `<anonymous> (file:line:col)`, the top level as `file:line:col`).
 */
export function isJscTopLevel(site: CallSite): boolean {
  return site.getFunctionName() === "" && !String(site).includes("(");
}

/** A stack frame as V8's `Error.prepareStackTrace` hands it (JavaScriptCore's too). */
export type CallSite = {
  getFileName(): string | null | undefined;
  getFunctionName(): string | null;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
};

/**
 * The waits of the user's `await`s among those kept, with their stacks
 * read, each once however many waits share it. Frames of the functions that
 * marked an `await` (`await_edits.ts`) are not the program's.
 */
export function readWaits(kept: KeptWaits, isUserFile: (file: string) => boolean, isTopLevel?: (site: CallSite) => boolean): AwaitWait[] {
  const waits: AwaitWait[] = [];
  const read = new Map<Trace, ReadTrace | null>();
  const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown };
  const saved = ErrorCtor.prepareStackTrace;
  ErrorCtor.prepareStackTrace = callSites;
  try {
    const { times, traces, places } = kept;
    for (let i = 0; i < traces.length; i++) {
      const trace = traces[i]!;
      let r = read.get(trace);
      if (r === undefined) read.set(trace, (r = readTrace(trace, isUserFile, isTopLevel)));
      if (r === null) continue;
      waits.push({ start: times[2 * i]!, end: times[2 * i + 1]!, stack: r.stack, at: places[i] ?? r.at, ...(r.calls ? { calls: r.calls } : {}) });
    }
  } finally {
    ErrorCtor.prepareStackTrace = saved;
  }
  return waits;
}

/** A trace's stack as read: its frames, outermost first, where it was taken, and the calls of frames not placed (see `AwaitWait`). */
interface ReadTrace {
  readonly stack: Frame[];
  readonly at: AwaitPlace;
  readonly calls?: ({ line: number; col: number } | null)[];
}

/** Reads one trace's stack (with `callSites` as `Error.prepareStackTrace`); `null` for a stack that is not of the user's `await`. */
function readTrace(trace: Trace, isUserFile: (file: string) => boolean, isTopLevel?: (site: CallSite) => boolean): ReadTrace | null {
  const sites = trace.stack;
  if (!Array.isArray(sites)) return null;
  // With more than one set of hooks, Deno calls each from a dispatcher of its core: not the promise's maker.
  let first = 0;
  while (first < sites.length && (isHookDispatch(fileOf(sites[first] as CallSite)) || isMarkFunction(sites[first] as CallSite))) first++;
  if (first === sites.length) return null;
  const top = sites[first] as CallSite;
  const topFile = fileOf(top);
  // Made by a builtin (`.then`, `Promise.all`), the runtime, a library or tsprof: not the user's `await`.
  if (topFile === undefined || !isUserFile(topFile)) return null;
  const stack: Frame[] = [];
  const calls: ({ line: number; col: number } | null)[] = [];
  let unplaced = false;
  for (let k = sites.length - 1; k >= first; k--) {
    const site = sites[k] as CallSite;
    const file = fileOf(site);
    // JavaScriptCore's own frames are in "[native code]" or "[unknown]".
    if (file === undefined || codeOrigin(file) === "runtime" || file.startsWith("[")) continue;
    if (isTopLevel?.(site)) {
      stack.push({ name: MODULE_FRAME_NAME, file, line: 1, col: 1, kind: "js" });
      calls.push(null);
      continue;
    }
    const frame = siteFrame(site, file);
    stack.push(frame);
    const line = site.getLineNumber();
    const col = site.getColumnNumber();
    const call = frame.line === undefined && typeof line === "number" && typeof col === "number" ? { line, col } : null;
    if (call) unplaced = true;
    calls.push(call);
  }
  return {
    stack,
    at: trace.at ?? { file: topFile, line: top.getLineNumber() ?? 1, col: top.getColumnNumber() ?? 1 },
    ...(unplaced ? { calls } : {}),
  };
}

/** A frame of the functions an edit adds (a wait's stack is taken in its start, or in its end): not the program's. */
function isMarkFunction(site: CallSite): boolean {
  const name = site.getFunctionName();
  return name === AWAIT_POINT_FUNCTION || name === AWAIT_END_FUNCTION;
}

/** `Error.prepareStackTrace` that hands over the call sites unformatted. */
export const callSites = (_: unknown, sites: CallSite[]) => sites;

/**
 * Whether the promise being made in `hook` was made by code other than the
 * user's (a library, the runtime, a builtin): its top frame tells, at a
 * fraction of a whole stack's cost, the one past a runtime's hook
 * dispatcher where that calls the hook.
 */
function madeElsewhere(hook: (...args: never[]) => void, isUserFile: (file: string) => boolean): boolean {
  const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const limit = ErrorCtor.stackTraceLimit;
  const prepare = ErrorCtor.prepareStackTrace;
  ErrorCtor.stackTraceLimit = 2;
  ErrorCtor.prepareStackTrace = callSites;
  let sites: CallSite[] | undefined;
  try {
    const trace: Trace = {};
    Error.captureStackTrace(trace, hook);
    sites = trace.stack as CallSite[] | undefined;
  } finally {
    ErrorCtor.stackTraceLimit = limit;
    ErrorCtor.prepareStackTrace = prepare;
  }
  let file = sites?.[0]?.getFileName() ?? undefined;
  if (isHookDispatch(file)) file = sites?.[1]?.getFileName() ?? undefined;
  if (!file) return true;
  // Dispatch deeper than one frame tells nothing: that promise is looked at whole.
  return !isHookDispatch(file) && !isUserFile(file);
}

function fileOf(site: CallSite): string | undefined {
  const f = site.getFileName();
  return f ? normalizeFile(f) : undefined;
}

/** The function of a call site, at its first token where the runtime tells it (V8's `getEnclosing*`). */
function siteFrame(site: CallSite, file: string): Frame {
  const line = site.getEnclosingLineNumber?.();
  const col = site.getEnclosingColumnNumber?.();
  const name = topLevelName(site.getFunctionName() ?? "", file, line ?? undefined, col ?? undefined);
  return typeof line === "number" && typeof col === "number" ? { name, file, line, col, kind: "js" } : { name, file, kind: "js" };
}

/**
 * The waits with each frame of their stacks replaced by the profile's
 * sampled frame of the same function, where there is one: V8 places a
 * sampled function before its parameter list and a stack trace at its first
 * token, both on its first line, so they are matched by file, name and line
 * (by file and name alone when the trace has no line, as on Deno, and the
 * name is unique in the file).
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { matchSampledFrames } from "./await_tracker.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", line: 1, col: 16, kind: "js" }], 1);
 * const [w] = matchSampledFrames(b.build(), [{ start: 0, end: 5, stack: [{ name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" }], at: { file: "/app/a.ts", line: 2, col: 9 } }]);
 * w!.stack[0]!.col; // 16
 * ```
 */
export function matchSampledFrames(profile: { readonly frames: readonly Frame[] }, waits: readonly AwaitWait[]): AwaitWait[] {
  const byLine = new Map<string, Frame | null>();
  const byName = new Map<string, Frame | null>();
  const note = (map: Map<string, Frame | null>, key: string, f: Frame) => map.set(key, map.has(key) && map.get(key) !== f ? null : f);
  for (const f of profile.frames) {
    if (f.kind !== "js" || f.file === undefined) continue;
    note(byName, `${f.file}\u0000${f.name}`, f);
    if (f.line !== undefined) note(byLine, `${f.file}\u0000${f.name}\u0000${f.line}`, f);
  }
  // A function a transpiler names at run time (esbuild's `keepNames`, under tsx) is
  // unnamed to the sampler, named in a stack trace: the only unnamed one on its line.
  const match = (f: Frame): Frame => {
    if (f.line === undefined) return byName.get(`${f.file}\u0000${f.name}`) ?? f;
    const named = byLine.get(`${f.file}\u0000${f.name}\u0000${f.line}`);
    return named !== undefined ? (named ?? f) : (byLine.get(`${f.file}\u0000${ANONYMOUS_NAME}\u0000${f.line}`) ?? f);
  };
  return mapWaitFrames(waits, (w) => ({ stack: w.stack.map(match), ...(w.calls ? { calls: w.calls } : {}) }));
}
