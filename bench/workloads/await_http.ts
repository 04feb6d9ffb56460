// Await-heavy I/O: a local HTTP server on 127.0.0.1 and a client making a
// bounded number of requests, a few at a time, through async functions that
// await at every step (the shape of a web service). Prints its own elapsed
// milliseconds and how many awaits ran. A second argument has the server
// render that many items into each answer: work between the awaits, as a
// real service has, so fewer awaits a second.
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

const total = Number(process.argv[2] ?? 2000);
const items = Number(process.argv[3] ?? 0);
let awaits = 0;

async function lookup(id: number): Promise<{ id: number; name: string }> {
  await null;
  awaits++;
  return { id, name: `user-${id}` };
}
async function handle(url: string): Promise<string> {
  const id = Number(url.slice(1));
  const user = await lookup(id);
  awaits++;
  await new Promise((r) => setImmediate(r));
  awaits++;
  return JSON.stringify(items > 0 ? { ...user, items: Array.from({ length: items }, (_, i) => ({ i, label: `${user.name}/${i}` })) } : user);
}

const server = createServer((req, res) => {
  void handle(req.url ?? "/0").then((body) => res.end(body));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
awaits++;
const port = (server.address() as AddressInfo).port;

function get(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, agent: keepAlive }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}
import { Agent } from "node:http";
import process from "node:process";
const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });

async function client(worker: number): Promise<number> {
  let n = 0;
  for (let i = worker; i < total; i += 4) {
    const body = await get(`/${i}`);
    awaits++;
    n += (JSON.parse(body) as { id: number }).id;
  }
  return n;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const sums = await Promise.all([0, 1, 2, 3].map(client));
awaits++;
const workMs = performance.now() - t0;
keepAlive.destroy();
server.close();
const { user, system } = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpuMs: (user + system) / 1000, workMs, sum: sums.reduce((a, b) => a + b, 0), awaits, awaitsPerSecond: Math.round(awaits / (workMs / 1000)) }));
