/**
 * Reads any profile file tsprof knows (tsprof sessions and JSON, speedscope,
 * V8 `.cpuprofile` old and new, Chrome traces, pprof), gzipped or not, into
 * a session; names what any other file looks like.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { Gunzip, gzipSync, strToU8 } from "fflate";
import { ProfileFormatError } from "../errors.ts";
import { isSessionJson, sessionFromJson, sessionToJson } from "../format/session_json.ts";
import { profileTotal, type Session } from "../format/types.ts";
import { importSpeedscope, isSpeedscopeFile } from "./speedscope.ts";
import { importV8CpuProfile, medianIntervalMs, TSPROF_CPU_PROFILE_KEY, type TsprofCpuProfileNote } from "./v8_cpuprofile.ts";
import { importChromeTrace, isChromeTrace } from "./chrome_trace.ts";
import { checkCpuProfile, looksLikeCpuProfile } from "./cpuprofile_check.ts";
import { isBunCpuProfile, normalizeBunCpuProfile } from "./bun_cpuprofile.ts";
import { isLegacyCpuProfile, modernCpuProfile } from "./legacy_cpuprofile.ts";
import { importPprof, isPprof } from "./pprof.ts";
import { describeBytes, describeJson, READABLE_FORMATS } from "./sniff.ts";

/**
 * Inflated input larger than this is refused (a gzip bomb guard). JSON text
 * longer than the longest string V8 makes (2^29 - 24 characters) cannot be
 * parsed anyway.
 */
export const MAX_INFLATED_BYTES = 1 << 29;

/**
 * Encodes a session as a `.tsprof` file: tsprof JSON, gzipped.
 *
 * @param options.fast compress at gzip level 1 instead of 6: about 3× faster
 *   for 15 % more bytes, for the session every run keeps for `--load-prev`
 * @example
 * ```ts
 * import { encodeSessionFile, loadProfileFile } from "tsprof/import";
 * const bytes = encodeSessionFile({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 },
 *   profiles: [],
 * });
 * loadProfileFile(bytes, "run.tsprof").meta.runtime; // "node"
 * ```
 */
export function encodeSessionFile(session: Session, options: { fast?: boolean } = {}): Uint8Array {
  return gzipSync(strToU8(sessionToJson(session)), { level: options.fast ? 1 : 6 });
}

/**
 * Decodes the bytes of a profile file of any supported format.
 *
 * @param bytes the file's content
 * @param path the file's name, for error messages
 * @throws {ProfileFormatError} when the file is not a readable profile
 * @example
 * ```ts
 * import { loadProfileFile } from "tsprof";
 * // const session = loadProfileFile(await Deno.readFile("run.tsprof"), "run.tsprof");
 * ```
 */
export function loadProfileFile(bytes: Uint8Array, path: string, limit: number = MAX_INFLATED_BYTES): Session {
  if (bytes.length === 0) throw new ProfileFormatError(path, "the file is empty");
  let data = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) data = gunzipBounded(bytes, path, limit);
  if (data.length > limit) throw new ProfileFormatError(path, `the file is larger than ${limit} bytes; refusing it`);
  const unreadable = (what: string | undefined, detail: string): never => {
    throw new ProfileFormatError(path, what ? `${what}; ${READABLE_FORMATS}` : `${detail} (${READABLE_FORMATS})`);
  };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    if (isPprof(data)) return imported(path, () => importPprof(data));
    return unreadable(describeBytes(data), "not a profile: the file is binary, and not pprof");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // Chrome writes a trace as an array of events that a cut-short recording
    // leaves open: close it, as Chrome's own viewers do.
    const open = /^\s*\[/.test(text) ? text.replace(/[\s,]*$/, "") + "]" : undefined;
    try {
      if (open === undefined) throw e;
      json = JSON.parse(open);
    } catch {
      // A pprof profile can happen to be valid UTF-8.
      if (isPprof(data)) return imported(path, () => importPprof(data));
      return unreadable(describeBytes(data), `not valid JSON: ${oneLine((e as Error).message)}`);
    }
  }
  if (isSessionJson(json)) return imported(path, () => sessionFromJson(json));
  if (isSpeedscopeFile(json) || (/\.speedscope\.json(\.gz)?$/.test(path) && hasKeys(json, "shared", "profiles"))) return imported(path, () => importSpeedscope(json));
  if (looksLikeCpuProfile(json)) return imported(path, () => sessionOfCpuProfile(json));
  if (isLegacyCpuProfile(json)) return imported(path, () => sessionOfCpuProfile(modernCpuProfile(json as Record<string, unknown>)));
  if (isChromeTrace(json)) return imported(path, () => importChromeTrace(json));
  return unreadable(describeJson(json), "not a profile tsprof can read");
}

/** Runs an importer; its `TypeError`/`RangeError` becomes one line about the file. */
function imported(path: string, importer: () => Session): Session {
  try {
    return checkSpan(importer());
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new ProfileFormatError(path, oneLine(e.message), { cause: e });
    throw e;
  }
}

