import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { MOST_SHORT_SITE_SKIPS, SHORT_SITE_SKIPS, trackMarkedAwaits } from "../../src/async/marked_awaits.ts";
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

test("trackMarkedAwaits(): a site whose wait was short gives no token for its next asks, others still do; stopped, none", () => {
  const tracker = trackMarkedAwaits({ minMs: 1000, jsc });
  const start = tracker.marks.start(file, [1, 1, 2, 1]);
  const first = start(0);
  assert.ok(first, "a token while the budget lasts");
  tracker.marks.end(first);
  const asks = Array.from({ length: 16 }, () => start(0));
  assert.deepEqual(asks.filter(Boolean), [], "the short site's next asks");
  assert.ok(start(1), "another site");
  assert.ok(start(0), "the short site again, after its skips");
  tracker.stop();
  assert.equal(start(1), undefined);
  assert.deepEqual(tracker.waits(), []);
});

/** Asks site 0 until it gives a token: the asks it let by before, and the token. */
function nextToken(start: (index: number) => object | undefined, most: number): { skipped: number; token: object } {
  for (let skipped = 0; skipped <= most; skipped++) {
    const token = start(0);
    if (token) return { skipped, token };
  }
  return assert.fail(`no token in ${most + 1} asks`);
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
  const tokens = Array.from({ length: 4 * MARKED_STACK_BURST }, (_, i) => start(i)).filter(Boolean).length;
  tracker.stop();
  assert.ok(tokens >= MARKED_STACK_BURST && tokens < MARKED_STACK_BURST + 8, `${tokens} tokens`);
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
