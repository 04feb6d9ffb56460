import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { FEWEST_READS_TO_ARM, LONG_WAIT_MS, MOST_SHORT_SITE_SKIPS, SHORT_SITE_SKIPS, stackedAtStart, trackMarkedAwaits } from "../../src/async/marked_awaits.ts";
import { MARKED_STACK_BURST } from "../../src/async/stack_budget.ts";
import { test } from "../harness.ts";

// Bun formats a stack trace as it is taken: its recorder is told so.
const jsc = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
const file = fileURLToPath(import.meta.url);

test("trackMarkedAwaits() records a marked wait from its start to its first end, at the mark's position, under the function that waited", async () => {
  const tracker = trackMarkedAwaits({ minMs: 1, jsc });
  const start = tracker.marks.start(file, [7, 3, 12, 9]);
  let firstEnded = 0;
  async function waiter() {
    const token = start(1);
    await later(20);
    if (token) tracker.marks.end(token);
    firstEnded = performance.now();
    // A `finally` after the `await` resumed ends it again.
    await later(5);
    if (token) tracker.marks.end(token);
  }
  await waiter();
  const waits = tracker.waits();
  assert.equal(waits.length, 1);
  const [w] = waits;
  assert.ok(w!.end - w!.start >= 18, `${w!.end - w!.start} ms`);
  assert.ok(w!.end <= firstEnded, "ended once");
  assert.deepEqual(w!.at, { file, line: 12, col: 9 });
  assert.equal(w!.stack.at(-1)!.name, "waiter");
});

test("trackMarkedAwaits(): a site whose wait was short takes no stack at its next starts, others still do; stopped, no token", () => {
  const tracker = trackMarkedAwaits({ minMs: 1000, jsc });
  const start = tracker.marks.start(file, [1, 1, 2, 1]);
  const first = start(0)!;
  assert.ok(stackedAtStart(first), "a stack while the budget lasts");
  tracker.marks.end(first);
  const asks = Array.from({ length: 16 }, () => start(0)!);
  assert.equal(asks.length, 16, "each start is timed");
  assert.deepEqual(asks.filter(stackedAtStart), [], "the short site's next starts");
  assert.ok(stackedAtStart(start(1)!), "another site");
  assert.ok(stackedAtStart(start(0)!), "the short site again, after its skips");
  tracker.stop();
  assert.equal(start(1), undefined);
  assert.deepEqual(tracker.waits(), []);
});

/** Starts site 0 until a start takes a stack: the starts it let by before, and that token. */
function nextToken(start: (index: number) => object | undefined, most: number): { skipped: number; token: object } {
  for (let skipped = 0; skipped <= most; skipped++) {
    const token = start(0);
    if (token && stackedAtStart(token)) return { skipped, token };
  }
  return assert.fail(`no stack in ${most + 1} starts`);
}

test("trackMarkedAwaits(): each short wait doubles its site's skips, up to a most", () => {
  const tracker = trackMarkedAwaits({ minMs: 1000, jsc });
  const start = tracker.marks.start(file, [1, 1]);
  let { token } = nextToken(start, 0);
  const skipped: number[] = [];
  for (let i = 0; i < 8; i++) {
    tracker.marks.end(token);
    const next = nextToken(start, MOST_SHORT_SITE_SKIPS);
    skipped.push(next.skipped);
    token = next.token;
  }
  tracker.stop();
  assert.deepEqual(skipped, [1, 2, 4, 8, 16, 32, 64, 64].map((k) => Math.min(MOST_SHORT_SITE_SKIPS, k * SHORT_SITE_SKIPS)));
  assert.equal(skipped.at(-1), MOST_SHORT_SITE_SKIPS);
});

