/**
 * Where the CLI writes its output, and how: whole or not at all, never over
 * a file the user did not name. A file named with `-o` is replaced (the
 * user asked for it); a name tsprof chose itself (`tsprof-<script>.json`)
 * never replaces anything: the next free `-2`, `-3`, ... is taken instead.
 *
 * @module
 */
import { closeSync, constants, copyFileSync, existsSync, linkSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { writeFileAtomicSync } from "../../runtimes/_files.ts";
import { UsageError } from "./args.ts";

/**
 * The name tsprof gives a report when no `-o` is given: it says tsprof, so
 * that it does not look like one of the user's files (`package.ts` gives
 * `tsprof-package.json`, never `package.json`).
 *
 * @example
 * ```ts
 * import { defaultOutputName } from "./output_file.ts";
 * console.log(defaultOutputName("src/package.ts", ".json")); // "tsprof-package.json"
 * ```
 */
export function defaultOutputName(script: string | undefined, extension: string): string {
  const base = (script ?? "profile").replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_") || "profile";
  return `tsprof-${base}${extension}`;
}

/** The reason `error` gives, as a short code (`EACCES`) when it has one. */
function reason(error: unknown): string {
  return (error as { code?: string }).code ?? (error as Error).message;
}

/**
 * Fails, before anything runs, when no file can be created in the folder
 * of `path`: a missing folder, a read-only one, one without permission.
 * The probe is created and removed at once.
 *
 * @throws {UsageError} saying which file cannot be written and why
 */
export function checkWritable(path: string): void {
  if (isFolder(path)) throw new UsageError(`cannot write "${path}": it is a folder; name a file to write the report to`);
  const error = probe(dirname(resolve(path)));
  if (error === undefined) return;
  const folder = dirname(resolve(path));
  const why = isFolder(folder) ? `the folder "${dirname(path)}" is not writable (${reason(error)})` : existsSync(folder) ? `"${dirname(path)}" is not a folder` : `the folder "${dirname(path)}" does not exist`;
  throw new UsageError(`cannot write "${path}": ${why}`);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Creates and removes a file in `dir`: the error that stopped it, if any. */
function probe(dir: string): unknown {
  const file = join(dir, `.tsprof-probe-${process.pid}-${Date.now()}`);
  try {
    closeSync(openSync(file, "wx"));
  } catch (e) {
    return e;
  }
  rmSync(file, { force: true });
  return undefined;
}

/**
 * Fails, before anything runs, when tsprof could not write the report it
 * will name itself (no `-o`): into `dir`, the working directory or, for an
 * HTML report bound for the browser, the temp folder.
 *
 * @throws {UsageError} saying where and why, and what to do
 */
export function checkDefaultOutput(dir: string, format: string): void {
  const error = probe(dir);
  if (error !== undefined) throw new UsageError(`cannot write the ${format} report into "${dir}" (${reason(error)}): give -o <file> in a folder you can write`);
}

/**
 * A fresh folder for one run under the temp folder.
 *
 * @throws {UsageError} when the temp folder cannot be written: an environment problem, said as one
 */
export function runTempDir(): string {
  try {
    return mkdtempSync(join(tmpdir(), "tsprof-"));
  } catch (e) {
    throw new UsageError(`cannot create a folder in the temp folder "${tmpdir()}" (${reason(e)}): set TMPDIR to a folder you can write`);
  }
}

/** Writes through a temp file beside `path`, so that no reader sees half a file. */
function writeTemp(path: string, data: string | Uint8Array): string {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  return tmp;
}

/** An output file that could not be written (after a run, the profile is kept instead). */
export class OutputWriteError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "OutputWriteError";
  }
}

function cannotWrite(path: string, tmp: string, error: unknown): OutputWriteError {
  rmSync(tmp, { force: true });
  return new OutputWriteError(`cannot write "${path}": ${reason(error)}`);
}

/**
 * Writes `data` to `path` whole or not at all, replacing it: for names the
 * user gave.
 *
 * @throws {OutputWriteError} when it cannot be written
 */
export function writeReplacing(path: string, data: string | Uint8Array): void {
  try {
    writeFileAtomicSync(path, data);
  } catch (e) {
    throw new OutputWriteError(`cannot write "${path}": ${reason(e)}`);
  }
}

/**
 * Writes `data` to `path`, or, when a file of that name exists, to the first
 * free `name-2.ext`, `name-3.ext`, ...: whole or not at all, and never over
 * an existing file (a hard link fails where the name is taken, where a
 * rename would replace). Returns the path written.
 *
 * @throws {OutputWriteError} when it cannot be written
 */
export function writeNew(path: string, data: string | Uint8Array): string {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeTemp(path, data);
    const dot = path.search(/(\.[a-z]+)+$/i);
    const [stem, ext] = dot > 0 && !path.slice(0, dot).endsWith("/") ? [path.slice(0, dot), path.slice(dot)] : [path, ""];
    for (let n = 1; ; n++) {
      const target = n === 1 ? path : `${stem}-${n}${ext}`;
      try {
        createFrom(tmp, target);
        rmSync(tmp, { force: true });
        return target;
      } catch (e) {
        if ((e as { code?: string }).code !== "EEXIST") throw e;
      }
    }
  } catch (e) {
    throw cannotWrite(path, tmp, e);
  }
}

/** Creates `target` with the content of `tmp`, failing with EEXIST when it exists. */
function createFrom(tmp: string, target: string): void {
  try {
    linkSync(tmp, target);
  } catch (e) {
    const code = (e as { code?: string }).code;
    // Some file systems have no hard links: an exclusive copy still never replaces.
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw e;
    copyFileSync(tmp, target, constants.COPYFILE_EXCL);
  }
}
