/**
 * Runs inside a Deno process profiled with `--cpu-prof`: Deno writes that
 * profile on a normal end, `Deno.exit()` and uncaught errors, but not when a
 * signal kills it, so SIGINT and SIGTERM become `Deno.exit(130/143)` unless
 * the script listens for them itself. It also notes the CPU time used, which
 * the `.cpuprofile` does not carry.
 *
 * @module
 */
import process from "node:process";
import { CHILD_ENV, type ChildConfig } from "./child_config.ts";

declare const Deno: {
  addSignalListener(signal: string, handler: () => void): void;
  removeSignalListener(signal: string, handler: () => void): void;
  writeTextFileSync(path: string, text: string): void;
  exit(code: number): never;
};

const raw = process.env[CHILD_ENV];
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];
if (raw) {
  const config = JSON.parse(raw) as ChildConfig;
  globalThis.addEventListener("unload", () => {
    const u = process.cpuUsage();
    Deno.writeTextFileSync(config.out, JSON.stringify({ cpuTimeMs: (u.user + u.system) / 1000 }));
  });
}

const ours = new Map<string, () => void>();
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  // Listeners added with process.on() do not pass through Deno.addSignalListener.
  const handler = () => {
    if (process.listenerCount(signal) > 0) return;
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
