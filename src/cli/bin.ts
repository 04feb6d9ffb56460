#!/usr/bin/env node
/**
 * The `tsprof` executable of the npm package.
 *
 * `bunx tsprof` runs this file under Node (its shebang says node), yet the
 * user asked for Bun. bunx marks its children: `npm_lifecycle_event` is
 * "bunx" (and `npm_config_user_agent` starts "bun/" unless an outer npm set
 * it), so the CLI hands over to Bun itself.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import nodeModule from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";

function launchedByBunx(): boolean {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") return false;
  if (process.env.TSPROF_NO_REEXEC !== undefined) return false;
  return process.env.npm_lifecycle_event === "bunx" || (process.env.npm_config_user_agent ?? "").startsWith("bun/");
}

/** The bun that started us (Linux tells through /proc), else the one on PATH. */
function bunPath(): string {
  try {
    const parent = readlinkSync(`/proc/${process.ppid}/exe`);
    if (/\/bun(\.exe)?$/.test(parent)) return parent;
  } catch {
    // Not Linux, or not allowed to look.
  }
  return "bun";
}

if (launchedByBunx()) {
  // Bun drops a "--" that comes right after the script: keep one for `tsprof -- <command>`.
  const args = process.argv.slice(2);
  const r = spawnSync(bunPath(), [fileURLToPath(import.meta.url), ...(args[0] === "--" ? ["--", ...args] : args)], {
    stdio: "inherit",
    env: { ...process.env, TSPROF_NO_REEXEC: "1" },
  });
  process.exitCode = r.status ?? (r.signal === "SIGINT" ? 130 : r.signal === "SIGTERM" ? 143 : 1);
} else {
  // Node 22+ can keep the compiled CLI between runs: its start is time
  // added to every profiled run. Bun answers too, without Node's cache: ask
  // Node only. The cache covers this process alone, never the script's.
  const compileCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof compileCache === "function" && process.versions.bun === undefined) compileCache();
  const { main } = await import("./main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
