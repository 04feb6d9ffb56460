/**
 * The shadow stack that instrumented code keeps, and the sampler that reads
 * it: pyinstrument's design in plain JavaScript. Every instrumented function
 * entry and exit checks whether a sampling interval has passed; when it has,
 * the current shadow stack is recorded, weighted by the real time elapsed
 * since the previous sample. Nothing here needs a runtime: it runs in
 * browsers, workers and embedded engines alike.
 *
 * Two ways to notice that an interval has passed:
 * - a tick counter in shared memory that a worker bumps every interval
 *   (pyinstrument's "timing thread"): an event costs one memory read, and the
 *   clock is read only when a sample is due;
 * - the clock itself, read on every event, where no worker or shared memory
 *   is available (and in tests, with a fake clock).
 *
 * Instrumented code reaches the one recorder of its realm through
 * {@linkcode getRecorder}, which keeps it on `globalThis` under a registered
 * symbol: several copies of this module (a bundle, the CLI's preload) share
 * one shadow stack.
 *
 * @module
 */
import { ProfileBuilder } from "../../src/format/builder.ts";
import { type AwaitWait, chargeAwaits } from "../../src/async/charge_awaits.ts";
import { IDLE_FRAME, type Frame, type Profile } from "../../src/format/types.ts";

/**
 * Milliseconds from some fixed origin, like `performance.now()`; tests hand
 * in a fake one.
 *
 * @example
 * ```ts
 * import type { Clock } from "tsprof/portable";
 * let now = 0;
 * const fake: Clock = () => now;
 * now = 5; // fake() === 5
 * ```
 */
export type Clock = () => number;

/**
 * Where an async function or generator stands: instrumented code holds one
 * per running activation, because its frames leave the shadow stack at every
 * `await` and `yield` and come back when it resumes.
 *
 * @example
 * ```ts
 * import type { Activation } from "tsprof/portable";
 * const isSuspended = (a: Activation) => a.state !== 0;
 * ```
 */
export interface Activation {
  /** Frame id of the function. */
  readonly id: number;
  /** Depth to unwind to when it suspends or returns. */
  base: number;
  /** The whole shadow stack when it last awaited: its callers come back with it. */
  saved: Int32Array | undefined;
  /** 0 running, 1 suspended at an await, 2 suspended at a yield. */
  state: number;
  /** When it last suspended at an await, while a recording charges waits. */
  since?: number | undefined;
  /** Where, in the original source, it last suspended at an await, where the instrumentation tells. */
  awaitLine?: number | undefined;
  /** The column of that await, with `awaitLine`. */
  awaitCol?: number | undefined;
}

/**
 * Settings of one recording.
 *
 * @example
 * ```ts
 * import type { RecordingOptions } from "tsprof/portable";
 * const options: RecordingOptions = { intervalMs: 1, clock: () => performance.now() };
 * ```
 */
export interface RecordingOptions {
  /** Minimum milliseconds between samples. */
  readonly intervalMs: number;
  /** The clock; `performance.now` unless a test fakes it. */
  readonly clock: Clock;
  /**
   * A counter that another thread bumps every interval. Without it the clock
   * is read on every event.
   */
  readonly ticks?: Int32Array;
  /**
   * Charge idle time to the awaits that waited (`[await]` frames under the
   * awaiting function's logical stack; see src/async/charge_awaits.ts).
   * @default {true}
   */
  readonly awaits?: boolean;
  /**
   * When the recording starts, on `clock`; by default the clock's time. A
   * backend that reports a duration passes the time it measures from, so
   * that the weights add up to that duration even when the thread is
   * descheduled between its clock read and this call.
   */
  readonly start?: number;
}

/** Frame id 0: a frame whose module had not registered yet (an import cycle). */
const UNKNOWN_FRAME: Frame = { name: "(unknown)", kind: "js" };
/** Frame of time on an empty shadow stack while the thread was busy elsewhere. */
const UNINSTRUMENTED_FRAME: Frame = { name: "(uninstrumented code)", kind: "program" };

const NO_TICKS = new Int32Array(1);

