/**
 * The CLI's second half, loaded while the profiled script runs: reads the
 * child's profile, maps it to the sources, renders it and writes it where
 * it belongs. Kept apart from `main.ts` so that the script starts before
 * any of this code (renderers, importers, source maps, compression) is
 * loaded.
 *
 * @module
 */
import { uneditFrames } from "../async/edit_inserts.ts";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { RuntimeName } from "../../runtimes/auto.ts";
import { compactProfile } from "../format/builder.ts";
import { asWritten } from "../format/microseconds.ts";
import type { Profile, Session } from "../format/types.ts";
import type { Renderer, RenderOptions } from "../render/registry.ts";
import { CONSOLE_RENDERER } from "../render/console_renderer.ts";
import { sessionFromJson } from "../format/session_json.ts";
import { ProfileFormatError } from "../errors.ts";
import { type CliOptions, UsageError } from "./args.ts";
import type { ChildResult } from "./run_child.ts";
import { cpuProfilesByProcess, importProcess } from "./cpu_profile_files.ts";
import { keepSession, listSavedSessions, savedSessionPath, sessionsDir } from "./saved_sessions.ts";
import { awaitsNotEditedWarning, BUN_PROFILES, type BunThreadNote, childMapsPath, DENO_PROFILES, workerSessionFiles } from "./protocol.ts";
import { mapChildSession, placeBunFrames, readText, sourceLines } from "./source_maps.ts";
import { labelAwaits } from "../async/label_awaits.ts";
import { subjectPackage } from "../tree/subject_package.ts";
import { sessionWithRuntimeLabels } from "../import/runtime_time.ts";
import type { ChargeChildAwaits, ChildWaitsNote } from "./child_awaits.ts";
import { unpackWaits } from "../async/packed_waits.ts";
import { htmlTempPath, openReport } from "./open_report.ts";
import { treeSession } from "./run_tree.ts";
import { labelPreloadSetup, labelProfileStartup, labelStartup, programFileTest } from "./startup_label.ts";
import { VERSION } from "../version.ts";
import { defaultOutputName, OutputWriteError, writeNew, writeReplacing } from "./output_file.ts";
import { ownCommand } from "./own_command.ts";
import { neverStarted } from "./never_started.ts";
import { shellLine } from "../render/shell_quote.ts";
import { toolPathsFrom } from "../tool_paths.ts";
import { escapeRegExp } from "../paths.ts";
import { useColor } from "../render/color_policy.ts";
import { type PhaseTimer, phaseTimer } from "./timings.ts";
import { framesFirst, type FramesFirst } from "./frames_first.ts";
import { checkAfterRun } from "./budget_file.ts";

/**
 * Where tsprof's own code lives; its frames are never shown. That includes
 * the tsx that tsprof loads to run TypeScript Node cannot run itself: its
 * loader calls the script's module, and would otherwise be the report's root.
 */
function toolPaths(): string[] {
  return [...ownPaths(), ...tsxPath()];
}

/**
 * tsprof's own files, without tsx: what tsx does before the program runs is
 * transpiling the program's modules, which is module loading, not tsprof's
 * start-up (a `tsx script.ts` run pays it too).
 */
function ownPaths(): string[] {
  return toolPathsFrom(import.meta.url, fileURLToPath);
}

/** The folder of the tsx package tsprof runs TypeScript with (`…/tsx/`), where it resolves. */
function tsxPath(): string[] {
  try {
    // import.meta.resolve("tsx") is …/tsx/dist/loader.mjs.
    return [resolve(dirname(fileURLToPath(import.meta.resolve("tsx"))), "..") + "/"];
  } catch {
    return [];
  }
}

/** `--load <file>`: renders a saved or foreign profile. */
export async function showLoaded(options: CliOptions & { load: string }, format: string): Promise<void> {
  const [{ loadSession }, renderer] = await Promise.all([import("./load_session.ts"), rendererFor(format)]);
  const session = loadSession(options.load);
  // A foreign profile knows no working directory: paths under this one are shown relative to it.
  const withCwd = session.meta.cwd === undefined ? { ...session, meta: { ...session.meta, cwd: process.cwd() } } : session;
  emit(withCwd, renderer, options, false);
}

