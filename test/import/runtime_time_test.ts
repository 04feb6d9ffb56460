import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { type Frame, IDLE_FRAME, type Profile, profileTotal } from "../../src/format/types.ts";
import { labelUnshownTime, labelRuntimeTime } from "../../src/import/runtime_time.ts";
import { processProfile } from "../../src/tree/processors.ts";

const ticks: Frame = { name: "processTicksAndRejections", kind: "js", file: "node:internal/process/task_queues" };
const read: Frame = { name: "readFileHandle", kind: "js", file: "node:internal/fs/promises" };
const handler: Frame = { name: "handler", kind: "js", file: "/app/a.ts", line: 3, col: 1 };

const paths = (p: Profile) => Array.from(p.samples, (s) => stackFrames(p, s).map((f) => f.name).join(" > "));

test("labelUnshownTime() puts samples of the runtime's frames alone under (runtime), and no other", () => {
  const b = new ProfileBuilder("main");
  b.addSample([ticks, read], 7);
  b.addSample([ticks, handler], 5);
  b.addSample([IDLE_FRAME], 3);
  b.addSample([ticks], 2);
  const p = labelUnshownTime(b.build());
  assert.deepEqual(paths(p), ["(runtime) > processTicksAndRejections > readFileHandle", "processTicksAndRejections > handler", "(idle)", "(runtime) > processTicksAndRejections"]);
  assert.equal(profileTotal(p), 17);
  // The report's rows now hold the whole duration: 7 + 2 ms were nobody's once the runtime's frames folded away.
  const root = processProfile(p, { filterThreshold: 0 });
  assert.deepEqual(Object.fromEntries(root.children.map((c) => [c.frame.name, c.time])), { "(runtime)": 9, handler: 5, "(idle)": 3 });
  assert.equal(root.children.reduce((t, c) => t + c.time, 0), root.time);
  // Again: nothing changes; nothing to label: the same profile.
  assert.deepEqual(paths(labelUnshownTime(p)), paths(p));
  const plain = new ProfileBuilder("main");
  plain.addSample([ticks, handler], 1);
  const unchanged = plain.build();
  assert.equal(labelRuntimeTime(unchanged), unchanged);
});

test("labelUnshownTime() reads a foreign table whose parents come after their children", () => {
  const p: Profile = {
    name: "main",
    frames: [read, ticks],
    stacks: { length: 2, frame: Int32Array.of(0, 1), parent: Int32Array.of(1, -1) },
    samples: Int32Array.of(0),
    weights: Float64Array.of(4),
  };
  assert.deepEqual(paths(labelUnshownTime(p)), ["(runtime) > processTicksAndRejections > readFileHandle"]);
});

test("labelUnshownTime() shows tsprof's own work as (tsprof) where it ran, not as the program's own time", () => {
  const hook: Frame = { name: "init", kind: "js", file: "/opt/tsprof/dist/preload.js" };
  const capture: Frame = { name: "captureStackTrace", kind: "native" };
  const isTool = (file: string) => file.startsWith("/opt/tsprof/");
  const b = new ProfileBuilder("main");
  // A promise hook under the program's function, and under the runtime's alone.
  b.addSample([handler, hook, capture], 4);
  b.addSample([ticks, read, hook], 3);
  // tsprof's preload running the program: the program's frames above are the program's.
  b.addSample([hook, handler], 6);
  const p = labelUnshownTime(b.build(), isTool);
  assert.deepEqual(paths(p), [
    "handler > (tsprof) > init > captureStackTrace",
    "(tsprof) > processTicksAndRejections > readFileHandle > init",
    "init > handler",
  ]);
  const root = processProfile(p, { filterThreshold: 0, selfNodes: true, toolPaths: ["/opt/tsprof/"] });
  const shown = Object.fromEntries(root.children.map((c) => [c.frame.name, [c.time, c.children.map((d) => `${d.frame.name}:${d.time}`).join(" ")]]));
  assert.deepEqual(shown, { handler: [10, "[self]:6 (tsprof):4"], "(tsprof)": [3, ""] });
});

test("labelUnshownTime() shows tsprof's code an inspector evaluated in a paused function (a stuck Deno program asked to end) at the root", () => {
  const spin: Frame = { name: "spinForever", kind: "js", file: "/app/a.ts", line: 1, col: 10 };
  const evaluated: Frame = { name: "(anonymous)", kind: "js", line: 1, col: 1 };
  const hook: Frame = { name: "scriptListens", kind: "js", file: "/opt/tsprof/src/cli/child/deno_signals.ts" };
  const load: Frame = { name: "op_lazy_load_esm", kind: "native" };
  const isTool = (file: string) => file.startsWith("/opt/tsprof/");
  const b = new ProfileBuilder("main");
  b.addSample([spin], 50);
  b.addSample([spin, evaluated, hook, load], 30);
  // An evaluation that is not tsprof's (a debugger's console) stays where it ran.
  b.addSample([spin, evaluated, handler], 2);
  const p = labelUnshownTime(b.build(), isTool);
  assert.deepEqual(paths(p), ["spinForever", "(tsprof) > scriptListens > op_lazy_load_esm", "spinForever > (anonymous) > handler"]);
  assert.equal(profileTotal(p), 82);
});

test("labelUnshownTime() labels the runtime's module loader at the root (module loading), not (runtime)", () => {
  // Node linking the program's ES modules, in a run whose own code was never sampled to end start-up.
  const run: Frame = { name: "asyncRunEntryPointWithESMLoader", kind: "js", file: "node:internal/modules/run_main" };
  const link: Frame = { name: "link", kind: "js", file: "node:internal/modules/esm/module_job" };
  const b = new ProfileBuilder("main");
  b.addSample([run, link], 7);
  b.addSample([ticks, read], 2);
  const p = labelUnshownTime(b.build());
  assert.deepEqual(paths(p), ["(module loading) > asyncRunEntryPointWithESMLoader > link", "(runtime) > processTicksAndRejections > readFileHandle"]);
});
