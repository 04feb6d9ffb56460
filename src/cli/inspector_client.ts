/**
 * A client for the Chrome DevTools Protocol over the inspector's WebSocket,
 * for talking to another process: the engines answer on their own thread,
 * even while the process's JavaScript spins in a loop, which is what lets
 * tsprof end a stuck program with its profile, attach to a running one and
 * print where it is.
 *
 * The WebSocket is the runtime's own (Node 22+, Deno, Bun); Node 20 has
 * none without a flag, so there the `ws` package supplies it.
 *
 * @module
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import process from "node:process";

/** One open inspector connection. */
export interface InspectorConnection {
  /** Sends a command and resolves with its result; rejects on a protocol error or when the connection closes. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` with the params of every `event` that arrives. */
  on(event: string, listener: (params: Record<string, unknown>) => void): void;
  /** Resolves with the params of the next `event`, or rejects after `timeoutMs` or on close. */
  next(event: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  /** Whether it is closed now. */
  readonly isClosed: boolean;
  /** Closes the connection. */
  close(): void;
}

interface MinimalSocket {
  send(data: string): void;
  close(): void;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
}

type SocketConstructor = new (url: string) => MinimalSocket;

/** The WebSocket class: the runtime's, else the `ws` package's (Node 20). */
async function webSocketClass(): Promise<SocketConstructor> {
  const native = (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
  if (native) return native;
  // A name in a variable: Deno and bundlers must not try to resolve it where it is never needed.
  const name = "ws";
  const mod = (await import(name)) as { WebSocket?: SocketConstructor; default?: SocketConstructor };
  return (mod.WebSocket ?? mod.default)!;
}

/** The inspector is reached on loopback only: a remote one would run code from the network. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Opens a WebSocket to an inspector target (`ws://127.0.0.1:9229/<id>`).
 *
 * @example
 * ```ts ignore
 * import { connectInspectorSocket } from "./inspector_client.ts";
 * const c = await connectInspectorSocket("ws://127.0.0.1:9229/abc", 1000);
 * await c.send("Runtime.enable");
 * c.close();
 * ```
 */
export async function connectInspectorSocket(url: string, timeoutMs: number): Promise<InspectorConnection> {
  const Socket = await webSocketClass();
  const socket = new Socket(url);
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void; method: string }>();
  const listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  let isClosed = false;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const closeAll = () => {
    if (isClosed) return;
    isClosed = true;
    for (const p of pending.values()) p.reject(new Error(`the inspector closed the connection before answering ${p.method}`));
    pending.clear();
    for (const set of listeners.values()) for (const l of set) l({ closed: true });
    markClosed();
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer from the inspector at ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to the inspector at ${url}`));
    });
  });
  socket.addEventListener("close", closeAll);
  socket.addEventListener("error", closeAll);
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message?: string } };
    if (message.id !== undefined) {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.error) p.reject(new Error(`${p.method}: ${message.error.message ?? "failed"}`));
      else p.resolve((message.result ?? {}) as never);
    } else if (message.method) {
      for (const l of listeners.get(message.method) ?? []) l(message.params ?? {});
    }
  });
  const on = (event: string, listener: (params: Record<string, unknown>) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
  };
  return {
    send<T>(method: string, params: Record<string, unknown> = {}) {
      if (isClosed) return Promise.reject(new Error(`the inspector connection is closed (${method})`));
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: never) => void, reject, method });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on,
    next(event, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.get(event)?.delete(once);
          reject(new Error(`no ${event} from the inspector within ${timeoutMs} ms`));
        }, timeoutMs);
        const once = (params: Record<string, unknown>) => {
          listeners.get(event)?.delete(once);
          clearTimeout(timer);
          if (params.closed === true) reject(new Error("the inspector closed the connection"));
          else resolve(params);
        };
        on(event, once);
      });
    },
    closed,
    get isClosed() {
      return isClosed;
    },
    close() {
      socket.close();
      closeAll();
    },
  };
}

/** One target that an inspector lists at `/json/list`. */
export interface InspectorTarget {
  readonly webSocketDebuggerUrl: string;
  readonly title?: string;
  readonly url?: string;
}

/** The targets an inspector on `host:port` lists (the first is the main thread). */
export async function inspectorTargets(host: string, port: number, timeoutMs: number): Promise<InspectorTarget[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}/json/list`, { signal: controller.signal });
    const targets = (await response.json()) as InspectorTarget[];
    return targets.filter((t) => typeof t.webSocketDebuggerUrl === "string");
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The runtime's version as the inspector at `webSocketUrl` names it at
 * `/json/version` (`node.js/v20.20.2`, `Deno/2.9.6`): the inspector's own
 * thread answers, even while the program's thread spins. `""` when it does
 * not say.
 */
export async function inspectorVersion(webSocketUrl: string, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const u = new URL(webSocketUrl);
    const response = await fetch(`http://${u.host}/json/version`, { signal: controller.signal });
    const browser = ((await response.json()) as { Browser?: unknown }).Browser;
    const m = typeof browser === "string" ? /^(?:node\.js\/v|Deno\/)(\S+)$/.exec(browser) : null;
    return m ? m[1]! : "";
  } catch {
    return "";
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The TCP ports process `pid` listens on, from /proc (Linux): its socket
 * inodes matched against the listening sockets of its network namespace.
 * Empty where there is no /proc.
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // st 0A is LISTEN; column 9 is the inode.
      if (cols.length < 10 || cols[3] !== "0A" || !inodes.has(cols[9]!)) continue;
      ports.push(parseInt(cols[1]!.split(":")[1]!, 16));
    }
  }
  return ports;
}

