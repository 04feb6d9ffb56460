import assert from "node:assert/strict";
import { loadProfileFile } from "../../src/import/load.ts";
import { renderSpeedscope } from "../../src/render/speedscope.ts";
import { VERSION } from "../../src/version.ts";
import { test } from "../harness.ts";
import { assertSameTree, bytes, FIXTURES, loadFixture, total } from "../_formats.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

test("renderSpeedscope() writes the exact $schema, tsprof@version and one sampled profile per thread", () => {
  const s = sessionOf(profileOf([["main;a", 1], ["(idle)", 2]], "main"), profileOf([["main;b", 3]], "worker 1"));
  const json = JSON.parse(renderSpeedscope(s, VERSION));
  assert.equal(json.$schema, "https://www.speedscope.app/file-format-schema.json");
  assert.equal(json.exporter, `tsprof@${VERSION}`);
  assert.equal(json.activeProfileIndex, 0);
  assert.deepEqual(json.profiles.map((p: { name: string; type: string; unit: string }) => [p.name, p.type, p.unit]), [["main", "sampled", "milliseconds"], ["worker 1", "sampled", "milliseconds"]]);
  assert.deepEqual(json.profiles.map((p: { endValue: number }) => p.endValue), [3, 3]);
});

test("renderSpeedscope() shares one frame entry per function across threads, with 1-based positions", () => {
  const s = sessionOf(profileOf([["main@/app/x.ts:4;a@/app/x.ts:9", 1]], "main"), profileOf([["main@/app/x.ts:4", 3]], "worker"));
  const json = JSON.parse(renderSpeedscope(s, VERSION));
  assert.deepEqual(json.shared.frames, [{ name: "main", file: "/app/x.ts", line: 4, col: 1 }, { name: "a", file: "/app/x.ts", line: 9, col: 1 }]);
  assert.deepEqual(json.profiles[1].samples, [[0]]);
});

for (const [tool, file] of Object.entries(FIXTURES)) {
  test(`a file from ${tool} goes to speedscope and back with the same tree and total`, () => {
    const first = loadFixture(file);
    const text = renderSpeedscope(first, VERSION);
    const json = JSON.parse(text);
    const keys = json.shared.frames.map((fr: unknown) => JSON.stringify(fr));
    const kinds = json.tsprof.frameKinds as string[];
    assert.equal(new Set(keys.map((k: string, i: number) => `${k}${kinds[i]}`)).size, keys.length, "no frame is written twice");
    for (const fr of json.shared.frames) {
      if (fr.line !== undefined) assert.ok(Number.isInteger(fr.line) && fr.line >= 1);
      if (fr.col !== undefined) assert.ok(Number.isInteger(fr.col) && fr.col >= 1);
    }
    const again = loadProfileFile(bytes(text), "again.speedscope.json");
    const p = first.profiles[0]!;
    // Weights are written to the microsecond.
    assertSameTree(again.profiles[0]!, p, 1e-3 * p.samples.length);
    assert.ok(Math.abs(total(again.profiles[0]!) - total(p)) <= 1e-3 * p.samples.length);
    assert.deepEqual(again.meta, first.meta);
  });
}
