// The part of Bun's `bun:jsc` module the Bun backend uses.
declare module "bun:jsc" {
  export function startSamplingProfiler(directory?: string, intervalMicroseconds?: number): void;
  export function samplingProfilerStackTraces(): unknown;
}
