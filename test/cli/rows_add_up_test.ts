import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { processProfile } from "../../src/tree/processors.ts";
import { test } from "../harness.ts";
import { directArgv, SCRIPTS, tsprof } from "../_cli.ts";

/** Each profile's rows at the root of the report, against its total, ms. */
function rowsAndTotals(flags: string[]): { rows: number; total: number }[] {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-rows-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof([...flags, "-o", out, join(SCRIPTS, "read_files.ts")]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), String(20 * 20_000_000));
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    return session.profiles.map((p) => {
      const root = processProfile(p, { filterThreshold: 0, toolPaths: session.meta.toolPaths ?? [] });
      return { rows: root.children.reduce((t, c) => t + c.time, 0), total: root.time };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const flags of [[], ["--no-async"]]) {
  test(`the report's rows add up to its total where the runtime works on its own (fs/promises readFile)${flags.length ? ` ${flags[0]}` : ""}`, () => {
    for (const { rows, total } of rowsAndTotals(flags)) {
      // Node's readFileHandle has no frame of the program on its stack: once folded away, its time was no row's.
      assert.ok(Math.abs(rows - total) <= 0.001 * total, `rows ${rows.toFixed(1)} of ${total.toFixed(1)} ms`);
    }
  });
}

test("tsprof -- <command>: the rows add up to the command's duration (the time no process recorded is (not profiled))", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-rows-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, "--", ...directArgv(join(SCRIPTS, "read_files.ts"))]);
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    // One process: its report holds the whole command, the runtime's start and end included.
    const root = processProfile(session.profiles[0]!, { filterThreshold: 0, toolPaths: session.meta.toolPaths ?? [] });
    const rows = root.children.reduce((t, c) => t + c.time, 0);
    assert.ok(Math.abs(rows - session.meta.durationMs) <= 0.02 * session.meta.durationMs, `rows ${rows.toFixed(1)} of ${session.meta.durationMs} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
