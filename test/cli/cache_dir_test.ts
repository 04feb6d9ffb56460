// tsprof's cache is the user's alone (src/cli/cache_dir.ts): some of it is read back as code to run.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { privateCacheDir } from "../../src/cli/cache_dir.ts";
import { detectRuntime } from "../../runtimes/auto.ts";
import { ROOT, tsprof } from "../_cli.ts";
import { test } from "../harness.ts";

function withDataDir(use: (data: string) => void): void {
  const data = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    use(data);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

const posix = process.platform !== "win32";

test("the cache folder is made for this user alone", () => {
  withDataDir((data) => {
    const dir = privateCacheDir("printed-v1", { TSPROF_DATA_DIR: data });
    assert.equal(dir, join(data, "cache", "printed-v1"));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(data, "cache")).mode & 0o777, 0o700);
  });
}, { skip: posix ? false : "POSIX permissions" });

test("a cache folder others can write, or a link, is not used", () => {
  withDataDir((data) => {
    const env = { TSPROF_DATA_DIR: data };
    mkdirSync(join(data, "cache", "open"), { recursive: true });
    chmodSync(join(data, "cache", "open"), 0o777);
    assert.equal(privateCacheDir("open", env), undefined);
    mkdirSync(join(data, "elsewhere"));
    symlinkSync(join(data, "elsewhere"), join(data, "cache", "linked"));
    assert.equal(privateCacheDir("linked", env), undefined);
    chmodSync(join(data, "cache"), 0o777);
    assert.equal(privateCacheDir("fresh", env), undefined, "a folder whose parent others can write");
  });
}, { skip: posix ? false : "POSIX permissions" });

const tsxRuns = detectRuntime() === "node" && Number(process.versions.node.split(".")[0]) < 22;

test("modules printed again for line positions are kept in the user's cache, never in a folder others can write", () => {
  withDataDir((data) => {
    const script = join(ROOT, "test/fixtures/scripts/hot.ts");
    const first = tsprof(["-o", join(data, "p.json"), script], { env: { TSPROF_DATA_DIR: data } });
    assert.equal(first.status, 0, first.stderr);
    const kept = join(data, "cache", "printed-v1");
    assert.ok(readdirSync(kept).some((f) => f.endsWith(".js")), "a printed module is kept");
    assert.equal(statSync(kept).mode & 0o777, 0o700);

    const other = join(data, "other");
    mkdirSync(join(other, "cache", "printed-v1"), { recursive: true });
    chmodSync(join(other, "cache", "printed-v1"), 0o777);
    const second = tsprof(["-o", join(data, "q.json"), script], { env: { TSPROF_DATA_DIR: other } });
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(readdirSync(join(other, "cache", "printed-v1")), [], "nothing is kept in, or read from, a folder others can write");
  });
}, { skip: tsxRuns ? false : "Node runs TypeScript through tsx only before 22" });
