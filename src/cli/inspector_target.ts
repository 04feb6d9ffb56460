/**
 * Finds the inspector of a running process for `tsprof attach` and
 * `tsprof dump`: a pid (Node's inspector is opened with SIGUSR1 when it is
 * not listening yet; Deno and Bun need `--inspect`), `host:port`, or a
 * `ws://` URL. Only loopback, and only a process the user may signal.
 *
 * @module
 */
import { readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";
import process from "node:process";
import { UsageError } from "./args.ts";
import { type InspectorConnection, connectInspectorSocket, inspectorTargets, inspectorUrlOfPid, isLoopback, listeningPorts } from "./inspector_client.ts";

/** An open connection to a process's main thread, and how to leave it as it was. */
export interface AttachedTarget {
  readonly connection: InspectorConnection;
  /** The process, when given by pid. */
  readonly pid?: number;
  /** The runtime, where tsprof can tell (the target's title or executable). */
  readonly runtime: "node" | "deno" | "unknown";
  /** The WebSocket URL. */
  readonly url: string;
  /** True when tsprof opened the inspector (SIGUSR1) and must close it again. */
  readonly openedByTsprof: boolean;
  /** How the target was named, for messages and the report header. */
  readonly label: string;
}

const TIMEOUT_MS = 3000;

/** The runtime of process `pid`, from its executable's name. */
function runtimeOfPid(pid: number): string {
  try {
    return basename(readlinkSync(`/proc/${pid}/exe`)).replace(/\.exe$/, "");
  } catch {
    try {
      return basename(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "");
    } catch {
      return "unknown";
    }
  }
}

function checkSignallable(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(code === "EPERM" ? `not allowed to signal process ${pid}: attach only to your own processes` : `no process ${pid}`);
  }
}

/** `host:port` or `ws://host:port/...` parsed; undefined for anything else. */
function parseAddress(spec: string): { host: string; port: number; url?: string } | undefined {
  if (/^wss?:\/\//.test(spec)) {
    const u = new URL(spec);
    return { host: u.hostname, port: Number(u.port || 80), url: spec };
  }
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(spec) ?? /^()(\d+)$/.exec(spec.startsWith(":") ? spec.slice(1) : "");
  if (!m) return undefined;
  return { host: m[1] || "127.0.0.1", port: Number(m[2]) };
}

/**
 * Connects to the main thread's inspector of `spec` (pid, `host:port` or
 * `ws://...`).
 *
 * @throws {UsageError} with one line that says what to do
 */
export async function attachToTarget(spec: string): Promise<AttachedTarget> {
  if (/^\d+$/.test(spec)) return attachToPid(Number(spec));
  const address = parseAddress(spec);
  if (!address) throw new UsageError(`"${spec}" is neither a pid, host:port nor ws:// URL`);
  if (!isLoopback(address.host.replace(/^\[|\]$/g, ""))) {
    throw new UsageError(`will not attach to ${address.host}: an inspector runs any code it is sent, so tsprof reaches only loopback (127.0.0.1, ::1, localhost)`);
  }
  let url = address.url;
  let title = "";
  if (url === undefined) {
    let targets;
    try {
      targets = await inspectorTargets(address.host, address.port, TIMEOUT_MS);
    } catch (e) {
      throw new UsageError(`no inspector answers at ${spec} (${(e as Error).message}): start the program with --inspect=${address.host}:${address.port}; a Bun process speaks WebKit's protocol, which tsprof cannot attach to`);
    }
    if (!targets[0]) throw new UsageError(`the inspector at ${spec} lists no target`);
    url = targets[0].webSocketDebuggerUrl;
    title = targets[0].title ?? "";
  }
  const connection = await connect(url, spec);
  const runtime = /deno/i.test(title) ? "deno" : /node/i.test(title) ? "node" : await runtimeOf(connection);
  return { connection, runtime, url, openedByTsprof: false, label: spec };
}

async function connect(url: string, spec: string): Promise<InspectorConnection> {
  try {
    return await connectInspectorSocket(url, TIMEOUT_MS);
  } catch (e) {
    throw new UsageError(`cannot connect to the inspector of ${spec}: ${(e as Error).message}`);
  }
}

/** Node and Deno both answer `process.versions`; only Deno has `Deno`. A spinning thread does not answer: unknown then. */
async function runtimeOf(c: InspectorConnection): Promise<"node" | "deno" | "unknown"> {
  const v = await evaluateSoon(c, `typeof Deno === "object" ? "deno" : "node"`);
  return v === "deno" || v === "node" ? v : "unknown";
}

/** The value of `expression` in the target, or `undefined` when it fails or its thread does not answer within 300 ms (it runs JavaScript). */
async function evaluateSoon(c: InspectorConnection, expression: string): Promise<unknown> {
  const answer = c.send<{ result?: { value?: unknown } }>("Runtime.evaluate", { expression, returnByValue: true });
  const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 300));
  return (await Promise.race([answer.catch(() => undefined), timeout]))?.result?.value;
}

