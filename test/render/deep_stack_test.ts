import assert from "node:assert/strict";
import { ProfileBuilder } from "../../src/format/builder.ts";
import type { Frame, Profile, Session } from "../../src/format/types.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { RENDERERS } from "../../src/render/registry.ts";
import { test } from "../harness.ts";
import { assertSameTree, bytes, total } from "../_formats.ts";
import { sessionOf } from "../_helpers.ts";

const DEPTH = 10_000;

/** A profile whose stacks go `DEPTH` frames deep: distinct functions, or one function recursing. */
function deep(recursive: boolean): Session {
  const b = new ProfileBuilder("main");
  const frames: Frame[] = Array.from({ length: DEPTH }, (_, i) => ({ name: recursive ? "recurse" : `f${i}`, file: "/app/deep.ts", line: recursive ? 3 : i + 1, col: 1, kind: "js" }));
  b.addSample(frames, 2);
  b.addSample(frames.slice(0, DEPTH / 2), 1);
  b.addSample([], 0.5);
  b.addSample(frames, 1.5);
  return sessionOf(b.build());
}

function depth(p: Profile): number {
  let max = 0;
  for (const s of p.samples) {
    let d = 0;
    for (let t = s; t !== -1; t = p.stacks.parent[t]!) d++;
    max = Math.max(max, d);
  }
  return max;
}

for (const recursive of [false, true]) {
  const what = recursive ? "one function recursing" : "distinct functions";
  for (const r of RENDERERS) {
    test(`-r ${r.name} writes a stack ${DEPTH} frames deep (${what}) and tsprof reads it back`, () => {
      const session = deep(recursive);
      const out = r.render(session, { version: "0.1.0", filterThreshold: 0.01 });
      const data = typeof out === "string" ? bytes(out) : out;
      assert.ok(data.length > 0);
      if (r.name === "collapsed") {
        const lines = (typeof out === "string" ? out : new TextDecoder().decode(out)).trimEnd().split("\n");
        assert.ok(lines.some((l) => l.split(";").length === DEPTH));
        return;
      }
      if (!["json", "session", "speedscope", "cpuprofile"].includes(r.name)) return;
      const again = loadProfileFile(data, `deep${r.extensions[0]}`);
      assert.equal(depth(again.profiles[0]!), DEPTH);
      assert.ok(Math.abs(total(again.profiles[0]!) - total(session.profiles[0]!)) < 1e-9);
      assertSameTree(again.profiles[0]!, session.profiles[0]!, 1e-9);
    });
  }
}

test(`loadProfileFile() reads a foreign .cpuprofile and an evented speedscope file ${DEPTH} frames deep`, () => {
  const nodes = [{ id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 }, children: [2] }] as unknown[];
  for (let i = 2; i <= DEPTH + 1; i++) {
    nodes.push({ id: i, callFrame: { functionName: "f", url: "file:///app/deep.js", lineNumber: 0, columnNumber: 10 }, ...(i <= DEPTH ? { children: [i + 1] } : {}) });
  }
  const cpu = { nodes, startTime: 0, endTime: 3000, samples: [DEPTH + 1, DEPTH + 1], timeDeltas: [0, 1000] };
  const fromCpu = loadProfileFile(bytes(JSON.stringify(cpu)), "deep.cpuprofile").profiles[0]!;
  assert.equal(depth(fromCpu), DEPTH);
  assert.equal(total(fromCpu), 3);

  const events: unknown[] = [];
  for (let i = 0; i < DEPTH; i++) events.push({ type: "O", frame: i % 2, at: i });
  for (let i = DEPTH - 1; i >= 0; i--) events.push({ type: "C", frame: i % 2, at: 2 * DEPTH - i });
  const ss = {
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames: [{ name: "a" }, { name: "b" }] },
    profiles: [{ type: "evented", name: "deep", unit: "milliseconds", startValue: 0, endValue: 2 * DEPTH, events }],
  };
  const fromSs = loadProfileFile(bytes(JSON.stringify(ss)), "deep.speedscope.json").profiles[0]!;
  assert.equal(depth(fromSs), DEPTH);
  assert.equal(total(fromSs), 2 * DEPTH);
});
