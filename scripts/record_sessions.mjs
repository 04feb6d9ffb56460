// Records test/fixtures/sessions/<runtime>.json: tsprof sessions of
// test/fixtures/scripts/golden.ts on Node, Deno and Bun, with the checkout's
// path replaced by /project (and the home directory by /home/user) so the
// files do not depend on where they were made. The golden tests render these
// files; rerun this only to refresh them, then regenerate the goldens with
// TSPROF_UPDATE_GOLDEN=1 node test/run_all.mjs golden.
// Usage: node scripts/record_sessions.mjs [node|deno|bun...]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = (p) => join(root, "node_modules", p);
const script = "test/fixtures/scripts/golden.ts";
const runtimes = {
  node: [process.execPath, "dist/cli.js"],
  deno: [bin("deno/deno"), "run", "-A", "mod.ts"],
  bun: [bin("bun/bin/bun.exe"), "dist/cli.js"],
};
const chosen = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(runtimes);

const build = spawnSync(process.execPath, [bin("tsup/dist/cli-default.js")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(1);
const tmp = mkdtempSync(join(tmpdir(), "tsprof-record-"));
try {
  for (const name of chosen) {
    const out = join(tmp, `${name}.json`);
    const [cmd, ...args] = runtimes[name];
    const r = spawnSync(cmd, [...args, "-r", "json", "-o", out, script], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`${name}: tsprof exited ${r.status}`);
    const text = readFileSync(out, "utf8").split(root.replace(/\/$/, "")).join("/project").split(homedir()).join("/home/user");
    const session = JSON.parse(text);
    delete session.$schema;
    writeFileSync(join(root, "test/fixtures/sessions", `${name}.json`), `${JSON.stringify(session)}\n`);
    console.log(`recorded test/fixtures/sessions/${name}.json`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
