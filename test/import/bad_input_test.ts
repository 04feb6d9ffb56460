import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "fflate";
import { ProfileFormatError } from "../../src/errors.ts";
import { sessionToJson } from "../../src/format/session_json.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { renderSpeedscope } from "../../src/render/speedscope.ts";
import { test } from "../harness.ts";
import { tsprof } from "../_cli.ts";
import { bytes, fixtureBytes } from "../_formats.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

const cf = (functionName: string, url = "", lineNumber = -1, columnNumber = -1) => ({ functionName, scriptId: "0", url, lineNumber, columnNumber });
/** A small valid .cpuprofile to break in one place at a time. */
function cpu(): any {
  return {
    nodes: [
      { id: 1, callFrame: cf("(root)"), hitCount: 0, children: [2, 4] },
      { id: 2, callFrame: cf("main", "file:///app/a.js", 0, 9), hitCount: 1, children: [3] },
      { id: 3, callFrame: cf("work", "file:///app/a.js", 4, 13), hitCount: 2, positionTicks: [{ line: 6, ticks: 2 }] },
      { id: 4, callFrame: cf("(idle)"), hitCount: 1 },
    ],
    startTime: 100,
    endTime: 5100,
    samples: [2, 3, 3, 4],
    timeDeltas: [0, 1000, 1000, 1000],
  };
}
/** A small valid speedscope file (sampled). */
function sampled(): any {
  return {
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames: [{ name: "main" }, { name: "work", file: "/app/a.js", line: 5 }] },
    profiles: [{ type: "sampled", name: "main", unit: "milliseconds", startValue: 0, endValue: 6, samples: [[0], [0, 1], []], weights: [1, 2, 3] }],
  };
}
/** A small valid speedscope file (evented). */
function evented(): any {
  return {
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames: [{ name: "main" }, { name: "work" }] },
    profiles: [{
      type: "evented", name: "main", unit: "microseconds", startValue: 0, endValue: 10,
      events: [{ type: "O", frame: 0, at: 0 }, { type: "O", frame: 1, at: 2 }, { type: "C", frame: 1, at: 6 }, { type: "C", frame: 0, at: 10 }],
    }],
  };
}
/** A small valid tsprof JSON session. */
function session(): any {
  return JSON.parse(sessionToJson(sessionOf(profileOf([["main;a", 1.5], ["main;b", 2], ["(idle)", 3]]))));
}
const edit = <T>(make: () => T, change: (x: any) => void): string => {
  const x = make();
  change(x);
  return JSON.stringify(x);
};

/** One gzip member of `n` MiB of spaces, repeated: a bomb that is small on disk. */
function spaceBomb(mib: number): Uint8Array {
  const one = gzipSync(new Uint8Array(1 << 20).fill(32), { level: 9 });
  const out = new Uint8Array(one.length * mib);
  for (let i = 0; i < mib; i++) out.set(one, i * one.length);
  return out;
}