/**
 * The shadow stack and its sampler. Instrumented code calls
 * {@linkcode Recorder.enter}/{@linkcode Recorder.exit} and the async
 * methods; the backend calls {@linkcode Recorder.startRecording} and
 * {@linkcode Recorder.stopRecording}. The stack is kept even while nothing
 * records, so that a recording can start in the middle of a call.
 *
 * @example
 * ```ts
 * import { Recorder } from "tsprof/portable";
 * let now = 0;
 * const r = new Recorder();
 * const work = r.registerFrames("/app/a.ts", ["work", 3, 1]);
 * r.startRecording({ intervalMs: 1, clock: () => now });
 * const depth = r.enter(work);
 * now = 5;
 * r.exit(depth);
 * const profile = r.stopRecording(); // one 5 ms sample of `work`
 * ```
 */
export class Recorder {
  /** Frame ids on the shadow stack, outermost first. @internal */
  stack: Int32Array = new Int32Array(256);
  /** Number of frames on the shadow stack. @internal */
  depth = 0;
  /** Interned stack id of each prefix `stack[0..i]`, valid below {@linkcode valid}. @internal */
  prefix: Int32Array = new Int32Array(256);
  /** How many entries of {@linkcode prefix} are valid. @internal */
  valid = 0;
  /** The tick counter; never changes while nothing records. @internal */
  ticks: Int32Array = NO_TICKS;
  /** The tick value at the last sample. @internal */
  seen = 0;
  /** True when the clock must be read on every event. @internal */
  everyEvent = false;

  /** Every frame registered so far; ids index this table. */
  readonly frames: Frame[] = [UNKNOWN_FRAME];

  #builder: ProfileBuilder | undefined;
  #builderFrame: Int32Array = new Int32Array(0);
  #clock: Clock = () => 0;
  #intervalMs = 1;
  #last = 0;
  #idleStack = -1;
  /** When the current burst began (see `#burstStarts`); -1 when none is open. */
  #burstAt = -1;
  #uninstrumentedStack = -1;
  /** When the recording started, and the waits of awaits so far (`undefined`: not recorded). */
  #start = 0;
  #waits: { start: number; end: number; stack: Int32Array; id: number; line: number | undefined; col: number | undefined }[] | undefined;

  /**
   * Registers the functions of one module and returns the id of the first;
   * the others follow in order. `spec` is flat: name, line, column, name,
   * line, column, ... (1-based; 0 when unknown).
   */
  registerFrames(file: string | undefined, spec: readonly (string | number)[]): number {
    const first = this.frames.length;
    for (let i = 0; i + 2 < spec.length; i += 3) {
      const frame: { -readonly [K in keyof Frame]: Frame[K] } = { name: String(spec[i]) || "(anonymous)", kind: "js" };
      if (file !== undefined) frame.file = file;
      const line = Number(spec[i + 1]);
      const col = Number(spec[i + 2]);
      if (line > 0) frame.line = line;
      if (line > 0 && col > 0) frame.col = col;
      this.frames.push(frame);
    }
    return first;
  }

  /** Registers one frame (the explicit API) and returns its id. */
  registerFrame(frame: Frame): number {
    this.frames.push(frame);
    return this.frames.length - 1;
  }

  /** True while a recording is under way. */
  get recording(): boolean {
    return this.#builder !== undefined;
  }

  // ---- The hot path: called by instrumented code on every event. ----

  /** A function starts: samples if due, pushes it, returns the depth to exit to. */
  enter(id: number): number {
    if (this.ticks[0] !== this.seen) this.sample();
    else if (this.everyEvent) this.sampleIfDue();
    if (this.depth === 0) this.#burstStarts();
    const d = this.depth;
    if (d === this.stack.length) this.#grow();
    this.stack[d] = id;
    this.depth = d + 1;
    if (this.valid > d) this.valid = d;
    return d;
  }

