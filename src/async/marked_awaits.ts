/**
 * Records where a program waits from the marks its `await`s were given as
 * its modules loaded (the CLI: `await_edits_js.ts` on Node 22.15 and later
 * and on Deno, `await_edits.ts` on Bun): each marked `await` tells when it
 * is about to wait and when it resumes, so no promise hook runs for the
 * promises the runtime and the libraries make, and none is looked at. A
 * stack is taken at the start of a wait the budget allows
 * (`stack_budget.ts`), and read, as the hook tracker's are
 * (`await_tracker.ts`), only after the program ends. Once the
 * budget is spent, each `await` reads the clock to see whether it refilled,
 * with no timer to let asks by unread: only the program's own `await`s ask
 * here, and re-arming a timer every millisecond cost file and HTTP work on
 * Deno and Node more than those reads (bench/RESULTS-awaits-ab.md).
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
import { type AwaitTrace, type AwaitTracker, captureBelow, captureSitesBelow, isJscTopLevel, readWaits, userFileTest, waitLog } from "./await_tracker.ts";
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

/** A file's sites, by the `await`'s index: the skips left, and how many its next short wait sets. */
interface SiteSkips {
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
}

/** What {@linkcode trackMarkedAwaits} returns: a tracker, and the marks to register for the edited code. */
export interface MarkedAwaitTracker extends AwaitTracker {
  readonly marks: AwaitMarks;
}

/** A wait being recorded: what its start hands its end, through the suspended function. */
interface Token {
  /** Moved to where its function suspended, on JavaScriptCore (see `jsc`). */
  start: number;
  readonly trace: AwaitTrace;
  /** Its file's sites. */
  readonly sites: SiteSkips;
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
  const capture = options.jsc ? captureSitesBelow : captureBelow;
  const budget = new StackBudget({ stackBurst: MARKED_STACK_BURST });
  const marks: AwaitMarks = {
    start(name, positions) {
      const file = normalizeFile(name);
      const sites: SiteSkips = { left: new Uint16Array(positions.length >> 1), next: new Uint16Array(positions.length >> 1).fill(SHORT_SITE_SKIPS) };
      const start = (index: number): Token | undefined => {
        const left = sites.left[index]!;
        if (left > 0) {
          sites.left[index] = left - 1;
          return undefined;
        }
        if (!log.on || (budget.tokens < 1 && !budget.refilled())) return undefined;
        budget.tokens -= 1;
        const at = { file, line: positions[2 * index]!, col: positions[2 * index + 1]! };
        const token: Token = { start: performance.now(), trace: capture({ at }, start), sites, index, ended: false };
        if (options.jsc) queueMicrotask(() => suspended(token));
        return token;
      };
      return start;
    },
    // Called unbound (the edit's end function holds it): no `this`.
    end(token) {
      const t = token as Token;
      if (!log.on || t.ended) return;
      t.ended = true;
      const { start, trace, sites, index } = t;
      const end = performance.now();
      if (end - start >= minMs) {
        log.kept.push(start, end, trace);
        sites.next[index] = SHORT_SITE_SKIPS;
      } else {
        const next = sites.next[index]!;
        sites.left[index] = next;
        sites.next[index] = Math.min(MOST_SHORT_SITE_SKIPS, 2 * next);
      }
      budget.waitEnded();
    },
  };
  return { marks, stop: log.stop, waits: log.waits };
}

/** The function that waits has suspended (its awaited expression is evaluated): its wait starts now. */
function suspended(token: Token): void {
  if (!token.ended) token.start = performance.now();
}
