/**
 * Records where a program waits from the marks its `await`s were given as
 * its modules loaded (the CLI: `await_edits_js.ts` on Node 22.15 and later
 * and on Deno, `await_edits.ts` on Bun): each marked `await` tells when it
 * is about to wait and when it resumes, so no promise hook runs for the
 * promises the runtime and the libraries make, and none is looked at.
 *
 * Every marked wait is timed. A wait whose function's previous wait in the
 * same call had a stack takes that one (the callers are the same; the edit
 * hands the start the function's held token), and where it follows that
 * wait closely at the same `await` (a loop) it extends it in the log instead
 * of being kept alone. Otherwise a stack is taken at its start where the
 * budget (`stack_budget.ts`) and its site's skips allow; a wait that had
 * none and turns out long takes one as it ends, from the budget too. There
 * the function's callers are V8's async frames (the functions awaiting it),
 * so a function's first run loses the synchronous callers that do not await
 * it: the start's stack is the better one, the end's the one that places a
 * long wait at a site whose waits are mostly short (a library's cache in
 * front of the network). Stacks are read, as the hook tracker's are
 * (`await_tracker.ts`), only after the program ends. The budget is refilled
 * from the clock the waits read anyway, with no timer: re-arming one every
 * millisecond cost file and HTTP work on Deno and Node more than reading the
 * clock (bench/RESULTS-awaits-ab.md).
 *
 * An `await` whose promise rejects does not resume through its mark: its
 * wait ends where its function catches it (a `catch` or `finally` block),
 * or, thrown on, is not recorded, and its time goes to the `await` that
 * waits on its function (its caller's, where that one ends), or stays
 * `(idle)`.
 *
 * @module
 */
import type { AwaitMarks } from "./await_point_names.ts";
import { type AwaitPlace, type AwaitTrace, type AwaitTracker, captureBelow, captureSitesBelow, isJscTopLevel, readWaits, userFileTest, waitLog } from "./await_tracker.ts";
import { normalizeFile } from "../paths.ts";
import { MARKED_STACK_BURST, StackBudget } from "./stack_budget.ts";

/**
 * Marked `await`s a site lets by without a stack after one of its waits
 * was too short to keep: a loop over settled promises asks a few times,
 * not at every turn. Each short wait after that doubles them, up to
 * {@linkcode MOST_SHORT_SITE_SKIPS}, and a kept one sets them back: the
 * stacks go to the sites whose waits are kept, where a fixed number spent
 * many on waits too short to keep (bench/RESULTS-awaits-kept.md).
 */
export const SHORT_SITE_SKIPS = 16;
/** A site asks at least once every this many `await`s: one whose waits grew long is seen again. */
export const MOST_SHORT_SITE_SKIPS = 1024;

/**
 * A wait at least this long (ms) that took no stack as it started takes
 * one as it ends while the budget has any; a shorter one only from a
 * budget at least half full ({@linkcode endStackFloor}).
 */
export const LONG_WAIT_MS = 10;

/**
 * The stacks the budget must hold for a wait of `ms` with none from its
 * start to take one as it ends. Where waits end faster than the budget
 * refills (a walk of a folder, eight reads at a time), stacks taken greedily
 * as waits end went to the many short ones, and the long waits around them
 * (the walk of each subfolder), which cover the most time, found the budget
 * empty at their start and at their end: the time they had placed went
 * `(idle)`.
 */
function endStackFloor(ms: number): number {
  return ms >= LONG_WAIT_MS ? 1 : MARKED_STACK_BURST / 2;
}

/**
 * Timed starts before the turn of the event loop is told (`afterTurn`)
 * instead of read from the clock, at least and at most (see
 * `trackMarkedAwaits`).
 */
export const FEWEST_READS_TO_ARM = 8;
export const MOST_READS_TO_ARM = 1024;

/** A file's sites, by the `await`'s index: where each is, the skips left, and how many its next short wait sets. */
interface FileSites {
  readonly file: string;
  /** Line and column of each `await`, in turn. */
  readonly positions: readonly number[];
  /** Where each is, made once: the waits that share a stack taken at another site each keep theirs. */
  readonly places: (AwaitPlace | undefined)[];
  readonly left: Uint16Array;
  readonly next: Uint16Array;
}