test("trackMarkedAwaits(): a kept wait sets its site's skips back to the first", async () => {
  const tracker = trackMarkedAwaits({ minMs: 5, jsc });
  const start = tracker.marks.start(file, [1, 1]);
  let { token } = nextToken(start, 0);
  tracker.marks.end(token);
  ({ token } = nextToken(start, SHORT_SITE_SKIPS));
  tracker.marks.end(token);
  const third = nextToken(start, MOST_SHORT_SITE_SKIPS);
  assert.equal(third.skipped, 2 * SHORT_SITE_SKIPS, "after two short waits");
  token = third.token;
  await later(20);
  tracker.marks.end(token);
  const after = nextToken(start, 0);
  tracker.marks.end(after.token);
  assert.equal(nextToken(start, MOST_SHORT_SITE_SKIPS).skipped, SHORT_SITE_SKIPS, "a short wait after the kept one");
  tracker.stop();
  assert.equal(tracker.waits().length, 1);
});

test("trackMarkedAwaits() takes at most its burst of stacks at once", () => {
  const tracker = trackMarkedAwaits({ minMs: 1, jsc });
  const start = tracker.marks.start(file, Array.from({ length: 2 * 4 * MARKED_STACK_BURST }, () => 1));
  const stacked = Array.from({ length: 4 * MARKED_STACK_BURST }, (_, i) => start(i)!).filter(stackedAtStart).length;
  tracker.stop();
  assert.ok(stacked >= MARKED_STACK_BURST && stacked < MARKED_STACK_BURST + 8, `${stacked} stacks`);
});

test("trackMarkedAwaits(): a wait with no stack at its start that turns out long takes one as it ends, at the mark's position; a short one is dropped", async () => {
  const tracker = trackMarkedAwaits({ minMs: 5, jsc });
  const start = tracker.marks.start(file, [1, 1, 40, 7]);
  // The stack at the start is taken in the function that starts, the one at the end in the function that ends.
  function starter() {
    return start(1)!;
  }
  function ender(token: object) {
    tracker.marks.end(token);
  }
  const first = starter();
  ender(first);
  const short = starter();
  const long = starter();
  assert.ok(!stackedAtStart(short) && !stackedAtStart(long), "skipped after a short wait");
  ender(short);
  await later(20);
  ender(long);
  ender(long);
  const waits = tracker.waits();
  assert.equal(waits.length, 1, "the long wait only, once");
  const [w] = waits;
  assert.ok(w!.end - w!.start >= 18, `${w!.end - w!.start} ms`);
  assert.deepEqual(w!.at, { file, line: 40, col: 7 });
  assert.equal(w!.stack.at(-1)!.name, "ender");
});

test("trackMarkedAwaits(): a long wait's stack at its end leaves its site's skips as they were", async () => {
  const tracker = trackMarkedAwaits({ minMs: 5, jsc });
  const start = tracker.marks.start(file, [1, 1]);
  tracker.marks.end(nextToken(start, 0).token);
  const long = start(0)!;
  await later(20);
  tracker.marks.end(long);
  const next = nextToken(start, MOST_SHORT_SITE_SKIPS);
  assert.equal(next.skipped, SHORT_SITE_SKIPS - 1, "the skips went on");
  tracker.marks.end(next.token);
  assert.equal(nextToken(start, MOST_SHORT_SITE_SKIPS).skipped, 2 * SHORT_SITE_SKIPS, "doubled, not set back");
  tracker.stop();
  assert.equal(tracker.waits().length, 1);
});

test("trackMarkedAwaits(): a long wait with no stack at its start is dropped when the budget is spent as it ends", async () => {
  const tracker = trackMarkedAwaits({ minMs: 5, jsc });
  const sites = 4 * MARKED_STACK_BURST;
  const start = tracker.marks.start(file, Array.from({ length: 2 * sites }, () => 1));
  const spend = () => {
    for (let i = 1; i < sites; i++) start(i);
  };
  spend();
  const long = start(0)!;
  assert.ok(!stackedAtStart(long), "the budget is spent");
  await later(20);
  spend();
  tracker.marks.end(long);
  tracker.stop();
  assert.deepEqual(tracker.waits(), []);
});

