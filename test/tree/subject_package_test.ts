import assert from "node:assert/strict";
import { ProfileBuilder } from "../../src/format/builder.ts";
import type { Frame, Session } from "../../src/format/types.ts";
import { subjectPackage } from "../../src/tree/subject_package.ts";
import { test } from "../harness.ts";

const js = (name: string, file: string): Frame => ({ name, file, kind: "js" });
const tsc = js("(module)", "/app/node_modules/typescript/bin/tsc");
const check = js("checkSourceFile", "/app/node_modules/typescript/lib/_tsc.js");
const sessionOf = (samples: [Frame[], number][]): Session => {
  const b = new ProfileBuilder("main");
  for (const [stack, ms] of samples) b.addSample(stack, ms);
  return { version: 1, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 100, toolPaths: ["/tsprof/dist/"] }, profiles: [b.build()] };
};

test("subjectPackage() names the package a command ran when none of the program's code ran, tsprof's own not counted", () => {
  const gc: Frame = { name: "(garbage collector)", kind: "gc" };
  const subject = subjectPackage(sessionOf([[[tsc, check], 80], [[gc], 15], [[js("stopSync", "/tsprof/dist/chunk-A.js")], 5]]));
  assert.deepEqual(subject, { name: "typescript", folder: "/app/node_modules/typescript/" });
});

test("subjectPackage() names none where the program's code ran (tests under a runner) or no package holds most of the time", () => {
  const jest = js("run", "/app/node_modules/jest-circus/build/run.js");
  const myTest = js("sortsOrders", "/app/test/orders.test.ts");
  assert.equal(subjectPackage(sessionOf([[[jest], 70], [[jest, myTest], 30]])), undefined, "the tests' code is the program's");
  assert.equal(subjectPackage(sessionOf([[[tsc, check], 40], [[js("lint", "/app/node_modules/eslint/lib/a.js")], 35], [[{ name: "(idle)", kind: "idle" }], 25]])), undefined, "no package holds half");
  assert.equal(subjectPackage(sessionOf([])), undefined);
});