  /** A function ends (by return or throw): samples if due, unwinds to `depth`. */
  exit(depth: number): void {
    if (this.#burstAt !== -1) this.#burstDue();
    else if (this.ticks[0] !== this.seen) this.sample();
    else if (this.everyEvent) this.sampleIfDue();
    if (depth < this.depth) this.depth = depth;
  }

  /** An async function or generator starts running. */
  enterAsync(id: number): Activation {
    const base = this.depth;
    this.enter(id);
    return { id, base, saved: undefined, state: 0 };
  }

  /** It returns or throws: unwinds its frames unless they are already off. */
  exitAsync(a: Activation): void {
    this.exit(a.state === 0 ? a.base : this.depth);
  }

  /**
   * It reaches an `await` (its operand is evaluated): its frames and its
   * callers' leave the stack until it resumes. Returns `value`.
   */
  awaitStart<T>(a: Activation, value: T, line?: number, col?: number): T {
    if (this.#burstAt !== -1) this.#burstDue();
    else if (this.ticks[0] !== this.seen) this.sample();
    else if (this.everyEvent) this.sampleIfDue();
    if (a.state === 0) {
      a.saved = this.stack.slice(0, this.depth);
      if (a.base < this.depth) this.depth = a.base;
      a.state = 1;
      if (this.#waits !== undefined) {
        a.since = this.#clock();
        a.awaitLine = line;
        a.awaitCol = col;
      }
    }
    return value;
  }

  /** It resumes after an `await`: its logical stack comes back. Returns `value`. */
  awaitEnd<T>(a: Activation, value: T): T {
    if (a.state !== 0) this.#resume(a);
    return value;
  }

  /** It reaches a `yield` (its operand is evaluated). Returns `value`. */
  yieldStart<T>(a: Activation, value: T): T {
    if (this.ticks[0] !== this.seen) this.sample();
    else if (this.everyEvent) this.sampleIfDue();
    if (a.state === 0) {
      if (a.base < this.depth) this.depth = a.base;
      a.state = 2;
    }
    return value;
  }

  /** A generator resumes after a `yield`, on top of whoever called `next()`. */
  yieldEnd<T>(a: Activation, value: T): T {
    if (a.state !== 0) this.#resume(a);
    return value;
  }

  /**
   * Runs at the start of a `catch` or `finally` block of an async function
   * or generator: if a rejected `await` (or a generator's `return()`) jumped
   * there, the function runs again and its frames come back.
   */
  resumeIfSuspended(a: Activation): void {
    if (a.state !== 0) this.#resume(a);
  }

  /**
   * Wraps the iterable of a `for await` loop: the function suspends while the
   * loop waits for the next value, and resumes in the loop's body (or after
   * the loop, through {@linkcode resumeIfSuspended}).
   */
  forAwait<T>(a: Activation, iterable: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> {
    const rec = this;
    const source = iterable as Partial<AsyncIterable<T> & Iterable<T>>;
    return {
      [Symbol.asyncIterator](): AsyncIterator<T> {
        const inner = typeof source[Symbol.asyncIterator] === "function" ? source[Symbol.asyncIterator]!() : fromSync(source[Symbol.iterator]!());
        const wrapped: AsyncIterator<T> = {
          next(...args: [] | [unknown]) {
            const p = inner.next(...args);
            rec.awaitStart(a, undefined);
            return p;
          },
        };
        if (typeof inner.return === "function") {
          wrapped.return = (value?: unknown) => {
            const p = inner.return!(value);
            rec.awaitStart(a, undefined);
            return p;
          };
        }
        if (typeof inner.throw === "function") wrapped.throw = (e?: unknown) => inner.throw!(e);
        return wrapped;
      },
    };
  }

  #resume(a: Activation): void {
    if (this.ticks[0] !== this.seen) this.sample();
    else if (this.everyEvent) this.sampleIfDue();
    if (this.depth === 0) this.#burstStarts();
    a.base = this.depth;
    if (a.state === 1 && a.since !== undefined && a.saved !== undefined && this.#waits !== undefined) {
      const end = this.#clock();
      if (end - a.since >= this.#intervalMs / 4) this.#waits.push({ start: a.since, end, stack: a.saved, id: a.id, line: a.awaitLine, col: a.awaitCol });
      a.since = undefined;
    }
    if (a.state === 1 && a.saved !== undefined) {
      // After an await the function runs from the event loop; its callers
      // are the logical stack it was called from.
      for (let i = 0; i < a.saved.length; i++) this.#push(a.saved[i]!);
    } else {
      this.#push(a.id);
    }
    a.saved = undefined;
    a.state = 0;
  }

  #push(id: number): void {
    const d = this.depth;
    if (d === this.stack.length) this.#grow();
    this.stack[d] = id;
    this.depth = d + 1;
    if (this.valid > d) this.valid = d;
  }

  #grow(): void {
    const stack = new Int32Array(this.stack.length * 2);
    stack.set(this.stack);
    this.stack = stack;
    const prefix = new Int32Array(this.prefix.length * 2);
    prefix.set(this.prefix);
    this.prefix = prefix;
  }

  // ---- Sampling. ----

  /**
   * A callback from the event loop starts: the stack stops being empty.
   * Its start is noted, so that a burst shorter than the ticker's period
   * (a timer's 1 ms callback, when a tick comes late) is not charged, at
   * the next tick, to the idle time after it.
   */
  #burstStarts(): void {
    this.#burstAt = this.#builder === undefined ? -1 : this.#clock();
  }

