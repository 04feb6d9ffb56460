import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "../../src/cli/args.ts";
import { warmUpReport } from "../../src/cli/run_report.ts";
import { warmUpSession } from "../../src/cli/warm_up_session.ts";
import { sessionToJson } from "../../src/format/session_json.ts";
import { VERSION } from "../../src/version.ts";
import { test } from "../harness.ts";
import { SCRIPTS, tsprof } from "../_cli.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tsprof-warm-"));
const phases = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>);

test("while a program runs, tsprof warms its report's code up, and the warm-up prints, writes and keeps nothing", () => {
  const dir = tmp();
  try {
    const timings = join(dir, "timings.jsonl");
    // wall.ts runs 600 ms, waiting from 200 to 500 ms: the warm-up starts at 250.
    const r = tsprof([join(SCRIPTS, "wall.ts")], { env: { TSPROF_TIMINGS: timings, TSPROF_DATA_DIR: join(dir, "data") } });
    assert.equal(r.status, 0, r.stderr);
    const warm = phases(timings).find((t) => "warm.read" in t);
    assert.ok(warm, `the warm-up ran: ${readFileSync(timings, "utf8")}`);
    // The report is the run's, once, and names nothing of the made-up session.
    assert.equal(r.stderr.match(/Samples: /g)?.length, 1, r.stderr);
    assert.equal(r.stderr.match(/To view this report/g)?.length, 1, r.stderr);
    assert.match(r.stderr, /spinA/);
    assert.match(r.stderr, /spinB/);
    assert.doesNotMatch(r.stderr + r.stdout, /warm-up|app0|lib1/);
    // One kept session: the run's.
    const kept = readdirSync(join(dir, "data", "sessions"));
    assert.equal(kept.length, 1, kept.join(", "));
    const session = gunzipSync(readFileSync(join(dir, "data", "sessions", kept[0]!))).toString();
    assert.match(session, /spinA/);
    assert.doesNotMatch(session, /nonexistent-tsprof-warm-up/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the warm-up runs no step once the program has ended", async () => {
  const dir = tmp();
  const timings = join(dir, "timings.jsonl");
  const saved = process.env.TSPROF_TIMINGS;
  process.env.TSPROF_TIMINGS = timings;
  try {
    let asked = 0;
    await warmUpReport("node", parseArgs(["script.ts"], VERSION), "console", () => (asked++, true));
    assert.equal(asked, 1);
    assert.ok(phases(timings).every((t) => Object.keys(t).length === 0), readFileSync(timings, "utf8"));
    // Ended after two steps: the third is not run.
    asked = 0;
    await warmUpReport("node", parseArgs(["script.ts"], VERSION), "console", () => ++asked > 2);
    const last = phases(timings).at(-1)!;
    assert.ok("warm.read" in last && "warm.label" in last && !("warm.render" in last), JSON.stringify(last));
  } finally {
    if (saved === undefined) delete process.env.TSPROF_TIMINGS;
    else process.env.TSPROF_TIMINGS = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the warm-up's session is the same every time, and deep as a real run's", () => {
  const a = warmUpSession(0);
  assert.equal(sessionToJson(a), sessionToJson(warmUpSession(0)));
  const p = a.profiles[0]!;
  assert.equal(p.samples.length, 3000);
  let deepest = 0;
  for (let s = 0; s < p.stacks.length; s++) {
    let d = 0;
    for (let x = s; x !== -1; x = p.stacks.parent[x]!) d++;
    deepest = Math.max(deepest, d);
  }
  assert.ok(deepest >= 20, `deepest stack: ${deepest}`);
  assert.ok(p.frames.some((f) => f.file?.includes("/node_modules/")) && p.frames.some((f) => f.kind === "idle"));
});
