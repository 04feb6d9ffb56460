import assert from "node:assert/strict";
import { constantTimeEqual, profileRequested, resolveHttpOptions } from "../../src/http/common.ts";
import { test } from "../harness.ts";

test("resolveHttpOptions() is off by default and on with enabled: true", () => {
  assert.equal(resolveHttpOptions({}).enabled, false);
  assert.equal(resolveHttpOptions({ enabled: true }).enabled, true);
});

test("resolveHttpOptions() lets TSPROF_HTTP=1 turn profiling on, never alone in production mode", () => {
  assert.equal(resolveHttpOptions({}, { TSPROF_HTTP: "1" }).enabled, true);
  assert.equal(resolveHttpOptions({}, { TSPROF_HTTP: "1", NODE_ENV: "development" }).enabled, true);
  assert.equal(resolveHttpOptions({}, { TSPROF_HTTP: "1", NODE_ENV: "production" }).enabled, false);
  assert.equal(resolveHttpOptions({}, { TSPROF_HTTP: "1", NODE_ENV: "production", TSPROF_HTTP_SECRET: "x" }).enabled, false);
  assert.equal(resolveHttpOptions({ enabled: true }, { NODE_ENV: "production" }).enabled, true, "code may turn it on in production");
  assert.equal(resolveHttpOptions({ enabled: false }, { TSPROF_HTTP: "1" }).enabled, false, "enabled: false wins");
  assert.equal(resolveHttpOptions({}, { TSPROF_HTTP_SECRET: "abc" }).secret, "abc");
  assert.equal(resolveHttpOptions({ secret: "code" }, { TSPROF_HTTP_SECRET: "abc" }).secret, "code");
});

test("resolveHttpOptions() refuses an empty secret or parameter name", () => {
  assert.throws(() => resolveHttpOptions({ secret: "" }), /secret must not be empty/);
  assert.throws(() => resolveHttpOptions({ query: "" }), /query must not be empty/);
});

test("constantTimeEqual() matches only the same string", () => {
  assert.equal(constantTimeEqual("s3cret", "s3cret"), true);
  for (const other of ["", "s3cre", "s3cret!", "S3cret", "x3cret", "s3creu"]) assert.equal(constantTimeEqual(other, "s3cret"), false, other);
  assert.equal(constantTimeEqual("ünï", "ünï"), true);
});

test("profileRequested() picks the format from the value, the default where it names none, and refuses an unknown one", () => {
  const config = resolveHttpOptions({ enabled: true, renderer: "json" });
  const ask = (q: string) => profileRequested(new URL(`http://x/${q}`), () => null, config);
  assert.equal(ask(""), undefined);
  assert.deepEqual(ask("?profile"), { renderer: "json" });
  assert.deepEqual(ask("?profile=speedscope"), { renderer: "speedscope" });
  assert.deepEqual(ask("?profile=text"), { renderer: "console" });
  const bad = ask("?profile=pdf");
  assert.ok(bad && "error" in bad);
  assert.match(bad.error, /^tsprof: unknown profile format "pdf": choose [a-z, ]*json/);
});
