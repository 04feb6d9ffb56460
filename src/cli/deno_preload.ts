/**
 * Runs inside a Deno process profiled with `--cpu-prof`: Deno writes that
 * profile on a normal end, `Deno.exit()` and uncaught errors, but not when a
 * signal kills it, so SIGINT and SIGTERM become `Deno.exit(130/143)` unless
 * the script listens for them itself.
 *
 * @module
 */
declare const Deno: {
  addSignalListener(signal: string, handler: () => void): void;
  removeSignalListener(signal: string, handler: () => void): void;
  exit(code: number): never;
};

const nodeProcess = (globalThis as { process?: { listenerCount(event: string): number } }).process;
const ours = new Map<string, () => void>();
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  // Listeners added with process.on() do not pass through Deno.addSignalListener.
  const handler = () => {
    if ((nodeProcess?.listenerCount(signal) ?? 0) > 0) return;
    Deno.exit(code);
  };
  ours.set(signal, handler);
  Deno.addSignalListener(signal, handler);
}
const add = Deno.addSignalListener.bind(Deno);
// When the script takes over a signal, step aside for it.
Deno.addSignalListener = (signal: string, handler: () => void) => {
  const mine = ours.get(signal);
  if (mine && handler !== mine) {
    Deno.removeSignalListener(signal, mine);
    ours.delete(signal);
  }
  add(signal, handler);
};
