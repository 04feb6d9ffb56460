import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../src/version.ts";
import { test } from "./harness.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Code without comments, so that prose may name runtimes. */
function code(path: string): string {
  return readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

test("the core (src/ outside src/cli/) imports no runtime module and names no runtime global", () => {
  const offences: string[] = [];
  for (const file of tsFiles(join(root, "src"))) {
    const rel = relative(root, file);
    if (rel.startsWith("src/cli/")) continue;
    const c = code(file);
    if (/from\s+["'](node:|bun:|npm:|jsr:)/.test(c) || /import\(\s*["'](node:|bun:)/.test(c)) offences.push(`${rel}: imports a runtime module`);
    if (/\b(process|Deno|Bun)\s*[.[]/.test(c) || /\btypeof\s+(process|Deno|Bun)\b/.test(c)) offences.push(`${rel}: names a runtime global`);
    if (/from\s+["'][./]*(runtimes|cli)\//.test(c) && !rel.startsWith("src/cli/")) offences.push(`${rel}: imports runtimes/ or the CLI`);
  }
  assert.deepEqual(offences, []);
});

test("runtimes/ backends never import each other; auto.ts loads them only dynamically", () => {
  const offences: string[] = [];
  const dirs = readdirSync(join(root, "runtimes")).filter((d) => statSync(join(root, "runtimes", d)).isDirectory());
  for (const file of tsFiles(join(root, "runtimes"))) {
    const rel = relative(root, file);
    const c = code(file);
    const own = rel.split("/")[1]!;
    for (const other of dirs) {
      if (other === own) continue;
      const staticImport = new RegExp(`from\\s+["'][./]*(\\.\\./)?${other}/`).test(c);
      const dynamicImport = new RegExp(`import\\(\\s*["']\\./${other}/`).test(c);
      if (staticImport) offences.push(`${rel}: imports runtimes/${other} statically`);
      if (dynamicImport && rel !== "runtimes/auto.ts") offences.push(`${rel}: imports runtimes/${other}`);
    }
    if (/from\s+["'](\.\.\/)+src\/cli\//.test(c)) offences.push(`${rel}: imports the CLI`);
  }
  assert.deepEqual(offences, []);
});

test("src/cli/child/ (run in the user's program) and the tsprof process's modules meet only in protocol.ts", () => {
  const offences: string[] = [];
  // Both sides use these small helpers as they are.
  const shared = new Set(["protocol.ts", "timings.ts", "node_typescript.ts", "cache_dir.ts"]);
  for (const file of tsFiles(join(root, "src/cli"))) {
    const rel = relative(root, file);
    const inChild = rel.startsWith("src/cli/child/");
    for (const m of code(file).matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = relative(root, join(dirname(file), m[1]!));
      if (!target.startsWith("src/cli/")) continue;
      const targetInChild = target.startsWith("src/cli/child/");
      if (inChild && !targetInChild && !shared.has(target.slice("src/cli/".length))) offences.push(`${rel} imports ${target}`);
      if (!inChild && targetInChild) offences.push(`${rel} imports ${target}`);
    }
  }
  assert.deepEqual(offences, []);
});

test("every relative import carries its .ts extension", () => {
  const offences: string[] = [];
  for (const dir of ["src", "runtimes", "test"]) {
    for (const file of tsFiles(join(root, dir))) {
      for (const m of code(file).matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        if (!/\.([mc]?ts|mjs|cjs|js|json)$/.test(m[1]!)) offences.push(`${relative(root, file)}: ${m[1]}`);
      }
    }
  }
  assert.deepEqual(offences, []);
});

test("package.json, deno.json and src/version.ts agree on name, version and entry", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
  assert.equal(pkg.version, VERSION);
  assert.equal(deno.version, VERSION);
  assert.equal(deno.name, "@tsprof/cli");
  assert.equal(deno.exports["."], "./mod.ts");
  assert.deepEqual(Object.keys(pkg.exports), Object.keys(deno.exports));
  assert.equal(pkg.bin.tsprof, "./dist/cli.js");
});

test("the npm build keeps runtime modules external and out of the library entry", () => {
  const mod = readFileSync(join(root, "dist/mod.js"), "utf8");
  assert.ok(!/from\s*["']bun:/.test(mod), "dist/mod.js must not import bun: statically");
  const cli = readFileSync(join(root, "dist/cli.js"), "utf8");
  assert.ok(cli.startsWith("#!/usr/bin/env node"), "the bin keeps its shebang");
}, { skip: existsSync(join(root, "dist/mod.js")) ? false : "dist/ not built" });

/**
 * The files `entry`'s imports reach (value imports and re-exports; with
 * `dynamic`, `import()` too: `import type` is erased), and the modules
 * outside the checkout they name, each as `file imports module`.
 */
function importGraph(entry: string, dynamic: boolean): { files: string[]; external: string[] } {
  const from = String.raw`^(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?`;
  const pattern = new RegExp(`(?:${from}${dynamic ? String.raw`|import\(\s*` : ""})["']([^"']+)["']`, "gm");
  const seen = new Set<string>();
  const external: string[] = [];
  const todo = [join(root, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of code(file).matchAll(pattern)) {
      if (m[1]!.startsWith(".")) todo.push(join(dirname(file), m[1]!));
      else external.push(`${relative(root, file)} imports ${m[1]}`);
    }
  }
  return { files: [...seen].map((f) => relative(root, f)), external };
}

test("the report after a run loads no other format's code: run_report.ts's static imports reach neither the renderers' registry, the importers, acorn nor pprof-format", () => {
  const { files, external } = importGraph("src/cli/run_report.ts", false);
  const packages = new Set(external.map((e) => e.slice(e.lastIndexOf(" ") + 1)).filter((m) => !m.startsWith("node:")));
  assert.ok(files.includes("src/render/console.ts"), "the walk follows imports");
  assert.deepEqual(files.filter((f) => f === "src/render/registry.ts" || f === "src/import/load.ts"), []);
  assert.deepEqual([...packages].filter((p) => p === "acorn" || p === "pprof-format"), []);
});

test("Deno's preload imports no node: module but through the await marks (Deno starts its Node layer for the first), and no package by name", () => {
  assert.deepEqual(importGraph("src/cli/child/deno_preload.ts", false).external, []);
  const { files, external } = importGraph("src/cli/child/deno_preload.ts", true);
  assert.ok(files.includes("src/async/await_tracker.ts"), "the walk follows dynamic imports");
  // Deno resolves an import by name in the program's project: the marks require their packages by
  // path. node:module is what they need; node:fs alone would cost Deno a dozen ms more.
  assert.deepEqual(external.sort(), ["src/cli/child/await_marks.ts imports node:module", "src/cli/child/await_marks.ts imports node:url"]);
});
