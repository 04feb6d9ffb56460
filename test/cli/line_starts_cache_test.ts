// Large files' line starts kept between runs (src/cli/line_starts_cache.ts), on a real 9 MB file.
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keptOpen } from "../../runtimes/_files.ts";
import { lineStartsCache } from "../../src/cli/line_starts_cache.ts";
import { fileLineReader, type LineStartsCache } from "../../src/sourcemap/source_lines.ts";
import { ROOT } from "../_cli.ts";
import { test } from "../harness.ts";

const COMPILER = join(ROOT, "node_modules/typescript/lib/typescript.js");

/** The lines asked for, read through a fresh reader with `cache`, and how many starts the cache handed back. */
function read(path: string, cache: LineStartsCache, lines: number[]): { text: (string | undefined)[]; count: number | undefined; hits: number } {
  let hits = 0;
  const counting: LineStartsCache = {
    get(p) {
      const kept = cache.get(p);
      if (kept) hits++;
      return kept;
    },
    put: (p, s) => cache.put(p, s),
  };
  const files = keptOpen();
  return files.closeAfter(() => {
    const l = fileLineReader(files.open, counting)(path);
    return { text: lines.map((n) => l?.line(n)), count: l?.count, hits };
  });
}

test("line starts of a large file are kept, read back the same, and scanned again once the file changes", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const file = join(dir, "typescript.js");
    copyFileSync(COMPILER, file);
    const whole = readFileSync(file, "utf8").split("\n");
    const asked = [1, 2, 1000, 126961, whole.length - 1, whole.length];
    const cache = lineStartsCache(join(dir, "cache"));
    const first = read(file, cache, asked);
    assert.equal(first.hits, 0);
    assert.deepEqual(first.text, asked.map((n) => whole[n - 1]));
    assert.equal(readdirSync(join(dir, "cache")).length, 1, "kept after the scan");
    const second = read(file, lineStartsCache(join(dir, "cache")), asked);
    assert.equal(second.hits, 1, "a later run reads them back");
    assert.deepEqual(second, { ...first, hits: 1 });
    appendFileSync(file, "\n// one line more\n");
    const changed = read(file, lineStartsCache(join(dir, "cache")), [whole.length + 1]);
    assert.equal(changed.hits, 0, "a changed file is scanned again");
    assert.deepEqual(changed.text, ["// one line more"]);
    assert.equal(changed.count, whole.length + 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("small files' line starts are not kept: their scan costs less than reading them back", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const cache = lineStartsCache(join(dir, "cache"));
    const file = join(ROOT, "package.json");
    assert.deepEqual(read(file, cache, [1]).text, [readFileSync(file, "utf8").split("\n")[0]]);
    assert.throws(() => readdirSync(join(dir, "cache")), { code: "ENOENT" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
