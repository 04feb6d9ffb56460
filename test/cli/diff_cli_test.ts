// tsprof diff, tsprof check and -r markdown as a user runs them: on real
// profiles of a real script recorded on the runtime the tests run on, and on
// every profile format tsprof reads.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { ROOT, SCRIPTS, tsprof } from "../_cli.ts";

const FORMATS = join(ROOT, "test/fixtures/formats");
const toHtml = (md: string) => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

interface ChangeJson {
  deltaMs: number;
  z: number;
  significant: boolean;
  confidence: string;
}
interface PathJson {
  name: string;
  total: ChangeJson;
  self: ChangeJson;
  children: PathJson[];
}
interface DiffJson {
  total: ChangeJson;
  paths: PathJson[];
  functions: { name: string; self: ChangeJson; total: ChangeJson }[];
}

function findPath(paths: readonly PathJson[], name: string): PathJson | undefined {
  const todo = [...paths];
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (p.name === name) return p;
    todo.push(...p.children);
  }
  return undefined;
}

function findPaths(paths: readonly PathJson[], name: string): PathJson[] {
  const found: PathJson[] = [];
  const todo = [...paths];
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (p.name === name) found.push(p);
    todo.push(...p.children);
  }
  return found;
}

/** Three recordings of the same script: a base, a re-run, and one whose parseConfig does twice the work. */
let recorded: { dir: string; base: string; rerun: string; slow: string } | undefined;
function recordings() {
  if (recorded) return recorded;
  const dir = mkdtempSync(join(tmpdir(), "tsprof-diff-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const script = join(SCRIPTS, "diff_work.ts");
  // Bun's sampler takes fewer, longer samples on a busy machine: more rounds make as sure a profile.
  const rounds = detectRuntime() === "bun" ? ["rounds=90"] : [];
  const paths = { dir, base: join(dir, "base.tsprof"), rerun: join(dir, "rerun.tsprof"), slow: join(dir, "slow.tsprof") };
  for (const [file, args] of [[paths.base, []], [paths.rerun, []], [paths.slow, ["parseConfig=2"]]] as const) {
    const r = tsprof(["-o", file, script, ...args, ...rounds], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
  }
  recorded = paths;
  return paths;
}

test("tsprof diff finds the function whose work doubled, on real profiles", () => {
  const { base, slow } = recordings();
  const r = tsprof(["diff", base, slow, "-r", "json"]);
  assert.equal(r.status, 0, r.stderr);
  const diff = JSON.parse(r.stdout) as DiffJson;
  const parse = findPath(diff.paths, "parseConfig");
  assert.ok(parse, `parseConfig is among the changes: ${tsprof(["diff", base, slow, "--all"]).stdout}`);
  // Slower for sure in the CPU time each run got (z > 0), whatever a busy machine did to the milliseconds.
  assert.ok(parse.total.significant && parse.total.z > 0, JSON.stringify(parse.total));
  const text = tsprof(["diff", base, slow, "--no-color"]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^\s+\S+ m?s\s+[+-]\S+ m?s\s+[+-][\d.]+%\s+(sure|likely)\s+\S* ?parseConfig  \S*test\/fixtures\/scripts\/diff_work\.ts:\d+$/m, text.stdout);
});

test("tsprof diff calls nothing significant between two runs of the same script, nor a profile and itself", () => {
  const { base, rerun } = recordings();
  for (const [a, b] of [[base, rerun], [base, base]]) {
    const r = tsprof(["diff", a!, b!, "-r", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const diff = JSON.parse(r.stdout) as DiffJson;
    assert.deepEqual(diff.paths.map((p) => p.name), [], tsprof(["diff", a!, b!, "--all"]).stdout);
    assert.deepEqual(diff.functions.map((f) => f.name), []);
    if (a === b) assert.equal(diff.total.deltaMs, 0);
  }
  const text = tsprof(["diff", base, base]);
  assert.match(text.stdout, /No change the samples support/);
  assert.match(text.stdout, /--all shows every path with its change/);
  // --flat lists functions: its notes say so.
  const flat = tsprof(["diff", base, base, "--flat"]);
  assert.match(flat.stdout, /--all shows every function with its change/);
  assert.match(tsprof(["diff", base, base, "--flat", "--all"]).stdout, /every function shown; `~`/);
});

test("tsprof diff --fold-recursion shows a function that calls itself as one path, as the tree does", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-diff-"));
  try {
    const file = join(dir, "golden.tsprof");
    const r = tsprof(["-o", file, join(SCRIPTS, "golden.ts")]);
    assert.equal(r.status, 0, r.stderr);
    const nested = (args: string[]) => {
      const d = tsprof(["diff", file, file, "--all", "-r", "json", ...args]);
      assert.equal(d.status, 0, d.stderr);
      const fibs = findPaths((JSON.parse(d.stdout) as DiffJson).paths, "fib");
      assert.ok(fibs.length > 0, d.stdout);
      return fibs.some((f) => f.children.some((c) => c.name === "fib"));
    };
    assert.equal(nested([]), true, "unfolded, fib calls fib");
    assert.equal(nested(["--fold-recursion"]), false, "folded, no fib below fib");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsprof diff --flat lists functions; -r markdown renders on GitHub; -o .html writes the flame graph page", () => {
  const { dir, base, slow } = recordings();
  const flat = tsprof(["diff", base, slow, "--flat", "--flat-time", "total", "--all"]);
  assert.equal(flat.status, 0, flat.stderr);
  assert.match(flat.stdout, /function \(total time\)/);
  assert.match(flat.stdout, /parseConfig/);
  const md = tsprof(["diff", base, slow, "-r", "markdown"]);
  assert.equal(md.status, 0, md.stderr);
  const html = toHtml(md.stdout);
  assert.match(html, /<h3>tsprof diff: /);
  assert.match(html, /<code>parseConfig<\/code>/);
  const page = join(dir, "diff.html");
  const r = tsprof(["diff", base, slow, "-o", page]);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(page, "utf8");
  assert.match(text, /^<!doctype html>/);
  assert.match(text, /class="bar"[^>]*title="parseConfig/);
  assert.ok(!readdirSync(dir).some((f) => f.endsWith(".tmp")), "no temp file left");
});

test("tsprof check exits 1 on a broken budget or a regression, 0 when kept, 2 on bad input", () => {
  const { dir, base, rerun, slow } = recordings();
  const broken = tsprof(["check", slow, "--max", "parseConfig=1ms", "--max-total", "1h"]);
  assert.equal(broken.status, 1, broken.stderr);
  assert.match(broken.stdout, /1 of 2 budgets broken\n  FAIL  parseConfig: .*, over its max of 1 ms/);
  const kept = tsprof(["check", slow, "--max", "parseConfig=1h", "--max-share", "lodash=10%"]);
  assert.equal(kept.status, 0, kept.stdout + kept.stderr);
  assert.match(kept.stdout, /lodash: 0%, within its max share of 10% \(not in the profile\)/);
  const regression = tsprof(["check", slow, "--base", base, "--max-regression", "10%"]);
  assert.equal(regression.status, 1, regression.stdout + regression.stderr);
  assert.match(regression.stdout, /FAIL .*parseConfig/);
  const rerunOk = tsprof(["check", rerun, "--base", base, "--max-regression", "10%"]);
  assert.equal(rerunOk.status, 0, rerunOk.stdout + rerunOk.stderr);
  const budgets = join(dir, "budgets.json");
  writeFileSync(budgets, JSON.stringify({ max: { parseConfig: "1ms" } }));
  const md = tsprof(["check", slow, "--budget", budgets, "-r", "markdown"]);
  assert.equal(md.status, 1);
  assert.match(toHtml(md.stdout), /<li>❌ parseConfig: /);
  writeFileSync(join(dir, "bad.json"), '{"maxTime": "1s"}');
  for (const args of [["check", slow, "--budget", join(dir, "bad.json")], ["check", slow], ["check", join(dir, "none.tsprof"), "--max", "f=1ms"], ["check", slow, "--max", "f=soon"], ["check", slow, "--max-share", "lodash=150%"]]) {
    const r = tsprof(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^tsprof check: [^\n]+\n$/, "one line, no stack trace");
  }
  const diffBad = tsprof(["diff", slow]);
  assert.equal(diffBad.status, 2);
  assert.match(diffBad.stderr, /^tsprof diff: diff needs two profiles/);
  const diffUses: [string[], RegExp][] = [
    [["-o", join(dir, "nodir", "d.html")], /^tsprof diff: cannot write "[^"]*d\.html": the folder "[^"]*nodir" does not exist\n$/],
    [["-o", join(dir, "d.weird")], /^tsprof diff: cannot tell the format of "[^"]*d\.weird" from its name \(\.json, \.md, \.html, \.txt\): add -r <renderer>\n$/],
    [["-r", "xml"], /^tsprof diff: unknown renderer "xml": choose one of /],
    [["--bogus"], /^tsprof diff: unknown option "--bogus"\n$/],
  ];
  for (const [args, message] of diffUses) {
    const r = tsprof(["diff", slow, slow, ...args]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.ok(!existsSync(join(dir, "d.weird")), "nothing written under a name whose format is unknown");
});

test("tsprof --check budgets.json script runs and checks in one command", () => {
  const { dir } = recordings();
  const budgets = join(dir, "run-budgets.json");
  writeFileSync(budgets, JSON.stringify({ max: { parseConfig: "1ms" }, maxTotal: "1h" }));
  const r = tsprof(["--check", budgets, "-o", join(dir, "run.tsprof"), join(SCRIPTS, "diff_work.ts")], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /tsprof check: 1 of 2 budgets broken/);
  assert.ok(existsSync(join(dir, "run.tsprof")), "the profile is written before the check");
  writeFileSync(budgets, "{nope");
  const bad = tsprof(["--check", budgets, join(SCRIPTS, "diff_work.ts")], { cwd: dir });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /budgets .*not JSON/);
  assert.doesNotMatch(bad.stderr, /Samples:/, "a bad budgets file costs no run");
});

test("tsprof diff, check and -r markdown read every profile format, of any runtime", () => {
  const files = readdirSync(FORMATS).filter((f) => !f.endsWith(".mjs")).map((f) => join(FORMATS, f));
  assert.ok(files.length >= 8, files.join(", "));
  // pprof, as tsprof writes it from a fixture.
  const pprofDir = mkdtempSync(join(tmpdir(), "tsprof-diff-pprof-"));
  process.on("exit", () => rmSync(pprofDir, { recursive: true, force: true }));
  const pprof = join(pprofDir, "tsprof.pb.gz");
  const written = tsprof(["--load", join(FORMATS, "tsprof.tsprof"), "-o", pprof]);
  assert.equal(written.status, 0, written.stderr);
  files.push(pprof);
  for (const file of files) {
    const self = tsprof(["diff", file, file, "-r", "json"]);
    assert.equal(self.status, 0, `${file}: ${self.stderr}`);
    assert.deepEqual((JSON.parse(self.stdout) as DiffJson).paths, [], file);
    const md = tsprof(["--load", file, "-r", "markdown"]);
    assert.equal(md.status, 0, `${file}: ${md.stderr}`);
    assert.ok(new TextEncoder().encode(md.stdout).length <= 10240);
    assert.match(toHtml(md.stdout), /<code>spinA<\/code>/, file);
    const check = tsprof(["check", file, "--max", "spinA=1ms"]);
    assert.equal(check.status, 1, `${file}: ${check.stdout}${check.stderr}`);
  }
  // Node against Bun, Deno against Chrome: the same functions are matched, not called new.
  for (const [a, b] of [["node20.cpuprofile", "bun.cpuprofile"], ["deno.cpuprofile", "chrome.cpuprofile"]]) {
    const r = tsprof(["diff", join(FORMATS, a!), join(FORMATS, b!), "-r", "json", "--all"]);
    assert.equal(r.status, 0, r.stderr);
    const spinA = (JSON.parse(r.stdout) as DiffJson).functions.find((f) => f.name === "spinA");
    assert.ok(spinA && spinA.total.deltaMs !== undefined, `${a} vs ${b}`);
    const md = tsprof(["diff", join(FORMATS, a!), join(FORMATS, b!), "-r", "markdown"]);
    assert.equal(md.status, 0, md.stderr);
    toHtml(md.stdout);
  }
});

test("tsprof diff and check find a shared hot helper that doubled in every caller, and call the untouched code unchanged", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-diff-"));
  try {
    const script = join(SCRIPTS, "shared_helper.ts");
    const rounds = detectRuntime() === "bun" ? ["rounds=60"] : [];
    const base = join(dir, "base.tsprof");
    const slow = join(dir, "slow.tsprof");
    for (const [file, factor] of [[base, "checksum=1"], [slow, "checksum=2"]] as const) {
      const r = tsprof(["-o", file, script, factor, ...rounds], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
    }
    const all = () => tsprof(["diff", base, slow, "--all"]).stdout;
    const r = tsprof(["diff", base, slow, "-r", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const diff = JSON.parse(r.stdout) as DiffJson;
    // The helper is most of the run: compared with "the rest of the run", which holds the helper's other caller, it looked like the machine.
    // Bun's JIT may inline load and save: then the helper's paths are under (module).
    const helperPaths = findPaths(diff.paths, "checksum");
    assert.ok(helperPaths.length > 0, all());
    for (const p of helperPaths) assert.ok(p.total.significant && p.total.z > 0, `every path to checksum is slower: ${all()}`);
    const helper = diff.functions.find((f) => f.name === "checksum");
    assert.ok(helper && helper.self.significant && helper.self.z > 0, `checksum's own time grew: ${all()}`);
    assert.equal(findPath(diff.paths, "layout"), undefined, `layout did not change: ${all()}`);
    assert.ok(!diff.functions.some((f) => f.name === "layout"), `layout did not change: ${all()}`);
    const check = tsprof(["check", slow, "--base", base, "--max-regression", "30%"]);
    assert.equal(check.status, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /FAIL .*checksum/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