function gunzipBounded(bytes: Uint8Array, path: string, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const gz = new Gunzip((chunk) => {
    // Every format tsprof reads is JSON or pprof (whose first byte is a
    // field tag): stop at once on anything else rather than inflate junk up to
    // the limit, yet inflate a little of it to say what it is.
    if (size === 0 && chunk.length > 0 && !/^\s*(\{|\[|$)/.test(String.fromCharCode(...chunk.subarray(0, 64))) && !isPprofStart(chunk[0]!)) {
      const what = describeBytes(chunk.subarray(0, 65536));
      throw new ProfileFormatError(path, what ? `${what}; ${READABLE_FORMATS}` : `not a profile: the gzipped content is neither JSON nor pprof (${READABLE_FORMATS})`);
    }
    size += chunk.length;
    if (size > limit) throw new ProfileFormatError(path, `inflates to more than ${limit} bytes; refusing it`);
    chunks.push(chunk);
  });
  try {
    // Feed in slices so a bomb is stopped after at most one slice's output.
    for (let i = 0; i < bytes.length; i += 65536) gz.push(bytes.subarray(i, i + 65536), i + 65536 >= bytes.length);
  } catch (e) {
    if (e instanceof ProfileFormatError) throw e;
    throw new ProfileFormatError(path, `broken gzip data: ${(e as Error).message}`);
  }
  return concatBytes(chunks, size);
}

/** Longest recording tsprof accepts: a year, in ms. Anything longer is broken time fields. */
export const MAX_SPAN_MS = 366 * 24 * 3600 * 1000;

/**
 * Refuses sessions whose times add up to more than {@linkcode MAX_SPAN_MS}:
 * finite but absurd values (a time delta of 1e308) would make renderers that
 * lay time out build arrays without end.
 */
function checkSpan(session: Session): Session {
  session.profiles.forEach((p, i) => {
    const total = profileTotal(p);
    if (total > MAX_SPAN_MS) throw new RangeError(`the samples of profile ${i} ("${p.name}") add up to ${total} ms, more than a year: the time fields are broken`);
  });
  if (session.meta.durationMs > MAX_SPAN_MS) throw new RangeError(`"meta.durationMs" is ${session.meta.durationMs} ms, more than a year: the time fields are broken`);
  return session;
}

/** Messages quote the file's own text (keys, JSON excerpts): keep them on one line. */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function hasKeys(data: unknown, ...keys: string[]): boolean {
  return typeof data === "object" && data !== null && keys.every((k) => k in data);
}

/** What tsprof wrote beside V8's fields (`TSPROF_CPU_PROFILE_KEY`), where it is well formed. */
function tsprofNote(data: unknown): Partial<TsprofCpuProfileNote> | undefined {
  const note = (data as Record<string, unknown>)[TSPROF_CPU_PROFILE_KEY];
  if (typeof note !== "object" || note === null || typeof (note as TsprofCpuProfileNote).runtime !== "string") return undefined;
  const { runtime, runtimeVersion, intervalMs } = note as Record<string, unknown>;
  return {
    runtime: runtime as string,
    ...(typeof runtimeVersion === "string" ? { runtimeVersion } : {}),
    ...(typeof intervalMs === "number" && intervalMs > 0 && Number.isFinite(intervalMs) ? { intervalMs } : {}),
  };
}

/** Which tool wrote a `.cpuprofile`, from what its frames look like. */
function cpuProfileRuntime(urls: ReadonlySet<string>, bun: boolean): string {
  if (bun) return "bun";
  const has = (prefix: string) => [...urls].some((u) => u.startsWith(prefix));
  if (has("ext:")) return "deno";
  // Node before 16 named its own modules `internal/...` with no scheme.
  if (has("node:") || has("internal/")) return "node";
  if (has("http://") || has("https://")) return "chrome";
  return "v8";
}

/** A protobuf tag of one of pprof's Profile fields (1 to 15, varint or bytes). */
function isPprofStart(byte: number): boolean {
  return byte >> 3 >= 1 && byte >> 3 <= 15 && ((byte & 7) === 0 || (byte & 7) === 2);
}

/** The interval a Bun profile was most likely taken at (ms), from its shortest spacing. */
function bunIntervalMs(deltas: readonly number[]): number {
  let shortest = Infinity;
  for (let i = 1; i < deltas.length; i++) if (deltas[i]! > 0 && deltas[i]! < shortest) shortest = deltas[i]!;
  return Number.isFinite(shortest) ? Math.min(medianIntervalMs(deltas), Math.round(shortest * 1.25) / 1000) : medianIntervalMs(deltas);
}

function sessionOfCpuProfile(data: unknown): Session {
  const warnings: string[] = [];
  let cpu = checkCpuProfile(data, warnings);
  // tsprof's own file: its samples' weights are its deltas, whatever the runtime.
  const own = tsprofNote(data);
  const bun = own === undefined && isBunCpuProfile(cpu);
  if (bun) cpu = normalizeBunCpuProfile(cpu);
  // Bun takes no idle samples: its long gaps are partly idle time. The
  // interval it was asked for is not in the file. JavaScriptCore's sampler
  // sleeps the interval ± 20%, so the shortest spacing is at least 0.8 of
  // it; the median would be the wait itself in a timer-driven program.
  const intervalMs = own?.intervalMs ?? (bun ? bunIntervalMs(cpu.timeDeltas ?? []) : medianIntervalMs(cpu.timeDeltas ?? []));
  const profile = importV8CpuProfile(cpu, "main", bun ? { idleGapsMs: intervalMs } : {});
  if (profile.samples.length === 0) throw new RangeError(`"samples" is empty: the profile recorded nothing`);
  const total = profileTotal(profile);
  const urls = new Set(cpu.nodes.map((n) => n.callFrame.url));
  return {
    version: 1,
    // V8 stamps profiles on a monotonic clock, not the wall clock: when it was recorded is unknown.
    meta: {
      runtime: own?.runtime ?? cpuProfileRuntime(urls, bun),
      runtimeVersion: own?.runtimeVersion ?? "",
      intervalMs,
      startTime: bun ? cpu.startTime / 1000 : 0,
      durationMs: total,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    profiles: [profile],
  };
}