/** `--load-prev <id>`: renders a session kept by an earlier run. */
export async function showPrevious(options: CliOptions & { loadPrev: string }, format: string): Promise<void> {
  const path = savedSessionPath(options.loadPrev);
  if (!path) throw new UsageError(noSavedSession(options.loadPrev));
  const [{ loadSessionAsIs }, renderer] = await Promise.all([import("./load_session.ts"), rendererFor(format)]);
  emit(loadSessionAsIs(path), renderer, options, false);
}

/**
 * The renderer of `format`: the console report's at once, any other's by
 * loading all of them (main.ts starts that while the program runs).
 */
export function rendererFor(format: string): Promise<Renderer> {
  if (format === CONSOLE_RENDERER.name) return Promise.resolve(CONSOLE_RENDERER);
  return import("../render/registry.ts").then((r) => r.rendererByName(format)!);
}

/** A session file a preload wrote: tsprof's JSON, read without the importers of other formats. */
function readChildSession(path: string): Session {
  const text = readFileSync(path, "utf8");
  try {
    return sessionFromJson(JSON.parse(text));
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof TypeError || e instanceof RangeError) throw new ProfileFormatError(path, e.message.replace(/\s+/g, " "), { cause: e });
    throw e;
  }
}

/**
 * After a script's run: its session, rendered and written, then kept for
 * `--load-prev`. Returns the exit code the CLI ends with.
 */
export async function finishRun(runtime: RuntimeName, child: ChildResult, options: CliOptions, format: string, early?: Promise<Recorded | undefined>): Promise<number> {
  const timer = phaseTimer("cli");
  const renderer = await rendererFor(format);
  // The child's folder is removed after the report is printed: the report does not wait for it.
  let removed = false;
  const cleanup = () => {
    if (!removed) rmSync(child.dir, { recursive: true, force: true });
    removed = true;
  };
  let read: Recorded;
  try {
    // Read while the child was ending, when it could be; else now, where a failure is told.
    const ready = await early;
    if (ready) timer.mark("early");
    // The waits a Deno or Bun child noted are charged here: each runtime's way loaded for it alone (main.ts starts it early).
    const charge = options.backend === "portable" ? undefined
      : runtime === "deno" ? (await import("./child_awaits.ts")).chargeChildAwaits
      : runtime === "bun" ? (await import("./child_awaits_bun.ts")).chargeBunAwaits
      : undefined;
    read = ready ?? readRun(runtime, child, options, format, timer, charge);
    timer.mark("map");
    if (neverStarted(read.session, options.command[0], child.exitCode, child.outFile)) {
      cleanup();
      process.stderr.write(`tsprof: no report: the program did not start (exit code ${child.exitCode})\n`);
      return child.exitCode;
    }
  } catch (e) {
    cleanup();
    if ((e as { code?: string }).code === "ENOENT" || e instanceof NoProfile) {
      const why = child.stuck?.outcome === "lost"
        ? `the program was stuck in synchronous code when ${child.stuck.signal} came, and was ended without it: ${child.stuck.reason}`
        : "the program ended before it could be written";
      process.stderr.write(`tsprof: no profile was recorded: ${why} (exit code ${child.exitCode})\n`);
      return child.exitCode;
    }
    throw e;
  }
  noteStuck(child);
  try {
    return show(read, options, renderer, child.exitCode, timer, cleanup);
  } finally {
    cleanup();
  }
}

/**
 * A run's session read from what the child left, mapped to the sources and
 * labelled: all the report needs but the child's exit code.
 */