const cases: [string, string | Uint8Array, RegExp][] = [
  // Any file
  ["an empty file", "", /the file is empty/],
  ["binary junk", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0xff, 0xfe, 0x80]), /binary/],
  ["truncated JSON", new TextDecoder().decode(fixtureBytes("node24.cpuprofile")).slice(0, 1000), /not valid JSON/],
  ["trailing garbage after the JSON", `${JSON.stringify(cpu())}}x`, /not valid JSON/],
  ["a raw line break inside a JSON string (quoted back in the message)", `{"nodes": "a\nb", "x": 1}`, /not valid JSON/],
  ["a field name with a line break", edit(session, (j) => (j.profiles[0].lines = { "0\n1": [[1, 1]] })), /"profiles\[0\]\.lines\.0\\n1" is invalid/],
  ["a JSON array", "[1,2,3]", /not a profile tsprof can read/],
  ["a JSON number", "42", /not a profile tsprof can read/],
  ["unknown JSON", `{"hello":"world"}`, /not a profile tsprof can read/],
  ["truncated gzip", gzipSync(bytes(JSON.stringify(cpu()))).slice(0, 30), /gzip/],
  ["gzipped binary", gzipSync(new Uint8Array([0, 1, 2, 3, 255])), /neither JSON nor pprof/],
  ["a gzip bomb", spaceBomb(8), /inflates to more than 4194304 bytes/],
  // .cpuprofile
  ["nodes that are not an array", edit(cpu, (c) => (c.nodes = "many")), /"nodes" must be an array/],
  ["no nodes", edit(cpu, (c) => (c.nodes = [])), /"nodes" is empty/],
  ["a node id that is a string", edit(cpu, (c) => (c.nodes[1].id = "2")), /"nodes\[1\]\.id" must be an integer/],
  ["a node id used twice", edit(cpu, (c) => (c.nodes[2].id = 2)), /"nodes\[2\]\.id" 2 is used twice/],
  ["a call frame without a function name", edit(cpu, (c) => delete c.nodes[1].callFrame.functionName), /"nodes\[1\]\.callFrame\.functionName" must be a string/],
  ["a line number of -5", edit(cpu, (c) => (c.nodes[1].callFrame.lineNumber = -5)), /"nodes\[1\]\.callFrame\.lineNumber" must be an integer >= -1/],
  // The missing child is skipped (see tolerance_test.ts); the node it replaced is then a second root.
  ["a child that does not exist instead of a real one", edit(cpu, (c) => (c.nodes[1].children = [99])), /"nodes" has 2 roots/],
  ["a node with two parents (a cycle back up)", edit(cpu, (c) => (c.nodes[2].children = [2])), /node 2 has two parents/],
  ["a cycle apart from the root", edit(cpu, (c) => {
    c.nodes[0].children = [4];
    c.nodes[1].children = [3];
    c.nodes[2].children = [2];
    c.samples = [4];
    c.timeDeltas = [0];
  }), /not reachable from the root: the node graph has a cycle/],
  ["a node graph that is one cycle", edit(cpu, (c) => (c.nodes[3].children = [1])), /no root/],
  ["a node that is its own child", edit(cpu, (c) => (c.nodes[3].children = [4])), /its own child/],
  ["two roots", edit(cpu, (c) => (c.nodes[0].children = [2])), /2 roots/],
  ["fewer time deltas than samples", edit(cpu, (c) => c.timeDeltas.pop()), /"timeDeltas" has 3 entries but "samples" has 4/],
  ["a time delta of null", edit(cpu, (c) => (c.timeDeltas[1] = null)), /"timeDeltas\[1\]" must be a finite number/],
  ["an infinite time delta", JSON.stringify(cpu()).replace(`"timeDeltas":[0,1000`, `"timeDeltas":[0,1e999`), /"timeDeltas\[1\]" must be a finite number/],
  ["a start time that is a string", edit(cpu, (c) => (c.startTime = "now")), /"startTime" must be a finite number/],
  ["bad line ticks", edit(cpu, (c) => (c.nodes[2].positionTicks = [{ line: 6, ticks: -2 }])), /"nodes\[2\]\.positionTicks\[0\]\.ticks"/],
  ["a huge but finite time delta", edit(cpu, (c) => (c.timeDeltas[2] = 1e308)), /add up to .* ms, more than a year: the time fields are broken/],
  ["no samples", edit(cpu, (c) => {
    c.samples = [];
    c.timeDeltas = [];
  }), /"samples" is empty: the profile recorded nothing/],
  // speedscope
  ["a negative weight", edit(sampled, (s) => (s.profiles[0].weights[1] = -2)), /"profiles\[0\]\.weights\[1\]" must be a finite number >= 0/],
  ["a weight that is a string but no number", edit(sampled, (s) => (s.profiles[0].weights[1] = "2 ms")), /"profiles\[0\]\.weights\[1\]"/],
  ["an infinite weight", JSON.stringify(sampled()).replace(`"weights":[1,2`, `"weights":[1,1e999`), /"profiles\[0\]\.weights\[1\]"/],
  ["weights and samples of different lengths", edit(sampled, (s) => s.profiles[0].weights.pop()), /differ in length/],
  ["a negative frame index", edit(sampled, (s) => (s.profiles[0].samples[1] = [-1])), /"profiles\[0\]\.samples\[1\]\[0\]" must be a frame index, not -1/],
  ["a fractional frame index", edit(sampled, (s) => (s.profiles[0].samples[1] = [1.5])), /must be a frame index, not 1\.5/],
  ["no shared frames", edit(sampled, (s) => delete s.shared), /"shared" must be an object/],
  ["a frame without a name", edit(sampled, (s) => delete s.shared.frames[1].name), /"shared\.frames\[1\]\.name" must be a string/],
  ["no profiles", edit(sampled, (s) => (s.profiles = [])), /"profiles" must be a non-empty array/],
  ["an unknown profile type", edit(sampled, (s) => (s.profiles[0].type = "flamegraph")), /"profiles\[0\]\.type" must be "sampled" or "evented"/],
  ["an unknown unit", edit(sampled, (s) => (s.profiles[0].unit = "furlongs")), /"profiles\[0\]\.unit" must be a speedscope unit/],
  ["a unit named like an object key", edit(sampled, (s) => (s.profiles[0].unit = "constructor")), /"profiles\[0\]\.unit" must be a speedscope unit/],
  ["weights adding up to more than a year", edit(sampled, (s) => (s.profiles[0].weights[2] = 1e300)), /more than a year/],
  ["an end value that is a string but no number", edit(sampled, (s) => (s.profiles[0].endValue = "six")), /"profiles\[0\]\.endValue" must be a finite number/],
  ["only empty profiles", edit(sampled, (s) => {
    s.profiles[0].samples = [];
    s.profiles[0].weights = [];
    s.profiles[0].endValue = 0;
  }), /hold no samples/],
  ["evented time going backwards", edit(evented, (s) => (s.profiles[0].events[2].at = 1)), /"profiles\[0\]\.events\[2\]\.at" must be a finite number not below the previous one/],
  ["evented close of a frame not on top", edit(evented, (s) => (s.profiles[0].events[2].frame = 0)), /"profiles\[0\]\.events\[2\]" closes a frame that is not on top/],
  ["evented frames left open", edit(evented, (s) => s.profiles[0].events.pop()), /leaves 1 frames open/],
  ["a broken tsprof field in a speedscope file", edit(sampled, (s) => (s.tsprof = { meta: { runtime: "node" } })), /"tsprof\.meta\.runtimeVersion" must be a string/],
  ["frame kinds that do not fit the frames", edit(sampled, (s) => (s.tsprof = { frameKinds: ["js"] })), /"tsprof\.frameKinds"/],
  // tsprof JSON
  ["a tsprof version from the future", edit(session, (j) => (j.version = 7)), /"version" 7 is not supported/],
  ["a negative tsprof weight", edit(session, (j) => (j.profiles[0].weights[0] = -1.5)), /"profiles\[0\]\.weights\[0\]" must be a finite number >= 0/],
  ["a sample of a stack that does not exist", edit(session, (j) => (j.profiles[0].samples[0] = 99)), /"profiles\[0\]\.samples\[0\]" must be an integer from -1 to/],
  ["a stack whose parent comes later (a possible cycle)", edit(session, (j) => (j.profiles[0].stacks.parent[0] = 1)), /"profiles\[0\]\.stacks\.parent\[0\]" must refer to an earlier stack/],
  ["a frame of an unknown kind", edit(session, (j) => (j.profiles[0].frames[0].kind = "python")), /"profiles\[0\]\.frames\[0\]\.kind" is not a frame kind/],
  ["a duration of more than a year", edit(session, (j) => (j.meta.durationMs = 1e20)), /"meta\.durationMs" is \d+ ms, more than a year/],
  ["a working directory that is a number", edit(session, (j) => (j.meta.cwd = 5)), /"meta\.cwd" must be a string/],
  ["a command that is not a list of strings", edit(session, (j) => (j.meta.command = ["a", 1])), /"meta\.command" must be an array of strings/],
  ["tool paths that are not a list of strings", edit(session, (j) => (j.meta.toolPaths = "/opt/tsprof")), /"meta\.toolPaths" must be an array of strings/],
  ["an unknown meta field nested without end", JSON.stringify(session()).replace(`"meta":{`, `"meta":{"x":${"[".repeat(5000)}${"]".repeat(5000)},`), /"meta\.x" nests deeper than 32 levels/],
  ["bad line ticks in tsprof JSON", edit(session, (j) => (j.profiles[0].lines = { 0: [[0, 1]] })), /"profiles\[0\]\.lines\.0" must hold \[line, ms\] pairs/],
];

