import assert from "node:assert/strict";
import { checkBudgets, parseBudgetsJson, parseDuration, parseShare, parseShareOfTotal, splitTarget, targetMatcher, timeWith } from "../../src/diff/budgets.ts";
import type { Frame } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { sessionOfCounts } from "../_helpers.ts";

const fr = (name: string, file = "/app/src/app.ts"): Frame => ({ name, file, line: 1, col: 1, kind: "js" });
const main = fr("main");
const parse = fr("parseConfig", "/app/src/config.ts");
const lodash = fr("map", "/app/node_modules/lodash/map.js");

const session = (stacks: readonly [readonly Frame[], number][]) => sessionOfCounts(stacks);

test("parseDuration() and parseShare() read what budgets are written in, and refuse the rest", () => {
  assert.equal(parseDuration("50ms"), 50);
  assert.equal(parseDuration("2s"), 2000);
  assert.equal(parseDuration("1.5 s"), 1500);
  assert.equal(parseDuration("1m"), 60_000);
  assert.equal(parseDuration("40"), 40);
  assert.throws(() => parseDuration("fast"), /not a duration/);
  assert.equal(parseShare("10%"), 0.1);
  assert.equal(parseShare("0.25"), 0.25);
  assert.throws(() => parseShare("3"), /not a share/);
  assert.equal(parseShare("150%"), 1.5, "a regression may be more than the whole");
  assert.equal(parseShareOfTotal("100%"), 1);
  assert.throws(() => parseShareOfTotal("150%"), /at most 100%/, "no share of the total is more than all of it");
  assert.deepEqual(splitTarget("a=b=50ms"), ["a=b", "50ms"]);
  assert.throws(() => splitTarget("parseConfig"), /target=limit/);
});

test("parseBudgetsJson() reads every field and names an unknown one", () => {
  const { budgets, base } = parseBudgetsJson('{"maxTotal":"2s","max":{"parseConfig":"50ms"},"maxShare":{"lodash":"10%"},"maxRegression":"10%","base":"b.tsprof"}');
  assert.deepEqual(budgets, { maxTotalMs: 2000, max: [{ target: "parseConfig", ms: 50 }], maxShare: [{ target: "lodash", share: 0.1 }], maxRegression: 0.1 });
  assert.equal(base, "b.tsprof");
  assert.throws(() => parseBudgetsJson('{"maxTime":"2s"}'), /unknown field "maxTime"/);
  assert.throws(() => parseBudgetsJson("[1]"), /one JSON object/);
  assert.throws(() => parseBudgetsJson("{"), /not JSON/);
  assert.throws(() => parseBudgetsJson('{"max":{"f":"soon"}}'), /not a duration/);
  assert.throws(() => parseBudgetsJson('{"maxShare":{"f":"120%"}}'), /at most 100%/);
});

test("timeWith() counts a sample once however many matching frames its stack holds", () => {
  const s = session([[[main, parse, parse], 30], [[main, parse], 10], [[main], 60]]);
  assert.equal(timeWith(s, targetMatcher("parseConfig")), 40);
  assert.equal(timeWith(s, targetMatcher("main")), 100);
  assert.equal(timeWith(s, targetMatcher("src/config.*", "/app")), 40);
});

test("targetMatcher() knows a package by name, a function by name and files by glob", () => {
  assert.ok(targetMatcher("lodash")(lodash));
  assert.ok(!targetMatcher("lodash")(parse));
  assert.ok(targetMatcher("parseConfig")(parse));
  assert.ok(targetMatcher("src/*", "/app")(parse));
  assert.ok(!targetMatcher("lib/*", "/app")(parse));
});

test("checkBudgets() breaks each kind of budget when, and only when, it is exceeded", () => {
  const s = session([[[main, parse], 80], [[main, lodash], 20], [[main], 100]]);
  const results = checkBudgets(s, { maxTotalMs: 150, max: [{ target: "parseConfig", ms: 50 }, { target: "nothere", ms: 1 }], maxShare: [{ target: "lodash", share: 0.2 }] });
  const by = Object.fromEntries(results.map((r) => [r.what, r]));
  assert.equal(by.total!.broken, true);
  assert.equal(by.parseConfig!.broken, true);
  assert.equal(by.parseConfig!.actual, "80 ms");
  assert.equal(by.nothere!.broken, false);
  assert.equal(by.nothere!.note, "not in the profile");
  assert.equal(by.lodash!.broken, false, "10% is within 20%");
  assert.equal(checkBudgets(s, { maxShare: [{ target: "lodash", share: 0.05 }] })[0]!.broken, true);
});

test("checkBudgets() breaks a regression budget on a doubled function, never on a profile against itself", () => {
  const base = session([[[main, parse], 300], [[main, fr("render")], 300], [[main], 300]]);
  const slow = session([[[main, parse], 600], [[main, fr("render")], 300], [[main], 300]]);
  const broken = checkBudgets(slow, { maxRegression: 0.1 }, base).filter((r) => r.broken);
  assert.deepEqual(broken.map((r) => r.what), ["main > parseConfig"]);
  assert.deepEqual(checkBudgets(base, { maxRegression: 0 }, base).filter((r) => r.broken), []);
  assert.deepEqual(checkBudgets(slow, { maxRegression: 2 }, base).filter((r) => r.broken), [], "+100% is within +200%");
});

test("checkBudgets() breaks a regression budget on a doubled function when the machine slowed the base run down", () => {
  // The base run got half the machine (CPU time over wall time 0.5): every function took 1.9x as
  // long. In time parseConfig grew 5% only (570 -> 600 ms); against the other functions, 100%.
  // Slowed down more, the base took longer than the head for it (700 -> 600 ms): still 100%.
  const withMachine = (s: ReturnType<typeof session>, cpuPerWall: number) => ({ ...s, meta: { ...s.meta, cpuTimeMs: cpuPerWall * s.meta.durationMs } });
  const base = withMachine(session([[[main, parse], 570], [[main, fr("render")], 570], [[main], 570]]), 0.5);
  const slow = withMachine(session([[[main, parse], 600], [[main, fr("render")], 300], [[main], 300]]), 1);
  const broken = checkBudgets(slow, { maxRegression: 0.1 }, base).filter((r) => r.broken);
  assert.deepEqual(broken.map((r) => r.what), ["main > parseConfig"]);
  assert.match(broken[0]!.actual, /against the other functions/);
  const slower = withMachine(session([[[main, parse], 700], [[main, fr("render")], 700], [[main], 700]]), 0.4);
  assert.deepEqual(checkBudgets(slow, { maxRegression: 0.1 }, slower).filter((r) => r.broken).map((r) => r.what), ["main > parseConfig"]);
  // The same run again on the slowed machine is no regression.
  const again = withMachine(session([[[main, parse], 300], [[main, fr("render")], 300], [[main], 300]]), 1);
  assert.deepEqual(checkBudgets(again, { maxRegression: 0.1 }, base).filter((r) => r.broken), []);
});