function readRun(runtime: RuntimeName, child: ChildResult, options: CliOptions, format: string, timer?: PhaseTimer, chargeAwaits?: ChargeChildAwaits): Recorded {
  // The portable backend writes a session whose positions are the sources' already.
  const portable = options.backend === "portable";
  if (runtime === "node" || portable) return readSessionFile(child, portable, timer);
  const read = cpuProfileSession(runtime, child, options, format, chargeAwaits);
  timer?.mark("read");
  return labelled(read, false);
}

/** The session a preload wrote (Node's, or the portable backend's), mapped and labelled. */
function readSessionFile(child: Pick<ChildResult, "dir" | "outFile">, portable: boolean, timer?: PhaseTimer): Recorded {
  let session = readChildSession(child.outFile);
  timer?.mark("read");
  session = portable ? session : withWorkers(mapChildSession(session, childMapsPath(child.outFile)), child.dir, child.outFile);
  timer?.mark("map");
  const read = labelled(recorded(labelAwaits(session, readText)), portable);
  timer?.mark("label");
  return read;
}

/** The start-up labelled, in the printed session and the kept one (on Bun placed in full only after printing). */
function labelled(read: Recorded, portable: boolean): Recorded {
  const tools = ownPaths();
  return { session: labelStartup(read.session, portable, tools), complete: () => labelStartup(read.complete(), portable, tools) };
}

/**
 * {@linkcode readRun} for a Node child that has written its session and is
 * still ending (see run_child.ts): `undefined` on any failure, which reading
 * again after the exit then reports.
 */
export function readRunEarly(outFile: string, dir: string, options: CliOptions): Recorded | undefined {
  // Its own phases: they run while the child ends, before the report's.
  const timer = phaseTimer("early");
  try {
    return readSessionFile({ dir, outFile }, options.backend === "portable", timer);
  } catch {
    return undefined;
  } finally {
    timer.flush();
  }
}

/**
 * A run's session as the report needs it, and in full for keeping: on Bun,
 * frames the console report cannot show are placed only after it is printed.
 */
export interface Recorded {
  readonly session: Session;
  complete(): Session;
}

function recorded(session: Session): Recorded {
  return { session, complete: () => session };
}

/** Says that tsprof ended a stuck program from outside, and what was lost. */
function noteStuck(child: ChildResult): void {
  const s = child.stuck;
  if (s === undefined || s.outcome === "own") return;
  const lost = s.outcome === "lost" ? `; ${s.reason}` : "";
  process.stderr.write(`tsprof: the program was stuck in synchronous code and did not answer ${s.signal}: tsprof ended it from outside${lost}\n`);
}

/** A Node child's session with its worker threads' profiles after the main thread's, as `worker <id>`. */
function withWorkers(session: Session, dir: string, outFile: string): Session {
  const workers = workerSessionFiles(readdirSync(dir), outFile).flatMap(({ file, id }) => {
    const path = join(dir, file);
    const worker = mapChildSession(readChildSession(path), childMapsPath(path));
    return worker.profiles.map((p) => ({ ...p, name: `worker ${id}` }));
  });
  return workers.length === 0 ? session : { ...session, profiles: [...session.profiles, ...workers] };
}

/** After `tsprof -- <command>`: one session with a profile per process the command ran. */
export function finishTree(child: ChildResult, options: CliOptions, format: string): Promise<number> {
  let session: Session | undefined;
  try {
    const durationMs = Date.now() - child.startTime;
    const meta = { intervalMs: options.intervalMs, startTime: child.startTime, durationMs, command: options.command, cwd: process.cwd(), exitCode: child.exitCode };
    const more = [...cpuProfSessions(child.dir, "bun", options.intervalMs), ...cpuProfSessions(child.dir, "deno", options.intervalMs)];
    // A Node process wrote the maps only it knew beside its session.
    session = treeSession(child.dir, meta, more, (s, path) => (s.meta.runtime === "node" ? mapChildSession(s, childMapsPath(path)) : s));
    // Each `[await]` named from its source line, as after a run of one process.
    if (session) session = labelAwaits(session, readText);
  } finally {
    rmSync(child.dir, { recursive: true, force: true });
  }
  noteStuck(child);
  if (!session) {
    process.stderr.write(`tsprof: no profile was recorded: no Node, Bun or Deno process of the command could be profiled (exit code ${child.exitCode})${denoHint(options.command)}\n`);
    return Promise.resolve(child.exitCode);
  }
  return showRecorded(session, options, format, child.exitCode);
}

