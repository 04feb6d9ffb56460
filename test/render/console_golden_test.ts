/**
 * Golden-output tests of the console report on sessions recorded from the
 * same script on Node, Deno and Bun (test/fixtures/sessions/, made by
 * scripts/record_sessions.mjs). Every runtime renders every recording and
 * must match the committed test/fixtures/golden/<runtime>/<view>.golden.
 * `TSPROF_UPDATE_GOLDEN=1` rewrites the goldens instead; review the diff.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { loadProfileFile } from "../../src/import/load.ts";
import { type ConsoleOptions, renderConsole } from "../../src/render/console.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";

const UPDATE = process.env.TSPROF_UPDATE_GOLDEN === "1";
// What the CLI passes when it runs from the recording's checkout (/project).
const BASE: ConsoleOptions = {
  version: "0.0.0",
  toolPaths: ["/project/dist/", "/project/src/", "/project/runtimes/", "/project/mod.ts"],
  unicode: true,
  color: false,
};
const VIEWS: [string, ConsoleOptions][] = [
  ["tree-unicode", {}],
  ["tree-unicode-color", { color: true }],
  ["tree-ascii", { unicode: false }],
  ["tree-ascii-color", { unicode: false, color: true }],
  ["tree-percent-folded", { time: "percent", foldRecursion: true }],
  ["timeline", { timeline: true, filterThreshold: 0.02 }],
  ["flat-self", { flat: true }],
  ["flat-total", { flat: true, flatTime: "total", color: true }],
  ["show-all", { showAll: true, unicode: false }],
];

/** The header's clock time depends on the time zone: the rest must not. */
function normalise(text: string): string {
  return text.replace(/Recorded: \d\d:\d\d:\d\d/, "Recorded: hh:mm:ss");
}

for (const runtime of ["node", "deno", "bun"]) {
  const file = join(ROOT, "test/fixtures/sessions", `${runtime}.json`);
  const session = loadProfileFile(readFileSync(file), file);
  for (const [view, options] of VIEWS) {
    test(`renderConsole() on the ${runtime} recording matches ${runtime}/${view}.golden`, () => {
      const golden = join(ROOT, "test/fixtures/golden", runtime, `${view}.golden`);
      const text = normalise(renderConsole(session, { ...BASE, ...options }));
      if (UPDATE) {
        mkdirSync(join(golden, ".."), { recursive: true });
        writeFileSync(golden, text);
        return;
      }
      assert.equal(text, readFileSync(golden, "utf8"), `${golden} differs (TSPROF_UPDATE_GOLDEN=1 rewrites it)`);
    });
  }
}

test("the recordings hold what the goldens are meant to show", () => {
  for (const runtime of ["node", "deno", "bun"]) {
    const file = join(ROOT, "test/fixtures/sessions", `${runtime}.json`);
    const session = loadProfileFile(readFileSync(file), file);
    assert.equal(session.meta.runtime, runtime);
    const text = renderConsole(session, BASE);
    for (const expected of ["compress", "recurse", "fib", "serialize", "(idle)", "frames hidden]  fflate"]) {
      assert.ok(text.includes(expected), `${runtime}: "${expected}" missing from\n${text}`);
    }
    assert.ok(!/dist\/|src\/cli|runtimes\//.test(text), `${runtime}: tsprof's own frames show:\n${text}`);
  }
});
