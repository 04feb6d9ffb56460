import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../harness.ts";
import { directArgv, ROOT, tsprof } from "../_cli.ts";
import { fixtureBytes } from "../_formats.ts";
import { fuzzCase } from "./_fuzz.ts";

const SEED = 20260401;
const CASES = 400;
/** A case that shows no progress for this long is taken as a hang. */
const CASE_LIMIT_MS = 15_000;

/** Runs the cases in a child, killing it when one case stalls. */
function runCases(seed: number, count: number): Promise<{ lines: string[]; stalled?: string }> {
  const argv = directArgv(join(ROOT, "test/import/_fuzz_cases.ts"));
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, [...argv.slice(1), String(seed), String(count)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let buffer = "";
    let stderr = "";
    const lines: string[] = [];
    let stalled: string | undefined;
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = lines.filter((l) => l.startsWith("case_ ")).at(-1) ?? "before the first case";
        child.kill("SIGKILL");
      }, CASE_LIMIT_MS);
    };
    arm();
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      buffer += d;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
      arm();
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (!stalled && code !== 0) reject(new Error(`the fuzz child exited ${code}: ${stderr}`));
      else resolve({ lines, ...(stalled ? { stalled } : {}) });
    });
  });
}

test(`loadProfileFile() and every renderer either work or fail cleanly on ${CASES} mutated fixtures`, async () => {
  const { lines, stalled } = await runCases(SEED, CASES);
  assert.equal(stalled, undefined, `a case made no progress for ${CASE_LIMIT_MS} ms: ${stalled}`);
  const failures = lines.filter((l) => l.startsWith("FAIL "));
  assert.deepEqual(failures, []);
  assert.equal(lines.at(-1), "done");
  const ok = lines.filter((l) => l.startsWith("ok ")).length;
  const clean = lines.filter((l) => l.startsWith("clean ")).length;
  assert.equal(ok + clean, CASES);
  // A fuzzer that only breaks files, or never does, tests half of this.
  assert.ok(ok > CASES / 20 && clean > CASES / 20, `${ok} loaded, ${clean} refused`);
}, { timeoutMs: 180_000 });

test("tsprof view on mutated fixtures exits 0 with output or 2 with one line, never anything else", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-fuzz-"));
  try {
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const c = fuzzCase(SEED + 1, i, fixtureBytes);
      const file = join(dir, `case${i}-${c.name}`);
      writeFileSync(file, c.bytes);
      const out = join(dir, `out${i}.cpuprofile`);
      const r = tsprof(["view", file, "-o", out]);
      seen.add(r.status ?? -1);
      if (r.status === 0) {
        assert.ok(existsSync(out), `${c.how}: output written`);
      } else {
        assert.equal(r.status, 2, `${c.how}: ${r.stderr}`);
        assert.equal(r.stderr.trimEnd().split("\n").length, 1, `${c.how}: ${r.stderr}`);
        assert.ok(r.stderr.startsWith(`tsprof: ${file}: `), r.stderr);
        assert.ok(!existsSync(out), `${c.how}: no output file`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 180_000 });
