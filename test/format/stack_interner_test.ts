import assert from "node:assert/strict";
import { StackInterner } from "../../src/format/stack_interner.ts";
import { test } from "../harness.ts";

test("StackInterner gives each (parent, frame) pair one dense id, through growth", () => {
  const stacks = new StackInterner();
  const ids = new Map<string, number>();
  // Pairs of every sign and size the tables hold, each met twice.
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 60_000; i++) {
      const parent = (i % 977) - 1;
      const frame = (i * 7919) % 20_011;
      const id = stacks.intern(parent, frame);
      const key = `${parent},${frame}`;
      const known = ids.get(key);
      if (known === undefined) {
        assert.equal(id, ids.size, "a new pair gets the next id");
        ids.set(key, id);
      } else assert.equal(id, known, `pair ${key} kept its id`);
    }
  }
  assert.equal(stacks.length, ids.size);
  const table = stacks.table();
  assert.equal(table.length, ids.size);
  for (const [key, id] of ids) {
    const [parent, frame] = key.split(",").map(Number);
    assert.equal(table.parent[id], parent);
    assert.equal(table.frame[id], frame);
    assert.equal(stacks.parentOf(id), parent);
    assert.equal(stacks.frameOf(id), frame);
  }
});