test("trackMarkedAwaits(): with no stack from its start, a wait under LONG_WAIT_MS takes one as it ends from a budget half full only, a longer one from any", async () => {
  // A pause of the machine can make the short wait long: then the round is tried again.
  for (let round = 0; ; round++) {
    const tracker = trackMarkedAwaits({ minMs: 1, jsc });
    const start = tracker.marks.start(file, Array.from({ length: 2 * MARKED_STACK_BURST }, () => 1));
    tracker.marks.end(start(0)!);
    const short = start(0)!;
    const long = start(0)!;
    const shortStart = performance.now();
    // All but two of the burst spent: far under half, for as long as the short wait lasts.
    for (let i = 1; i < MARKED_STACK_BURST - 2; i++) start(i);
    while (performance.now() - shortStart < 2);
    tracker.marks.end(short);
    const shortMs = performance.now() - shortStart;
    await later(LONG_WAIT_MS + 2);
    tracker.marks.end(long);
    tracker.stop();
    if (shortMs >= LONG_WAIT_MS / 2 && round < 3) continue;
    const waits = tracker.waits();
    assert.equal(waits.length, 1, `the long wait only: ${waits.map((w) => (w.end - w.start).toFixed(1)).join(", ")} ms`);
    assert.ok(waits[0]!.end - waits[0]!.start >= LONG_WAIT_MS);
    return;
  }
});

test("trackMarkedAwaits({ afterTurn }): past a few timed starts in a turn, a wait that ends in its turn is not timed, one that outlasts it is, from before it started", async () => {
  const arms: number[] = [];
  const afterTurn = (callback: () => void) => {
    arms.push(performance.now());
    setTimeout(callback, 0);
  };
  const tracker = trackMarkedAwaits({ minMs: 1, jsc, afterTurn });
  const start = tracker.marks.start(file, [1, 1, 2, 1]);
  tracker.marks.end(start(0)!);
  const primed = arms.length;
  const before = performance.now();
  // Site 0 skips its stacks now: its starts are timed, and the turn is told past the first few.
  const starts = Array.from({ length: FEWEST_READS_TO_ARM + 4 }, () => start(0)!);
  assert.equal(arms.length, primed + 1, "told once, after the first few starts");
  const [inTurn, outlasting] = starts.slice(-2);
  // Longer than minMs by the clock, but in the turn it started in: the program's own work, no waiting.
  const spin = performance.now() + 3;
  while (performance.now() < spin);
  tracker.marks.end(inTurn!);
  await later(20);
  tracker.marks.end(outlasting!);
  tracker.stop();
  const waits = tracker.waits();
  assert.equal(waits.length, 1, `${waits.length} waits`);
  assert.ok(waits[0]!.start <= before + 1 && waits[0]!.start >= arms.at(-1)! - 1 && waits[0]!.end - waits[0]!.start >= 19, JSON.stringify(waits[0]));
});

test("trackMarkedAwaits({ afterTurn }): a turn that ended before telling it saved as many reads has the next one told later", async () => {
  let arms = 0;
  const tracker = trackMarkedAwaits({ minMs: 1, jsc, afterTurn: (callback) => void (arms++, setTimeout(callback, 0)) });
  const start = tracker.marks.start(file, Array.from({ length: 2 * MARKED_STACK_BURST }, () => 1));
  // Each site's short wait has it skip its next stacks: those starts are timed, as many as needed here.
  for (let i = 0; i < MARKED_STACK_BURST; i++) tracker.marks.end(start(i)!);
  let site = 0;
  const timedStarts = (n: number) => {
    for (let k = 0; k < n; k++) start(site++ % MARKED_STACK_BURST);
  };
  const base = arms;
  timedStarts(FEWEST_READS_TO_ARM);
  assert.equal(arms, base + 1);
  await later(5);
  timedStarts(2 * FEWEST_READS_TO_ARM - 1);
  assert.equal(arms, base + 1, "twice as many starts before the next");
  timedStarts(1);
  assert.equal(arms, base + 2);
  tracker.stop();
});

