import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { build } from "esbuild";
import { tsprofPlugin } from "../../runtimes/portable/esbuild_plugin.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { renderConsole } from "../../src/render/console.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";

const CHROMIUM = "/usr/bin/chromium";
const FIXTURE = join(ROOT, "test/fixtures/portable/browser");

function skipReason(): string | false {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  if (g.Deno || g.Bun || !process.versions.node.startsWith("20.")) return "the browser is the subject here: runs on Node 20 only";
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  return false;
}

/** Serves `dir` on 127.0.0.1, cross-origin isolated (so SharedArrayBuffer exists) when asked. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { html: "text/html", js: "text/javascript", map: "application/json" };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const name = url.pathname === "/" ? "index.html" : url.pathname.slice(1);
    const file = join(dir, name);
    if (name.includes("..") || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { "content-type": types[name.split(".").pop()!] ?? "application/octet-stream" };
    if (url.searchParams.has("isolated") || req.headers.referer?.includes("isolated")) {
      headers["cross-origin-opener-policy"] = "same-origin";
      headers["cross-origin-embedder-policy"] = "require-corp";
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/** The function lines of a console tree, as `name` at their depth. */
function treeLines(text: string): { depth: number; name: string }[] {
  const out: { depth: number; name: string }[] = [];
  for (const line of text.split("\n")) {
    const prefix = /^[│├└ ─]*/.exec(line)![0];
    const m = /^([\d.]+) (\S+)/.exec(line.slice(prefix.length));
    if (m) out.push({ depth: prefix.length / 3, name: m[2]! });
  }
  return out;
}

/** The first child drawn under `parent`: its heaviest callee. */
function heaviestUnder(text: string, parent: string): string | undefined {
  const lines = treeLines(text);
  const at = lines.findIndex((l) => l.name === parent);
  if (at === -1) return undefined;
  const child = lines.slice(at + 1).find((l) => l.depth === lines[at]!.depth + 1);
  return child?.name;
}

test("a page and a Web Worker built with the esbuild plugin are profiled in headless Chromium and render in the console tree", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-browser-"));
  const { chromium } = await import("playwright-core");
  let server: Server | undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    await build({
      entryPoints: { page: join(FIXTURE, "page.ts"), worker: join(FIXTURE, "worker.ts") },
      bundle: true,
      format: "esm",
      platform: "browser",
      sourcemap: true,
      outdir: dir,
      logLevel: "silent",
      plugins: [tsprofPlugin()],
    });
    const page = readFileSync(join(dir, "page.js"), "utf8");
    assert.match(page, /registerFrames\("[^"]*page\.ts"/, "the page's own code is instrumented");
    assert.equal((page.match(/registerFrames\("/g) ?? []).length, 1, "tsprof's own modules in the bundle are not");
    rmSync(join(dir, "index.html"), { force: true });
    await import("node:fs/promises").then((fs) => fs.copyFile(join(FIXTURE, "index.html"), join(dir, "index.html")));
    const served = await serve(dir);
    server = served.server;
    // Cross-origin isolated: the ticker worker runs; without: the clock is read on every event.
    for (const query of ["?isolated", ""]) {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(served.url + query);
      const results = (await tab.evaluate("window.tsprofResults")) as { isolated: boolean; page: string; worker: string };
      await tab.close();
      assert.deepEqual(errors, []);
      assert.equal(results.isolated, query === "?isolated");
      for (const [which, json, hot, caller] of [["page", results.page, "paintScene", "profilePage"], ["worker", results.worker, "hashBlocks", "self.onmessage"]] as const) {
        const session = sessionFromJson(JSON.parse(json));
        assert.equal(session.meta.runtime, "portable");
        assert.match(session.meta.runtimeVersion, /^chrom(e|ium) \d+/i);
        const text = renderConsole(session, { unicode: true, color: false });
        assert.equal(heaviestUnder(text, caller), hot, `${which}${query}: ${hot} should be on top:\n${text}`);
        const frame = session.profiles[0]!.frames.find((f) => f.name === hot)!;
        assert.ok(frame.file?.endsWith(`${which}.ts`), frame.file);
        assert.ok((frame.line ?? 0) > 1);
        if (which === "page") {
          const all = renderConsole(session, { unicode: true, color: false, showAll: true });
          for (const named of ["layoutPass", "settleFrame"]) {
            assert.match(all, new RegExp(`${named}\\s+\\S*page\\.ts`), `${named}: the name given to profiled()/profiledBlock(), in the page's source file:\n${all}`);
            const f = session.profiles[0]!.frames.find((x) => x.name === named);
            assert.ok(f?.file?.endsWith("page.ts"), `${named}: ${f?.file}`);
          }
        }
      }
    }
  } finally {
    await browser.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: skipReason(), timeoutMs: 120_000 });
