/**
 * Signals in a Deno process that Deno's own `--cpu-prof` records: Deno
 * writes the profile on every exit path but a signal's, so the first
 * SIGINT, SIGTERM or SIGHUP becomes `Deno.exit(128 + n)`, unless the script
 * listens for it itself. Every one is noted as seen, whoever handles it.
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
  // Asked only when a signal comes: naming `process` starts Deno's Node layer, which costs a start-up.
  const nodeListeners = (signal: string) => (globalThis as { process?: { listenerCount(s: string): number } }).process?.listenerCount(signal) ?? 0;
  // The script's own listeners by signal, added with Deno.addSignalListener (Node's process.on() too, in
  // some Deno versions). Ours stays registered, so that every signal is noted as seen (the CLI then
  // passes on no second copy), and steps aside while the script listens.
  const scripts = new Map<string, Set<() => void>>();
  const scriptListens = (signal: string) => (scripts.get(signal)?.size ?? 0) > 0 || nodeListeners(signal) > 0;
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    Deno.addSignalListener(signal, () => {
      seen?.();
      if (scriptListens(signal)) return;
      Deno.exit(code);
    });
    scripts.set(signal, new Set());
  }
  const add = Deno.addSignalListener.bind(Deno);
  const remove = Deno.removeSignalListener.bind(Deno);
  Deno.addSignalListener = (signal: string, handler: () => void) => {
    scripts.get(signal)?.add(handler);
    add(signal, handler);
  };
  Deno.removeSignalListener = (signal: string, handler: () => void) => {
    scripts.get(signal)?.delete(handler);
    remove(signal, handler);
  };
  return scriptListens;
}