  /**
   * A function returns, or awaits, in a burst no sample has seen yet: once
   * the burst has lasted half an interval, the time before it is idle and
   * the burst's so far is the current stack's. Two samples, at most a few
   * per interval: shorter bursts are left to the ticks.
   */
  #burstDue(): void {
    const start = this.#burstAt;
    if (this.#builder !== undefined && this.#clock() - start >= this.#intervalMs / 2) {
      if (start > this.#last) {
        this.#recordIdle(start - this.#last);
        this.#last = start;
      }
      this.sample();
    } else if (this.ticks[0] !== this.seen) this.sample();
    else if (this.everyEvent) this.sampleIfDue();
  }

  /** Records a sample if at least one interval has passed (clock mode). @internal */
  sampleIfDue(): void {
    if (this.#builder !== undefined && this.#clock() - this.#last >= this.#intervalMs) this.sample();
  }

  /** Records the current stack, weighted by the time since the last sample. @internal */
  sample(): void {
    this.seen = this.ticks[0]!;
    // A sample in a burst charges it from here on.
    this.#burstAt = -1;
    if (this.#builder === undefined) return;
    const now = this.#clock();
    const weight = now - this.#last;
    if (weight <= 0) return;
    this.#last = now;
    this.#record(weight);
  }

  #record(weight: number): void {
    if (this.depth === 0) this.#recordIdle(weight);
    else this.#builder!.addStackSample(this.#stackId(), weight);
  }

  #recordIdle(weight: number): void {
    const builder = this.#builder!;
    if (this.#idleStack === -1) this.#idleStack = builder.internStack(-1, builder.internFrame(IDLE_FRAME));
    builder.addStackSample(this.#idleStack, weight);
  }

  /** The interned id of the current shadow stack; only new prefixes are interned. */
  #stackId(): number {
    const builder = this.#builder!;
    // Exits only lower the depth; prefixes above it are stale.
    if (this.valid > this.depth) this.valid = this.depth;
    let parent = this.valid === 0 ? -1 : this.prefix[this.valid - 1]!;
    for (let i = this.valid; i < this.depth; i++) {
      parent = builder.internStack(parent, this.#frameId(this.stack[i]!));
      this.prefix[i] = parent;
    }
    this.valid = this.depth;
    return parent;
  }

  #frameId(id: number): number {
    if (id >= this.#builderFrame.length) {
      const next = new Int32Array(Math.max(this.frames.length, id + 1) * 2).fill(-1);
      next.set(this.#builderFrame);
      this.#builderFrame = next;
    }
    let f = this.#builderFrame[id]!;
    if (f === -1) {
      f = this.#builder!.internFrame(this.frames[id] ?? UNKNOWN_FRAME);
      this.#builderFrame[id] = f;
    }
    return f;
  }

  /**
   * Charges the time since the last sample while the thread is back in its
   * event loop (a timer callback), so idle time is recorded as it happens.
   * Nothing instrumented can be running then, so a non-empty shadow stack is
   * a leftover (a module that threw) and is cleared.
   *
   * A timer that fires late (after `dueAt`) means the thread was busy, or the
   * process was not scheduled. `busyMs`, the CPU time the process used since
   * the previous tick where the runtime tells, separates the two: up to that
   * much of the delay is charged to code that is not instrumented, the rest
   * is idle. Without it, all of it is idle.
   */
  idleTick(dueAt?: number, busyMs?: number): void {
    this.depth = 0;
    this.#burstAt = -1;
    this.valid = 0;
    const builder = this.#builder;
    if (builder === undefined) return;
    const now = this.#clock();
    if (now - this.#last < this.#intervalMs) return;
    // Timers run a little late on a busy machine; only a clear delay counts.
    const slack = Math.max(5, 2 * this.#intervalMs);
    const late = dueAt === undefined || dueAt <= this.#last ? 0 : now - dueAt;
    const busy = late > slack && busyMs !== undefined ? Math.min(late, busyMs) : 0;
    this.seen = this.ticks[0]!;
    if (busy <= 0) {
      this.sample();
      return;
    }
    this.#record(now - busy - this.#last);
    if (this.#uninstrumentedStack === -1) this.#uninstrumentedStack = builder.internStack(-1, builder.internFrame(UNINSTRUMENTED_FRAME));
    builder.addStackSample(this.#uninstrumentedStack, busy);
    this.#last = now;
  }

  /** Starts a recording. */
  startRecording(options: RecordingOptions): void {
    if (!(options.intervalMs > 0)) throw new RangeError(`Cannot start recording: intervalMs must be above 0: current value is ${options.intervalMs}`);
    this.#builder = new ProfileBuilder("main");
    this.#builderFrame = new Int32Array(0);
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs;
    this.#last = options.start ?? options.clock();
    this.#start = this.#last;
    this.#waits = options.awaits === false ? undefined : [];
    this.#idleStack = -1;
    this.#uninstrumentedStack = -1;
    this.#burstAt = -1;
    this.valid = 0;
    this.ticks = options.ticks ?? NO_TICKS;
    this.seen = this.ticks[0]!;
    this.everyEvent = options.ticks === undefined;
  }

  /**
   * Ends the recording at `now` (by default the clock's time): the time since
   * the last sample goes to the current stack.
   */
  stopRecording(now?: number): Profile {
    const builder = this.#builder;
    if (builder === undefined) throw new RangeError("Cannot stop recording: the recorder is not recording");
    now ??= this.#clock();
    if (now > this.#last) this.#record(now - this.#last);
    this.#builder = undefined;
    this.ticks = NO_TICKS;
    this.seen = 0;
    this.everyEvent = false;
    const waits = this.#waits;
    this.#waits = undefined;
    return waits && waits.length > 0 ? chargeAwaits(builder.build(), this.#start, this.#awaitWaits(waits)) : builder.build();
  }

  /**
   * The waits with their frames. Where the instrumentation did not tell
   * where the `await` is (`for await`), its `[await]` frame sits at the
   * function's position.
   */
  #awaitWaits(waits: readonly { start: number; end: number; stack: Int32Array; id: number; line: number | undefined; col: number | undefined }[]): AwaitWait[] {
    const out: AwaitWait[] = [];
    for (const w of waits) {
      const fn = this.frames[w.id] ?? UNKNOWN_FRAME;
      if (fn.file === undefined) continue;
      const stack = Array.from(w.stack, (id) => this.frames[id] ?? UNKNOWN_FRAME);
      const at = w.line !== undefined ? { line: w.line, col: w.col ?? 1 } : { line: fn.line ?? 1, col: fn.col ?? 1 };
      out.push({ start: w.start, end: w.end, stack, at: { file: fn.file, ...at } });
    }
    return out;
  }
}

/** An async iterator over a sync iterator, as `for await` makes one. */
function fromSync<T>(it: Iterator<T>): AsyncIterator<T> {
  const out: AsyncIterator<T> = {
    next: (...args: [] | [unknown]) => settle(it.next(...args)),
  };
  if (typeof it.return === "function") out.return = (value?: unknown) => settle(it.return!(value as T));
  return out;
}

async function settle<T>(r: IteratorResult<T | PromiseLike<T>>): Promise<IteratorResult<T>> {
  const value = await r.value;
  return r.done ? { done: true, value: value as T } : { done: false, value: value as T };
}

const KEY = Symbol.for("tsprof.portable.recorder.v1");

/**
 * The recorder of this realm (page, worker or process), created on first use
 * and shared by every copy of this module.
 *
 * @example
 * ```ts
 * import { getRecorder } from "tsprof/portable";
 * const recorder = getRecorder();
 * ```
 */
export function getRecorder(): Recorder {
  const g = globalThis as { [KEY]?: Recorder };
  return (g[KEY] ??= new Recorder());
}

/**
 * The recorder of this realm, for the `import` that instrumented modules start with.
 *
 * @example
 * ```ts
 * import { getRecorder, recorder } from "tsprof/portable";
 * console.log(recorder === getRecorder()); // true: one per realm
 * ```
 */
export const recorder: Recorder = getRecorder();
