/**
 * Runs the tsprof CLI as a user would on the runtime the tests run on: the
 * npm build on Node and Bun, `mod.ts` on Deno.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { detectRuntime } from "../runtimes/auto.ts";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));
/** Fixture scripts. */
export const SCRIPTS: string = join(ROOT, "test/fixtures/scripts");

/**
 * The data directory tsprof keeps sessions in during the tests
 * (`TSPROF_DATA_DIR`), so that no test writes to the user's own; removed
 * when the test run ends.
 */
export const TEST_DATA_DIR: string = mkdtempSync(join(tmpdir(), "tsprof-data-"));
process.on("exit", () => rmSync(TEST_DATA_DIR, { recursive: true, force: true }));

/** The argv that starts tsprof on this runtime. */
export function tsprofArgv(): string[] {
  return detectRuntime() === "deno" ? [process.execPath, "run", "-A", join(ROOT, "mod.ts")] : [process.execPath, join(ROOT, "dist/cli.js")];
}

/** The argv that runs a script directly on this runtime, as its user would. */
export function directArgv(script: string): string[] {
  switch (detectRuntime()) {
    case "deno":
      return [process.execPath, "run", "-A", script];
    case "bun":
      return [process.execPath, script];
    default:
      return [process.execPath, "--import", "tsx", script];
  }
}

/** What a finished command printed and how it ended. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end. */
export function run(argv: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Ran {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: TEST_DATA_DIR, ...options.env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Runs tsprof with `args`. */
export function tsprof(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Ran {
  return run([...tsprofArgv(), ...args], options);
}

/**
 * Starts tsprof in its own process group, waits until its stdout says
 * `ready`, sends `signal` to the whole group (as a terminal's Ctrl-C does)
 * and waits for the end.
 */
export function tsprofSignalled(args: readonly string[], signal: "SIGINT" | "SIGTERM", options: { argv?: readonly string[]; env?: Record<string, string> } = {}): Promise<Ran> {
  const argv = [...(options.argv ?? tsprofArgv()), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: TEST_DATA_DIR, ...options.env } });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no end within 60 s; stdout: ${stdout}; stderr: ${stderr}`));
    }, 60_000);
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      stdout += d;
      if (!sent && stdout.includes("ready")) {
        sent = true;
        spawnSync("kill", [`-${signal.slice(3)}`, "--", `-${child.pid}`]);
      }
    });
    child.stderr!.on("data", (d: string) => (stderr += d));
    child.on("close", (code, sig) => {
      clearTimeout(deadline);
      resolve({ status: code ?? (sig ? -1 : null), stdout, stderr });
    });
  });
}

/**
 * Whether process `pid` has ended (a zombie has: it only waits to be
 * reaped). Tests check that every process they started is gone.
 */
export function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
