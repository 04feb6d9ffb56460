import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";

const runtime = detectRuntime();
const onNode20 = runtime === "node" && process.env.TSPROF_TEST_RUNTIME !== "node24";

/** A consumer's code: the README's uses of the API, typed as an npm user types them. */
const CONSUMER = `
import { createServer } from "node:http";
import {
  Profiler, profile, profileFetch, profileMiddleware, profileNodeHandler, saveSession, renderSession,
  TsprofError, type Session, type TsprofErrorCode, type HttpProfilingOptions,
} from "tsprof";
import { buildCallTree, processTree, type CallNode } from "tsprof/tree";
import { loadBackend } from "tsprof/backend";
import { ProfileBuilder } from "tsprof/format";
import { importV8CpuProfile } from "tsprof/import";
import { renderSpeedscope } from "tsprof/render";
import { portableBackend } from "tsprof/portable";
import { tsprofPlugin } from "tsprof/esbuild";

export function subpaths(session: Session): CallNode {
  void [loadBackend, ProfileBuilder, importV8CpuProfile, renderSpeedscope, portableBackend, tsprofPlugin];
  return processTree(buildCallTree(session.profiles[0]!), { showAll: true });
}

export async function block(): Promise<Session | undefined> {
  {
    await using p = await new Profiler({ intervalMs: 1, description: "block" }).start();
    p.isRunning satisfies boolean;
  }
  const profiler = new Profiler();
  await profiler.start();
  const session: Session = await profiler.stop();
  const text: string | Uint8Array = profiler.render("console", { showAll: true });
  const used: string = await profiler.save("out.speedscope.json");
  await saveSession(session, "out.tsprof");
  renderSession(session, "json");
  return profiler.lastSession ?? (text && used ? session : undefined);
}

export async function fn(): Promise<number> {
  const { result, session } = await profile(async () => 42, { onStop: (s) => void s.meta.durationMs });
  session.profiles satisfies readonly unknown[];
  return result;
}

export function errors(e: unknown): TsprofErrorCode | undefined {
  return e instanceof TsprofError ? e.code : undefined;
}

const options: HttpProfilingOptions = { enabled: true, secret: "s", query: "profile", header: "x-tsprof" };
export const fetchHandler: (req: Request) => Promise<Response> = profileFetch((req: Request) => new Response(req.url), options);
export const server = createServer(profileNodeHandler((req, res) => res.end(req.url), options));
export const middleware = profileMiddleware(options);
createServer((req, res) => middleware(req, res, () => res.end("next")));
`;

/** Misuses the published types must reject (each line must be an error). */
const MISUSE = `
import { Profiler, profile, profileFetch } from "tsprof";
// @ts-expect-error intervalMs is a number
new Profiler({ intervalMs: "1" });
// @ts-expect-error stop() resolves to a Session, not a string
export const s: Promise<string> = new Profiler().stop();
// @ts-expect-error a fetch handler takes a Request
profileFetch((n: number) => new Response(String(n)));
// @ts-expect-error the result keeps its type
export const r: Promise<{ result: string }> = profile(() => 1);
`;

test("the npm package's types (dist/mod.d.ts) type-check in a consumer project with tsc", () => {
  assert.ok(existsSync(join(ROOT, "dist/mod.d.ts")), "dist/ is built first (npm test builds it)");
  const dir = mkdtempSync(join(tmpdir(), "tsprof-consumer-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "tsprof"), "dir");
    symlinkSync(join(ROOT, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2023", "DOM"],
          strict: true, noEmit: true, skipLibCheck: false, types: ["node"],
        },
        files: ["consumer.ts", "misuse.ts"],
      }),
    );
    writeFileSync(join(dir, "consumer.ts"), CONSUMER);
    writeFileSync(join(dir, "misuse.ts"), MISUSE);
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8", timeout: 120_000 });
    // skipLibCheck is off, so errors inside tsprof's own .d.ts count too.
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: onNode20 ? false : "tsc is the subject, not the runtime: runs on node20", timeoutMs: 120_000 });

/** The package's entries (deno.json's exports), as files. */
const ENTRIES: string[] = Object.values(JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")).exports as Record<string, string>);

test("the JSR entries pass Deno's documentation lint, and every export has an @example", () => {
  const deno = process.execPath;
  const lint = spawnSync(deno, ["doc", "--lint", ...ENTRIES], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(lint.status, 0, `deno doc --lint:\n${lint.stdout}${lint.stderr}`);
  const doc = spawnSync(deno, ["doc", "--json", ...ENTRIES], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(doc.status, 0, doc.stderr);
  const json = JSON.parse(doc.stdout) as { nodes: Record<string, { symbols: { name: string; declarations: { jsDoc?: { tags?: { kind: string }[] } }[] }[] }> };
  // A name that two entries share is documented once.
  const symbols = Object.values(json.nodes).flatMap((n) => n.symbols);
  const documented = new Set(symbols.filter((s) => s.declarations.some((d) => d.jsDoc?.tags?.some((t) => t.kind === "example"))).map((s) => s.name));
  const missing = [...new Set(symbols.map((s) => s.name))].filter((name) => !documented.has(name));
  assert.deepEqual(missing, []);
  assert.equal(Object.keys(json.nodes).length, ENTRIES.length);
}, { skip: runtime === "deno" ? false : "uses deno doc: runs on Deno", timeoutMs: 120_000 });

test("every export's @example type-checks and runs (deno test --doc)", () => {
  const deno = process.execPath;
  const doc = spawnSync(deno, ["doc", "--json", ...ENTRIES], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const json = JSON.parse(doc.stdout) as { nodes: Record<string, { symbols: { declarations: { location: { filename: string } }[] }[] }> };
  const files = new Set<string>(ENTRIES.map((e) => join(ROOT, e)));
  for (const node of Object.values(json.nodes)) for (const s of node.symbols) for (const d of s.declarations) files.add(new URL(d.location.filename).pathname);
  // Examples save files into the working directory: give them their own.
  const dir = mkdtempSync(join(tmpdir(), "tsprof-doc-"));
  try {
    const r = spawnSync(deno, ["test", "-A", "--doc", "--config", join(ROOT, "deno.json"), ...files], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 300_000 });
    assert.equal(r.status, 0, `${r.stdout.slice(-3000)}${r.stderr.slice(-3000)}`);
    assert.match(r.stdout, /ok \| \d+ passed \| 0 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: runtime === "deno" ? false : "uses deno test --doc: runs on Deno", timeoutMs: 300_000 });
