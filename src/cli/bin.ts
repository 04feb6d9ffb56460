#!/usr/bin/env node
/**
 * The `tsprof` executable of the npm package.
 *
 * `bunx tsprof` runs this file under Node (its shebang says node), yet the
 * user asked for Bun: bunx marks its children with `npm_config_user_agent`
 * "bun/…", so the CLI hands over to Bun itself.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "./main.ts";

const launchedByBun = (process.env.npm_config_user_agent ?? "").startsWith("bun/") &&
  typeof (globalThis as { Bun?: unknown }).Bun === "undefined" && process.env.TSPROF_NO_REEXEC === undefined;

if (launchedByBun) {
  const bun = process.env.BUN_EXEC_PATH ?? process.env.BUN ?? "bun";
  const r = spawnSync(bun, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, TSPROF_NO_REEXEC: "1" },
  });
  process.exitCode = r.status ?? 1;
} else {
  process.exitCode = await main(process.argv.slice(2));
}
