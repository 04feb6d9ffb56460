/**
 * tsprof runs what the runtime runs and loses nothing: TypeScript as the
 * runtime itself runs it, a program that does not load gets its own error
 * and exit code, the command's exit code is tsprof's, every pattern given
 * counts, and no output lands over a user's file or goes missing after a
 * run. Scripts run in throwaway projects outside the repository, as a
 * user's would.
 */
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { detectRuntime } from "../../runtimes/auto.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { renderConsole } from "../../src/render/console.ts";
import { test } from "../harness.ts";
import { type Ran, ROOT, run, TEST_DATA_DIR, tsprof } from "../_cli.ts";

const runtime = detectRuntime();
const DENO_SESSION = join(ROOT, "test/fixtures/sessions/deno.json");
/** Node that strips types itself (22.18+, 23.6+, 24): `node script.ts` runs TypeScript. */
const nodeStrips = runtime === "node" && Boolean((process.features as { typescript?: unknown }).typescript);

/** A throwaway project with `files`, removed after `fn`. */
function inProject(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-rules-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How the user runs a TypeScript file without tsprof: `node script.ts`, or tsx where Node cannot. */
function directTs(script: string): string[] {
  if (runtime === "deno") return [process.execPath, "run", "-A", script];
  if (runtime === "bun" || nodeStrips) return [process.execPath, script];
  return [process.execPath, "--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, script];
}

/** The session of a run written with `-o`. */
function readSession(path: string) {
  return sessionFromJson(JSON.parse(readFileSync(path, "utf8")));
}

const SPIN = "function spinHere(ms: number): void {\n  const t = Date.now();\n  while (Date.now() - t < ms) {}\n}\n";

test("tsprof runs a TypeScript file as the runtime runs it: top-level await outside a module package, natively where Node strips types", () => {
  // No package.json: tsx would compile this to CommonJS and fail; Node 22.18+ runs it as a module.
  inProject({ "tla.ts": `${SPIN}const n: number = await Promise.resolve(3);\nspinHere(60);\nconsole.log("tla", n);\n` }, (dir) => {
    const direct = run(directTs("tla.ts"), { cwd: dir });
    const out = join(dir, "out.json");
    const r = tsprof(["-o", out, "tla.ts"], { cwd: dir });
    assert.equal(r.status, direct.status, `tsprof: ${r.stderr}\ndirect: ${direct.stderr}`);
    assert.equal(r.stdout, direct.stdout);
    if (direct.status !== 0) return;
    const frames = readSession(out).profiles[0]!.frames;
    assert.ok(frames.some((f) => f.name === "spinHere"), "the script's own function");
    if (nodeStrips) assert.ok(!frames.some((f) => /[\\/]tsx[\\/]/.test(f.file ?? "")), "Node runs it itself: no tsx");
  });
});

test("tsprof falls back to tsx where Node cannot run the entry as it is: an enum, a TypeScript module imported by its .js name", () => {
  const files = {
    "enum.ts": `enum Colour { Red = 1, Blue }\nconsole.log("enum", Colour.Blue);\n`,
    "lib.ts": `export const v: number = 5;\n`,
    "nodenext.ts": `import { v } from "./lib.js";\nconsole.log("v", v);\n`,
  };
  inProject(files, (dir) => {
    for (const [script, printed] of [["enum.ts", "enum 2\n"], ["nodenext.ts", "v 5\n"]]) {
      const r = tsprof([script!], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, printed);
      assert.ok(!/ExperimentalWarning/.test(r.stderr), r.stderr);
    }
  });
}, { skip: runtime === "deno" ? "Deno resolves and transforms TypeScript itself" : false });

test("tsprof runs an ES module TypeScript entry in a package that says \"type\": \"commonjs\" (npm init's default), through tsx where Node would read it as CommonJS", () => {
  const files = {
    "package.json": `{"name":"app","version":"1.0.0","type":"commonjs"}`,
    "lib.ts": `export const v: number = 5;\n`,
    "main.ts": `import { v } from "./lib.ts";\n${SPIN}spinHere(40);\nconsole.log("v", v);\n`,
    // CommonJS as the package says: Node runs it itself where it strips types.
    "plain.ts": `const { join } = require("node:path");\n${SPIN}spinHere(40);\nconsole.log(join("a", "b"));\n`,
  };
  inProject(files, (dir) => {
    const out = join(dir, "out.json");
    const r = tsprof(["-o", out, "main.ts"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "v 5\n");
    assert.ok(readSession(out).profiles[0]!.frames.some((f) => f.name === "spinHere"), "the script's own function");
    if (runtime === "deno") return;
    const plain = tsprof(["-o", out, "plain.ts"], { cwd: dir });
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, "a/b\n");
    const frames = readSession(out).profiles[0]!.frames;
    assert.ok(frames.some((f) => f.name === "spinHere"), "the script's own function");
    if (nodeStrips) assert.ok(!frames.some((f) => /[\\/]tsx[\\/]/.test(f.file ?? "")), "Node runs it itself: no tsx");
  });
});

test("Node's TypeScript stripper (WebAssembly its module loader calls) is the runtime's work: no wasm rows where a program imports .ts modules while sampled", () => {
  const files: Record<string, string> = {
    "package.json": `{"type":"module"}`,
    "main.ts": `${SPIN}spinHere(30);\nfor (let i = 0; i < 12; i++) {\n  const m = await import(\`./gen/m\${i}.ts\`);\n  m.f1(2);\n}\n`,
  };
  // Modules large enough for their stripping to be sampled.
  const body = Array.from({ length: 300 }, (_, k) => `export const v${k}: { a: number; b: string } = { a: ${k}, b: "x" };\nexport function f${k}(x: number): number { return x * ${k}; }\n`).join("");
  for (let i = 0; i < 12; i++) files[`gen/m${i}.ts`] = body;
  inProject(files, (dir) => {
    const out = join(dir, "out.json");
    const r = tsprof(["-o", out, "main.ts"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const frames = readSession(out).profiles[0]!.frames;
    assert.ok(frames.some((f) => f.name === "spinHere"), "the script's own function");
    assert.deepEqual(frames.filter((f) => f.file?.startsWith("wasm://")).map((f) => f.name).slice(0, 5), [], "wasm frames with a module");
    const shown = tsprof(["--no-color", "main.ts"], { cwd: dir });
    assert.doesNotMatch(shown.stderr, /wasm-function|js-to-wasm/, shown.stderr);
  });
}, { skip: nodeStrips ? false : "Node strips types itself (22.18+) only" });

test("the tsx tsprof runs TypeScript with is tsprof's own: never a frame of the report, whose root is the script", () => {
  // An enum needs tsx on every Node; no package.json: CommonJS, where tsx's loader calls the module.
  const files = { "spin.ts": `enum Step { One = 1 }\n${SPIN}spinHere(200 * Step.One);\n` };
  inProject(files, (dir) => {
    const r = tsprof(["--no-color", "spin.ts"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /spinHere {2}spin\.ts:\d+:\d+/, r.stderr);
    assert.doesNotMatch(r.stderr, /tsx[\\/]dist/, r.stderr);
  });
}, { skip: runtime === "node" ? false : "tsprof loads tsx on Node only" });

const loadErrors: [string, Record<string, string>, string][] = [
  ["the script", { "package.json": `{"type":"module"}`, "bad.ts": "const = ;\n" }, "bad.ts"],
  ["a module it imports", { "package.json": `{"type":"module"}`, "main.ts": `import "./bad.ts";\nconsole.log("never");\n`, "bad.ts": "const = ;\n" }, "main.ts"],
];
for (const [where, files, script] of loadErrors) {
  test(`tsprof gives a syntax error in ${where} the runtime's error and exit code, and no report`, () => {
    inProject(files, (dir) => {
      const direct = run(directTs(script), { cwd: dir });
      const r = tsprof([script], { cwd: dir });
      assert.notEqual(direct.status, 0);
      assert.equal(r.status, direct.status, r.stderr);
      assert.equal(r.stdout, "");
      assert.ok(!/Samples:|load-prev/.test(r.stderr), `no report after the error:\n${r.stderr}`);
      assert.match(r.stderr, /bad\.ts/, "the runtime's own error");
      assert.match(r.stderr.trim().split("\n").at(-1)!, /^tsprof: no report: the program did not start \(exit code \d+\)$/);
    });
  });
}

test("tsprof still reports a program that ran and then threw a SyntaxError of its own", () => {
  inProject({ "json.ts": `${SPIN}spinHere(80);\nJSON.parse("{");\n` }, (dir) => {
    // (No threshold: a slow start on a loaded machine must not fold the spin away.)
    const r = tsprof(["--filter-threshold", "0", "json.ts"], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Samples: \d+/);
    assert.match(r.stderr, /spinHere/);
  });
});

test("tsprof given a profile instead of a script says to view it, in one line", () => {
  inProject({ "old.tsprof": readFileSync(DENO_SESSION, "utf8") }, (dir) => {
    const r = tsprof(["old.tsprof"], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "tsprof: \"old.tsprof\" is a profile, not a script: to open it, run tsprof view old.tsprof\n");
  });
});

test("tsprof -- <command> that runs no JavaScript ends with the command's exit code (0) and says so on one line", () => {
  inProject({ "a.txt": "x" }, (dir) => {
    // (An option before "--": `bun cli.js -- x` would hand the CLI no "--".)
    const r = tsprof(["--no-color", "--", "ls"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "a.txt\n");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /no profile was recorded.*\(exit code 0\)/);
  });
});

test("tsprof -- deno test without -A keeps deno's exit code and says to add -A", () => {
  inProject({ "a_test.ts": `Deno.test("adds", () => { if (1 + 1 !== 2) throw new Error("no"); });\n` }, (dir) => {
    const deno = join(ROOT, "node_modules/.bin/deno");
    const r = tsprof(["--", deno, "test", "a_test.ts"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /no profile was recorded.*Deno processes are profiled only with -A: .* -- \S*deno test -A a_test\.ts/);
  });
}, { skip: runtime === "deno" ? false : "runs Deno's test runner: the Deno run covers it" });

test("tsprof -- bun <...> names the process as the user's command, without tsprof's own flags", () => {
  inProject({}, (dir) => {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, "--", process.execPath, "-e", "const t = Date.now(); while (Date.now() - t < 50) {}"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const names = readSession(out).profiles.map((p) => p.name);
    assert.ok(names.some((n) => /^bun -e const t/.test(n)), names.join(" | "));
    assert.ok(!names.some((n) => /--cpu-prof|--preload/.test(n)), names.join(" | "));
  });
}, { skip: runtime === "bun" ? false : "Bun's tree runs: the Bun run covers it" });

/** Renders the Deno fixture session with `args`; stdout. */
function view(...args: string[]): string {
  const r = tsprof(["--load", DENO_SESSION, ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("tsprof --show/--hide: every pattern given counts, and braces read as in other glob tools", () => {
  const shown = (out: string) => /\d dflt  /.test(out) && !/frames hidden\]  fflate/.test(out);
  assert.ok(!shown(view()), "fflate is folded by default");
  assert.ok(shown(view("--show", "*/nothing/*", "--show", "*/fflate/*")), "the second --show counts");
  assert.ok(shown(view("--show-regex", "/nothing/", "--show-regex", "/fflate/")), "the second --show-regex counts");
  assert.ok(shown(view("--show", "*/{nothing,fflate}/*")), "a brace pattern");
  assert.ok(!/\d recurse  /.test(view("--hide", "*/nothing.ts", "--hide", "*/scripts/golden.ts")), "the second --hide counts");
});

test("tsprof --show-regex with a bad expression names that flag", () => {
  const r = tsprof(["--show-regex", "(", "x.ts"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tsprof: --show-regex: not a valid regular expression: "\("/);
  assert.ok(!/\(\?:/.test(r.stderr), "no internal wrapping shown");
});

test("the console header quotes the program's arguments as a shell would", () => {
  const text = renderConsole({
    version: 1,
    meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: 1, command: ["app.ts", "a", "b c", "it's", ""] },
    profiles: [],
  }, {});
  assert.match(text, /^Program: app\.ts a 'b c' 'it'\\''s' ''$/m);
});

/** The files in `dir`, sorted. */
const ls = (dir: string) => readdirSync(dir).sort();

test("tsprof without -o never writes over the user's files: the default name says tsprof, and a second run takes the next", () => {
  inProject({ "package.json": `{"name":"precious"}`, "package.ts": `console.log("hi");\n` }, (dir) => {
    const first = tsprof(["-r", "json", "package.ts"], { cwd: dir });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /tsprof: wrote tsprof-package\.json/);
    const second = tsprof(["-r", "json", "package.ts"], { cwd: dir });
    assert.match(second.stderr, /tsprof: wrote tsprof-package-2\.json/);
    assert.equal(readFileSync(join(dir, "package.json"), "utf8"), `{"name":"precious"}`);
    assert.deepEqual(ls(dir), ["package.json", "package.ts", "tsprof-package-2.json", "tsprof-package.json"]);
    readSession(join(dir, "tsprof-package.json"));
  });
});

/** Asserts tsprof stopped before running the script: exit 2, one line, the script's output absent. */
function assertStoppedBefore(r: Ran, message: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, "", "the script did not run");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.ok(!/internal error/.test(r.stderr), r.stderr);
}

test("tsprof checks that the output can be written before the script starts", () => {
  // /proc refuses new files, even to root.
  inProject({ "s.ts": `console.log("ran");\n` }, (dir) => {
    assertStoppedBefore(tsprof(["-o", "/proc/out.json", "s.ts"], { cwd: dir }), /cannot write "\/proc\/out\.json": the folder "\/proc" is not writable/);
    assertStoppedBefore(tsprof(["-r", "json", join(dir, "s.ts")], { cwd: "/proc" }), /cannot write the json report into "\." \(\w+\): give -o <file>/);
  });
});

test("tsprof with an unwritable temp folder says so, as an environment problem", () => {
  inProject({ "s.ts": `console.log("ran");\n` }, (dir) => {
    // sysfs takes no new folders, even from root. (Not /proc: Node 24's compile cache loops on mkdir there.)
    const env = { TMPDIR: "/sys", TMP: "/sys", TEMP: "/sys" };
    assertStoppedBefore(tsprof(["s.ts"], { cwd: dir, env }), /cannot create a folder in the temp folder "\/sys" \(\w+\): set TMPDIR/);
  });
});

test("tsprof keeps the session and the script's exit code when the output cannot be written after the run", () => {
  // The script removes the output's folder while it runs: found only at the end.
  const script = `import { rmSync } from "node:fs";\n${SPIN}spinHere(40);\nrmSync("gone", { recursive: true });\nprocess.exitCode = 3;\n`;
  inProject({ "package.json": `{"type":"module"}`, "rm.ts": script, "gone/keep": "" }, (dir) => {
    const env = { TSPROF_DATA_DIR: join(dir, "data") };
    const r = tsprof(["-o", "gone/out.json", "rm.ts"], { cwd: dir, env });
    assert.equal(r.status, 3, r.stderr);
    const m = /^tsprof: cannot write "gone\/out\.json": \w+; the profile is kept: .+ --load-prev (\S+) -o <file>$/m.exec(r.stderr);
    assert.ok(m, r.stderr);
    const again = tsprof(["--load-prev", m[1]!], { cwd: dir, env });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /spinHere/);
  });
});

test("tsprof's hint names the command the user can type: npx/bunx for a project's install, not a bare tsprof", () => {
  inProject({ "s.ts": `console.log("hi");\n`, "package.json": `{"dependencies":{"tsprof":"*"}}` }, (dir) => {
    // The package's files as npm installs them, its dependencies from the repository's node_modules.
    const pkg = join(dir, "node_modules/tsprof");
    mkdirSync(pkg, { recursive: true });
    cpSync(join(ROOT, "dist"), join(pkg, "dist"), { recursive: true });
    copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    const argv = runtime === "deno"
      ? [process.execPath, "run", "-A", join(pkg, "dist/cli.js"), "s.ts"]
      : [process.execPath, join(pkg, "dist/cli.js"), "s.ts"];
    // PATH without any tsprof: as a project's install leaves it.
    const r = run(argv, { cwd: dir, env: { PATH: "/usr/bin:/bin", TSPROF_DATA_DIR: TEST_DATA_DIR } });
    assert.equal(r.status, 0, r.stderr);
    const hint = /^ {4}(.+) --load-prev \S+ \[options\]$/m.exec(r.stderr)?.[1];
    const expected = runtime === "deno" ? /^deno run -A npm:tsprof$/ : runtime === "bun" ? /^bunx tsprof$/ : /^npx tsprof$/;
    assert.match(hint ?? r.stderr, expected);
  });
});
