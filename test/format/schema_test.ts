import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SESSION_SCHEMA_URL, sessionToJson } from "../../src/format/session_json.ts";
import { renderSpeedscope } from "../../src/render/speedscope.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";
import { FIXTURES, fixtureBytes, loadFixture } from "../_formats.ts";
import { type Schema, validate } from "../_json_schema.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

const tsprofSchema = JSON.parse(readFileSync(join(ROOT, "schema/tsprof.schema.json"), "utf8")) as Schema;
const speedscopeSchema = JSON.parse(readFileSync(join(ROOT, "node_modules/speedscope/dist/release/file-format-schema.json"), "utf8")) as Schema;

test("validate() finds what is wrong and where", () => {
  const schema: Schema = {
    type: "object",
    required: ["a"],
    additionalProperties: false,
    properties: { a: { type: "array", items: { $ref: "#/definitions/n" } }, b: { enum: ["x"] } },
    definitions: { n: { type: "integer", minimum: 1 } },
  };
  assert.deepEqual(validate(schema, { a: [1, 2] }), []);
  assert.deepEqual(validate(schema, { a: [1, 0.5, 0] }), ["$.a[1]: expected integer, got number", "$.a[2]: 0 is below the minimum 1"]);
  assert.deepEqual(validate(schema, { b: "y", c: 1 }), ["$: \"a\" is missing", "$.b: \"y\" is not one of [\"x\"]", "$.c: not allowed"]);
  assert.throws(() => validate({ format: "date" }, "x"), /not supported/);
});

test("the schema's $id is the $schema URL that -r json writes", () => {
  assert.equal((tsprofSchema as { $id: string }).$id, SESSION_SCHEMA_URL);
  assert.equal(JSON.parse(sessionToJson(sessionOf(profileOf([["a", 1]])))).$schema, SESSION_SCHEMA_URL);
});

test("tsprof JSON written by a real run (the committed fixture) matches the schema", () => {
  const json = JSON.parse(new TextDecoder().decode(fixtureBytes("tsprof.json")));
  assert.deepEqual(validate(tsprofSchema, json), []);
  assert.ok(json.profiles[0].lines, "the fixture has line ticks, so they are checked too");
});

for (const [tool, file] of Object.entries(FIXTURES)) {
  test(`tsprof JSON of a file from ${tool} matches the schema`, () => {
    assert.deepEqual(validate(tsprofSchema, JSON.parse(sessionToJson(loadFixture(file)))), []);
  });
  test(`speedscope output of a file from ${tool} matches speedscope's own schema`, () => {
    assert.deepEqual(validate(speedscopeSchema, JSON.parse(renderSpeedscope(loadFixture(file), "0.1.0"))), []);
  });
}

test("the schema rejects what tsprof's reader rejects", () => {
  const good = JSON.parse(sessionToJson(sessionOf(profileOf([["main;a", 1], ["(idle)", 2]]))));
  const bad = (edit: (j: any) => void) => {
    const j = structuredClone(good);
    edit(j);
    return validate(tsprofSchema, j);
  };
  assert.notDeepEqual(bad((j) => (j.profiles[0].weights[0] = -1)), []);
  assert.notDeepEqual(bad((j) => (j.profiles[0].frames[0].kind = "python")), []);
  assert.notDeepEqual(bad((j) => (j.profiles[0].frames[0].line = 0)), []);
  assert.notDeepEqual(bad((j) => (j.version = 2)), []);
  assert.notDeepEqual(bad((j) => delete j.meta.durationMs), []);
  assert.notDeepEqual(bad((j) => (j.profiles[0].lines = { x: [] })), []);
  assert.deepEqual(bad((j) => (j.meta.someToolsField = { any: "thing" })), [], "meta is open to other tools");
});

test("speedscope's schema accepts speedscope's own export (the validator reads $ref and anyOf right)", () => {
  const json = JSON.parse(new TextDecoder().decode(fixtureBytes("speedscope-evented.speedscope.json")));
  assert.deepEqual(validate(speedscopeSchema, json), []);
  json.profiles[0].events[0].at = "soon";
  assert.notDeepEqual(validate(speedscopeSchema, json), []);
});
