/**
 * `tsprof/import`: readers of other tools' profile files, for tools that
 * want tsprof's model from a `.cpuprofile`, a speedscope file, a Chrome
 * trace or a pprof profile. {@linkcode loadProfileFile} tells the format from the bytes.
 *
 * @example Read any profile file tsprof knows
 * ```ts
 * import { loadProfileFile } from "tsprof/import";
 * const bytes = new TextEncoder().encode(JSON.stringify({
 *   nodes: [{ id: 1, callFrame: { functionName: "(root)", url: "", scriptId: "0", lineNumber: -1, columnNumber: -1 }, children: [] }],
 *   startTime: 0, endTime: 1000, samples: [1], timeDeltas: [1000],
 * }));
 * const session = loadProfileFile(bytes, "tiny.cpuprofile");
 * ```
 *
 * @module
 */
export { encodeSessionFile, loadProfileFile } from "./load.ts";
export { importV8CpuProfile, type V8CallFrame, type V8CpuProfile, type V8ImportOptions, type V8ProfileNode } from "./v8_cpuprofile.ts";
export { checkCpuProfile } from "./cpuprofile_check.ts";
export { isBunCpuProfile, normalizeBunCpuProfile } from "./bun_cpuprofile.ts";
export { importSpeedscope } from "./speedscope.ts";
export { importChromeTrace, isChromeTrace } from "./chrome_trace.ts";
export { importPprof, isPprof } from "./pprof.ts";