for (const [what, content, message] of cases) {
  test(`loadProfileFile() rejects ${what} with one line naming the file and the problem`, () => {
    const data = typeof content === "string" ? bytes(content) : content;
    assert.throws(() => loadProfileFile(data, "bad.file", 4 << 20), (e: unknown) => {
      assert.ok(e instanceof ProfileFormatError, `a ProfileFormatError, not ${String(e)}`);
      assert.ok(e.message.startsWith("bad.file: "), e.message);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    });
  });
}

test("loadProfileFile() accepts each base file before it is broken (so each case above breaks one thing)", () => {
  for (const text of [JSON.stringify(cpu()), JSON.stringify(sampled()), JSON.stringify(evented()), JSON.stringify(session())]) {
    assert.ok(loadProfileFile(bytes(text), "good.file").profiles.length > 0);
  }
  assert.ok(loadProfileFile(gzipSync(bytes(JSON.stringify(cpu()))), "good.gz").profiles.length > 0);
  assert.ok(loadProfileFile(bytes(renderSpeedscope(sessionOf(profileOf([["a", 1]])), "0.1.0")), "good.speedscope.json"));
});

test("loadProfileFile() clamps V8's occasional negative time deltas instead of failing", () => {
  const c = cpu();
  c.timeDeltas = [0, 1000, -300, 1300];
  const p = loadProfileFile(bytes(JSON.stringify(c)), "x.cpuprofile").profiles[0]!;
  assert.ok(p.weights.every((w) => w >= 0));
});

