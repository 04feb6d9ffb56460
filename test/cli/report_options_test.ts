/**
 * The console report's flags, black-box through the CLI: most render a
 * recorded session with --load (no script runs, so they are fast and
 * deterministic); the saved-session tests run a script.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { ROOT, SCRIPTS, type Ran, tsprof } from "../_cli.ts";

const DENO = join(ROOT, "test/fixtures/sessions/deno.json");
const NODE = join(ROOT, "test/fixtures/sessions/node.json");
const ANSI = /\x1b\[/;

/** Renders a recorded session with `args` and returns its stdout, checking it worked. */
function view(session: string, ...args: string[]): string {
  const r = tsprof(["--load", session, ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Asserts a usage error: exit 2, one line on stderr matching `message`, nothing else. */
function assertUsageError(r: Ran, message: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, message);
  assert.equal(r.stdout, "");
}

/** The tree lines (after the header) whose function is `name`. */
function linesOf(text: string, name: string): string[] {
  return text.split("\n").filter((l) => new RegExp(`\\d ${name.replace(/[()[\]]/g, "\\$&")}(  |$)`).test(l));
}

test("tsprof --load draws the tree with unicode glyphs, library groups and file:line:col, without colour off a terminal", () => {
  const out = view(DENO);
  assert.match(out, /^└─ 0\.\d{3} main  test\/fixtures\/scripts\/golden\.ts:38:16$/m);
  assert.match(out, /\[\d+ frames hidden\]  fflate$/m);
  assert.match(out, /gzipSync  fflate\/esm\/index\.mjs:1318:25/, "node_modules paths as package/path");
  assert.ok(!ANSI.test(out));
});

test("tsprof --no-unicode draws ASCII; --unicode box-drawing", () => {
  const ascii = view(DENO, "--no-unicode");
  assert.match(ascii, /^`- 0\.\d{3} main/m);
  assert.ok(!/[└├│]/.test(ascii));
  assert.match(view(DENO, "--unicode"), /^└─ /m);
});

test("tsprof --color colours even when NO_COLOR is set; --no-color wins over FORCE_COLOR", () => {
  const coloured = view(DENO, "--color");
  assert.match(coloured, /\x1b\[48;5;24m\x1b\[38;5;15mmain\x1b\[0m/, "app code is highlighted");
  const plain = tsprof(["--load", DENO, "--no-color"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
  assert.ok(!ANSI.test(plain.stdout));
  const forced = tsprof(["--load", DENO], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
  assert.ok(ANSI.test(forced.stdout), "FORCE_COLOR turns colour on off a terminal");
});

test("tsprof --time percent shows shares of the total", () => {
  const out = view(DENO, "--time", "percent");
  assert.match(out, /^└─ \d+\.\d% main/m);
  assert.ok(!/^└─ 0\.\d{3} /m.test(out));
});

test("tsprof --show and --show-regex unfold library code; --hide and --hide-regex fold app code", () => {
  const grouped = view(DENO);
  assert.equal(linesOf(grouped, "dflt").length, 0);
  for (const args of [["--show", "*/fflate/*"], ["--show-regex", "/fflate/"]]) {
    const out = view(DENO, ...args);
    assert.ok(linesOf(out, "dflt").length > 0, `${args.join(" ")}: ${out}`);
    assert.ok(!/frames hidden\]  fflate/.test(out), args.join(" "));
  }
  // A path as the report shows it (relative) matches too, from a folder's start.
  for (const args of [["--hide", "*/scripts/golden.ts"], ["--hide", "scripts/golden.ts"], ["--hide", "scripts/**"], ["--hide-regex", "golden\\.ts$"]]) {
    const out = view(DENO, ...args);
    assert.equal(linesOf(out, "recurse").length, 0, `${args.join(" ")}: ${out}`);
    assert.match(out, /frames hidden\]  .*test/, "hidden app code is named by its folder");
  }
});

test("tsprof on a package's own program (acorn's bin, none of the user's code) shows that package's code and says so; --hide folds it again", () => {
  const bin = ["node_modules/acorn/bin/acorn", "--silent", "--ecma2020", "node_modules/terser/dist/bundle.min.js"];
  const r = tsprof(["--no-color", ...bin]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /none of the program's own code ran: acorn's code is shown as its own/);
  assert.match(r.stderr, /parse {2}acorn\/dist\/acorn\.js:\d+:\d+/, r.stderr);
  const folded = tsprof(["--no-color", "--hide", "*/acorn/*", ...bin]);
  assert.equal(folded.status, 0, folded.stderr);
  assert.doesNotMatch(folded.stderr, /shown as its own|parse {2}acorn/, folded.stderr);
  assert.match(folded.stderr, /frames hidden\]  acorn/, folded.stderr);
});

test("tsprof --show-all keeps runtime internals, tiny nodes and library frames", () => {
  const all = view(NODE, "--show-all");
  assert.match(all, /node:internal\//);
  assert.ok(!/frames hidden/.test(all));
  assert.ok(!/node:internal\//.test(view(NODE)));
});

test("tsprof --timeline keeps repeated calls apart and in time order", () => {
  const tree = view(DENO);
  const timeline = view(DENO, "--timeline");
  assert.equal(linesOf(tree, "gzipSync").length, 1);
  assert.ok(linesOf(timeline, "gzipSync").length >= 2, timeline);
  const order = ["compress", "recurse", "serialize"].map((n) => timeline.indexOf(` ${n}  `));
  assert.deepEqual([...order].sort((a, b) => a - b), order, "calls in the order they ran");
});

test("tsprof --fold-recursion shows a recursive function once per call path", () => {
  assert.ok(linesOf(view(DENO), "fib").length > 5);
  const folded = view(DENO, "--fold-recursion");
  assert.equal(linesOf(folded, "fib").length, 1, folded);
});

test("tsprof --filter-threshold and -p filterThreshold drop nodes under a share of the total", () => {
  const a = view(DENO, "--filter-threshold", "0.25");
  assert.equal(linesOf(a, "recurse").length, 0, "recurse is about 22% of the total");
  assert.equal(linesOf(a, "compress").length, 1);
  assert.equal(view(DENO, "-p", "filterThreshold=0.25"), a);
  assert.equal(view(DENO, "--processor-option", "filter-threshold=0.25"), a, "kebab-case keys too");
});

test("tsprof --flat lists functions by self time; --flat-time total by time on the stack", () => {
  const flat = view(DENO, "--flat");
  const rows = flat.slice(flat.indexOf("\n\n") + 2).trim().split("\n");
  assert.match(rows[0]!, /^0\.\d{3} fib  test\/fixtures\/scripts\/golden\.ts:6:10$/);
  assert.ok(!/[└├│]/.test(flat));
  assert.equal(linesOf(flat, "fib").length, 1);
  const total = view(DENO, "--flat", "--flat-time", "total");
  const first = total.slice(total.indexOf("\n\n") + 2).split("\n")[0]!;
  // main runs on two paths: under the module (0.171) and, after its await, on its own (0.048).
  assert.match(first, /^0\.2[12]\d main  test\/fixtures\/scripts\/golden\.ts:38:16$/, total);
  const fib = linesOf(total, "fib")[0]!;
  assert.match(fib, /^0\.0(6\d|70) fib/, `fib counted once per call path, not per level: ${fib}`);
  assert.equal(view(DENO, "-p", "flat", "-p", "flatTime=total"), total);
});

test("tsprof --description adds a line to the header", () => {
  assert.match(view(DENO, "--description", "Nightly import job"), /^Program: .*\nNightly import job$/m);
});

test("tsprof -p sets report options by name: time, unicode, groupMinHidden", () => {
  assert.equal(view(DENO, "-p", "time=percent"), view(DENO, "--time", "percent"));
  assert.equal(view(DENO, "-p", "unicode=false"), view(DENO, "--no-unicode"));
  assert.ok(!/frames hidden/.test(view(DENO, "-p", "groupMinHidden=50")));
});

const badUses: [string, string[], RegExp][] = [
  ["--flat with --timeline", ["--flat", "--timeline"], /--flat and --timeline cannot be used together/],
  ["-p flat with --timeline", ["-p", "flat", "--timeline"], /--flat and --timeline cannot be used together/],
  ["a bad --flat-time", ["--flat-time", "cumulative"], /--flat-time must be "self" or "total": got "cumulative"/],
  ["an unknown -p key", ["-p", "bogus=1"], /-p: unknown option "bogus": choose one of showAll, /],
  ["a -p key written as a flag", ["-p", "-x=1"], /-p: unknown option "-x": choose one of showAll, /],
  ["a -p key in kebab case that is unknown", ["-p", "max-width=3"], /-p: unknown option "max-width": choose one of showAll, /],
  ["a -p value out of range", ["-p", "filterThreshold=2"], /-p: "filterThreshold" must be a share from 0 to 1: got "2"/],
  ["a -p value of the wrong kind", ["-p", "time=hours"], /-p: "time" must be one of "seconds", "percent": got "hours"/],
  ["a bad -p regex", ["-p", "hideRegex=("], /-p: "hideRegex" must be a valid regular expression/],
];
for (const [what, args, message] of badUses) {
  test(`tsprof answers ${what} with one line and exit status 2`, () => {
    assertUsageError(tsprof(["--load", DENO, ...args]), message);
  });
}

test("tsprof --load of a file that is not a session names the file in one line, exit status 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ["garbage.tsprof", new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]), /garbage\.tsprof: broken gzip data/],
      ["binary.tsprof", new Uint8Array([0, 159, 146, 150, 255]), /binary\.tsprof: not a profile: the file is binary/],
      ["text.json", "{\"hello\": 1}", /text\.json: not a profile tsprof can read/],
      ["broken.json", "{\"format\": \"tsprof\", \"version\": 1}", /broken\.json: "meta" must be an object/],
      ["trace.json", "[{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": 1, \"tid\": 1, \"args\": {\"name\": \"CrRendererMain\"}},", /trace\.json: the trace holds no CPU profile/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, content);
      assertUsageError(tsprof(["--load", path]), message);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsprof keeps the last 10 console runs and --load-prev renders one again", () => {
  const data = mkdtempSync(join(tmpdir(), "tsprof-data-test-"));
  try {
    const sessions = join(data, "sessions");
    // Twelve older runs; the new one must push out the three oldest.
    const old: string[] = [];
    for (let i = 0; i < 12; i++) old.push(`2020-01-01T00-00-${String(i).padStart(2, "0")}`);
    mkdirSync(sessions, { recursive: true });
    old.forEach((id, i) => {
      const p = join(sessions, `${id}.tsprof`);
      writeFileSync(p, "not a session");
      utimesSync(p, 1_600_000_000 + i, 1_600_000_000 + i);
    });
    const env = { TSPROF_DATA_DIR: data };
    const r = tsprof([join(SCRIPTS, "wall.ts")], { env });
    assert.equal(r.status, 0, r.stderr);
    const m = /To view this report with different options, run:\n {4}.+ --load-prev (\S+) \[options\]\n$/.exec(r.stderr);
    assert.ok(m, r.stderr);
    const id = m[1]!;
    const kept = readdirSync(sessions).sort();
    assert.equal(kept.length, 10, kept.join(", "));
    assert.ok(kept.includes(`${id}.tsprof`));
    assert.ok(!kept.includes(`${old[2]}.tsprof`) && kept.includes(`${old[3]}.tsprof`), kept.join(", "));

    const again = tsprof(["--load-prev", id, "--flat"], { env });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^0\.\d{3} spinA  /m);
    assert.ok(!/[└├│]/.test(again.stdout), "rendered with the new options");

    assertUsageError(tsprof(["--load-prev", "1999-01-01T00-00-00"], { env }), new RegExp(`no saved session "1999-01-01T00-00-00": the kept ones are "${id}"`));
    assertUsageError(tsprof(["--load-prev", "../../etc/passwd"], { env }), /no saved session "\.\.\/\.\.\/etc\/passwd"/);
    assertUsageError(tsprof(["--load-prev", old[5]!], { env }), new RegExp(`${old[5]}\\.tsprof: not valid JSON`));
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test("a run's console report is the one --load-prev draws of the session it kept (frames placed after printing included)", () => {
  const data = mkdtempSync(join(tmpdir(), "tsprof-data-test-"));
  try {
    const env = { TSPROF_DATA_DIR: data };
    // Library code, recursion and small functions: frames under the threshold that Bun places after printing.
    const r = tsprof([join(SCRIPTS, "golden.ts")], { env });
    assert.equal(r.status, 0, r.stderr);
    const hint = /To view this report with different options, run:\n {4}.+ --load-prev (\S+) \[options\]\n$/;
    const m = hint.exec(r.stderr);
    assert.ok(m, r.stderr);
    const again = tsprof(["--load-prev", m[1]!], { env });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /fib/);
    assert.equal(r.stderr.replace(hint, ""), again.stdout);
    // The frames the report did not show are placed in the kept session too: each function at its name.
    const kept = join(data, "kept.json");
    assert.equal(tsprof(["--load-prev", m[1]!, "-o", kept], { env }).status, 0);
    const frames = (JSON.parse(readFileSync(kept, "utf8")) as { profiles: { frames: { name: string; file?: string; line?: number; col?: number; kind: string }[] }[] }).profiles[0]!.frames;
    // Bun's are placed by reading the sources, libraries' too; V8 places an object literal's `p: function` at `function`.
    const placed = (file: string) => detectRuntime() === "bun" || file.endsWith("golden.ts");
    const named = frames.filter((f) => f.kind === "js" && f.file !== undefined && f.line !== undefined && existsSync(f.file) && placed(f.file) && !/^[([]|anonymous/.test(f.name));
    assert.ok(named.some((f) => f.name === "fib"), "fib is among the frames");
    for (const f of named) {
      const text = readFileSync(f.file!, "utf8").split("\n")[f.line! - 1] ?? "";
      assert.ok(text.startsWith(f.name, (f.col ?? 1) - 1), `${f.name} at ${f.file}:${f.line}:${f.col}: ${text.trim()}`);
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test("tsprof keeps no session when writing to a file, and says nothing when the data directory cannot be written", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const blocked = join(dir, "file");
    writeFileSync(blocked, "a file where the data directory should be");
    const r = tsprof([join(SCRIPTS, "ending.ts")], { env: { TSPROF_DATA_DIR: blocked } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /spinBeforeEnd/);
    assert.ok(!/load-prev|tsprof:/.test(r.stderr), r.stderr);
    const data = join(dir, "data");
    const o = tsprof(["-o", join(dir, "out.json"), join(SCRIPTS, "ending.ts")], { env: { TSPROF_DATA_DIR: data } });
    assert.equal(o.status, 0, o.stderr);
    assert.ok(!/load-prev/.test(o.stderr));
    // Only the cache may be made (Node 20 keeps tsx's modules printed again there): no session.
    assert.equal(existsSync(join(data, "sessions")), false);
    assert.deepEqual(existsSync(data) ? readdirSync(data) : [], existsSync(join(data, "cache")) ? ["cache"] : []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsprof view of its own reports (HTML, Markdown, console text) says what each is in one line, exit status 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const cases: [string, RegExp][] = [
      ["report.html", /report\.html: tsprof's HTML report: open it in a browser; to view a profile again, keep it with -o out\.tsprof/],
      ["summary.md", /summary\.md: tsprof's Markdown summary, not a profile; /],
      ["report.txt", /report\.txt: tsprof's console report, not a profile; /],
    ];
    for (const [name, message] of cases) {
      const out = join(dir, name);
      const w = tsprof(["view", DENO, "-o", out]);
      assert.equal(w.status, 0, w.stderr);
      assertUsageError(tsprof(["view", out]), message);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
