/**
 * `tsprof dump`'s worker threads (Node): each worker is an inspector target
 * of its own, reached through the main thread's connection with the
 * `NodeWorker` domain, which forwards messages both ways. Each is paused,
 * read and resumed as the main thread is.
 *
 * @module
 */
import type { InspectorConnection } from "./inspector_client.ts";

/** A worker's paused stack, innermost first, as V8 gives it; `undefined` frames: idle. */
export interface WorkerStack {
  readonly title: string;
  readonly frames: readonly PausedFrame[] | undefined;
}

/** A frame of `Debugger.paused`. */
export interface PausedFrame {
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number };
  url?: string;
}

/** A margin for the attach events of workers, which Node sends with its answer to `NodeWorker.enable`. */
const ATTACH_WAIT_MS = 20;

/**
 * Pauses each worker thread of a Node process in turn and reads its stack;
 * `idleAfterMs` is how long a pause may wait for JavaScript to run.
 */
export async function dumpWorkers(c: InspectorConnection, idleAfterMs: number): Promise<WorkerStack[]> {
  const attached: { sessionId: string; title: string }[] = [];
  c.on("NodeWorker.attachedToWorker", (p) => {
    const info = p.workerInfo as { title?: string; workerId?: string } | undefined;
    attached.push({ sessionId: String(p.sessionId), title: info?.title || `worker ${info?.workerId ?? attached.length + 1}` });
  });
  const channels = new Map<string, (message: Record<string, unknown>) => void>();
  c.on("NodeWorker.receivedMessageFromWorker", (p) => channels.get(String(p.sessionId))?.(JSON.parse(String(p.message)) as Record<string, unknown>));
  await c.send("NodeWorker.enable", { waitForDebuggerOnStart: false });
  await new Promise((r) => setTimeout(r, ATTACH_WAIT_MS));
  const stacks: WorkerStack[] = [];
  for (const w of attached) {
    const worker = workerChannel(c, w.sessionId, channels);
    const urls = new Map<string, string>();
    worker.on("Debugger.scriptParsed", (p) => urls.set(String(p.scriptId), String(p.url ?? "")));
    try {
      await worker.send("Debugger.enable");
      const paused = worker.next("Debugger.paused", idleAfterMs).catch(() => undefined);
      await worker.send("Debugger.pause");
      const p = await paused;
      // A worker's frames name their scripts by its own ids.
      const frames = (p?.callFrames as PausedFrame[] | undefined)?.map((f) => ({ ...f, url: f.url || urls.get(f.location.scriptId) || "" }));
      if (frames) await worker.send("Debugger.resume");
      await worker.send("Debugger.disable");
      stacks.push({ title: w.title, frames });
    } catch {
      // The worker ended meanwhile: nothing to show.
    }
    await c.send("NodeWorker.detach", { sessionId: w.sessionId }).catch(() => undefined);
  }
  await c.send("NodeWorker.disable").catch(() => undefined);
  return stacks;
}

/** Commands and events of one worker's session, over the main connection. */
function workerChannel(c: InspectorConnection, sessionId: string, channels: Map<string, (message: Record<string, unknown>) => void>) {
  let id = 0;
  const answers = new Map<number, (message: Record<string, unknown>) => void>();
  const waiting = new Map<string, (params: Record<string, unknown>) => void>();
  const listeners = new Map<string, (params: Record<string, unknown>) => void>();
  channels.set(sessionId, (m) => {
    if (typeof m.id === "number") answers.get(m.id)?.(m);
    else if (typeof m.method === "string") {
      const params = (m.params ?? {}) as Record<string, unknown>;
      listeners.get(m.method)?.(params);
      waiting.get(m.method)?.(params);
    }
  });
  return {
    on(event: string, listener: (params: Record<string, unknown>) => void): void {
      listeners.set(event, listener);
    },
    async send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
      const n = ++id;
      const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
        answers.set(n, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve((m.result ?? {}) as Record<string, unknown>)));
      });
      await c.send("NodeWorker.sendMessageToWorker", { sessionId, message: JSON.stringify({ id: n, method, params }) });
      return answer;
    },
    next(event: string, timeoutMs: number): Promise<Record<string, unknown>> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event}`)), timeoutMs);
        waiting.set(event, (params) => {
          clearTimeout(timer);
          waiting.delete(event);
          resolve(params);
        });
      });
    },
  };
}
