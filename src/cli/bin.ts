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
import { readlinkSync } from "node:fs";
import nodeModule from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { NO_REEXEC_ENV, RELAY_PID_ENV } from "./protocol.ts";

function launchedByBunx(): boolean {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") return false;
  if (process.env[NO_REEXEC_ENV] !== undefined) return false;
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
  const { relayToBun } = await import("./bun_relay.ts");
  process.exitCode = await relayToBun(bunPath(), [fileURLToPath(import.meta.url), ...(args[0] === "--" ? ["--", ...args] : args)]);
} else {
  // Node 22+ can keep the compiled CLI between runs: its start is time
  // added to every profiled run. Bun answers too, without Node's cache: ask
  // Node only. The cache covers this process alone, never the script's.
  const compileCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof compileCache === "function" && process.versions.bun === undefined) compileCache();
  // Relayed from Node by bunx: end with the relay if it is killed outright.
  if (process.env[RELAY_PID_ENV] !== undefined) (await import("./bun_relay.ts")).endWithRelay(Number(process.env[RELAY_PID_ENV]));
  const { main } = await import("./main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