/**
 * Deno runs tsprof's preload only with the permissions to read its setting
 * and write the profile: a `deno` command without them is said why.
 */
function denoHint(command: readonly string[]): string {
  const deno = command.findIndex((a) => /(^|[\\/])deno(\.exe)?$/.test(a));
  if (deno === -1 || command.some((a) => a === "-A" || a === "--allow-all")) return "";
  const withA = [...command.slice(0, deno + 2), "-A", ...command.slice(deno + 2)];
  return `; Deno processes are profiled only with -A: ${ownCommand()} -- ${shellLine(withA)}`;
}

/**
 * The processes of a tree run that their runtime's --cpu-prof recorded
 * (Bun's, and `deno run` through the shim; see child/tree_preload.ts), one
 * session each, named by the preload's note beside the profiles. A process
 * the preload recorded itself is left to its own session.
 */
function cpuProfSessions(dir: string, runtime: "deno" | "bun", intervalMs: number): Session[] {
  const folder = join(dir, runtime === "bun" ? BUN_PROFILES : DENO_PROFILES);
  const recordedInProcess = new Set(readdirSync(dir).map((f) => /^(\d+)-.*\.json$/.exec(f)?.[1]));
  const sessions: Session[] = [];
  for (const files of cpuProfilesByProcess(folder)) {
    if (recordedInProcess.has(files.pid)) continue;
    let note: { name?: string; exitCode?: number; version?: string; main?: string; startTime?: number } & BunThreadNote = {};
    try {
      note = JSON.parse(readFileSync(join(folder, `${files.pid}.json`), "utf8"));
    } catch {
      // A process killed outright leaves no note: its profile is still there.
    }
    try {
      const name = note.name ?? `${runtime} (pid ${files.pid})`;
      const { cpu, profiles, warnings } = importProcess(files, runtime, { name, workerPrefix: `${name} `, intervalMs, entry: note.main, busyMs: note.busyMs, busyAt: note.busyAt, endedAtMs: note.endedAtMs, programFile: programFileTest(ownPaths()) });
      sessions.push({
        version: 1,
        meta: {
          runtime,
          runtimeVersion: note.version ?? "",
          intervalMs,
          // Bun stamps its profile with the wall clock; Deno's clock is monotonic, so its
          // preload noted the wall time at start (its file name carries one too).
          startTime: note.startTime ?? (runtime === "bun" ? cpu.startTime / 1000 : files.time ?? 0),
          durationMs: Math.max(0, cpu.endTime - cpu.startTime) / 1000,
          ...(typeof note.exitCode === "number" ? { exitCode: note.exitCode } : {}),
          ...(warnings.length > 0 ? { warnings } : {}),
        },
        profiles,
      });
    } catch {
      // A torn file from a process killed while writing: skip it, as the preload's are.
    }
  }
  return sessions;
}

/**
 * Renders a recorded session as after a run (also `tsprof attach`'s) and
 * keeps it for `--load-prev`. tsprof loaded no tsx into those processes: a
 * tsx there is the command's own (`node --import tsx`), its work the program's.
 */
export async function showRecorded(session: Session, options: CliOptions, format: string, exitCode: number): Promise<number> {
  return show(recorded(session), options, await rendererFor(format), exitCode, phaseTimer("cli"), undefined, ownPaths());
}

