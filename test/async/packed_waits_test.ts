import assert from "node:assert/strict";
import { packWaits, unpackWaits } from "../../src/async/packed_waits.ts";
import { mapWaitFrames } from "../../src/async/wait_frames.ts";
import type { AwaitWait } from "../../src/async/charge_awaits.ts";
import type { Frame } from "../../src/format/types.ts";
import { test } from "../harness.ts";

const frame = (name: string, line: number): Frame => ({ name, file: "/app/a.ts", line, col: 16, kind: "js" });

test("packWaits() writes each stack and place once; unpackWaits() gives the same waits back, sharing them again, through JSON", () => {
  const loop = [frame("main", 1), frame("loop", 5)];
  const other = [frame("main", 1), frame("other", 9)];
  const at = { file: "/app/a.ts", line: 6, col: 9 };
  const calls = [null, { line: 6, col: 9 }];
  const waits: AwaitWait[] = [
    { start: 0, end: 5, stack: loop, at },
    { start: 6, end: 9.5, stack: loop, at },
    { start: 7, end: 8, stack: other, at: { file: "/app/a.ts", line: 10, col: 3 }, calls },
    { start: 10, end: 12, stack: loop, at },
  ];
  const packed = JSON.parse(JSON.stringify(packWaits(waits)));
  assert.equal(packed.stacks.length, 2);
  assert.equal(packed.places.length, 2);
  const back = unpackWaits(packed)!;
  assert.deepEqual(back, waits);
  assert.equal(back[0]!.stack, back[3]!.stack, "one stack again");
  assert.equal(back[0]!.at, back[1]!.at);
});

test("unpackWaits() refuses what is not its form", () => {
  assert.equal(unpackWaits([{ start: 0, end: 1, stack: [], at: {} }]), undefined);
  assert.equal(unpackWaits({ stacks: [], places: [], waits: [0, 1, 0, 0] }), undefined, "a stack it does not have");
  assert.equal(unpackWaits(null), undefined);
  assert.deepEqual(unpackWaits({ stacks: [], places: [], waits: [] }), []);
});

test("mapWaitFrames() reworks each stack once; the waits that shared it share the result, and one left as it was is returned as it was", () => {
  const shared = [frame("main", 1)];
  const alone = [frame("lone", 3)];
  const waits = [0, 1, 2].map((start) => ({ start, stack: shared })).concat([{ start: 3, stack: alone }]);
  let calls = 0;
  const out = mapWaitFrames(waits, (w) => {
    calls++;
    return w.stack === alone ? w : { stack: w.stack.map((f) => ({ ...f, col: 1 })) };
  });
  assert.equal(calls, 2);
  assert.equal(out[0]!.stack, out[2]!.stack);
  assert.equal(out[0]!.stack[0]!.col, 1);
  assert.deepEqual(out.map((w) => w.start), [0, 1, 2, 3]);
  assert.equal(out[3], waits[3]);
});
