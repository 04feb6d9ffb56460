/**
 * The library API bound to the runtime at hand: `Profiler`, `profile()`,
 * `saveSession()` and the HTTP integrations. The core classes in src/ take
 * a host (backend loader, working directory, files, stderr, environment);
 * this module supplies it, so `mod.ts` can export ready-to-use versions.
 * It uses only `node:*` modules that Node, Deno and Bun all provide.
 *
 * @module
 */
import process from "node:process";
import { writeFailed } from "../src/errors.ts";
import { fileURLToPath } from "node:url";
import type { Session } from "../src/format/types.ts";
import { type HttpEnv, type HttpProfilingOptions, resolveHttpOptions } from "../src/http/common.ts";
import { type FetchHandler, wrapFetch } from "../src/http/fetch.ts";
import { type NodeMiddleware, nodeMiddleware, type NodeRequestLike, type NodeResponseLike } from "../src/http/node.ts";
import {
  Profiler as CoreProfiler,
  type ProfileResult,
  type ProfilerHost,
  type ProfilerOptions,
  profileWith,
  type SaveOptions,
} from "../src/profiler.ts";
import { rendererForSave } from "../src/render/output.ts";
import type { RenderOptions } from "../src/render/registry.ts";
import { useColor } from "../src/render/color_policy.ts";
import { toolPathsFrom } from "../src/tool_paths.ts";
import { VERSION } from "../src/version.ts";
import { writeFileAtomic } from "./_files.ts";
import { loadBackend } from "./auto.ts";

function cwd(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/**
 * The variables named, each unset where reading it is not allowed (Deno
 * without --allow-env): read one by one, since listing the whole
 * environment would need more permission than any one of them.
 */
function envOf<K extends string>(...names: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    try {
      const value = process.env[name];
      if (value !== undefined) out[name] = value;
    } catch {
      // Not allowed: as if unset.
    }
  }
  return out;
}

function httpEnv(): HttpEnv {
  return envOf("TSPROF_HTTP", "TSPROF_HTTP_SECRET", "NODE_ENV");
}

const HOST: ProfilerHost = {
  loadBackend: () => loadBackend("auto"),
  cwd: () => cwd() ?? "",
  writeFile: writeFileAtomic,
  report(_session, render) {
    const color = useColor(undefined, process.stderr.isTTY === true, envOf("NO_COLOR", "FORCE_COLOR"));
    const text = render("console", { color, unicode: true }) as string;
    process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  },
  toolPaths: toolPathsFrom(import.meta.url, fileURLToPath),
};

/**
 * Records the calling thread between `start()` and `stop()`, on Node, Deno
 * and Bun. Restartable: each `stop()` returns the session of that run. With
 * `await using`, leaving the block stops it and (without `onStop`) prints
 * the report to stderr.
 *
 * Errors carry stable codes (`TsprofError.code`): `PROFILER_ALREADY_RUNNING`,
 * `PROFILER_NOT_RUNNING`, `UNSUPPORTED_RUNTIME`, `NO_SESSION`.
 *
 * @example Start and stop
 * ```ts
 * import { Profiler } from "tsprof";
 * const profiler = new Profiler({ intervalMs: 1 });
 * await profiler.start();
 * JSON.stringify(Array.from({ length: 1e5 }, (_, i) => ({ i })));
 * const session = await profiler.stop();
 * console.log(profiler.render("console"));
 * await profiler.save("profile.speedscope.json");
 * ```
 *
 * @example A block, by scope
 * ```ts
 * import { Profiler } from "tsprof";
 * {
 *   await using _ = await new Profiler({ description: "sorting" }).start();
 *   Array.from({ length: 1e5 }, () => Math.random()).sort();
 * } // the report goes to stderr here
 * ```
 */
export class Profiler implements AsyncDisposable {
  // Composition, not inheritance: the core class takes the host (backend
  // loader, files, stderr) that src/ may not import; this class binds it.
  readonly #core: CoreProfiler;

  /**
   * A stopped profiler for the calling thread of this runtime.
   *
   * @param options how to record; see {@linkcode ProfilerOptions}
   */
  constructor(options: ProfilerOptions = {}) {
    this.#core = new CoreProfiler(options, HOST);
  }

  /** True between {@linkcode Profiler.start} and {@linkcode Profiler.stop}. */
  get isRunning(): boolean {
    return this.#core.isRunning;
  }

  /** The session of the last completed run, if any. */
  get lastSession(): Session | undefined {
    return this.#core.lastSession;
  }

  /**
   * Starts recording. Resolves to the profiler itself, so that
   * `await using p = await new Profiler().start()` reads as one line.
   *
   * @throws {TsprofError} `PROFILER_ALREADY_RUNNING` if it is running;
   *   `UNSUPPORTED_RUNTIME` where no backend can run
   */
  async start(): Promise<this> {
    await this.#core.start();
    return this;
  }

  /**
   * Stops recording and returns the session of this run (also kept as
   * {@linkcode Profiler.lastSession}).
   *
   * @throws {TsprofError} `PROFILER_NOT_RUNNING` if it was not started
   */
  stop(): Promise<Session> {
    return this.#core.stop();
  }

  /**
   * Renders the last session with any renderer: `console` (the default),
   * `json`, `speedscope`, `session`, `html`, `cpuprofile`, `collapsed`.
   *
   * @throws {TsprofError} `NO_SESSION` before the first stop
   * @throws {RangeError} for an unknown renderer
   */
  render(renderer = "console", options: RenderOptions = {}): string | Uint8Array {
    return this.#core.render(renderer, options);
  }

