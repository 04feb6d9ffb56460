/**
 * `tsprof -- <command>`: runs any command (`node --test`, `bun test`,
 * `deno test -A`, `npm test`) so that every Node, Bun and Deno process it
 * starts is profiled, each writing its own session into the run's directory,
 * and merges those into one session with a profile per process.
 *
 * How each runtime is reached, without touching the command:
 * - Node: `NODE_OPTIONS` gets `--import=<tree preload>`, which every Node
 *   process honours (Node 20 included) except `node --test`'s runner: it
 *   skips `--import`, and Node creates it without an inspector ("This
 *   Environment was initialized without a V8::Inspector", measured through
 *   `--require`), so it cannot be profiled in-process. The runner mostly
 *   waits for the test-file processes, which are profiled.
 * - Bun: `BUN_OPTIONS` gets `--cpu-prof` and `--preload=<tree preload>`. Bun's
 *   own profiler writes a file even after `process.exit()`, which the
 *   inspector cannot; the preload stands aside where it runs, and records
 *   `bun test`, which ignores the flag.
 * - Deno: nothing in the environment adds a preload, so a `deno` shim first
 *   on PATH runs the real one with `--preload` for `run`, `test`, `bench`
 *   and `serve`; for `run` also with `--cpu-prof`, which writes a profile
 *   after `Deno.exit()` (the preload then only notes the process's name),
 *   while `deno test` and `deno bench` reject it. npm prepends
 *   `node_modules/.bin` to PATH for scripts, so npm's script shell is set to
 *   one that puts the shim first again.
 *
 * @module
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { mergeSessions } from "../format/merge.ts";
import { BUN_PROFILES, cpuProfFlags, DENO_CPU_PROF_ENV, DENO_PROFILES, DENO_SUBCOMMAND_ENV, REAL_DENO_ENV } from "./protocol.ts";
import { sessionFromJson } from "../format/session_json.ts";
import type { Session, SessionMeta } from "../format/types.ts";
import { uncoveredTime, withUnprofiledTime } from "../import/unprofiled_time.ts";

/** What the child needs: its argv and the environment to add. */
export interface TreeSetup {
  readonly argv: string[];
  readonly env: Record<string, string>;
}

/**
 * The tree preload: the npm build's when there is one, else the source.
 * The build needs no package resolution, while a source checkout's bare
 * imports resolve only through its own deno.json, which Deno does not see
 * from a project elsewhere; and Node 20 runs no TypeScript.
 */
function preloadPath(): string {
  if (!import.meta.url.endsWith(".ts")) return fileURLToPath(new URL("./tree_preload.js", import.meta.url));
  const built = fileURLToPath(new URL("../../dist/tree_preload.js", import.meta.url));
  return existsSync(built) ? built : fileURLToPath(new URL("./child/tree_preload.ts", import.meta.url));
}

/** The preload as Node loads it: the build as it is, the source through tsx. */
function nodeImports(): string[] {
  const preload = pathToFileURL(preloadPath()).href;
  return preload.endsWith(".js") ? [preload] : [import.meta.resolve("tsx"), preload];
}

/** A value for NODE_OPTIONS, quoted where it has spaces. */
function nodeOption(flag: string, value: string): string {
  return /\s/.test(value) ? `${flag}="${value.replace(/(["\\])/g, "\\$1")}"` : `${flag}=${value}`;
}

const shQuote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Prepares `dir` (shims, the runner hook) and returns how to start
 * `command` so that its processes are profiled.
 */