/** Options for {@linkcode trackMarkedAwaits}. */
export interface TrackMarkedAwaitsOptions {
  /** Waits shorter than this (ms) are not kept. */
  readonly minMs: number;
  /** tsprof's own files: their `await`s are not the program's. */
  readonly toolPaths?: readonly string[];
  /**
   * Runs on JavaScriptCore (Bun): its stacks are formatted as they are
   * taken, and its sampler records no idle samples. A wait then starts
   * where its function suspends (in a microtask queued at its start, which
   * runs once the synchronous code that evaluates the awaited expression
   * is done), not before that expression: the gap after a sample taken in
   * that code is idle only if a wait began in it (`gap_weights.ts`).
   */
  readonly jsc?: boolean;
  /**
   * Has a callback called once the event loop has turned, before it waits
   * for any event (an immediate: the loop does not wait while one is
   * pending). A wait that did not outlast the turn it started in waited for
   * no event. Without it, every `await` reads the clock as it starts and as
   * it ends.
   */
  readonly afterTurn?: ((callback: () => void) => void) | undefined;
}

/** What {@linkcode trackMarkedAwaits} returns: a tracker, and the marks to register for the edited code. */
export interface MarkedAwaitTracker extends AwaitTracker {
  readonly marks: AwaitMarks;
}

/** A wait being recorded: what its start hands its end, through the suspended function. */
interface Token {
  /**
   * When it started; where its turn is told, when that began to be (the
   * turn waited for no event in between, so this is early by the program's
   * own work only). Moved to where its function suspended, on
   * JavaScriptCore (see `jsc`), for a wait with a stack.
   */
  start: number;
  /** The turn of the event loop it started in, where that is told (see `afterTurn`); else -1. */
  readonly turn: number;
  /**
   * The stack the wait is placed by: taken as it started, or handed on
   * from the function's previous wait in the same call (whose callers are
   * this one's: `previous` of `AwaitMarks`); else, for a long wait, taken
   * as it ends (and handed on from there).
   */
  trace: AwaitTrace | undefined;
  /** Whether {@linkcode trace} was taken for this wait (at its site), not handed on. */
  readonly own: boolean;
  /** Where the wait is kept in the log, once it is; -1 before. */
  kept: number;
  /**
   * Where the previous wait of the same call is kept, if it was at the same
   * place (`await` in a loop), else -1: the two are one if this one starts
   * soon after that ended (see `end`).
   */
  readonly follows: number;
  readonly sites: FileSites;
  readonly index: number;
  /** Ended already (a `finally` after the `await` resumed ends it again). */
  ended: boolean;
}

/**
 * Starts recording the waits of marked `await`s on the calling thread, on
 * the clock of `performance.now()`. Its `marks` are what the edited code
 * must reach (`registerAwaitMarks`).
 *
 * @example
 * ```ts
 * import { trackMarkedAwaits } from "./marked_awaits.ts";
 * const tracker = trackMarkedAwaits({ minMs: 0.25 });
 * const start = tracker.marks.start("/app/a.js", [1, 9]);
 * const token = start(0);
 * if (token) tracker.marks.end(token);
 * tracker.waits(); // []: that wait was shorter than a quarter millisecond
 * ```
 */