function show(run: Recorded, options: CliOptions, renderer: Renderer, exitCode: number, timer: PhaseTimer, cleanup = () => {}, tools = toolPaths()): number | Promise<number> {
  // emit() adds the --description; the session keeps where tsprof's own code was. The report is
  // drawn from the weights as the kept session and any saved file hold them, each made once.
  const withTools = (s: Session): Session => {
    const written = asWritten(s);
    return { ...written, meta: { ...written.meta, toolPaths: tools } };
  };
  const printed = withTools(run.session);
  let full: Session | undefined;
  const complete = (): Session => {
    if (full === undefined) {
      const session = run.complete();
      full = session === run.session ? printed : withTools(session);
    }
    return full;
  };
  try {
    emit(printed, renderer, options, true);
  } catch (e) {
    if (!(e instanceof OutputWriteError)) throw e;
    keepAfterFailedWrite(complete(), e);
    return exitCode;
  }
  timer.mark("render");
  timer.total("printed");
  // Nothing below changes the report: it is printed already.
  cleanup();
  if (renderer.name === "console" && options.outfile === undefined) offerLoadPrev(complete());
  timer.mark("keep");
  timer.total("total");
  timer.flush();
  // A script that failed keeps its exit code; else a broken budget fails the run.
  if (options.check !== undefined) {
    const check = options.check;
    return import("./load_session.ts").then(({ loadSession }) => checkAfterRun(complete(), check, loadSession)).then((c) => exitCode || c);
  }
  return exitCode;
}

/** The output could not be written after the run: the profile is kept instead, so the run is not lost. */
function keepAfterFailedWrite(session: Session, error: OutputWriteError): void {
  let id: string;
  try {
    id = keepSession(session);
  } catch (e) {
    process.stderr.write(`tsprof: ${error.message}, and the profile could not be kept in "${sessionsDir()}" either (${(e as { code?: string }).code ?? (e as Error).message})\n`);
    return;
  }
  process.stderr.write(`tsprof: ${error.message}; the profile is kept: ${ownCommand()} --load-prev ${id} -o <file>\n`);
}

/**
 * Keeps the session for `--load-prev` and says how to use it. A data
 * directory that cannot be written costs only the offer.
 */
function offerLoadPrev(session: Session): void {
  let id: string;
  try {
    id = keepSession(session);
  } catch {
    return;
  }
  process.stderr.write(`To view this report with different options, run:\n    ${ownCommand()} --load-prev ${id} [options]\n`);
}

function noSavedSession(id: string): string {
  const ids = listSavedSessions();
  if (ids.length === 0) return `no saved session "${id}": none are kept in "${sessionsDir()}" yet`;
  return `no saved session "${id}": the kept ones are ${ids.slice(-3).reverse().map((i) => `"${i}"`).join(", ")}${ids.length > 3 ? ", ..." : ""}`;
}

class NoProfile extends Error {}

/**
 * The session of a Deno or Bun child, which recorded with the runtime's own
 * `--cpu-prof` (Bun's has no idle samples: its gaps are idle time).
 */
