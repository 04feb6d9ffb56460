import assert from "node:assert/strict";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { renderCollapsed } from "../../src/render/collapsed.ts";
import { test } from "../harness.ts";
import { FIXTURES, functionTotals, loadFixture, total } from "../_formats.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

/** Parses folded stacks the way flamegraph.pl does: the last space splits stack and count. */
function parseFolded(text: string): [string[], number][] {
  assert.ok(text.endsWith("\n"));
  return text.trimEnd().split("\n").map((line) => {
    const m = /^(.*) (\d+)$/.exec(line);
    assert.ok(m, `a folded line: ${line}`);
    return [m[1]!.split(";"), Number(m[2])];
  });
}

test("renderCollapsed() writes one sorted line per stack, frames outermost first, integer microseconds", () => {
  const s = sessionOf(profileOf([["main;b", 1.5], ["main;a", 2], ["main;b", 0.25], ["(idle)", 3], ["", 0.001]]));
  // An empty stack is idle time too: one line with the (idle) frame's.
  assert.equal(renderCollapsed(s), "(idle) 3001\nmain (app.ts:1);a (app.ts:1) 2000\nmain (app.ts:1);b (app.ts:1) 1750\n");
});

test("renderCollapsed() keeps ';' and line breaks out of frame names", () => {
  const b = new ProfileBuilder("main");
  b.addSample([{ name: "we;ird\nname", file: "/app/x.ts", line: 3, kind: "js" }], 1);
  const s = sessionOf(b.build());
  assert.deepEqual(parseFolded(renderCollapsed(s)), [[["we:ird name (x.ts:3)"], 1000]]);
});

test("renderCollapsed() prefixes each stack with its thread when there are several", () => {
  const s = sessionOf(profileOf([["a", 1]], "main"), profileOf([["a", 2]], "worker 1"));
  assert.deepEqual(parseFolded(renderCollapsed(s)), [[["main", "a (app.ts:1)"], 1000], [["worker 1", "a (app.ts:1)"], 2000]]);
});

for (const [tool, file] of Object.entries(FIXTURES)) {
  test(`renderCollapsed() of a file from ${tool} keeps the total and each function's total`, () => {
    const s = loadFixture(file);
    const p = s.profiles[0]!;
    const folded = parseFolded(renderCollapsed(s));
    const sum = folded.reduce((a, [, n]) => a + n, 0);
    // Each line rounds to a whole microsecond.
    assert.ok(Math.abs(sum / 1000 - total(p)) <= folded.length * 0.0005 + 1e-9, `${sum} us vs ${total(p)} ms`);
    const expected = functionTotals(p);
    for (const fn of ["spinA", "spinB", "main"]) {
      const got = folded.filter(([stack]) => stack.some((fr) => fr.startsWith(`${fn} (`))).reduce((a, [, n]) => a + n, 0);
      assert.ok(Math.abs(got / 1000 - expected.get(fn)!) <= folded.length * 0.0005 + 1e-9, `${fn}: ${got} us vs ${expected.get(fn)} ms`);
    }
  });
}

test("renderCollapsed() merges stacks whose frames read the same and writes them stack by stack", () => {
  const b = new ProfileBuilder("main");
  // Two frames that differ only in the column read the same once collapsed.
  const at = (col: number) => ({ name: "work", file: "/app/w.ts", line: 2, col, kind: "js" as const });
  const main = { name: "main", file: "/app/m.ts", line: 1, col: 1, kind: "js" as const };
  const a = { name: "a", file: "/app/m.ts", line: 5, col: 1, kind: "js" as const };
  b.addSample([main, at(1)], 1);
  b.addSample([main, at(9)], 2);
  b.addSample([main], 0.5);
  b.addSample([main, a, at(1)], 1);
  const lines = renderCollapsed(sessionOf(b.build())).trimEnd().split("\n");
  assert.deepEqual(lines, [
    "main (m.ts:1) 500",
    "main (m.ts:1);a (m.ts:5);work (w.ts:2) 1000",
    "main (m.ts:1);work (w.ts:2) 3000",
  ]);
});