export function trackMarkedAwaits(options: TrackMarkedAwaitsOptions): MarkedAwaitTracker {
  const { minMs } = options;
  const isUserFile = userFileTest(options.toolPaths ?? []);
  const log = waitLog((kept) => readWaits(kept, isUserFile, options.jsc ? isJscTopLevel : undefined));
  const { keep } = log;
  const capture = options.jsc ? captureSitesBelow : captureBelow;
  const budget = new StackBudget({ stackBurst: MARKED_STACK_BURST, clock: () => performance.now() });
  const at = (sites: FileSites, index: number): AwaitPlace =>
    (sites.places[index] ??= { file: sites.file, line: sites.positions[2 * index]!, col: sites.positions[2 * index + 1]! });
  // A timed wait reads the clock as it starts and as it ends. Where the program awaits many times in one
  // turn of the event loop (a loop over a stream's buffered lines), those reads were most of what the marks
  // cost (bench/RESULTS-awaits-end-stacks.md); there the turn is told instead (`afterTurn`), and a wait that ends in the
  // turn it started in is not timed. An immediate costs what a dozen reads do, so it is asked for after
  // `armAfter` timed starts only, a number that doubles each time the turn ended before it saved as many
  // reads (a turn with few awaits: one resumed by each file read), and halves when it saved more.
  const { afterTurn } = options;
  let turn = 0;
  let armed = false;
  let armAfter = FEWEST_READS_TO_ARM;
  let reads = 0;
  let saved = 0;
  let armedAt = 0;
  const turned = () => {
    armAfter = saved < armAfter ? Math.min(MOST_READS_TO_ARM, 2 * armAfter) : Math.max(FEWEST_READS_TO_ARM, armAfter >> 1);
    armed = false;
    reads = 0;
    saved = 0;
    turn++;
  };
  /** The start of a timed wait: the clock, or where the turn is told, when it began to be. */
  const timedStart = (): number => (armed ? armedAt : performance.now());
  const timed = (sites: FileSites, index: number, now: number, trace: AwaitTrace | undefined, follows = -1): Token => {
    if (armed) {
      saved++;
      return { start: now, turn, trace, own: false, kept: -1, follows, sites, index, ended: false };
    }
    if (afterTurn && ++reads >= armAfter) {
      armed = true;
      armedAt = now;
      afterTurn(turned);
    }
    return { start: now, turn: -1, trace, own: false, kept: -1, follows, sites, index, ended: false };
  };
  // Called unbound (the edit's end function holds it): no `this`.
  const end = (token: object): void => {
    const t = token as Token;
    if (!log.on || t.ended) return;
    t.ended = true;
    const { start, trace, own, sites, index } = t;
    // Armed as it started, the turn has not ended since: the program waited for no event meanwhile.
    if (t.turn === turn) return;
    const now = performance.now();
    if (now - start >= minMs) {
      if (own) {
        t.kept = keep(start, now, trace!);
        sites.next[index] = SHORT_SITE_SKIPS;
      } else if (trace !== undefined) {
        // The same call's previous wait, at this place, ended less than a kept wait's length before
        // this one started: the call ran in between, which its samples show, and no sample can tell
        // the two waits from one. A loop's waits make one entry, not one each.
        if (t.follows >= 0 && start - log.endOf(t.follows) < minMs) log.extend((t.kept = t.follows), now);
        else t.kept = keep(start, now, trace, at(sites, index));
      } else {
        const floor = endStackFloor(now - start);
        if (budget.tokens < floor) budget.refilled(now);
        // The site's skips stay: at a site whose waits are mostly short, its stacks at the start go to those.
        if (budget.tokens >= floor) {
          budget.tokens -= 1;
          t.kept = keep(start, now, (t.trace = capture({ at: at(sites, index) }, end)));
        }
      }
    } else if (own) {
      const next = sites.next[index]!;
      sites.left[index] = next;
      sites.next[index] = Math.min(MOST_SHORT_SITE_SKIPS, 2 * next);
    }
  };
  const marks: AwaitMarks = {
    start(name, positions) {
      const sites: FileSites = {
        file: normalizeFile(name),
        positions,
        places: [],
        left: new Uint16Array(positions.length >> 1),
        next: new Uint16Array(positions.length >> 1).fill(SHORT_SITE_SKIPS),
      };
      const start = (index: number, previous?: object): Token | undefined => {
        if (!log.on) return undefined;
        // The function's previous wait in this call took a stack, or was handed one: its callers are this wait's.
        const before = previous as Token | undefined;
        const handed = before?.trace;
        if (handed !== undefined) {
          // Not on JavaScriptCore: its sampler takes no idle samples, and each wait's start tells an idle gap (`gap_weights.ts`).
          const follows = before!.index === index && before!.sites === sites && !options.jsc ? before!.kept : -1;
          const token = timed(sites, index, timedStart(), handed, follows);
          if (options.jsc && token.turn === -1) queueMicrotask(() => suspended(token));
          return token;
        }
        const left = sites.left[index]!;
        if (left > 0) {
          sites.left[index] = left - 1;
          return timed(sites, index, timedStart(), undefined);
        }
        if (budget.tokens < 1) {
          const now = timedStart();
          if (!budget.refilled(now)) return timed(sites, index, now, undefined);
        }
        budget.tokens -= 1;
        const token: Token = { start: performance.now(), turn: -1, trace: capture({ at: at(sites, index) }, start), own: true, kept: -1, follows: -1, sites, index, ended: false };
        if (options.jsc) queueMicrotask(() => suspended(token));
        return token;
      };
      return start;
    },
    end,
  };
  return { marks, stop: log.stop, waits: log.waits };
}

/**
 * Whether the start of a wait took a stack (the budget and the site's skips
 * allowed one), from its token: what the skips are seen by.
 *
 * @example
 * ```ts
 * import { stackedAtStart, trackMarkedAwaits } from "./marked_awaits.ts";
 * const tracker = trackMarkedAwaits({ minMs: 0.25 });
 * const token = tracker.marks.start("/app/a.js", [1, 9])(0);
 * stackedAtStart(token!); // true: the budget is full
 * ```
 */
export function stackedAtStart(token: object): boolean {
  return (token as Token).own;
}

/** The function that waits has suspended (its awaited expression is evaluated): its wait starts now. */
function suspended(token: Token): void {
  if (!token.ended) token.start = performance.now();
}