  /**
   * Writes the last session to `path`, in the format its name asks for
   * (`.html`, `.speedscope.json`, `.json`, `.tsprof`, `.txt`) or
   * `options.renderer`. The file is written whole or not at all.
   *
   * @returns the renderer used
   * @throws {TsprofError} `NO_SESSION` before the first stop
   * @throws {RangeError} when the format cannot be told
   */
  save(path: string, options: SaveOptions = {}): Promise<string> {
    return this.#core.save(path, options);
  }

  /**
   * Ends an `await using` block: stops if running. Without `onStop`, the
   * console report goes to stderr.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#core[Symbol.asyncDispose]();
  }
}

/**
 * Runs `fn` (sync or async) under a profiler and returns its result with the
 * session. If `fn` throws, profiling stops and the error is passed on.
 *
 * @example
 * ```ts
 * import { profile, renderSession } from "tsprof";
 * const { result, session } = await profile(async () => {
 *   await new Promise((r) => setTimeout(r, 20));
 *   return [3, 1, 2].sort();
 * });
 * console.log(result, renderSession(session, "console"));
 * ```
 */
export function profile<T>(fn: () => T | Promise<T>, options: ProfilerOptions = {}): Promise<ProfileResult<Awaited<T>>> {
  return profileWith((o) => new Profiler(o), fn, options);
}

/**
 * Writes `session` to `path` in the format its name asks for (`.html`,
 * `.speedscope.json`, `.json`, `.tsprof`, `.txt`) or `options.renderer`;
 * whole or not at all. Resolves to the renderer used.
 *
 * @throws {TsprofError} `UNKNOWN_RENDERER` when the format cannot be told, `WRITE_FAILED` when the file cannot be written
 * @example
 * ```ts
 * import { profile, saveSession } from "tsprof";
 * const { session } = await profile(() => [3, 1, 2].sort());
 * await saveSession(session, "sort.tsprof"); // reopen with: tsprof view sort.tsprof
 * ```
 */
export async function saveSession(session: Session, path: string, options: SaveOptions = {}): Promise<string> {
  const renderer = rendererForSave(path, options.renderer);
  await writeFileAtomic(path, renderer.render(session, { version: VERSION, toolPaths: HOST.toolPaths!, ...options })).catch((e: unknown) => {
    throw writeFailed(path, e);
  });
  return renderer.name;
}

const DEPS = { createProfiler: (o: ProfilerOptions) => new Profiler(o), toolPaths: HOST.toolPaths! };

/**
 * Wraps a fetch-style handler (`Deno.serve`, `Bun.serve`, Hono's
 * `app.fetch`): a request with `?profile` (or header `x-tsprof`) gets its
 * own profile as the HTML report instead of its body; `?profile=json`,
 * `=speedscope` or `=console` pick another format. Off unless
 * `enabled: true` (or `TSPROF_HTTP=1` outside production); with a `secret`,
 * only requests carrying it (`x-tsprof-secret` header or `profile_secret`
 * parameter) are profiled. The report counts requests that overlapped.
 *
 * @example
 * ```ts
 * import { profileFetch } from "tsprof";
 * const handler = profileFetch((req: Request) => new Response("hello"), { enabled: true, secret: "s3cret" });
 * const res = await handler(new Request("http://localhost/?profile=json&profile_secret=s3cret"));
 * // Deno.serve(handler) · Bun.serve({ fetch: handler }) · export default { fetch: profileFetch(app.fetch) }
 * ```
 */
export function profileFetch<A extends unknown[]>(handler: FetchHandler<A>, options: HttpProfilingOptions = {}): (request: Request, ...rest: A) => Promise<Response> {
  return wrapFetch(handler, resolveHttpOptions(options, httpEnv()), DEPS);
}

/**
 * A middleware for Express/Connect-style apps (`app.use(...)`, mount it
 * first): a request with `?profile` gets its profile instead of the app's
 * response. Same options and rules as {@linkcode profileFetch}.
 *
 * @example
 * ```ts
 * import { profileMiddleware } from "tsprof";
 * const middleware = profileMiddleware({ enabled: process.env.NODE_ENV !== "production" });
 * // app.use(middleware)
 * ```
 */
export function profileMiddleware(options: HttpProfilingOptions = {}): NodeMiddleware {
  return nodeMiddleware(resolveHttpOptions(options, httpEnv()), DEPS);
}

/**
 * Wraps a plain `node:http` request handler: `http.createServer(profileNodeHandler(handler))`.
 * Same options and rules as {@linkcode profileFetch}.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { profileNodeHandler } from "tsprof";
 * const server = createServer(profileNodeHandler((req, res) => res.end("hello"), { enabled: true }));
 * ```
 */
export function profileNodeHandler<Req extends NodeRequestLike, Res extends NodeResponseLike>(
  handler: (req: Req, res: Res) => void,
  options: HttpProfilingOptions = {},
): (req: Req, res: Res) => void {
  const middleware = nodeMiddleware(resolveHttpOptions(options, httpEnv()), DEPS);
  return (req, res) =>
    middleware(req, res, (e?: unknown) => {
      if (e === undefined) return handler(req, res);
      res.statusCode = 500;
      res.end(`tsprof: cannot profile this request: ${(e as Error).message ?? String(e)}\n`);
    });
}
