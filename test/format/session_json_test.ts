import assert from "node:assert/strict";
import { sessionFromJson, sessionToJson } from "../../src/format/session_json.ts";
import { asWritten } from "../../src/format/microseconds.ts";
import { renderConsole } from "../../src/render/console.ts";
import type { Session } from "../../src/format/types.ts";
import { encodeSessionFile, loadProfileFile } from "../../src/import/load.ts";
import { renderSpeedscope } from "../../src/render/speedscope.ts";
import { buildCallTree } from "../../src/tree/call_tree.ts";
import { ProfileFormatError } from "../../src/errors.ts";
import { test } from "../harness.ts";
import { dump, profileOf, sessionOf } from "../_helpers.ts";

const session = sessionOf(profileOf([["main;a", 1.5], ["main;b", 2], ["(idle)", 3], ["main;a;c", 0.25]]));

test("sessionToJson() and sessionFromJson() round-trip a session", () => {
  const again = sessionFromJson(JSON.parse(sessionToJson(session)));
  assert.deepEqual(again.meta, session.meta);
  assert.equal(dump(buildCallTree(again.profiles[0]!)), dump(buildCallTree(session.profiles[0]!)));
});

test("asWritten() gives a session the weights its file loads back with: a report drawn from either is the same", () => {
  // 12.49975 ms prints as 0.012 s; the file's whole microseconds sum to 12.500, which prints as 0.013.
  const edge = sessionOf(profileOf([...Array.from({ length: 25 }, (): [string, number] => ["main;edge", 0.49999]), ["main;other", 10]]));
  const tree = (s: Session) => renderConsole(s, { color: false });
  const again = sessionFromJson(JSON.parse(sessionToJson(edge)));
  assert.notEqual(tree(edge), tree(again));
  assert.equal(tree(asWritten(edge)), tree(again));
  assert.equal(sessionToJson(asWritten(edge)), sessionToJson(edge), "writing it again changes nothing");
});

test("asWritten() rounds the duration as it rounds the weights: they still add up to it (Deno's clock has fractions of a microsecond)", () => {
  const whole = sessionOf(profileOf([["main;wait", 150.9666919999998]]));
  const deno = { ...whole, meta: { ...whole.meta, durationMs: 150.9666919999998 } };
  const written = asWritten(deno);
  assert.equal(written.meta.durationMs, 150.967);
  assert.equal(written.profiles[0]!.weights[0], written.meta.durationMs);
  assert.equal(sessionFromJson(JSON.parse(sessionToJson(deno))).meta.durationMs, 150.967, "the file keeps the same");
});

test("encodeSessionFile() output loads back through loadProfileFile()", () => {
  const again = loadProfileFile(encodeSessionFile(session), "x.tsprof");
  assert.equal(dump(buildCallTree(again.profiles[0]!)), dump(buildCallTree(session.profiles[0]!)));
});

test("renderSpeedscope() output loads back with the same tree and kinds", () => {
  const text = renderSpeedscope(session, "0.1.0");
  const json = JSON.parse(text);
  assert.equal(json.$schema, "https://www.speedscope.app/file-format-schema.json");
  assert.equal(json.exporter, "tsprof@0.1.0");
  assert.equal(json.profiles[0].type, "sampled");
  assert.ok(json.shared.frames.every((fr: { line?: number }) => fr.line === undefined || fr.line >= 1));
  const again = loadProfileFile(new TextEncoder().encode(text), "x.speedscope.json");
  assert.equal(dump(buildCallTree(again.profiles[0]!)), dump(buildCallTree(session.profiles[0]!)));
  assert.equal(again.profiles[0]!.frames.find((fr) => fr.name === "(idle)")?.kind, "idle");
});

const bad: [string, string | Uint8Array, RegExp][] = [
  ["empty file", "", /empty/],
  ["truncated JSON", sessionToJson(session).slice(0, 40), /not valid JSON/],
  ["binary junk", new Uint8Array([0, 159, 146, 150, 255]), /binary/],
  ["unknown JSON", "{\"hello\":1}", /not a profile/],
  ["negative weight", sessionToJson(session).replace("\"weights\":[1.5", "\"weights\":[-1.5"), /weights\[0\]/],
  ["stack index out of range", sessionToJson(session).replace("\"samples\":[1", "\"samples\":[99"), /samples\[0\]/],
  ["wrong version", sessionToJson(session).replace("\"version\":1", "\"version\":7"), /version/],
];
for (const [what, content, message] of bad) {
  test(`loadProfileFile() rejects ${what} with a ProfileFormatError`, () => {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    assert.throws(() => loadProfileFile(bytes, "bad.json"), (e: unknown) => e instanceof ProfileFormatError && message.test(e.message) && e.message.startsWith("bad.json: "));
  });
}
