/**
 * The corpus through the CLI, as a user meets it: `tsprof view FILE` on
 * every file the manifest lists (a report, or one line and exit 2), and the
 * pprof files tsprof writes read by Go's own pprof with the same functions
 * and total. Go's pprof comes from Debian's golang-go, which .ci/run installs.
 */
import { mapLoadedSession } from "../../src/cli/source_maps.ts";
import { sessionWithRuntimeLabels } from "../../src/import/runtime_time.ts";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProfileFile } from "../../src/import/load.ts";
import { profileTotal } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { tsprof } from "../_cli.ts";
import { CORPUS, CORPUS_FILES, corpusBytes } from "../_corpus.ts";

test("tsprof view: every corpus file gives a report (exit 0) or one line naming what it is (exit 2)", () => {
  for (const entry of CORPUS_FILES) {
    const r = tsprof(["view", join(CORPUS, entry.file), "-r", "console"]);
    if (entry.expect === "read") {
      assert.equal(r.status, 0, `${entry.file}: ${r.stderr}`);
      assert.match(r.stdout, /^tsprof .*Samples: \d+/, entry.file);
    } else {
      assert.equal(r.status, 2, `${entry.file}: exit ${r.status}`);
      assert.equal(r.stdout, "", entry.file);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, `${entry.file}: ${r.stderr}`);
      assert.ok(lines[0]!.startsWith(`tsprof: ${join(CORPUS, entry.file)}: `) && lines[0]!.includes(entry.says!), lines[0]);
    }
  }
}, { timeoutMs: 300_000 });

const GO = spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
const MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, mins: 60_000, hrs: 3_600_000 };

test("tsprof -o x.pb.gz writes pprof that go tool pprof reads: the same functions and the same total", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-pprof-"));
  try {
    for (const entry of CORPUS_FILES.filter((e) => e.expect === "read")) {
      const out = join(dir, `${entry.file}.pb.gz`);
      const r = tsprof(["view", join(CORPUS, entry.file), "-o", out]);
      assert.equal(r.status, 0, `${entry.file}: ${r.stderr}`);
      const go = spawnSync("go", ["tool", "pprof", "-symbolize=none", "-top", "-nodecount=1000000", "-nodefraction=0", "-edgefraction=0", "-sample_index=wall", out], { encoding: "utf8", timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
      assert.equal(go.status, 0, `${entry.file}: ${go.stderr}`);
      const total = /of ([\d.]+)(ns|us|µs|ms|s|mins|hrs) total/.exec(go.stdout);
      assert.ok(total, `${entry.file}: ${go.stdout.slice(0, 400)}`);
      const goMs = Number(total[1]) * MS[total[2]!]!;
      // The session as `tsprof view` shows it: positions placed as on its runtime (module frames at 1:1), the runtime's time labelled.
      const session = sessionWithRuntimeLabels(mapLoadedSession(loadProfileFile(corpusBytes(entry.file), entry.file)));
      const ms = session.profiles.reduce((t, p) => t + profileTotal(p), 0);
      // go prints three significant digits.
      assert.ok(Math.abs(goMs - ms) <= 0.01 * ms + 0.01, `${entry.file}: go tool pprof says ${goMs} ms, tsprof ${ms} ms`);
      // The functions as stored: without -symbolize=none, go demangles names that look like C++.
      const raw = spawnSync("go", ["tool", "pprof", "-symbolize=none", "-raw", out], { encoding: "utf8", timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
      const locations = raw.stdout.slice(raw.stdout.indexOf("\nLocations\n"), raw.stdout.indexOf("\nMappings\n"));
      const goFunctions = new Set([...locations.matchAll(/^\s*\d+: 0x[0-9a-f]+ (?:M=\d+ )?(.*) s=\d+$/gm)].map((m) => m[1]!));
      const functions = new Set<string>();
      for (const p of session.profiles) {
        const onStacks = new Set<number>();
        for (const s of p.samples) for (let at = s; at !== -1 && !onStacks.has(at); at = p.stacks.parent[at]!) onStacks.add(at);
        for (const s of onStacks) {
          const f = p.frames[p.stacks.frame[s]!]!;
          functions.add(`${f.name} ${f.file ?? ""}:${f.line ?? 0}`);
        }
      }
      assert.deepEqual([...goFunctions].sort(), [...functions].sort(), entry.file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: GO ? false : "go is not installed (.ci/run installs Debian's golang-go)", timeoutMs: 600_000 });
