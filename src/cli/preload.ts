/**
 * Runs inside the profiled Node process (`--import`) before the script:
 * starts the backend and makes sure the profile is written however the
 * process ends. Node's inspector stops synchronously, so the `exit` handler
 * covers a normal end, `exit(n)`, an uncaught error and the signals turned
 * into exits.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { loadBackend } from "../../runtimes/auto.ts";
import { recordingToSession } from "../backend.ts";
import { sessionToJson } from "../format/session_json.ts";
import { CHILD_ENV, type ChildConfig } from "./child_config.ts";
import { exitOnSignals } from "./exit_on_signals.ts";
import { childMapsPath, collectRuntimeMaps, registerLineHooks } from "./child_maps.ts";

const raw = process.env[CHILD_ENV];
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];

if (raw) {
  const config = JSON.parse(raw) as ChildConfig;
  const backend = await loadBackend(config.backend ?? "auto");
  if (backend.name === "portable") {
    // The portable backend samples what instrumentation reports: instrument
    // every module loaded from here on (the script and its imports).
    if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") (await import("../../runtimes/portable/bun_loader.ts")).installBunLoader();
    else (await import("../../runtimes/portable/node_loader.ts")).installNodeLoader();
  }
  const stopSync = backend.stopSync?.bind(backend);
  if (!stopSync) throw new Error(`tsprof: the ${backend.name} backend cannot stop synchronously`);
  if (backend.name === "node") registerLineHooks();
  await backend.start({ intervalMs: config.intervalMs });
  let written = false;
  process.on("exit", (code) => {
    if (written) return;
    written = true;
    const session = recordingToSession(backend, stopSync(), {
      intervalMs: config.intervalMs,
      command: config.command,
      cwd: process.cwd(),
      exitCode: typeof code === "number" ? code : Number(process.exitCode ?? 0),
    });
    // Maps of code transformed in memory (tsx): the CLI maps positions with them.
    if (backend.name === "node") writeFileSync(childMapsPath(config.out), JSON.stringify(collectRuntimeMaps(session)));
    writeFileSync(config.out, sessionToJson(session));
  });
  exitOnSignals();
}
