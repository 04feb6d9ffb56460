import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { detectRuntime } from "../../runtimes/auto.ts";
import { profileFetch, profileMiddleware, profileNodeHandler } from "../../runtimes/bound_api.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import type { Session } from "../../src/format/types.ts";
import type { HttpProfilingOptions } from "../../src/http/common.ts";
import { rendererByName } from "../../src/render/registry.ts";
import { test } from "../harness.ts";
import { gate, type Running, serveFetch, serveNode } from "./_servers.ts";

const runtime = detectRuntime();

function handlerWork(ms: number): number {
  const t = performance.now();
  let x = 0;
  while (performance.now() - t < ms) x += Math.sqrt(x + 1);
  return x;
}

/**
 * Milliseconds of samples with this file's code on the stack: the app's own
 * time. (By function name would be brittle: V8 inlines a handler that many
 * requests made hot into its caller.)
 */
function appTime(session: Session): number {
  const p = session.profiles[0]!;
  let sum = 0;
  for (let i = 0; i < p.samples.length; i++) {
    for (let s = p.samples[i]!; s !== -1; s = p.stacks.parent[s]!) {
      if (p.frames[p.stacks.frame[s]!]!.file?.endsWith("http_test.ts")) {
        sum += p.weights[i]!;
        break;
      }
    }
  }
  return sum;
}

/** The same small app, for each kind of server. `hold` keeps /slow waiting until opened. */
interface App {
  hold: { promise: Promise<void>; open: () => void };
}

function fetchApp(app: App) {
  return async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    if (path === "/work") return new Response(`hello ${handlerWork(60) > 0}`);
    if (path === "/slow") {
      await app.hold.promise;
      return new Response("slow");
    }
    if (path === "/headers") return new Response("not here", { status: 404, headers: { "x-app": "yes" } });
    return new Response("plain");
  };
}

function nodeApp(app: App) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/work") {
      res.end(`hello ${handlerWork(60) > 0}`);
    } else if (path === "/slow") {
      app.hold.promise.then(() => {
        res.write("sl");
        res.end("ow");
      });
    } else if (path === "/headers") {
      res.setHeader("x-app", "yes");
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not here");
    } else {
      res.end("plain");
    }
  };
}

/** A tiny Express/Connect-style chain, enough to mount a middleware first. */
function connectStyle(middleware: (req: IncomingMessage, res: ServerResponse, next: (e?: unknown) => void) => void, handler: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => middleware(req, res, () => handler(req, res));
}

const kinds: [string, (app: App, options: HttpProfilingOptions) => Promise<Running>][] = [
  [`profileFetch (${runtime === "deno" ? "Deno.serve" : runtime === "bun" ? "Bun.serve" : "node:http adapter"})`, (app, o) => serveFetch(profileFetch(fetchApp(app), o))],
  ["profileNodeHandler (node:http)", (app, o) => serveNode(profileNodeHandler(nodeApp(app), o))],
  ["profileMiddleware (Express-style)", (app, o) => serveNode(connectStyle(profileMiddleware(o), nodeApp(app)))],
];

async function withServer(kind: (app: App, o: HttpProfilingOptions) => Promise<Running>, options: HttpProfilingOptions, body: (url: string, app: App) => Promise<void>) {
  const app: App = { hold: gate() };
  const server = await kind(app, options);
  try {
    await body(server.url, app);
  } finally {
    app.hold.open();
    await server.close();
  }
}

