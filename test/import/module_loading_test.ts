import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import type { Frame, Profile } from "../../src/format/types.ts";
import { isModuleLoaderFrame, labelModuleLoading } from "../../src/import/module_loading.ts";
import { processProfile } from "../../src/tree/processors.ts";
import { dump } from "../_helpers.ts";

const js = (name: string, file?: string): Frame => (file === undefined ? { name, kind: "js" } : { name, kind: "js", file, line: 1, col: 1 });
const main = js("main", "/app/main.ts");
const load = js("load", "/app/load.ts");

/** Each sample's frames, root first, by name. */
function paths(p: Profile): string[] {
  return Array.from(p.samples, (s) => {
    const names: string[] = [];
    for (let x = s; x !== -1; x = p.stacks.parent[x]!) names.unshift(p.frames[p.stacks.frame[x]!]!.name);
    return names.join(" > ");
  });
}

test("isModuleLoaderFrame(): Node's and Deno's loader files and Bun's native loader, not other runtime code nor the program's", () => {
  assert.equal(isModuleLoaderFrame(js("importModuleDynamicallyCallback", "node:internal/modules/esm/utils")), true);
  assert.equal(isModuleLoaderFrame(js("require", "node:internal/modules/helpers")), true);
  assert.equal(isModuleLoaderFrame(js("Module.require", "node:module")), true);
  assert.equal(isModuleLoaderFrame({ name: "importModule", kind: "native" }), true);
  assert.equal(isModuleLoaderFrame({ name: "bound require", kind: "native" }), true);
  assert.equal(isModuleLoaderFrame(js("readFileSync", "node:fs")), false);
  assert.equal(isModuleLoaderFrame(js("moduleish", "node:internal/modulesx")), false);
  assert.equal(isModuleLoaderFrame({ name: "parse", kind: "native" }), false);
  // A function of the program's named require is the program's.
  assert.equal(isModuleLoaderFrame(js("require", "/app/require.ts")), false);
});

test("labelModuleLoading() puts (module loading) where code calls the loader: the loader's time stays under the caller once its frames fold away", () => {
  const b = new ProfileBuilder("main");
  const helpers = js("require", "node:internal/modules/helpers");
  const cjs = js("Module._load", "node:internal/modules/cjs/loader");
  const lib = js("(module)", "/app/node_modules/lib/index.js");
  b.addSample([main, load, helpers, cjs], 30);
  b.addSample([main, load, helpers, cjs, lib], 10);
  // The library's own require of a builtin is loading too.
  b.addSample([main, load, helpers, cjs, lib, helpers], 4);
  // Runtime code under runtime code is not an entry: the root's loader (static imports) stays as it is.
  b.addSample([js("run", "node:internal/modules/run_main"), cjs], 5);
  b.addSample([main], 6);
  const p = labelModuleLoading(b.build());
  assert.deepEqual(paths(p), [
    "main > load > (module loading) > require > Module._load",
    "main > load > (module loading) > require > Module._load > (module)",
    "main > load > (module loading) > require > Module._load > (module) > (module loading) > require",
    "run > Module._load",
    "main",
  ]);
  assert.deepEqual(Array.from(p.weights), [30, 10, 4, 5, 6]);
  // Folded as the console report folds: nothing of the 44 ms is load's own.
  const text = dump(processProfile(p, { selfNodes: true, filterThreshold: 0 }));
  assert.match(text, /^  load:44\n    \(module loading\):44\n      \[self\]:30\n/m);
  // Applied again, nothing changes; a profile with nothing to label is returned as it is.
  assert.deepEqual(paths(labelModuleLoading(p)), paths(p));
  const plain = new ProfileBuilder("main");
  plain.addSample([main, js("readFileSync", "node:fs")], 3);
  const unchanged = plain.build();
  assert.equal(labelModuleLoading(unchanged), unchanged);
});

test("labelModuleLoading() reads a foreign table whose parents come after their children", () => {
  const frames: Frame[] = [js("require", "node:internal/modules/helpers"), load];
  const p: Profile = {
    name: "main",
    frames,
    stacks: { length: 2, frame: Int32Array.of(0, 1), parent: Int32Array.of(1, -1) },
    samples: Int32Array.of(0, 1),
    weights: Float64Array.of(7, 2),
  };
  assert.deepEqual(paths(labelModuleLoading(p)), ["load > (module loading) > require", "load"]);
});
