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
import { readFileSync, readlinkSync } from "node:fs";
import nodeModule from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { NO_REEXEC_ENV, RELAY_PID_ENV } from "./protocol.ts";
import { privateCacheDir } from "./cache_dir.ts";
import { denoPermissionsProblem } from "./deno_permissions.ts";

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

/**
 * The arguments after this script. Bun drops the first `--` that follows a
 * script from `process.argv` (`bun cli.js -- bun x.ts` gives `bun x.ts`), and
 * `tsprof -- <command>` needs it: Linux still has it in /proc.
 */
function ownArgs(): string[] {
  const args = process.argv.slice(2);
  if (process.versions.bun === undefined) return args;
  try {
    const raw = readFileSync("/proc/self/cmdline", "utf8").split("\0").slice(0, -1);
    const tail = raw.slice(raw.length - args.length - 1);
    if (tail.length === args.length + 1 && tail[0] === "--" && args.every((a, i) => a === tail[i + 1])) return ["--", ...args];
  } catch {
    // Not Linux: Bun's argv as it is.
  }
  return args;
}

const denoProblem = denoPermissionsProblem();
if (denoProblem !== undefined) {
  console.error(denoProblem);
  process.exitCode = 2;
} else if (launchedByBunx()) {
  // Bun drops a "--" that comes right after the script; ownArgs() takes it back under Bun.
  const { relayToBun } = await import("./bun_relay.ts");
  process.exitCode = await relayToBun(bunPath(), [fileURLToPath(import.meta.url), ...process.argv.slice(2)]);
} else {
  // Node 22+ can keep the compiled CLI between runs: its start is time
  // added to every profiled run. Bun answers too, without Node's cache: ask
  // Node only. The cache covers this process alone, never the script's,
  // and is kept in tsprof's own cache (Node's default is the shared temp
  // folder) unless the user names one.
  const compileCache = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (typeof compileCache === "function" && process.versions.bun === undefined) {
    const dir = process.env.NODE_COMPILE_CACHE ? undefined : privateCacheDir("node-compile");
    if (dir !== undefined || process.env.NODE_COMPILE_CACHE) compileCache(dir);
  }
  // Relayed from Node by bunx: end with the relay if it is killed outright.
  if (process.env[RELAY_PID_ENV] !== undefined) (await import("./bun_relay.ts")).endWithRelay(Number(process.env[RELAY_PID_ENV]));
  const { main } = await import("./main.ts");
  process.exitCode = await main(ownArgs());
}
