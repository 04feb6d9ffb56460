/**
 * Records where a Node program waits: every `await` of the user's code,
 * when it suspended and when it resumed, with the stack that awaited.
 * V8's promise hooks (`node:v8` `promiseHooks`) do it without touching the
 * code: an `await` makes a promise whose parent is the awaited one, created
 * inside the awaiting function (so a stack trace taken there names the
 * function, the line of the `await`, and its callers: synchronous ones in
 * the function's first run, V8's async frames after), and resumed when the
 * `before` hook of that promise fires.
 *
 * Stacks are captured unformatted at each `await` (V8 formats them only
 * when read), and read only for the waits long enough to matter, after the
 * program ends. Promises that are not `await`s of the user's code (a
 * `.then` in a library, Node's own `await`s) are told apart then, by the
 * frame that made them: their waits stay with the user's `await` that
 * waited on them.
 *
 * @module
 */
import { promiseHooks } from "node:v8";
import { type AwaitWait, chargeAwaits } from "../../src/async/charge_awaits.ts";
import type { Frame, Profile } from "../../src/format/types.ts";
import { codeOrigin, normalizeFile } from "../../src/paths.ts";

/** Frames kept of the stack at an `await`: callers deeper than this are cut. */
const STACK_DEPTH = 32;
/**
 * Stacks taken per millisecond at most, on average, and in a burst. Taking a
 * stack is what an `await` costs here: capped, a program running hundreds of
 * thousands of awaits a second pays for about a thousand of them. An `await`
 * with no stack is not placed; while it waits, the `await` that waits on it
 * (its caller's) takes the time, or it stays `(idle)`.
 */
const STACKS_PER_MS = 1;
const STACK_BURST = 128;

/** What {@linkcode trackAwaits} returns. */
export interface AwaitTracker {
  /** Stops recording. Call it right before the sampler stops: that moment is the profile's end. */
  stop(): void;
  /** `profile` (whose total is `durationMs`) with its idle time charged to the waits. */
  charge(profile: Profile, durationMs: number): Profile;
}

/** Options for {@linkcode trackAwaits}. */
export interface TrackAwaitsOptions {
  /** Waits shorter than this (ms) are not kept. */
  readonly minMs: number;
}

interface Trace {
  stack?: unknown;
}

/**
 * Starts recording the waits of `await`s on the calling thread.
 *
 * @example
 * ```ts
 * import { trackAwaits } from "./awaits.ts";
 * const tracker = trackAwaits({ minMs: 0.25 });
 * await new Promise((r) => setTimeout(r, 10));
 * tracker.stop();
 * ```
 */
export function trackAwaits(options: TrackAwaitsOptions): AwaitTracker {
  const { minMs } = options;
  const pending = new WeakMap<object, { start: number; trace: Trace }>();
  // start, end, trace, flat: one wait is three entries.
  const kept: (number | Trace)[] = [];
  let tokens = STACK_BURST;
  let last = performance.now();
  function init(promise: Promise<unknown>, parent: Promise<unknown> | undefined): void {
    if (parent === undefined) return;
    const now = performance.now();
    tokens = Math.min(STACK_BURST, tokens + (now - last) * STACKS_PER_MS);
    last = now;
    if (tokens < 1) return;
    tokens -= 1;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = STACK_DEPTH;
    const trace: Trace = {};
    Error.captureStackTrace(trace, init);
    Error.stackTraceLimit = limit;
    pending.set(promise, { start: now, trace });
  }
  function before(promise: Promise<unknown>): void {
    const p = pending.get(promise);
    if (p === undefined) return;
    pending.delete(promise);
    const end = performance.now();
    if (end - p.start >= minMs) kept.push(p.start, end, p.trace);
  }
  const disable = promiseHooks.createHook({ init, before });
  let stoppedAt: number | undefined;
  return {
    stop() {
      if (stoppedAt !== undefined) return;
      stoppedAt = performance.now();
      disable();
    },
    charge(profile, durationMs) {
      if (stoppedAt === undefined) this.stop();
      const waits = readWaits(kept, frameFinder(profile));
      kept.length = 0;
      return chargeAwaits(profile, stoppedAt! - durationMs, waits);
    },
  };
}

type CallSite = {
  getFileName(): string | null | undefined;
  getFunctionName(): string | null;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
};

/** The waits of the user's `await`s among those kept, with their stacks read. */
function readWaits(kept: readonly (number | Trace)[], frameOf: (site: CallSite, file: string) => Frame): AwaitWait[] {
  const waits: AwaitWait[] = [];
  const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown };
  const saved = ErrorCtor.prepareStackTrace;
  ErrorCtor.prepareStackTrace = (_: unknown, sites: CallSite[]) => sites;
  try {
    for (let i = 0; i < kept.length; i += 3) {
      const sites = (kept[i + 2] as Trace).stack;
      if (!Array.isArray(sites) || sites.length === 0) continue;
      const top = sites[0] as CallSite;
      const topFile = fileOf(top);
      // Made by a builtin (`.then`, `Promise.all`), Node or a library: not the user's `await`.
      if (topFile === undefined || codeOrigin(topFile) !== "app") continue;
      const stack: Frame[] = [];
      for (let k = sites.length - 1; k >= 0; k--) {
        const site = sites[k] as CallSite;
        const file = fileOf(site);
        if (file === undefined || codeOrigin(file) === "runtime") continue;
        stack.push(frameOf(site, file));
      }
      waits.push({
        start: kept[i] as number,
        end: kept[i + 1] as number,
        stack,
        at: { file: topFile, line: top.getLineNumber() ?? 1, col: top.getColumnNumber() ?? 1 },
      });
    }
  } finally {
    ErrorCtor.prepareStackTrace = saved;
  }
  return waits;
}

function fileOf(site: CallSite): string | undefined {
  const f = site.getFileName();
  return f ? normalizeFile(f) : undefined;
}

/**
 * The frame of a call site: the sampled frame of the same function where
 * the profile has one (V8 places a sampled function before its parameter
 * list, a stack trace at its first token, both on its first line), else one
 * at the function's first token.
 */
function frameFinder(profile: Profile): (site: CallSite, file: string) => Frame {
  const byLine = new Map<string, Frame | null>();
  for (const f of profile.frames) {
    if (f.kind !== "js" || f.file === undefined || f.line === undefined) continue;
    const key = `${f.file}\u0000${f.name}\u0000${f.line}`;
    byLine.set(key, byLine.has(key) ? null : f);
  }
  return (site, file) => {
    const name = site.getFunctionName() || "(anonymous)";
    const line = site.getEnclosingLineNumber?.() ?? site.getLineNumber() ?? 1;
    const col = site.getEnclosingColumnNumber?.() ?? 1;
    return byLine.get(`${file}\u0000${name}\u0000${line}`) ?? { name, file, line, col, kind: "js" };
  };
}
