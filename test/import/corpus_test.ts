/**
 * The real-world corpus: every file of test/fixtures/corpus/manifest.json
 * does what the manifest says. A file in a format tsprof reads renders a
 * non-empty tree whose total is the file's own (within 1 %), and converts to
 * every output format and back with the same total; any other file is one
 * line of error naming what it looks like.
 */
import assert from "node:assert/strict";
import { loadProfileFile } from "../../src/import/load.ts";
import { ProfileFormatError } from "../../src/errors.ts";
import { profileTotal, type Session } from "../../src/format/types.ts";
import { sessionToJson } from "../../src/format/session_json.ts";
import { renderConsole } from "../../src/render/console.ts";
import { renderSpeedscopeBytes } from "../../src/render/speedscope.ts";
import { renderCpuProfile } from "../../src/render/cpuprofile.ts";
import { renderCollapsed } from "../../src/render/collapsed.ts";
import { renderPprof } from "../../src/render/pprof.ts";
import { test } from "../harness.ts";
import { CORPUS_FILES, corpusBytes, ownTotals } from "../_corpus.ts";

const near = (a: number, b: number, share = 0.01) => Math.abs(a - b) <= share * Math.max(Math.abs(b), 1e-9) + 1e-6;
const totals = (s: Session) => s.profiles.map(profileTotal).sort((a, b) => b - a);
const load = (bytes: Uint8Array | string, name: string) => loadProfileFile(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes, name);

test("the corpus holds 40 or more files, each with a source and a licence, in at least 8 formats", () => {
  assert.ok(CORPUS_FILES.length >= 40, `${CORPUS_FILES.length} files`);
  for (const e of CORPUS_FILES) {
    assert.match(e.source, /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//, e.file);
    assert.ok(e.licence, e.file);
  }
  assert.ok(new Set(CORPUS_FILES.map((e) => e.format)).size >= 8);
});

for (const entry of CORPUS_FILES.filter((e) => e.expect === "read")) {
  test(`loadProfileFile() reads ${entry.file} (${entry.what}): a tree, and the file's own total`, () => {
    const session = load(corpusBytes(entry.file), entry.file);
    const own = ownTotals(entry);
    const got = totals(session);
    assert.equal(got.length, own.length, `profiles: tsprof ${got.length}, the file ${own.length}`);
    got.forEach((t, i) => assert.ok(near(t, own[i]!), `profile ${i}: total ${t} ms, the file says ${own[i]} ms`));
    // The report shows a tree: some line under the header is a node.
    const text = renderConsole(session, { unicode: false });
    assert.match(text.split("\n\n").slice(1).join("\n"), /^\s*(?:[|`]- )?\d+\.\d{3} \S/m, text);
  });

  test(`${entry.file} converts to speedscope, JSON, .cpuprofile, collapsed and pprof and reads back with its total`, () => {
    const session = load(corpusBytes(entry.file), entry.file);
    const before = totals(session);
    const all = before.reduce((a, b) => a + b, 0);
    const speedscope = load(renderSpeedscopeBytes(session, "test"), "x.speedscope.json");
    // Weights are written in whole microseconds, rounded without drift: half a µs at most.
    totals(speedscope).forEach((t, i) => assert.ok(Math.abs(t - before[i]!) <= 0.0005 + 1e-12 * before[i]!, `speedscope: ${t} read back, ${before[i]} written`));
    const json = load(sessionToJson(session), "x.json");
    totals(json).forEach((t, i) => assert.ok(Math.abs(t - before[i]!) <= 0.0005 + 1e-12 * before[i]!, `json: ${t} read back, ${before[i]} written`));
    // A .cpuprofile holds the first (main) profile, in whole microseconds.
    const cpu = load(renderCpuProfile(session), "x.cpuprofile");
    assert.ok(near(profileTotal(cpu.profiles[0]!), profileTotal(session.profiles[0]!)), "cpuprofile");
    // Collapsed stacks: counts are microseconds.
    let us = 0;
    for (const line of renderCollapsed(session).split("\n")) if (line) us += Number(/ (\d+)$/.exec(line)![1]);
    assert.ok(near(us / 1000, all), `collapsed: ${us / 1000} ms of ${all}`);
    const pprof = load(renderPprof(session), "x.pb.gz");
    const byName = (s: Session) => {
      const m = new Map<string, number>();
      for (const p of s.profiles) m.set(p.name, (m.get(p.name) ?? 0) + profileTotal(p));
      return m;
    };
    for (const [name, t] of byName(session)) assert.ok(near(byName(pprof).get(name) ?? 0, t), `pprof: "${name}" ${byName(pprof).get(name)} ms of ${t}`);
  });
}

for (const entry of CORPUS_FILES.filter((e) => e.expect === "refused")) {
  test(`loadProfileFile() refuses ${entry.file} (${entry.what}) in one line that says "${entry.says}"`, () => {
    assert.throws(() => load(corpusBytes(entry.file), entry.file), (e: unknown) => {
      assert.ok(e instanceof ProfileFormatError, String(e));
      assert.ok(!e.message.includes("\n"), e.message);
      assert.ok(e.message.includes(entry.says!), e.message);
      return true;
    });
  });
}