export function treeSetup(command: readonly string[], dir: string, intervalMs = 1): TreeSetup {
  const env: Record<string, string> = {};
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const imports = nodeImports();
  // No --inspect flag here: Node's test runner (and other tools) read NODE_OPTIONS and run tests one
  // at a time under an inspector. The preload sets the port SIGUSR1 opens (stuck_child.ts).
  const nodeOptions = [process.env.NODE_OPTIONS ?? "", ...imports.map((i) => nodeOption("--import", i))];
  env.NODE_OPTIONS = nodeOptions.filter((o) => o !== "").join(" ");
  // Bun's own --cpu-prof too: unlike the preload's inspector, which answers
  // too late, it writes a profile when a process ends with process.exit().
  // Where it runs, the preload stands aside (`bun test` ignores the flag).
  const bunCpuProf = cpuProfFlags(join(dir, BUN_PROFILES), intervalMs);
  env.BUN_OPTIONS = [process.env.BUN_OPTIONS ?? "", ...bunCpuProf, `--preload=${preloadPath()}`].filter((o) => o !== "").join(" ");

  const denoCpuProf = cpuProfFlags(join(dir, DENO_PROFILES), intervalMs);
  const shim = join(bin, "deno");
  writeFileSync(
    shim,
    [
      "#!/bin/sh",
      "# tsprof: runs the real deno with tsprof's preload, so that the Deno processes of a profiled command are recorded.",
      `shim_dir=${shQuote(bin)}`,
      `real="$${REAL_DENO_ENV}"`,
      'if [ -z "$real" ]; then',
      '  rest=""; old_ifs="$IFS"; IFS=:',
      '  for d in $PATH; do [ "$d" = "$shim_dir" ] || rest="$rest${rest:+:}$d"; done',
      '  IFS="$old_ifs"',
      '  real=$(PATH="$rest" command -v deno) || { echo "deno: not found" >&2; exit 127; }',
      "fi",
      'case "$1" in',
      // `deno run`: Deno's own --cpu-prof too, which writes its profile after Deno.exit(), unlike the inspector.
      `  run) shift; ${DENO_CPU_PROF_ENV}=1 ${DENO_SUBCOMMAND_ENV}=run exec "$real" run ${denoCpuProf.map(shQuote).join(" ")} --preload ${shQuote(preloadPath())} "$@" ;;`,
      `  test|bench|serve) sub="$1"; shift; ${DENO_CPU_PROF_ENV}= ${DENO_SUBCOMMAND_ENV}="$sub" exec "$real" "$sub" --preload ${shQuote(preloadPath())} "$@" ;;`,
      "esac",
      'exec "$real" "$@"',
      "",
    ].join("\n"),
  );
  chmodSync(shim, 0o755);
  const shell = join(bin, "script-shell");
  writeFileSync(shell, `#!/bin/sh\nPATH=${shQuote(bin)}:"$PATH"; export PATH\nexec ${shQuote(process.env.npm_config_script_shell || "/bin/sh")} "$@"\n`);
  chmodSync(shell, 0o755);
  env.PATH = `${bin}:${process.env.PATH ?? ""}`;
  env.npm_config_script_shell = shell;

  const argv = [...command];
  // `tsprof -- ./node_modules/.bin/deno test`: a path bypasses PATH.
  if (argv[0] !== undefined && basename(argv[0]) === "deno" && argv[0].includes("/")) {
    env[REAL_DENO_ENV] = resolve(argv[0]);
    argv[0] = shim;
  }
  return { argv, env };
}

/** What is done to each session a process wrote, read from `path` (source mapping). */
export type SessionMapper = (session: Session, path: string) => Session;

/**
 * The sessions the command's processes wrote into `dir`, each passed
 * through `map` (with the file it was read from) on its way.
 */
export function collectSessions(dir: string, map: SessionMapper = (s) => s): Session[] {
  const out: Session[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".json") || name.endsWith(".maps.json")) continue;
    try {
      const path = join(dir, name);
      const session = sessionFromJson(JSON.parse(readFileSync(path, "utf8")));
      out.push(map(session, path));
    } catch {
      // A process killed while writing leaves a torn file: skip it.
    }
  }
  return out;
}

/**
 * One session for the whole command, or `undefined` when no process could
 * be profiled. The first process to start names the runtime.
 */
export function treeSession(
  dir: string,
  meta: Omit<SessionMeta, "runtime" | "runtimeVersion">,
  more: readonly Session[] = [],
  map?: SessionMapper,
): Session | undefined {
  const sessions = [...collectSessions(dir, map), ...more];
  if (sessions.length === 0) return undefined;
  const ordered = [...sessions].sort((a, b) => a.meta.startTime - b.meta.startTime);
  const first = ordered[0]!;
  // The command's time no process recorded goes to the first process's main profile: the rows add up to the duration.
  const { before, after } = uncoveredTime(sessions, meta.startTime, meta.durationMs);
  const [main, ...rest] = first.profiles;
  const labelled = main ? { ...first, profiles: [withUnprofiledTime(main, before, after), ...rest] } : first;
  return mergeSessions(ordered.map((s) => (s === first ? labelled : s)), { ...meta, runtime: first.meta.runtime, runtimeVersion: first.meta.runtimeVersion });
}
