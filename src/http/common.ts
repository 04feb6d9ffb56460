/**
 * What the HTTP integrations share: when a request gets its profile instead
 * of its body (off unless configured, secret checked in constant time), how
 * many other requests overlapped it, and the response that carries the
 * profile.
 *
 * @module
 */
import type { Session } from "../format/types.ts";
import type { ProfilerLike, ProfilerOptions } from "../profiler.ts";
import { contentType } from "../render/output.ts";
import { rendererByName, RENDERERS, type RenderOptions } from "../render/registry.ts";
import { VERSION } from "../version.ts";

/**
 * Options of the HTTP integrations (`profileFetch`, `profileMiddleware`, `profileNodeHandler`).
 *
 * @example
 * ```ts
 * import { profileFetch, type HttpProfilingOptions } from "tsprof";
 * const options: HttpProfilingOptions = { enabled: true, secret: "change me", query: "prof", renderer: "speedscope" };
 * const handler = profileFetch(() => new Response("ok"), options);
 * ```
 */
export interface HttpProfilingOptions {
  /**
   * Turns profiling on. Off by default: without it, only `TSPROF_HTTP=1` in
   * the environment turns it on, and never when `NODE_ENV` is `production`.
   * `false` wins over the environment.
   */
  enabled?: boolean;
  /**
   * Query parameter that asks for a profile: `?profile` (the HTML report),
   * `?profile=json`, `?profile=speedscope`, `?profile=console`. Its secret
   * goes in `<query>_secret`.
   * @default {"profile"}
   */
  query?: string;
  /**
   * Request header that asks for a profile, with the same values as the
   * query parameter. Its secret goes in `<header>-secret`.
   * @default {"x-tsprof"}
   */
  header?: string;
  /**
   * When set, only requests that carry it (header `x-tsprof-secret` or query
   * `profile_secret`) get a profile; the others get their normal response.
   * Default: `TSPROF_HTTP_SECRET` from the environment, if set.
   */
  secret?: string;
  /**
   * Format when the request names none. `html` falls back to `speedscope`
   * where no HTML renderer is installed.
   * @default {"html"}
   */
  renderer?: string;
  /**
   * Sampling interval in milliseconds.
   * @default {1}
   */
  intervalMs?: number;
  /** Options for the renderer (e.g. `showAll`). */
  renderOptions?: RenderOptions;
}

/** The environment variables the integrations read, as the binding passes them. */
export interface HttpEnv {
  readonly TSPROF_HTTP?: string | undefined;
  readonly TSPROF_HTTP_SECRET?: string | undefined;
  readonly NODE_ENV?: string | undefined;
}

/** Options after defaults and the environment are applied. */
export interface HttpConfig {
  readonly enabled: boolean;
  readonly query: string;
  readonly header: string;
  readonly secret: string | undefined;
  readonly renderer: string;
  readonly intervalMs: number;
  readonly renderOptions: RenderOptions;
}

/** Makes a profiler for one request. */
export type ProfilerFactory = (options: ProfilerOptions) => ProfilerLike;

/**
 * Applies defaults and the environment to `options`. The environment alone
 * never turns profiling on in production mode.
 *
 * @throws {RangeError} for an empty secret or parameter name
 */
export function resolveHttpOptions(options: HttpProfilingOptions, env: HttpEnv = {}): HttpConfig {
  const production = env.NODE_ENV === "production";
  const envOn = env.TSPROF_HTTP === "1" || env.TSPROF_HTTP === "true";
  const enabled = options.enabled ?? (envOn && !production);
  const secret = options.secret ?? (env.TSPROF_HTTP_SECRET || undefined);
  if (secret !== undefined && secret.length === 0) throw new RangeError("Cannot profile requests: secret must not be empty");
  const query = options.query ?? "profile";
  const header = (options.header ?? "x-tsprof").toLowerCase();
  if (query.length === 0) throw new RangeError("Cannot profile requests: query must not be empty");
  if (header.length === 0) throw new RangeError("Cannot profile requests: header must not be empty");
  return {
    enabled,
    query,
    header,
    secret,
    renderer: options.renderer ?? "html",
    intervalMs: options.intervalMs ?? 1,
    renderOptions: options.renderOptions ?? {},
  };
}

