import assert from "node:assert/strict";
import { dropCommonJsFacades } from "../../src/async/commonjs_waits.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import type { Frame, Profile } from "../../src/format/types.ts";
import { foldCommonJsFacades } from "../../src/import/commonjs_facade.ts";
import { test } from "../harness.ts";

const js = (name: string, file: string, line = 1, col = 1): Frame => ({ name, file, line, col, kind: "js" });
const top = (file: string) => js("(module)", file);
const load = js("Module._load", "node:module");
const compile = js("Module._compile", "node:module", 5);
const main = js("main", "/app/a.ts", 12, 16);

function paths(p: Profile): string[] {
  return Array.from(p.samples, (s) => stackFrames(p, s).map((f) => `${f.name}@${f.file}`).join(" > "));
}

test("foldCommonJsFacades() drops Deno's facade of a CommonJS module and the loader frames under it", () => {
  const b = new ProfileBuilder("main");
  b.addSample([top("/app/a.ts"), load, compile, top("/app/a.ts"), main], 5);
  b.addSample([top("/app/a.ts"), main], 3);
  const p = foldCommonJsFacades(b.build());
  assert.deepEqual(paths(p), ["(module)@/app/a.ts > main@/app/a.ts", "(module)@/app/a.ts > main@/app/a.ts"]);
});

test("foldCommonJsFacades() leaves another module's top level, and library code between, alone", () => {
  const b = new ProfileBuilder("main");
  // a.ts requires b.ts: another file's top level under the loader.
  b.addSample([top("/app/a.ts"), load, compile, top("/app/b.ts")], 2);
  // A library between the two: not the runtime's loader.
  b.addSample([top("/app/a.ts"), js("wrap", "/app/node_modules/w/index.js"), top("/app/a.ts")], 2);
  const built = b.build();
  assert.equal(foldCommonJsFacades(built), built);
});

test("dropCommonJsFacades() drops the frame right below a module's top level that names its file", () => {
  const at = { file: "/app/a.ts", line: 14, col: 9 };
  const facade = js("(anonymous)", "/app/a.ts", 3, 1);
  const [w, other] = dropCommonJsFacades([
    { start: 0, end: 5, stack: [facade, top("/app/a.ts"), main], at, calls: [{ line: 5, col: 11 }, { line: 17, col: 1 }, { line: 14, col: 9 }] },
    { start: 0, end: 5, stack: [top("/app/a.ts"), main, top("/app/b.ts")], at },
  ]);
  assert.deepEqual(w!.stack.map((f) => f.name), ["(module)", "main"]);
  assert.deepEqual(w!.calls, [{ line: 17, col: 1 }, { line: 14, col: 9 }]);
  assert.equal(other!.stack.length, 3);
});