function cpuProfileSession(runtime: RuntimeName, child: ChildResult, options: CliOptions, format: string, chargeAwaits?: ChargeChildAwaits): Recorded {
  // The child's own files: a process it forks with its flags writes here too.
  const profiled = cpuProfilesByProcess(child.dir);
  const files = profiled.find((p) => p.pid === String(child.pid)) ?? (profiled.length === 1 ? profiled[0] : undefined);
  if (!files || (runtime !== "deno" && runtime !== "bun")) throw new NoProfile();
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  let noted: { cpuTimeMs?: number } & BunThreadNote & ChildWaitsNote = {};
  try {
    const { waits: packed, ...rest } = JSON.parse(readFileSync(child.outFile, "utf8")) as Omit<typeof noted, "waits"> & { waits?: unknown };
    // The preloads write the waits packed (src/async/packed_waits.ts).
    const waits = packed === undefined ? undefined : unpackWaits(packed);
    noted = waits ? { ...rest, waits } : rest;
  } catch {
    // An uncaught error skips Deno's unload event: CPU time unknown then.
  }
  const cpuTimeMs = noted.cpuTimeMs ?? child.stuck?.cpuTimeMs;
  // The main thread first, then each worker Deno profiled, as profiles of their own.
  const { cpu, profiles, warnings, complete } = importProcess(files, runtime, {
    name: "main",
    workerPrefix: "",
    intervalMs: options.intervalMs,
    entry: options.command[0],
    busyMs: noted.busyMs,
    busyAt: noted.busyAt,
    endedAtMs: noted.endedAtMs,
    waitingMs: waitingOf(noted),
    first: runtime === "bun" && chargeAwaits ? withFilesOfWaits(framesFirst(options, format), noted.waits) : framesFirst(options, format),
    programFile: programFileTest(ownPaths()),
    // Start-up is labelled before mapping, so it needs no map; its idle time after the waits are charged (see labelled()).
    // Bun's columns in the files whose awaits were marked are the edited code's: back to the files as written first.
    beforeMapping: (profile, bun) => compactProfile(labelProfileStartup(labelPreloadSetup(unedited(profile, noted.editInserts), bun.startTime / 1000, noted), false, ownPaths(), true, true)),
  });
  for (const big of noted.awaitsNotEdited ?? []) warnings.push(awaitsNotEditedWarning(big));
  const session: Session = {
    version: 1,
    meta: {
      runtime,
      runtimeVersion: g.Deno?.version.deno ?? g.Bun?.version ?? "",
      intervalMs: options.intervalMs,
      startTime: child.startTime,
      durationMs: Math.max(0, cpu.endTime - cpu.startTime) / 1000,
      ...(typeof cpuTimeMs === "number" ? { cpuTimeMs } : {}),
      command: options.command,
      cwd: process.cwd(),
      exitCode: child.exitCode,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    profiles,
  };
  const whole = () => ({ ...session, profiles: complete() });
  if (chargeAwaits === undefined) return { session, complete: whole };
  const charged = chargeAwaits(session, noted, cpu.startTime / 1000);
  if (charged === session) return { session, complete: whole };
  if (runtime !== "bun") return recorded(charged);
  // The frames the report did not need are placed in the charged profile, once; of the
  // uncharged ones, only the other threads' are still needed.
  let all: Session | undefined;
  return { session: charged, complete: () => (all ??= { ...charged, profiles: [placeBunFrames(charged.profiles[0]!), ...(profiles.length > 1 ? complete().slice(1) : [])] }) };
}

/**
 * Bun's waits are matched to sampled frames at their definitions: the frames
 * of the waits' files are placed before the report, with those it shows.
 */
function withFilesOfWaits(first: FramesFirst | undefined, waits: ChildWaitsNote["waits"]): FramesFirst | undefined {
  if (first === undefined || !Array.isArray(waits) || waits.length === 0) return first;
  const files = new Set(waits.flatMap((w) => w.stack.map((f) => f.file)));
  return (profile) => {
    const marks = first(profile);
    if (marks !== undefined) profile.frames.forEach((f, i) => void (f.file !== undefined && files.has(f.file) && (marks[i] = 1)));
    return marks;
  };
}

/** `profile` with its frames' columns in Bun's edited files taken back to the files as written (see `edit_inserts.ts`). */
function unedited(profile: Profile, inserts: ChildWaitsNote["editInserts"]): Profile {
  return inserts === undefined ? profile : { ...profile, frames: uneditFrames(profile.frames, inserts) };
}

/** When a Bun child's `await`s were pending, epoch ms (see `gap_weights.ts`); `undefined` on Deno or with none. */
function waitingOf(noted: ChildWaitsNote): [number, number][] | undefined {
  const { waits, timeOrigin } = noted;
  if (typeof timeOrigin !== "number" || !Array.isArray(waits) || waits.length === 0) return undefined;
  return waits.map((w) => [timeOrigin + w.start, timeOrigin + w.end]);
}

/**
 * Where none of the program's own code ran (`tsprof -- npx tsc`), the
 * package the command ran is shown as the program's code, and the user is
 * told: as library code, all of it would fold into one line. Not when the
 * user chose what to show or hide.
 */
function subjectShown(session: Session, options: CliOptions): string | undefined {
  if (options.showAll || options.hideRegex !== undefined || options.settings.showRegex !== undefined || options.settings.hideRegex !== undefined || options.settings.showAll === true) return undefined;
  const subject = subjectPackage(session);
  if (subject === undefined) return undefined;
  process.stderr.write(`tsprof: none of the program's own code ran: ${subject.name}'s code is shown as its own (--hide '*/${subject.name}/*' folds it)\n`);
  return `^${escapeRegExp(subject.folder)}`;
}

/**
 * Writes the output. A file is written whole or not at all (temp file, then
 * rename). Without `-o`, the console report goes to stderr after a run, so
 * the script's stdout stays its own; other formats after a run go to a file
 * named after the script.
 */
function emit(loaded: Session, renderer: Renderer, options: CliOptions, afterRun: boolean): void {
  const labelled = sessionWithRuntimeLabels(loaded);
  const session = options.description === undefined ? labelled : { ...labelled, meta: { ...labelled.meta, description: options.description } };
  let outfile = options.outfile;
  const toTerminal = outfile === undefined && renderer.name === "console";
  const stream = afterRun ? process.stderr : process.stdout;
  const showRegex = options.showRegex ?? subjectShown(session, options);
  const renderOptions: RenderOptions = {
    version: VERSION,
    showAll: options.showAll,
    timeline: options.timeline,
    time: options.time,
    foldRecursion: options.foldRecursion,
    flat: options.flat,
    flatTime: options.flatTime,
    // tsprof's own code as the session notes it (a run's, a kept or saved session's): in a
    // foreign profile, files under this install are a profile of tsprof itself, and are shown.
    toolPaths: session.meta.toolPaths ?? [],
    lines: options.lines,
    sourceLine: sourceLines(),
    unicode: options.unicode ?? true,
    color: toTerminal ? useColor(options.color, stream.isTTY === true, process.env) : (options.color ?? false),
    ...(options.filterThreshold !== undefined ? { filterThreshold: options.filterThreshold } : {}),
    ...(showRegex !== undefined ? { showRegex: new RegExp(showRegex) } : {}),
    ...(options.hideRegex !== undefined ? { hideRegex: new RegExp(options.hideRegex) } : {}),
    ...options.settings,
  };
  const output = renderer.render(session, renderOptions);
  // An HTML report bound for a terminal goes to a temp file and the browser.
  const htmlToBrowser = renderer.name === "html" && outfile === undefined && (options.open === true || stream.isTTY === true);
  if (htmlToBrowser) outfile = htmlTempPath(options.command[0] ?? options.load);
  // A name tsprof chose never replaces a file: the user named none.
  const chosen = htmlToBrowser || (outfile === undefined && afterRun && renderer.name !== "console");
  if (outfile === undefined && chosen) outfile = defaultOutputName(options.command[0], renderer.extensions[0]!);
  if (outfile === undefined) {
    stream.write(typeof output === "string" ? (output.endsWith("\n") ? output : `${output}\n`) : output);
    return;
  }
  if (chosen) outfile = writeNew(outfile, output);
  else writeReplacing(outfile, output);
  // Said for a file the user named too: view, diff and a run all say where their output went.
  process.stderr.write(`tsprof: wrote ${outfile}\n`);
  // One thread per file: said, since a command's first process is often only its launcher (npx).
  if (renderer.name === "cpuprofile" && session.profiles.length > 1) {
    const others = session.profiles.length - 1;
    process.stderr.write(`tsprof: a .cpuprofile holds one thread or process: it has "${session.profiles[0]!.name}", not the ${others} other${others === 1 ? "" : "s"} (speedscope, pprof, html and session files hold them all)\n`);
  }
  if (renderer.name === "html" && options.open !== false && (htmlToBrowser || options.open === true)) openReport(outfile);
}
