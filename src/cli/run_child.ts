/**
 * Runs the user's script in a child process of the same runtime, with the
 * profiler preloaded, and hands back how it ended. The child gets the
 * terminal as it is (stdin, stdout, stderr), so the script sees no
 * difference; only tsprof's own output goes elsewhere.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { RuntimeName } from "../../runtimes/auto.ts";
import { CHILD_ENV, type ChildConfig } from "./child_config.ts";
import { UsageError } from "./args.ts";
import { runTempDir } from "./output_file.ts";
import { nodeRunsTypeScript } from "./node_typescript.ts";

/** How the child ended and where its profile is. */
export interface ChildResult {
  /** Exit code the CLI should end with (128 + signal number for a signal). */
  readonly exitCode: number;
  /** The run's temporary directory, which the caller removes. */
  readonly dir: string;
  /**
   * What the preload wrote: the session (Node), or on Deno and Bun, whose
   * profile is the `.cpuprofile` in `dir`, the CPU time.
   */
  readonly outFile: string;
  /** Epoch ms when the child was started. */
  readonly startTime: number;
}

const SIGNAL_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGKILL: 137, SIGTERM: 143 };
const TS_EXTENSIONS = /\.(?:ts|mts|cts|tsx)$/;

/** Files of this module's package, to find the preloads from source or dist. */
function sibling(name: string): string {
  const fromSource = import.meta.url.endsWith(".ts");
  return fileURLToPath(new URL(fromSource ? `./${name}.ts` : `./${name}.js`, import.meta.url));
}

/** The argv that runs `command` under the profiler on `runtime`. */
export function childArgv(runtime: RuntimeName, command: readonly string[], intervalMs: number, dir: string, backend: ChildConfig["backend"] = "auto"): string[] {
  const [script, ...args] = command;
  if (script === undefined) throw new UsageError("no script given");
  if (!existsSync(script)) throw new UsageError(`cannot find the script "${script}"`);
  const exec = process.execPath;
  switch (runtime) {
    case "node": {
      const loader = TS_EXTENSIONS.test(script) && !nodeRunsScript(runtime, script, backend) ? ["--import", import.meta.resolve("tsx")] : [];
      return [exec, ...loader, "--import", pathToImport(sibling("preload")), script, ...args];
    }
    case "bun":
      // The portable backend records in-process and writes a session, as on Node.
      if (backend === "portable") return [exec, "--preload", sibling("preload"), script, ...args];
      return [
        exec, "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${Math.max(1, Math.round(intervalMs * 1000))}`,
        "--preload", sibling("bun_preload"), script, ...args,
      ];
    case "deno":
      return [
        exec, "run", "-A", "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${Math.max(1, Math.round(intervalMs * 1000))}`,
        "--preload", sibling("deno_preload"), script, ...args,
      ];
    default:
      throw new UsageError("cannot run a script on this runtime");
  }
}

/** Node runs the TypeScript script itself (see node_typescript.ts); the portable backend's hooks expect JavaScript. */
function nodeRunsScript(runtime: RuntimeName, script: string | undefined, backend: ChildConfig["backend"]): boolean {
  return runtime === "node" && backend !== "portable" && script !== undefined && nodeRunsTypeScript(script);
}

function pathToImport(path: string): string {
  return new URL(`file://${resolve(path)}`).href;
}

/**
 * Runs the command and waits for it. SIGINT and SIGTERM sent to tsprof are
 * passed on; a child still running after a third Ctrl-C is killed.
 */
export function runChild(
  runtime: RuntimeName,
  command: readonly string[],
  intervalMs: number,
  backend: ChildConfig["backend"] = "auto",
  tree?: (dir: string) => { argv: string[]; env: Record<string, string> },
): Promise<ChildResult> {
  const dir = runTempDir();
  const out = join(dir, "session.json");
  // `tsprof -- <command>`: every process of the command writes into `dir`.
  const setup = tree?.(dir);
  const argv = setup?.argv ?? childArgv(runtime, command, intervalMs, dir, backend);
  const config: ChildConfig = {
    out,
    intervalMs,
    command: [...command],
    ...(backend !== "auto" ? { backend } : {}),
    ...(!setup && nodeRunsScript(runtime, command[0], backend) ? { tsxFallback: import.meta.resolve("tsx") } : {}),
    ...(setup ? { dir } : {}),
  };
  const startTime = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: "inherit",
      env: { ...process.env, ...setup?.env, [CHILD_ENV]: JSON.stringify(config) },
    });
    // Ctrl-C in a terminal reaches the child directly (same process group);
    // a signal sent to tsprof alone is passed on if the child is still running
    // shortly after, so the child never gets the same signal twice at once.
    let interrupts = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const forward = (signal: NodeJS.Signals) => () => {
      if (signal === "SIGINT" && ++interrupts >= 3) {
        child.kill("SIGKILL");
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      }, 200);
      timers.add(t);
    };
    const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const cleanup = () => {
      for (const [s, h] of handlers) process.off(s, h);
      for (const t of timers) clearTimeout(t);
    };
    child.on("error", (e) => {
      cleanup();
      reject(new UsageError(`cannot start "${argv[0]}": ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      cleanup();
      const exitCode = code ?? (signal ? (SIGNAL_CODES[signal] ?? 128) : 1);
      resolvePromise({ exitCode, dir, outFile: out, startTime });
    });
  });
}