for (const [name, kind] of kinds) {
  test(`${name}: off unless configured, so ?profile gets the normal response`, () =>
    withServer(kind, {}, async (url) => {
      const r = await fetch(`${url}/work?profile=json`, { headers: { "x-tsprof": "json" } });
      assert.equal(r.status, 200);
      assert.equal(await r.text(), "hello true");
    }));

  test(`${name}: ?profile=json answers with that request's profile`, () =>
    withServer(kind, { enabled: true }, async (url) => {
      const plain = await fetch(`${url}/work`);
      assert.equal(await plain.text(), "hello true", "requests that do not ask are served as usual");
      const r = await fetch(`${url}/work?profile=json&page=2`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
      const session = sessionFromJson(await r.json());
      assert.equal(session.meta.runtime, runtime);
      assert.match(session.meta.description ?? "", /^Request: GET \/work\?page=2 \(status 200\)$/);
      assert.ok(appTime(session) > 25, `the app's code: ${appTime(session)} ms of 60`);
      assert.ok(session.meta.durationMs < 5000);
    }));

  test(`${name}: a format no renderer has gets a 400 that names the formats, not a report`, () =>
    withServer(kind, { enabled: true }, async (url) => {
      const r = await fetch(`${url}/work?profile=pdf`);
      assert.equal(r.status, 400);
      assert.match(await r.text(), /^tsprof: unknown profile format "pdf": choose [a-z, ]*html[a-z, ]*\n$/);
    }));

  test(`${name}: the default format is the HTML report, or speedscope where no HTML renderer is installed`, () =>
    withServer(kind, { enabled: true }, async (url) => {
      const r = await fetch(`${url}/work?profile`);
      const expected = rendererByName("html") ? "html" : "speedscope";
      assert.equal(r.headers.get("x-tsprof-renderer"), expected);
      const body = await r.text();
      if (expected === "speedscope") {
        assert.equal(JSON.parse(body).$schema, "https://www.speedscope.app/file-format-schema.json");
        assert.ok(body.includes("http_test.ts"), "the report shows the app's code");
      } else {
        assert.match(r.headers.get("content-type") ?? "", /^text\/html/);
        assert.match(body.slice(0, 100).toLowerCase(), /^<!doctype html>/);
        assert.match(body, /<title>tsprof report<\/title>/);
      }
    }));

  test(`${name}: a header asks too, and the parameter names are configurable`, () =>
    withServer(kind, { enabled: true, query: "prof", header: "x-perf" }, async (url) => {
      const byHeader = await fetch(`${url}/work`, { headers: { "x-perf": "console" } });
      const text = await byHeader.text();
      assert.match(text, /Samples: \d+/);
      assert.match(text, /Request: GET \/work/);
      const byQuery = await fetch(`${url}/work?prof=speedscope`);
      assert.equal(byQuery.headers.get("x-tsprof-renderer"), "speedscope");
      await byQuery.arrayBuffer();
      const oldName = await fetch(`${url}/work?profile=json`);
      assert.equal(await oldName.text(), "hello true");
    }));

  test(`${name}: with a secret, only requests carrying it get a profile`, () =>
    withServer(kind, { enabled: true, secret: "s3cret-value" }, async (url) => {
      for (const [what, init, path] of [
        ["no secret", {}, "/work?profile=json"],
        ["a wrong secret", {}, "/work?profile=json&profile_secret=s3cret-valuX"],
        ["a prefix of it", { headers: { "x-tsprof-secret": "s3cret" } }, "/work?profile=json"],
      ] as const) {
        const r = await fetch(`${url}${path}`, init);
        assert.equal(await r.text(), "hello true", what);
      }
      const byQuery = await fetch(`${url}/work?profile=json&profile_secret=s3cret-value`);
      const session = sessionFromJson(await byQuery.json());
      assert.ok(!(session.meta.description ?? "").includes("s3cret"), "the report does not repeat the secret");
      const byHeader = await fetch(`${url}/work?profile=json`, { headers: { "x-tsprof-secret": "s3cret-value" } });
      assert.match(byHeader.headers.get("content-type") ?? "", /json/);
      await byHeader.arrayBuffer();
    }));

  test(`${name}: requests in flight during a profiled one are counted in its report`, () =>
    withServer(kind, { enabled: true }, async (url, app) => {
      const profiled = fetch(`${url}/slow?profile=json`);
      // The profiled request is held in the handler; wait until it is there.
      let busy: Response | undefined;
      for (let i = 0; i < 200 && !busy; i++) {
        const r = await fetch(`${url}/work?profile=json`);
        if (r.status === 503) busy = r;
        else await r.arrayBuffer();
      }
      assert.ok(busy, "a second profile request is refused while one is profiled");
      assert.equal(busy.headers.get("retry-after"), "1");
      assert.match(await busy.text(), /another request is being profiled/);
      const others = await Promise.all([fetch(`${url}/plain`), fetch(`${url}/plain`)]);
      assert.deepEqual(await Promise.all(others.map((r) => r.text())), ["plain", "plain"]);
      app.hold.open();
      const session = sessionFromJson(await (await profiled).json());
      // The refused request and the two plain ones overlapped it.
      assert.match(session.meta.description ?? "", /3 other requests in flight/);
      assert.match((session.meta.warnings ?? []).join("\n"), /3 other requests were in flight while this one was profiled/);
      const alone = sessionFromJson(await (await fetch(`${url}/work?profile=json`)).json());
      assert.ok(!/in flight/.test(alone.meta.description ?? ""), "a request alone says nothing about others");
    }));
}

for (const [name, kind] of kinds.slice(1)) {
  test(`${name}: the app's status and headers give way to the profile's, and stay for normal requests`, () =>
    withServer(kind, { enabled: true }, async (url) => {
      const normal = await fetch(`${url}/headers`);
      assert.equal(normal.status, 404);
      assert.equal(normal.headers.get("x-app"), "yes");
      await normal.arrayBuffer();
      const r = await fetch(`${url}/headers?profile=json`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("x-app"), null);
      const session = sessionFromJson(await r.json());
      assert.match(session.meta.description ?? "", /status 404/);
    }));
}
