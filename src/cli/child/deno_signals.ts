/**
 * Signals in a Deno process that Deno's own `--cpu-prof` records: Deno
 * writes the profile on every exit path but a signal's, so the first
 * SIGINT, SIGTERM or SIGHUP becomes `Deno.exit(128 + n)`, unless the script
 * listens for it itself.
 *
 * @module
 */
declare const Deno: {
  addSignalListener(signal: string, handler: () => void): void;
  removeSignalListener(signal: string, handler: () => void): void;
  exit(code: number): never;
};

/**
 * Installs the handlers in the calling Deno process; `seen` is called first
 * whenever one runs (the process is not stuck). Returns whether the script
 * listens for a signal itself.
 */
export function exitOnDenoSignals(seen?: () => void): (signal: string) => boolean {
  // Listeners added with Node's process.on() do not pass through Deno.addSignalListener.
  // Asked only when a signal comes: naming `process` starts Deno's Node layer, which costs a start-up.
  const nodeListeners = (signal: string) => (globalThis as { process?: { listenerCount(s: string): number } }).process?.listenerCount(signal) ?? 0;
  const ours = new Map<string, () => void>();
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    const handler = () => {
      seen?.();
      if (nodeListeners(signal) > 0) return;
      Deno.exit(code);
    };
    ours.set(signal, handler);
    Deno.addSignalListener(signal, handler);
  }
  const add = Deno.addSignalListener.bind(Deno);
  // When the script takes over a signal with Deno.addSignalListener, step aside.
  Deno.addSignalListener = (signal: string, handler: () => void) => {
    const mine = ours.get(signal);
    if (mine && handler !== mine) {
      Deno.removeSignalListener(signal, mine);
      ours.delete(signal);
    }
    add(signal, handler);
  };
  return (signal) => !ours.has(signal) || nodeListeners(signal) > 0;
}
