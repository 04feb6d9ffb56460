// Bench only: `bun:jsc`'s sampling profiler, drained every 100 ms as a
// backend would, to weigh it against what tsprof uses on Bun (the runtime's
// own sampler through --cpu-prof / node:inspector) for the same work.
import * as jsc from "bun:jsc";

let frames = 0;
const drain = () => {
  const { traces } = jsc.samplingProfilerStackTraces() as { traces: { frames: unknown[] }[] };
  for (const t of traces) frames += t.frames.length;
};
jsc.startSamplingProfiler(undefined, 1000);
const timer = setInterval(drain, 100);
timer.unref();
process.on("beforeExit", () => {
  clearInterval(timer);
  drain();
  if (process.env.BENCH_JSC_OUT) require("node:fs").writeFileSync(process.env.BENCH_JSC_OUT, String(frames));
});