test("trackMarkedAwaits({ jsc }) starts a wait where its function suspends, after the awaited expression's own work; without, at the mark", async () => {
  // Not told it runs on JavaScriptCore, the recorder's stacks there would be text: Bun runs the first only.
  for (const suspends of jsc ? [true] : [true, false]) {
    const tracker = trackMarkedAwaits({ minMs: 1, jsc: suspends });
    const start = tracker.marks.start(file, [1, 1]);
    let evaluated = 0;
    async function waiter() {
      const token = start(0);
      // The awaited expression's synchronous work (JavaScriptCore's sampler sees it; then the gap).
      const until = performance.now() + 20;
      while (performance.now() < until);
      evaluated = performance.now();
      await later(20);
      if (token) tracker.marks.end(token);
    }
    await waiter();
    const [w] = tracker.waits();
    assert.ok(w, "the wait is kept");
    if (suspends) assert.ok(w.start >= evaluated && w.end - w.start >= 15, `${w.start} ${evaluated} ${w.end}`);
    else assert.ok(w.start <= evaluated - 15, `${w.start} ${evaluated}`);
  }
});

test("trackMarkedAwaits(): a wait handed its call's previous token is kept with that one's stack, at its own site; one that follows the call's previous at the same site closely extends it", async () => {
  const minMs = 5;
  const spin = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  const tracker = trackMarkedAwaits({ minMs, jsc });
  const start = tracker.marks.start(file, [3, 5, 9, 11]);
  async function looper() {
    let previous: object | undefined;
    for (let i = 0; i < 4; i++) {
      const token = start(i === 0 ? 0 : 1, previous)!;
      assert.equal(stackedAtStart(token), i === 0, "a stack of its own for the first only");
      await later(10);
      tracker.marks.end(token);
      previous = token;
      // The call runs a wait's length before its last wait: that one is a wait of its own.
      if (i === 2) spin(minMs + 1);
    }
  }
  async function caller() {
    await looper();
  }
  await caller();
  const waits = tracker.waits();
  const at = (line: number, col: number) => ({ file, line, col });
  // JavaScriptCore's sampler takes no idle samples: there each wait's start is kept, to tell an idle gap.
  assert.deepEqual(waits.map((w) => w.at), jsc ? [at(3, 5), at(9, 11), at(9, 11), at(9, 11)] : [at(3, 5), at(9, 11), at(9, 11)]);
  for (const w of waits) assert.deepEqual(w.stack.slice(-2).map((f) => f.name), ["caller", "looper"], "the first wait's callers");
  assert.equal(new Set(waits.map((w) => w.stack)).size, 1, "the stack read once");
  if (!jsc) assert.ok(waits[1]!.end - waits[1]!.start >= 18, `the two waits in one: ${waits[1]!.end - waits[1]!.start} ms`);
});

test("trackMarkedAwaits(): with the budget spent and its site skipping, a long wait takes a stack as it ends and hands it to the next waits of its call", async () => {
  const tracker = trackMarkedAwaits({ minMs: 5, jsc });
  const start = tracker.marks.start(file, [3, 5, 9, 11]);
  for (let i = 0; i < 2 * MARKED_STACK_BURST; i++) start(0);
  const short = start(1);
  if (short) tracker.marks.end(short);
  async function looper() {
    let previous: object | undefined;
    for (let i = 0; i < 3; i++) {
      const token = start(1, previous)!;
      assert.ok(!stackedAtStart(token), "no stack of its own");
      await later(10);
      tracker.marks.end(token);
      previous = token;
    }
  }
  await looper();
  const ended = tracker.waits().filter((w) => w.at.line === 9);
  assert.equal(ended.length, jsc ? 3 : 1, "the first, extended by the two that follow it");
  assert.ok(ended.at(-1)!.end - ended[0]!.start >= 27, `${ended.at(-1)!.end - ended[0]!.start} ms`);
  assert.equal(ended[0]!.stack.at(-1)!.name, "looper");
});
