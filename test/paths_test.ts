import assert from "node:assert/strict";
import { codeOrigin, libraryName, location, normalizeFile, packageName, shortPath } from "../src/paths.ts";
import { test } from "./harness.ts";

const CWD = "/home/me/app";
// [file as the runtime reports it, origin, package, short path (cwd /home/me/app)]
const cases: [string, string, string | undefined, string][] = [
  // The app's own code, under and outside the working directory.
  ["/home/me/app/src/main.ts", "app", undefined, "src/main.ts"],
  ["/home/me/other/tool.ts", "app", undefined, "/home/me/other/tool.ts"],
  ["/home/me/application/x.ts", "app", undefined, "/home/me/application/x.ts"],
  // node_modules in its layouts: npm, scoped, nested, pnpm, Bun isolated, Deno's node_modules dir.
  ["/home/me/app/node_modules/express/lib/router/index.js", "library", "express", "express/lib/router/index.js"],
  ["/home/me/app/node_modules/@hono/node-server/dist/index.mjs", "library", "@hono/node-server", "@hono/node-server/dist/index.mjs"],
  ["/home/me/app/node_modules/a/node_modules/b/i.js", "library", "b", "b/i.js"],
  ["/home/me/app/node_modules/.pnpm/yaml@2.4.0/node_modules/yaml/dist/index.js", "library", "yaml", "yaml/dist/index.js"],
  ["/home/me/app/node_modules/.bun/zod@3.23.8/node_modules/zod/lib/index.mjs", "library", "zod", "zod/lib/index.mjs"],
  ["/home/me/app/node_modules/.deno/chalk@5.3.0/node_modules/chalk/source/index.js", "library", "chalk", "chalk/source/index.js"],
  // Deno's npm cache (default and custom DENO_DIR), shown as the npm: specifier.
  ["/home/me/.cache/deno/npm/registry.npmjs.org/chalk/5.3.0/source/index.js", "library", "chalk", "npm:chalk@5.3.0/source/index.js"],
  ["/tmp/denodir/npm/registry.npmjs.org/@std/fmt/1.0.3/colors.js", "library", "@std/fmt", "npm:@std/fmt@1.0.3/colors.js"],
  ["/tmp/denodir/npm/npm.example.com/left-pad/1.3.0-beta.1/index.js", "library", "left-pad", "npm:left-pad@1.3.0-beta.1/index.js"],
  // Bun's global cache (no node_modules).
  ["/home/me/.bun/install/cache/fflate@0.8.2@@@1/esm/index.mjs", "library", "fflate", "fflate/esm/index.mjs"],
  ["/home/me/.bun/install/cache/@scope/pkg@1.0.0@@@1/index.js", "library", "@scope/pkg", "@scope/pkg/index.js"],
  // Remote modules: JSR as its specifier, others by URL.
  ["https://jsr.io/@std/path/1.0.8/join.ts", "library", "@std/path", "jsr:@std/path@1.0.8/join.ts"],
  ["https://deno.land/x/oak@v12.6.1/router.ts", "library", "deno.land", "https://deno.land/x/oak@v12.6.1/router.ts"],
  ["https://esm.sh/preact@10.19.2/es2022/preact.mjs", "library", "esm.sh", "https://esm.sh/preact@10.19.2/es2022/preact.mjs"],
  ["npm:lodash@4.17.21/merge.js", "library", "lodash", "npm:lodash@4.17.21/merge.js"],
  ["jsr:@std/assert@1.0.0/equals.ts", "library", "@std/assert", "jsr:@std/assert@1.0.0/equals.ts"],
  // The runtime: Node, Deno, Bun builtins.
  ["node:internal/process/task_queues", "runtime", "node:internal", "node:internal/process/task_queues"],
  ["node:fs", "runtime", "node:fs", "node:fs"],
  ["ext:deno_node/internal/util.mjs", "runtime", "ext:deno_node", "ext:deno_node/internal/util.mjs"],
  ["ext:core/01_core.js", "runtime", "ext:core", "ext:core/01_core.js"],
  ["internal:streams/lazy_transform", "runtime", "internal:streams", "internal:streams/lazy_transform"],
  ["bun:sqlite", "runtime", "bun:sqlite", "bun:sqlite"],
  ["builtin://node/fs", "runtime", "builtin:", "builtin://node/fs"],
];

for (const [file, origin, pkg, short] of cases) {
  test(`paths: "${file}" is ${origin} code${pkg ? ` of ${pkg}` : ""}, shown as "${short}"`, () => {
    assert.equal(codeOrigin(file), origin);
    assert.equal(packageName(file), pkg);
    assert.equal(shortPath(file, CWD), short);
  });
}

test("codeOrigin() calls a frame without a file the runtime's (a native function)", () => {
  assert.equal(codeOrigin(undefined), "runtime");
  assert.equal(codeOrigin(""), "runtime");
});

test("shortPath() takes file: URLs and a cwd with or without its slash", () => {
  assert.equal(shortPath("file:///home/me/app/src/a%20b.ts", CWD), "src/a b.ts");
  assert.equal(shortPath("/home/me/app/src/a.ts", `${CWD}/`), "src/a.ts");
  assert.equal(shortPath("/home/me/app/src/a.ts"), "/home/me/app/src/a.ts");
  assert.equal(normalizeFile("file:///x/y.ts"), "/x/y.ts");
  assert.equal(normalizeFile("node:fs"), "node:fs");
  assert.equal(normalizeFile("file:///C:/Temp/hello.cjs"), "C:/Temp/hello.cjs", "a Windows path as its users write it");
});

test("location() gives file:line:col for editors, leaving out what is unknown", () => {
  assert.equal(location("/home/me/app/src/a.ts", 12, 5, CWD), "src/a.ts:12:5");
  assert.equal(location("/home/me/app/src/a.ts", 12, undefined, CWD), "src/a.ts:12");
  assert.equal(location("/home/me/app/src/a.ts", undefined, 5, CWD), "src/a.ts");
});

test("libraryName() names a group's code by package, else by the first folder of its path", () => {
  assert.equal(libraryName("/home/me/app/node_modules/@scope/pkg/a.js", CWD), "@scope/pkg");
  assert.equal(libraryName("/home/me/app/generated/parser.ts", CWD), "generated");
  assert.equal(libraryName(undefined, CWD), "native");
});