/**
 * Compares two strings in time that depends only on their lengths, so that a
 * wrong secret's response time tells nothing about how much of it matched.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(1, a.length)] ?? 0) ^ b[i]!;
  return diff === 0;
}

/**
 * What a request that asks for its profile gets: the renderer of its
 * profile, or, for a format no renderer has, the one-line message of a 400.
 */
export type ProfileAsk = { readonly renderer: string } | { readonly error: string };

/** The renderer a request's value asks for; the default (`html`) falls back to `speedscope` where absent. */
function rendererFor(value: string, fallback: string): ProfileAsk {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "1" || v === "true") return { renderer: rendererByName(fallback) ? fallback : "speedscope" };
  const name = v === "text" || v === "txt" ? "console" : v;
  if (rendererByName(name)) return { renderer: name };
  return { error: `tsprof: unknown profile format "${value}": choose ${RENDERERS.map((r) => r.name).join(", ")}` };
}

/**
 * Whether this request gets its profile, and in which format: `undefined`
 * for a normal response (off, not asked, or wrong or missing secret).
 */
export function profileRequested(url: URL, header: (name: string) => string | null | undefined, config: HttpConfig): ProfileAsk | undefined {
  if (!config.enabled) return undefined;
  const value = url.searchParams.get(config.query) ?? header(config.header);
  if (value === null || value === undefined) return undefined;
  if (config.secret !== undefined) {
    const given = header(`${config.header}-secret`) ?? url.searchParams.get(`${config.query}_secret`);
    if (given === null || given === undefined || !constantTimeEqual(given, config.secret)) return undefined;
  }
  return rendererFor(value, config.renderer);
}

/** The request as the report names it: method and path, without tsprof's parameters. */
export function describeRequest(method: string, url: URL, config: HttpConfig): string {
  const params = new URLSearchParams(url.search);
  params.delete(config.query);
  params.delete(`${config.query}_secret`);
  const search = params.toString();
  return `${method.toUpperCase()} ${url.pathname}${search ? `?${search}` : ""}`;
}

/**
 * Counts requests in flight, and those that overlap a profiled one. One
 * profiled request at a time: the sampler sees the whole thread.
 */
export class RequestTracker {
  #active = 0;
  #overlap: number | undefined;

  /** Requests being handled now. */
  get active(): number {
    return this.#active;
  }

  /** True while a request is being profiled. */
  get profiling(): boolean {
    return this.#overlap !== undefined;
  }

  /** A request arrives. */
  enter(): void {
    this.#active++;
    if (this.#overlap !== undefined) this.#overlap++;
  }

  /** A request is done. */
  leave(): void {
    this.#active--;
  }

  /** The calling request (already entered) starts being profiled. */
  beginProfile(): void {
    this.#overlap = this.#active - 1;
  }

  /** Profiling ends; returns how many other requests overlapped it. */
  endProfile(): number {
    const n = this.#overlap ?? 0;
    this.#overlap = undefined;
    return n;
  }
}

/** The session with the request's description and, if others overlapped it, a warning that counts them. */
export function requestSession(session: Session, description: string, status: number, others: number): Session {
  const warnings = [...(session.meta.warnings ?? [])];
  if (others > 0) {
    warnings.push(
      `${others} other request${others === 1 ? " was" : "s were"} in flight while this one was profiled: the sampler sees the whole thread, so their work may show here`,
    );
  }
  const overlap = others > 0 ? `, ${others} other request${others === 1 ? "" : "s"} in flight` : "";
  return {
    ...session,
    meta: {
      ...session.meta,
      description: `Request: ${description} (status ${status}${overlap})`,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}

/** The body and headers of a profile response. */
export interface ProfileResponse {
  readonly body: string | Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/** Renders the profile response. */
export function profileResponse(session: Session, renderer: string, config: HttpConfig, toolPaths?: readonly string[]): ProfileResponse {
  const r = rendererByName(renderer)!;
  const body = r.render(session, { version: VERSION, ...(toolPaths ? { toolPaths } : {}), unicode: true, color: false, ...config.renderOptions });
  return {
    body,
    headers: {
      "content-type": contentType(renderer),
      "cache-control": "no-store",
      "x-tsprof-renderer": renderer,
    },
  };
}

/** Text of the answer to a profile request while another one is being profiled. */
export const BUSY_MESSAGE = "tsprof: another request is being profiled; retry when it is done\n";
