/**
 * Real servers on 127.0.0.1 for the HTTP tests, on whichever runtime runs
 * them: `node:http` everywhere, and the runtime's own fetch-style server
 * (`Deno.serve`, `Bun.serve`; on Node a small `node:http` adapter).
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { detectRuntime } from "../../runtimes/auto.ts";

/** A running server. */
export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a `node:http` server with `listener` on a free loopback port. */
export function serveNode(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<Running> {
  return new Promise((resolve, reject) => {
    const server = createServer(listener);
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

declare const Deno: {
  serve(options: { hostname: string; port: number; onListen?: () => void }, handler: (r: Request) => Response | Promise<Response>): {
    addr: { port: number };
    shutdown(): Promise<void>;
  };
};
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (r: Request) => Response | Promise<Response> }): { port: number; stop(force?: boolean): void };
};

/** Starts the runtime's fetch-style server with `handler` on a free loopback port. */
export async function serveFetch(handler: (request: Request) => Response | Promise<Response>): Promise<Running> {
  switch (detectRuntime()) {
    case "deno": {
      const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
      return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
    }
    case "bun": {
      const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
      return { url: `http://127.0.0.1:${server.port}`, close: async () => server.stop(true) };
    }
    default:
      // Node has no fetch-style server: adapt node:http requests to Request.
      return serveNode((req, res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        const request = new Request(`http://127.0.0.1${req.url}`, { ...(req.method ? { method: req.method } : {}), headers });
        Promise.resolve(handler(request)).then(async (response) => {
          res.statusCode = response.status;
          response.headers.forEach((v, k) => res.setHeader(k, v));
          res.end(Buffer.from(await response.arrayBuffer()));
        });
      });
  }
}

/** A promise with its resolve function, to hold a handler until the test says so. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
