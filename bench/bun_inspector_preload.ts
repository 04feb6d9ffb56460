// Bench only: Bun's node:inspector profiler, started before the script and
// stopped when the event loop empties, to weigh it against bun:jsc (the Bun
// backend) for the same work. Writes its sample count to BENCH_BUN_INSPECTOR_OUT.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";

const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
await post("Profiler.enable");
await post("Profiler.setSamplingInterval", { interval: 1000 });
await post("Profiler.start");
let done = false;
process.on("beforeExit", async () => {
  if (done) return;
  done = true;
  const { profile } = (await post("Profiler.stop")) as { profile: { samples: number[] } };
  if (process.env.BENCH_BUN_INSPECTOR_OUT) writeFileSync(process.env.BENCH_BUN_INSPECTOR_OUT, String(profile.samples.length));
});