/** True while process `pid` exists (and is not a zombie we could see). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
  // A zombie has exited: its parent just has not reaped it yet.
  return processState(pid) !== "Z";
}

/**
 * The state of process `pid`'s main thread as /proc says it (Linux): `R`
 * running or runnable, `S` sleeping, `D` in a blocking call, `Z` a zombie,
 * ...; `undefined` where there is no /proc.
 */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0] || undefined;
}

/**
 * Whether process `pid`'s main thread was mostly not running over a few
 * milliseconds (most of `reads` readings of its state, 1 ms apart, not `R`);
 * `undefined` where there is no /proc. One reading is not enough: a thread
 * waiting in its event loop runs for a moment each time it is woken (by the
 * inspector's own messages, say), and a loaded machine stretches that moment.
 * A thread spinning in JavaScript stays `R`, even while preempted.
 */
export async function mostlyWaiting(pid: number, reads = 9): Promise<boolean | undefined> {
  let waiting = 0;
  for (let i = 0; i < reads; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1));
    const state = processState(pid);
    if (state === undefined) return undefined;
    if (state !== "R") waiting++;
  }
  return waiting * 2 > reads;
}

/**
 * The CPU time process `pid` has used so far (user and system, all its
 * threads, ms), from /proc; `undefined` where there is none. Counted in the
 * kernel's ticks (`CLK_TCK`, 100 a second on Linux).
 */
export function processCpuMs(pid: number): number | undefined {
  const fields = statFields(pid);
  // utime and stime: fields 14 and 15 of the file.
  const ticks = fields === undefined ? NaN : Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}

/**
 * The fields of /proc/<pid>/stat from the state on (field 3, at index 0);
 * `undefined` where there is none. The name (field 2) may hold spaces and
 * parentheses: the state follows its last ")".
 */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The inspector WebSocket URL of the main thread of `pid`, which listens
 * already or (Node, `signal`) is asked to open it with SIGUSR1. Polls /proc
 * until the port appears or `timeoutMs` passes.
 */
export async function inspectorUrlOfPid(pid: number, options: { openWithSigusr1: boolean; timeoutMs: number }): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  let ports = listeningPorts(pid);
  if (options.openWithSigusr1) {
    process.kill(pid, "SIGUSR1");
  }
  const tried = new Set<number>();
  for (;;) {
    ports = listeningPorts(pid);
    for (const port of ports) {
      if (tried.has(port)) continue;
      tried.add(port);
      try {
        const targets = await inspectorTargets("127.0.0.1", port, Math.max(100, deadline - Date.now()));
        if (targets[0]) return targets[0].webSocketDebuggerUrl;
      } catch {
        // Not an inspector (the program's own server): try the next port.
      }
    }
    if (Date.now() > deadline) break;
    if (!processAlive(pid)) throw new Error(`process ${pid} ended`);
    await sleep(10);
  }
  throw new Error(`process ${pid} opened no inspector within ${options.timeoutMs} ms`);
}
