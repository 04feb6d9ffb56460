import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCodeEnd } from "../../src/cli/code_end.ts";
import { diskMaps } from "../../src/cli/source_maps.ts";
import { sourceMappingUrl } from "../../src/sourcemap/map_source.ts";
import { test } from "../harness.ts";

const body = (lines: number) => Array.from({ length: lines }, (_, i) => `var v${i} = ${i}; // ${"x".repeat(40)}`).join("\n");

test("readCodeEnd() reads a big bundle's last lines only, enough to find its map comment", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const file = join(dir, "bundle.js");
    const code = `${body(20_000)}\n//# sourceMappingURL=bundle.js.map\n`;
    writeFileSync(file, code);
    const end = readCodeEnd(file)!;
    assert.ok(end.length < code.length / 10, `read ${end.length} of ${code.length} characters`);
    assert.ok(code.endsWith(end), "whole lines from the end");
    assert.ok(end.startsWith("var v"), "the cut first line is dropped");
    assert.equal(sourceMappingUrl(end), "bundle.js.map");
    // A small file is read whole; a missing one is undefined.
    writeFileSync(join(dir, "small.js"), "f();\n");
    assert.equal(readCodeEnd(join(dir, "small.js")), "f();\n");
    assert.equal(readCodeEnd(join(dir, "missing.js")), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readCodeEnd() reads a bundle whole when its last lines are longer than the tail (an inline map)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const file = join(dir, "inline.js");
    const map = { version: 3, sources: ["a.ts"], names: [], mappings: "AAAA;" + "AACA;".repeat(40_000) };
    const code = `${body(8_000)}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`;
    writeFileSync(file, code);
    assert.equal(readCodeEnd(file), code);
    const found = diskMaps(file);
    assert.equal(found?.url, file, "the inline map is found");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
