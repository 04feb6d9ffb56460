import assert from "node:assert/strict";
import type { AwaitWait } from "../../src/async/charge_awaits.ts";
import { chargeAwaits } from "../../src/async/charge_awaits.ts";
import { nestImportedModules } from "../../src/async/imported_modules.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { type Frame, IDLE_FRAME } from "../../src/format/types.ts";
import { test } from "../harness.ts";

const js = (name: string, file: string, line: number, col = 1): Frame => ({ name, file, line, col, kind: "js" });
const top = (file: string) => js("(module)", file, 1, 1);
const wait = (start: number, end: number, stack: Frame[], file: string, line: number, col = 3): AwaitWait => ({ start, end, stack, at: { file, line, col } });
const sources: Record<string, string> = {
  "/app/main.ts": ["async function load() {", "  const m = await import(\"./mod.js\");", "  return await import('lodash');", "}"].join("\n"),
  "/app/mod.ts": ["await sleep(120);", "const inner = await import(\"./deep/inner.ts\");"].join("\n"),
  "/app/deep/inner.ts": "await sleep(50);",
};
const read = (file: string) => sources[file];
const load = js("load", "/app/main.ts", 1, 16);
const names = (w: AwaitWait) => w.stack.map((f) => `${f.name}@${f.file}`).join(" > ");

test("nestImportedModules() puts a module's top-level waits under the await import() that loaded it, ./x.js naming x.ts", () => {
  const importer = wait(0, 200, [top("/app/main.ts"), load], "/app/main.ts", 2, 13);
  const own = wait(5, 125, [top("/app/mod.ts")], "/app/mod.ts", 1, 1);
  const out = nestImportedModules([importer, own], read);
  assert.equal(out[0], importer);
  assert.equal(names(out[1]!), "(module)@/app/main.ts > load@/app/main.ts > (module)@/app/mod.ts");
  assert.deepEqual(out[1]!.at, own.at);
});

test("nestImportedModules() follows a chain of imports, module in module", () => {
  const importer = wait(0, 200, [load], "/app/main.ts", 2, 13);
  const first = wait(5, 125, [top("/app/mod.ts")], "/app/mod.ts", 1, 1);
  const second = wait(126, 199, [top("/app/mod.ts")], "/app/mod.ts", 2, 15);
  const inner = wait(127, 178, [top("/app/deep/inner.ts")], "/app/deep/inner.ts", 1, 1);
  const out = nestImportedModules([inner, second, first, importer], read);
  assert.equal(names(out[0]!), "load@/app/main.ts > (module)@/app/mod.ts > (module)@/app/deep/inner.ts");
  assert.equal(names(out[1]!), "load@/app/main.ts > (module)@/app/mod.ts");
  assert.equal(names(out[2]!), "load@/app/main.ts > (module)@/app/mod.ts");
});

test("nestImportedModules() leaves a module's waits alone where no import of it was waiting then, and packages' imports", () => {
  const importer = wait(0, 50, [load], "/app/main.ts", 2, 13);
  const later = wait(60, 180, [top("/app/mod.ts")], "/app/mod.ts", 1, 1);
  const entry = wait(0, 300, [top("/app/main.ts")], "/app/main.ts", 3, 10);
  // import('lodash'): a package, even where a file of the app has its name.
  const bare = wait(0, 300, [load], "/app/main.ts", 3, 10);
  const named = wait(10, 290, [top("/app/lodash.ts")], "/app/lodash.ts", 1, 1);
  const waits = [importer, later, entry, bare, named];
  assert.deepEqual(nestImportedModules(waits, read), waits);
  assert.deepEqual(nestImportedModules(waits, () => undefined), waits);
});

test("nestImportedModules() keeps frames' call positions in step with their frames", () => {
  const importer = { ...wait(0, 200, [load], "/app/main.ts", 2, 13), calls: [{ line: 2, col: 13 }] };
  const own = wait(5, 125, [top("/app/mod.ts")], "/app/mod.ts", 1, 1);
  const out = nestImportedModules([importer, own], read)[1]!;
  assert.deepEqual(out.calls, [{ line: 2, col: 13 }, null]);
});

test("nested, the module's wait takes the whole time; the importer's await is covered", () => {
  const b = new ProfileBuilder("main");
  for (let t = 0; t < 120; t++) b.addSample([IDLE_FRAME], 1);
  const importer = wait(0, 120, [load], "/app/main.ts", 2, 13);
  const own = wait(0.5, 119.5, [top("/app/mod.ts")], "/app/mod.ts", 1, 1);
  const p = chargeAwaits(b.build(), 0, nestImportedModules([importer, own], read));
  const byLeaf = new Map<string, number>();
  p.samples.forEach((s, i) => {
    const key = stackFrames(p, s).map((f) => f.name).join(" > ");
    byLeaf.set(key, (byLeaf.get(key) ?? 0) + p.weights[i]!);
  });
  assert.ok((byLeaf.get("load > (module) > [await]") ?? 0) >= 118, JSON.stringify([...byLeaf]));
  assert.ok((byLeaf.get("load > [await]") ?? 0) <= 1, JSON.stringify([...byLeaf]));
});