async function attachToPid(pid: number): Promise<AttachedTarget> {
  checkSignallable(pid);
  const exe = runtimeOfPid(pid);
  const listening = listeningPorts(pid).length > 0;
  let url: string;
  let openedByTsprof = false;
  let connection: InspectorConnection | undefined;
  try {
    // A process that listens already may have its inspector open: try that first. It may
    // close as we connect (a tsprof that just left closes the one it opened): open it then.
    url = await inspectorUrlOfPid(pid, { openWithSigusr1: false, timeoutMs: listening ? 200 : 0 });
    connection = await connectInspectorSocket(url, TIMEOUT_MS);
  } catch {
    if (exe !== "node") {
      throw new UsageError(
        exe === "deno"
          ? `Deno process ${pid} has no inspector open: start it with --inspect (Deno cannot open one from outside), then attach to it by pid or host:port`
          : exe === "bun"
          ? `Bun process ${pid}: tsprof cannot attach to Bun (its --inspect speaks WebKit's protocol, not the one tsprof uses)`
          : `process ${pid} (${exe}) is not a Node process and has no inspector open`,
      );
    }
    url = await openNodeInspector(pid);
    openedByTsprof = true;
  }
  connection ??= await connect(url, `process ${pid}`);
  // Open already: maybe by a tsprof that just left, whose close is due.
  if (!openedByTsprof && exe === "node") {
    openedByTsprof = await takeOverClose(connection);
    // That close fired while this tsprof connected: open the inspector again.
    if (connection.isClosed) {
      url = await openNodeInspector(pid);
      openedByTsprof = true;
      connection = await connect(url, `process ${pid}`);
    }
  }
  return { connection, pid, runtime: exe === "deno" ? "deno" : exe === "node" ? "node" : "unknown", url, openedByTsprof, label: `pid ${pid}` };
}

/** Opens the inspector of Node process `pid` with SIGUSR1; its URL. */
async function openNodeInspector(pid: number): Promise<string> {
  try {
    return await inspectorUrlOfPid(pid, { openWithSigusr1: true, timeoutMs: TIMEOUT_MS });
  } catch (e) {
    throw new UsageError(`cannot open the inspector of Node process ${pid}: ${(e as Error).message}`);
  }
}

/**
 * Leaves the target as it was: closes the inspector tsprof opened (Node:
 * `inspector.close()` once the thread is free and this connection has
 * gone: Node 20 crashed now and then (SIGSEGV) when it closed while the
 * connection was still there), then the connection.
 */
export async function detach(target: AttachedTarget, options: { closeScheduled?: boolean } = {}): Promise<void> {
  const c = target.connection;
  if (target.openedByTsprof && !options.closeScheduled) {
    // A spinning thread answers only at its next pause or turn of the loop: wait a little, not for ever.
    await Promise.race([scheduleInspectorClose(c), new Promise((r) => setTimeout(r, 1000))]);
  }
  c.close();
}

/**
 * Asks the target to close the inspector tsprof opened, once its event loop
 * turns. Answered at once while the target is paused in the debugger, which
 * is how `tsprof dump` calls it, sparing a spinning target's wait.
 */
export async function scheduleInspectorClose(c: InspectorConnection): Promise<void> {
  // Kept on the target's global, so that a tsprof that connects meanwhile can take it over (see takeOverClose).
  const expression = `(() => { const i = process.getBuiltinModule?.("node:inspector"); const k = Symbol.for(${JSON.stringify(CLOSE_KEY)}); clearTimeout(globalThis[k]); if (i) globalThis[k] = setTimeout(() => { delete globalThis[k]; if (i.url()) i.close(); }, 300).unref(); return !!i; })()`;
  await c.send("Runtime.evaluate", { expression, returnByValue: true }).catch(() => undefined);
}

/** The target's global that holds the close an earlier tsprof scheduled. */
const CLOSE_KEY = "tsprof.inspectorClose";

/**
 * Cancels the close of the inspector that an earlier tsprof opened and
 * scheduled, if one is pending: it would cut this connection off. True when
 * there was one; this tsprof then closes the inspector in its turn. A
 * thread that does not answer within a moment runs JavaScript, and a pending
 * close cannot fire while it does.
 */
async function takeOverClose(c: InspectorConnection): Promise<boolean> {
  const expression = `(() => { const k = Symbol.for(${JSON.stringify(CLOSE_KEY)}); const t = globalThis[k]; if (t === undefined) return false; clearTimeout(t); delete globalThis[k]; return true; })()`;
  return (await evaluateSoon(c, expression)) === true;
}