test("loadProfileFile() reads a speedscope file without $schema when its name says so", () => {
  const s = sampled();
  delete s.$schema;
  assert.equal(loadProfileFile(bytes(JSON.stringify(s)), "x.speedscope.json").profiles.length, 1);
  assert.throws(() => loadProfileFile(bytes(JSON.stringify(s)), "x.json"), /not a profile tsprof can read/);
});

// Through the command: exit 2, one line on stderr, no stack trace, no output file.
const cliCases: [string, string | Uint8Array, RegExp][] = [
  ["truncated JSON", new TextDecoder().decode(fixtureBytes("bun.cpuprofile")).slice(0, 700), /not valid JSON/],
  ["a cycle in a node graph", edit(cpu, (c) => (c.nodes[2].children = [2])), /two parents/],
  ["a negative speedscope weight", edit(sampled, (s) => (s.profiles[0].weights[1] = -2)), /weights\[1\]/],
  ["binary junk", new Uint8Array([0, 159, 146, 150, 255, 0, 1]), /binary/],
  ["an empty profile", edit(cpu, (c) => {
    c.samples = [];
    c.timeDeltas = [];
  }), /recorded nothing/],
];
for (const [what, content, message] of cliCases) {
  test(`tsprof view rejects ${what}: exit 2, one line naming the file, no output file`, () => {
    const dir = mkdtempSync(join(tmpdir(), "tsprof-bad-"));
    try {
      const file = join(dir, "bad.cpuprofile");
      writeFileSync(file, content);
      const out = join(dir, "out.speedscope.json");
      const r = tsprof(["view", file, "-o", out]);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0]!.startsWith(`tsprof: ${file}: `), r.stderr);
      assert.match(lines[0]!, message);
      assert.ok(!existsSync(out), "no output file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("tsprof --load refuses a gzip bomb at the inflate limit, with one line", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-bomb-"));
  try {
    // 513 MiB of spaces in 540 KB: just over the 512 MiB limit.
    const file = join(dir, "bomb.speedscope.json.gz");
    writeFileSync(file, spaceBomb(513));
    const r = tsprof(["--load", file]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^tsprof: .*bomb\.speedscope\.json\.gz: inflates to more than 536870912 bytes; refusing it\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 120_000 });
