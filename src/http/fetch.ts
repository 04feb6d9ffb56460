/**
 * Profiling for fetch-style handlers, `(Request) => Response`: `Deno.serve`,
 * `Bun.serve`, Hono's `app.fetch` and the like.
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
  type ProfilerFactory,
  RequestTracker,
  requestSession,
} from "./common.ts";

/**
 * A fetch-style handler; extra arguments (Deno's `info`, Bun's `server`, Hono's `env`) pass through.
 *
 * @example
 * ```ts
 * import { profileFetch, type FetchHandler } from "tsprof";
 * const app: FetchHandler<[]> = (req) => new Response(`you asked for ${new URL(req.url).pathname}`);
 * const handler = profileFetch(app, { enabled: true });
 * ```
 */
export type FetchHandler<A extends unknown[] = unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/** What the fetch wrapper needs besides its options. */
export interface HttpDeps {
  /** Makes the profiler for one request. */
  readonly createProfiler: ProfilerFactory;
  /** Where tsprof's own code lives, to keep it out of reports. */
  readonly toolPaths?: readonly string[];
}

/**
 * Wraps `handler` so that a request asking for it (see `HttpConfig`) gets
 * its own profile instead of its body. The handler still runs in full and
 * its body is read to the end inside the profile; the profile covers only
 * that request's time, and says how many others overlapped it.
 */
export function wrapFetch<A extends unknown[]>(handler: FetchHandler<A>, config: HttpConfig, deps: HttpDeps): (request: Request, ...rest: A) => Promise<Response> {
  const tracker = new RequestTracker();
  return async (request: Request, ...rest: A): Promise<Response> => {
    tracker.enter();
    try {
      const url = new URL(request.url);
      const asked = profileRequested(url, (h) => request.headers.get(h), config);
      if (asked === undefined) return await handler(request, ...rest);
      if ("error" in asked) return new Response(`${asked.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
      const { renderer } = asked;
      if (tracker.profiling) return busy();
      tracker.beginProfile();
      const profiler = deps.createProfiler({ intervalMs: config.intervalMs });
      try {
        await profiler.start();
      } catch (e) {
        tracker.endProfile();
        if (e instanceof TsprofError && e.code === "PROFILER_ALREADY_RUNNING") return busy();
        throw e;
      }
      let session: Session;
      let status: number;
      let others: number;
      try {
        const response = await handler(request, ...rest);
        status = response.status;
        // The body may be produced as it is read (a stream): read it here.
        await response.arrayBuffer();
      } finally {
        others = tracker.endProfile();
        session = await profiler.stop();
      }
      const described = requestSession(session, describeRequest(request.method, url, config), status, others);
      const out = profileResponse(described, renderer, config, deps.toolPaths);
      return new Response(out.body as BodyInit, { status: 200, headers: out.headers });
    } finally {
      tracker.leave();
    }
  };
}

function busy(): Response {
  return new Response(BUSY_MESSAGE, { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "1" } });
}
