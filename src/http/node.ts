/**
 * Profiling for Node's `http` server and Express/Connect-style apps
 * (`(req, res, next)`), which Deno and Bun also run through `node:http`.
 * Typed by shape, so the core imports no runtime module.
 *
 * While a request is profiled, its response is held back: what the app
 * writes is counted and dropped, and when the app ends the response, the
 * profile is sent in its place with the app's headers removed.
 *
 * @module
 */
import { TsprofError } from "../errors.ts";
import type { Session } from "../format/types.ts";
import {
  BUSY_MESSAGE,
  describeRequest,
  type HttpConfig,
  profileRequested,
  profileResponse,
  RequestTracker,
  requestSession,
} from "./common.ts";
import type { HttpDeps } from "./fetch.ts";

/**
 * The parts of Node's `IncomingMessage` used here.
 *
 * @example
 * ```ts
 * import type { NodeRequestLike } from "tsprof";
 * const req: NodeRequestLike = { method: "GET", url: "/?profile=json", headers: { host: "localhost" } };
 * ```
 */
export interface NodeRequestLike {
  /** `GET`, `POST`, ... */
  readonly method?: string | undefined;
  /** Path and query, as the client sent them. */
  readonly url?: string | undefined;
  /** Headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * The parts of Node's `ServerResponse` used here.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import type { NodeResponseLike } from "tsprof";
 * const server = createServer((_req, res) => {
 *   const r: NodeResponseLike = res; // Node's ServerResponse fits
 *   r.end("ok");
 * });
 * ```
 */
export interface NodeResponseLike {
  /** Status to send. */
  statusCode: number;
  /** True once the head is on the wire. */
  readonly headersSent: boolean;
  /** Sends the head (held back while a request is profiled). */
  // deno-lint-ignore no-explicit-any
  writeHead(...args: any[]): unknown;
  /** Sends body data (held back while a request is profiled). */
  // deno-lint-ignore no-explicit-any
  write(...args: any[]): boolean;
  /** Ends the response. */
  // deno-lint-ignore no-explicit-any
  end(...args: any[]): unknown;
  /** Sets a header. */
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  /** Removes a header. */
  removeHeader(name: string): void;
  /** Names of the headers set so far. */
  getHeaderNames(): string[];
  /** Listens once for the end of the response. */
  once(event: "close" | "finish", listener: () => void): unknown;
}

/**
 * Express/Connect's `next`.
 *
 * @example
 * ```ts
 * import type { NextFunction, NodeRequestLike, NodeResponseLike } from "tsprof";
 * const logger = (req: NodeRequestLike, _res: NodeResponseLike, next: NextFunction) => {
 *   console.log(req.method, req.url);
 *   next();
 * };
 * ```
 */
export type NextFunction = (error?: unknown) => void;

/**
 * A middleware that profiles requests that ask for it, then calls `next`.
 *
 * @example
 * ```ts
 * import { profileMiddleware, type NodeMiddleware } from "tsprof";
 * const middleware: NodeMiddleware = profileMiddleware({ enabled: true });
 * // app.use(middleware)
 * ```
 */
export type NodeMiddleware = (req: NodeRequestLike, res: NodeResponseLike, next: NextFunction) => void;

function headerOf(req: NodeRequestLike, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
}

/**
 * Makes the middleware. Mount it first, so that it sees every request (to
 * count those in flight) and the whole of a profiled one.
 */
export function nodeMiddleware(config: HttpConfig, deps: HttpDeps): NodeMiddleware {
  const tracker = new RequestTracker();
  return (req, res, next) => {
    tracker.enter();
    let left = false;
    const leave = () => {
      if (!left) tracker.leave();
      left = true;
    };
    res.once("finish", leave);
    res.once("close", leave);
    const url = new URL(req.url ?? "/", "http://localhost");
    const asked = profileRequested(url, (h) => headerOf(req, h), config);
    if (asked === undefined) return next();
    if ("error" in asked) {
      res.statusCode = 400;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      return void res.end(`${asked.error}\n`);
    }
    const { renderer } = asked;
    if (tracker.profiling) return busy(res);
    tracker.beginProfile();
    const profiler = deps.createProfiler({ intervalMs: config.intervalMs });
    profiler.start().then(
      () => run(),
      (e: unknown) => {
        tracker.endProfile();
        if (e instanceof TsprofError && e.code === "PROFILER_ALREADY_RUNNING") return busy(res);
        next(e);
      },
    );

    function run(): void {
      const original = { writeHead: res.writeHead, write: res.write, end: res.end };
      let status: number | undefined;
      let ended = false;
      const restore = () => {
        res.writeHead = original.writeHead;
        res.write = original.write;
        res.end = original.end;
      };
      res.writeHead = (code: number) => {
        status = code;
        return res;
      };
      res.write = (...args: unknown[]) => {
        const cb = args.find((a) => typeof a === "function") as (() => void) | undefined;
        cb?.();
        return true;
      };
      res.end = (...args: unknown[]) => {
        if (ended) return res;
        ended = true;
        const cb = args.find((a) => typeof a === "function") as (() => void) | undefined;
        finish().then(cb, (e: unknown) => {
          restore();
          if (!res.headersSent) {
            res.statusCode = 500;
            res.end(`tsprof: cannot make the profile: ${(e as Error).message}\n`);
          }
        });
        return res;
      };
      const finish = async () => {
        const others = tracker.endProfile();
        let session: Session;
        try {
          session = await profiler.stop();
        } finally {
          restore();
        }
        const described = requestSession(session, describeRequest(req.method ?? "GET", url, config), status ?? res.statusCode, others);
        const out = profileResponse(described, renderer, config, deps.toolPaths);
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.statusCode = 200;
        for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
        res.setHeader("content-length", typeof out.body === "string" ? new TextEncoder().encode(out.body).length : out.body.length);
        res.end(out.body);
      };
      try {
        next();
      } catch (e) {
        if (!ended) {
          restore();
          tracker.endProfile();
          profiler.stop().catch(() => {});
        }
        throw e;
      }
    }
  };
}

function busy(res: NodeResponseLike): void {
  res.statusCode = 503;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.setHeader("retry-after", "1");
  res.end(BUSY_MESSAGE);
}
