/**
 * The budget the wait recorders (`await_tracker.ts`, `marked_awaits.ts`)
 * spend their stacks from. Taking a stack is what an `await` costs there:
 * capped, a program running hundreds of thousands of awaits a second pays
 * for about five hundred of them. An `await` with no stack is not placed;
 * while it waits, the `await` that waits on it (its caller's) takes the
 * time, or it stays `(idle)`.
 *
 * Two token buckets, refilled from the clock only when short (what they give
 * over any stretch is still at most a burst plus the rate times its length):
 * stacks, and looks at the one frame that made a promise (the promise
 * hooks see every promise; a stack is taken for the user's only). Once they
 * are spent, the next {@linkcode SKIP_WHEN_SPENT} asks go by without the
 * clock: on await-heavy code, reading it for every promise cost more than
 * the hooks themselves. Skipping ends when a recorded wait ends, and soon
 * in any case (the program may go idle, and time pass that no promise
 * tells): a millisecond later (`runtimes/_soon.ts`). The marks' recorder
 * (`marked_awaits.ts`) has no timer: it hands in the clock its waits read.
 *
 * The buckets' clock is `Date.now()` by default: they need milliseconds
 * only, and the hook tracker reads no other clock as it asks. The marks'
 * recorder reads `performance.now()` at every `await` (it times each wait),
 * and hands that in. The wall clock may be set back: the buckets then fill
 * from there.
 *
 * @module
 */

/**
 * Stacks per millisecond at most, on average, and in a burst. The burst
 * holds a loop over a few hundred settled promises (`for (const p of ps)
 * await p`) and the wait that follows it in the same turn.
 */
const STACKS_PER_MS = 0.5;
export const STACK_BURST = 512;
/**
 * The burst where only the program's own `await`s ask (they are marked:
 * `await_edits_js.ts`): a site whose waits are short stops asking for a
 * while (`marked_awaits.ts`), so a loop over settled promises no longer
 * spends it, and every stack kept costs the program (each is held, with
 * what its frames hold, until the wait ends).
 */
export const MARKED_STACK_BURST = 64;
/**
 * Looks at a promise's maker per millisecond (by default; a recorder may
 * ask for fewer where a look costs more), and in a burst. A look costs
 * about what a stack does, but an `await` not looked at is never seen: the
 * rate must stay above what a library makes while the program loads (a test
 * runner's thousands of promises at a few a millisecond, ahead of the first
 * test's awaits), or the program's first long waits go to `(idle)`.
 */
export const CHECKS_PER_MS = 10;
export const CHECK_BURST = 1024;
/** Asks let by without the clock once the budget is spent. */
export const SKIP_WHEN_SPENT = 16;

/** Options for {@linkcode StackBudget}; each has the hook tracker's value by default. */
export interface StackBudgetOptions {
  /**
   * Given a callback, returns the function that has it called shortly
   * without keeping the program running (`runtimes/_soon.ts`: in a
   * millisecond). Without it, the spent budget reads the clock at every ask.
   */
  readonly soon?: ((callback: () => void) => () => void) | undefined;
  /** Looks at a promise's maker per millisecond ({@linkcode CHECKS_PER_MS}). */
  readonly checksPerMs?: number | undefined;
  /** Stacks at once ({@linkcode STACK_BURST}). */
  readonly stackBurst?: number | undefined;
  /** The clock in milliseconds that {@linkcode StackBudget.refilled} reads when not handed the time (`Date.now`). */
  readonly clock?: (() => number) | undefined;
}

/**
 * A recorder's budget. Its fields are read inline by the hot paths, which
 * call {@linkcode StackBudget.refilled} only when a bucket is short.
 *
 * @example
 * ```ts
 * import { StackBudget } from "./stack_budget.ts";
 * const budget = new StackBudget();
 * if (budget.tokens >= 1 || budget.refilled()) budget.tokens -= 1; // a stack may be taken
 * ```
 */
export class StackBudget {
  /** Stacks left. */
  tokens: number;
  /** Looks left. */
  checks = CHECK_BURST;
  #last: number;
  #skip = 0;
  #waking = false;
  readonly #wakeSoon: (() => void) | undefined;
  readonly #checksPerMs: number;
  readonly #stackBurst: number;
  readonly #clock: () => number;

  constructor(options: StackBudgetOptions = {}) {
    const { soon, checksPerMs = CHECKS_PER_MS, stackBurst = STACK_BURST, clock = Date.now } = options;
    this.#clock = clock;
    this.#last = clock();
    this.#checksPerMs = checksPerMs;
    this.#stackBurst = stackBurst;
    this.tokens = stackBurst;
    this.#wakeSoon = soon?.(() => {
      this.#waking = false;
      this.#skip = 0;
    });
  }

  /** With a bucket short: whether the clock (or `now`, read from it) refills them; skipped asks do not read it. */
  refilled(now?: number): boolean {
    if (this.#skip > 0) {
      this.#skip--;
      return false;
    }
    this.#refill(now ?? this.#clock());
    if (this.tokens >= 1 && this.checks >= 1) return true;
    if (this.#wakeSoon === undefined) return false;
    this.#skip = SKIP_WHEN_SPENT;
    // Armed once, not pushed back by every skip: it must fire a millisecond after the budget ran out.
    if (!this.#waking) {
      this.#waking = true;
      this.#wakeSoon();
    }
    return false;
  }

  /** A recorded wait ended: time has passed that the skipped asks could not tell. */
  waitEnded(): void {
    if (this.#skip > 0) {
      this.#skip = 0;
      this.#refill(this.#clock());
    }
  }

  #refill(now: number): void {
    const elapsed = now - this.#last;
    this.#last = now;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.#stackBurst, this.tokens + elapsed * STACKS_PER_MS);
    this.checks = Math.min(CHECK_BURST, this.checks + elapsed * this.#checksPerMs);
  }
}
