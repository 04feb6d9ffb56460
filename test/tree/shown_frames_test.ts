import assert from "node:assert/strict";
import { prng } from "../../bench/synthetic_profile.ts";
import { ProfileBuilder, reinternProfile } from "../../src/format/builder.ts";
import type { Frame, Profile, Session } from "../../src/format/types.ts";
import { sessionToJson } from "../../src/format/session_json.ts";
import { renderConsole } from "../../src/render/console.ts";
import { mapShownFirst } from "../../src/sourcemap/shown_first.ts";
import { framesOverTime, framesShownBy } from "../../src/tree/shown_frames.ts";
import { test } from "../harness.ts";

/**
 * A profile whose functions each run at several lines (as Bun reports a
 * function before its frames are placed), some of them library code.
 */
function randomProfile(seed: number): Profile {
  const rand = prng(seed);
  const b = new ProfileBuilder("main");
  const fns = Array.from({ length: 14 }, (_, i) => ({ name: `f${i}`, file: i % 4 === 0 ? `/app/node_modules/lib/x${i % 3}.js` : `/app/src/m${i % 3}.ts` }));
  for (let s = 0; s < 300; s++) {
    const depth = 1 + Math.floor(rand() * 8);
    const stack: Frame[] = [];
    for (let d = 0; d < depth; d++) {
      const f = fns[Math.floor(rand() * rand() * fns.length)]!;
      stack.push({ ...f, line: 10 * Number(f.name.slice(1)) + 1 + Math.floor(rand() * 4), col: 3, kind: "js" });
    }
    b.addSample(stack, rand() < 0.1 ? 20 : 1);
  }
  return b.build();
}

/** Moves each frame to its function's first line, as placing at the definition does: frames merge. */
const place = (p: Profile): Profile => {
  const frames = p.frames.map((f) => (f.line === undefined ? f : { ...f, line: 10 * Number(f.name.slice(1)) + 1, col: 10 }));
  return reinternProfile(p, frames);
};

const session = (p: Profile): Session => ({
  version: 1,
  meta: { runtime: "bun", runtimeVersion: "1", intervalMs: 1, startTime: 0, durationMs: 1, cwd: "/app" },
  profiles: [p],
});

test("the console report of a profile placed shown-first is the report of it placed in full, and so is the kept session", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const profile = randomProfile(seed);
    const full = place(profile);
    for (const options of [{}, { filterThreshold: 0.05 }, { timeline: true }, { foldRecursion: true }, { filterThreshold: 0.002 }]) {
      const first = mapShownFirst(profile, framesShownBy(profile, options), place);
      assert.equal(renderConsole(session(first.profile), options), renderConsole(session(full), options), `seed ${seed} ${JSON.stringify(options)}`);
      assert.equal(sessionToJson(session(first.complete())), sessionToJson(session(full)));
    }
  }
});

test("framesOverTime marks the functions with enough time on the stack, whatever their lines", () => {
  const b = new ProfileBuilder("main");
  const main = { name: "main", file: "/a.ts", line: 1, col: 1, kind: "js" } as const;
  b.addSample([main, { name: "hot", file: "/a.ts", line: 5, col: 1, kind: "js" }], 6);
  b.addSample([main, { name: "warm", file: "/a.ts", line: 8, col: 1, kind: "js" }], 3);
  b.addSample([main, { name: "warm", file: "/a.ts", line: 9, col: 1, kind: "js" }], 3);
  b.addSample([main, { name: "cold", file: "/a.ts", line: 12, col: 1, kind: "js" }], 1);
  const p = b.build();
  const marked = (min: number) => p.frames.filter((_, f) => framesOverTime(p, min)[f] === 1).map((f) => `${f.name}:${f.line}`);
  // warm's two frames count together: once placed, they are one node of 6 ms.
  assert.deepEqual(marked(5), ["main:1", "hot:5", "warm:8", "warm:9"]);
  assert.deepEqual(marked(0), ["main:1", "hot:5", "warm:8", "warm:9", "cold:12"]);
  assert.equal(framesShownBy(p, { showAll: true }), undefined);
});
