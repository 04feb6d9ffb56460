import assert from "node:assert/strict";
import MagicString from "magic-string";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { createRequire } from "node:module";
import { markAwaitsInCode } from "../../src/async/await_edits_js.ts";
import { requireMarkLibraries } from "../../src/async/mark_libraries.ts";
import { AWAIT_POINTS_KEY } from "../../src/async/await_point_names.ts";
import { takeInlineSourceMap, withInlineSourceMap } from "../../src/sourcemap/inline_maps.ts";
import { test } from "../harness.ts";

// Required as the preloads do: by path from tsprof's own files.
const libs = requireMarkLibraries(createRequire(import.meta.url));

/** Each mark's position in the edited code, with the text found there. */
function marks(code: string): { line: number; col: number; text: string }[] {
  const lines = code.split("\n");
  return [...code.matchAll(/\), (\d+), (\d+)\)/g)].map((m) => {
    const line = Number(m[1]);
    const col = Number(m[2]);
    return { line, col, text: lines[line - 1]!.slice(col - 1, col + 3) };
  });
}

const SOURCE = [
  "async function f(o, P) {",
  "  const x = await o.load(await g(1), await (h)());",
  "  await await o;",
  "  return await new P();",
  "}",
  "",
].join("\n");

test("each marked await is placed where V8 reports it in the edited code: the call it awaits, else the await", () => {
  const out = markAwaitsInCode(SOURCE, { libs, file: "/app/a.js", format: "esm" })!;
  assert.deepEqual(marks(out.code).map((m) => m.text).sort(), ["awai", "awai", "awai", "g(1)", "load", "new "].sort());
  const helper = out.code.split("\n").findIndex((l) => l.startsWith("function __tsprof$w"));
  assert.equal(helper, SOURCE.split("\n").length, "no line added before the hoisted function, after the code");
});

test("the edit's map leads every mark back to its place in the source as written", () => {
  const out = markAwaitsInCode(SOURCE, { libs, file: "/app/a.js", format: "cjs" })!;
  const map = new TraceMap(takeInlineSourceMap(out.code).map as never);
  const lines = SOURCE.split("\n");
  for (const m of marks(out.code)) {
    const o = originalPositionFor(map, { line: m.line, column: m.col - 1 });
    assert.equal(o.line, m.line);
    assert.equal(lines[o.line - 1]!.slice(o.column, o.column + 4), m.text, `${m.line}:${m.col}`);
  }
});

test("a map the code came with (a loader's, from TypeScript) is traced through", () => {
  const ts = "const a: number = await f(1);\nexport { a };\n";
  const s = new MagicString(ts);
  s.remove(ts.indexOf(": number"), ts.indexOf(" ="));
  const js = withInlineSourceMap(s.toString(), { ...s.generateMap({ hires: true, source: "/app/a.ts" }), version: 3 });
  const out = markAwaitsInCode(js, { libs, file: "/app/a.ts", format: "esm" })!;
  const [m] = marks(out.code);
  const o = originalPositionFor(new TraceMap(out.map as never), { line: m!.line, column: m!.col - 1 });
  assert.equal(o.source, "/app/a.ts");
  assert.equal(ts.split("\n")[o.line! - 1]!.slice(o.column!, o.column! + 2), "f(");
});

test("marks can hand over the source's positions (Deno's stack traces are mapped already): through the map, or the code's own before the edit", () => {
  const ts = "const a: number = 1; const b: string = await f(1);\nexport { a, b };\n";
  const s = new MagicString(ts);
  for (const t of [": number", ": string"]) s.remove(ts.indexOf(t), ts.indexOf(t) + t.length);
  const js = withInlineSourceMap(s.toString(), { ...s.generateMap({ hires: true, source: "/app/a.ts" }), version: 3 });
  const out = markAwaitsInCode(js, { libs, file: "/app/a.ts", format: "esm", positions: "source" })!;
  const [arg] = [...out.code.matchAll(/\), (\d+), (\d+)\)/g)];
  assert.deepEqual([Number(arg![1]), Number(arg![2])], [1, ts.indexOf("f(1)") + 1]);
  const plain = "let x = 1; x = await g();\n";
  const [own] = [...markAwaitsInCode(plain, { libs, file: "/app/b.js", format: "esm", positions: "source" })!.code.matchAll(/\), (\d+), (\d+)\)/g)];
  assert.deepEqual([Number(own![1]), Number(own![2])], [1, plain.indexOf("g()") + 1]);
});

test("a map beside the code (a compiler's, named by its comment) is read and traced through; unread, the comment stays", () => {
  const ts = "const a: number = await f(1);\nexport { a };\n";
  const s = new MagicString(ts);
  s.remove(ts.indexOf(": number"), ts.indexOf(" ="));
  const beside = { ...s.generateMap({ hires: true, source: "../src/a.ts" }), version: 3 };
  const js = `${s.toString()}//# sourceMappingURL=a.js.map\n`;
  const refs: string[] = [];
  const out = markAwaitsInCode(js, {
    libs,
    file: "/app/out/a.js",
    format: "esm",
    readMap: (ref) => (refs.push(ref), { map: beside, url: "file:///app/out/a.js.map" }),
  })!;
  assert.deepEqual(refs, ["a.js.map"]);
  assert.ok(!out.code.includes("sourceMappingURL=a.js.map"), "the comment goes: the inline map replaces it");
  const [m] = marks(out.code);
  const o = originalPositionFor(new TraceMap(out.map as never), { line: m!.line, column: m!.col - 1 });
  assert.equal(o.source, "file:///app/src/a.ts");
  assert.equal(ts.split("\n")[o.line! - 1]!.slice(o.column!, o.column! + 2), "f(");
  const unread = markAwaitsInCode(js, { libs, file: "/app/out/a.js", format: "esm" })!;
  assert.ok(unread.code.includes("sourceMappingURL=a.js.map"));
  assert.deepEqual(unread.map.sources, ["/app/out/a.js"]);
});

test("marked code hands each awaited value to the file's recorder and gets it back; with no recorder it runs as it was", async () => {
  const out = markAwaitsInCode("exports.run = async (p) => (await p) + 1;\n", { libs, file: "/app/b.js", format: "cjs" })!;
  const run = () => {
    const module = { exports: {} as { run?: (p: Promise<number>) => Promise<number> } };
    new Function("exports", out.code)(module.exports);
    return module.exports.run!(Promise.resolve(41));
  };
  assert.equal(await run(), 42);
  const key = Symbol.for(AWAIT_POINTS_KEY);
  const seen: unknown[] = [];
  const g = globalThis as Record<symbol, unknown>;
  const before = g[key];
  g[key] = (file: string) => (v: unknown, line: number, col: number) => {
    seen.push(file, line, col, v instanceof Promise);
    return v;
  };
  try {
    assert.equal(await run(), 42);
  } finally {
    g[key] = before;
  }
  assert.deepEqual(seen, ["/app/b.js", 1, marks(out.code)[0]!.col, true]);
});

test("code with no await, or that does not parse, is left alone", () => {
  assert.equal(markAwaitsInCode("const a = 1;\n", { libs, file: "/app/c.js", format: "esm" }), undefined);
  assert.equal(markAwaitsInCode("const awaited = 1;\n", { libs, file: "/app/c.js", format: "esm" }), undefined);
  assert.equal(markAwaitsInCode("const a: number = await f();\n", { libs, file: "/app/c.ts", format: "esm" }), undefined);
});
