import assert from "node:assert/strict";
import MagicString from "magic-string";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { createRequire } from "node:module";
import { markAwaitsInCode } from "../../src/async/await_edits_js.ts";
import { markAwaitsInSource } from "../../src/async/await_edits.ts";
import { uneditedColumn } from "../../src/async/edit_inserts.ts";
import { requireMarkLibraries } from "../../src/async/mark_libraries.ts";
import { AWAIT_MARKS_KEY, type AwaitMarks } from "../../src/async/await_point_names.ts";
import { takeInlineSourceMap, withInlineSourceMap } from "../../src/sourcemap/inline_maps.ts";
import { test } from "../harness.ts";

// Required as the preloads do: by path from tsprof's own files.
const libs = requireMarkLibraries(createRequire(import.meta.url));

/** The positions the edited code hands the registry, as written in its hoisted function. */
function positionsIn(code: string): { line: number; col: number }[] {
  const [, list] = /\?\.start\("[^"]*", \[([\d,]*)\]\)/.exec(code) ?? [];
  const n = list!.split(",").map(Number);
  return n.filter((_, i) => i % 2 === 0).map((line, i) => ({ line, col: n[2 * i + 1]! }));
}

/** Each mark's position in the edited code, with the text found there. */
function marks(code: string): { line: number; col: number; text: string }[] {
  const lines = code.split("\n");
  return positionsIn(code).map(({ line, col }) => ({ line, col, text: lines[line - 1]!.slice(col - 1, col + 3) }));
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
  assert.deepEqual(positionsIn(out.code), [{ line: 1, col: ts.indexOf("f(1)") + 1 }]);
  assert.deepEqual(out.points, positionsIn(out.code));
  const plain = "let x = 1; x = await g();\n";
  assert.deepEqual(positionsIn(markAwaitsInCode(plain, { libs, file: "/app/b.js", format: "esm", positions: "source" })!.code), [{ line: 1, col: plain.indexOf("g()") + 1 }]);
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

test("with inlineMap \"code\", the map the edited code carries leads to the code as it came (Node with source maps off); the returned map still leads to the source", () => {
  const js = "const a = 1; const b = await f(1); g(b);\nexport { a, b };\n//# sourceMappingURL=a.js.map\n";
  const beside = { version: 3, sources: ["../src/a.ts"], names: [], mappings: "AAAA" };
  const out = markAwaitsInCode(js, { libs, file: "/app/out/a.js", format: "esm", inlineMap: "code", readMap: () => ({ map: beside, url: "file:///app/out/a.js.map" }) })!;
  const carried = takeInlineSourceMap(out.code).map!;
  assert.deepEqual(carried.sources, ["/app/out/a.js"]);
  assert.deepEqual(carried.sourcesContent, [js.slice(0, js.indexOf("\n//# sourceMappingURL"))]);
  assert.deepEqual(out.map.sources, ["file:///app/src/a.ts"]);
  // `g(b)`, after the mark on its line, at its column in the code as it came.
  const edited = out.code.split("\n")[0]!;
  const o = originalPositionFor(new TraceMap(carried as never), { line: 1, column: edited.indexOf("g(b)") });
  assert.deepEqual([o.line, o.column], [1, js.indexOf("g(b)")]);
});

/** Runs `fn` with `marks` as the registry edited code asks. */
async function withMarks<T>(marks: AwaitMarks, fn: () => Promise<T>): Promise<T> {
  const key = Symbol.for(AWAIT_MARKS_KEY);
  const g = globalThis as Record<symbol, unknown>;
  const before = g[key];
  g[key] = marks;
  try {
    return await fn();
  } finally {
    g[key] = before;
  }
}

/** Loads edited CommonJS `code` and returns its exports. */
function load<T>(code: string): T {
  const module = { exports: {} as T };
  new Function("exports", code)(module.exports);
  return module.exports;
}

/** The two edits, of a JavaScript module or script (`code`), as each runtime's loader makes it. */
const EDITS: Record<string, (code: string, file: string, format: "esm" | "cjs") => string> = {
  "JavaScript as Node's and Deno's loaders hand it over": (code, file, format) => markAwaitsInCode(code, { libs, file, format })!.code,
  // Bun loads ES modules only; a script's `exports` are just a name to the module parser.
  "the source as written, as Bun loads it": (code, file) => markAwaitsInSource(code, { file, typescript: false, jsx: false })!.code,
};

const TS_SOURCE = [
  "import { g } from './g.ts';", // 1
  "export async function f(a: Promise<number>): Promise<number> {", // 2
  "  const v = await (a as Promise<number>);", // 3
  "  return await g(await h(), (await k) as number, v);", // 4
  "}", // 5
  "await f(Promise.resolve(1));", // 6
  "await obj.load()!;", // 7
  "const r = await new Promise((res) => setTimeout(res, 1));", // 8
  "await obj['m']();", // 9
].join("\n");

test("Bun's edit tells what it inserted: every character of the source is found back from its place in the edited code, and a place inside a mark goes to the character before it", () => {
  const source = `${TS_SOURCE}\nconst arrow = async () => await g(await h());\nfor await (const x of xs) { try { await x; } catch { } }\n`;
  const { code, inserts } = markAwaitsInSource(source, { file: "/app/a.ts", typescript: true, jsx: false })!;
  const was = source.split("\n");
  const now = code.split("\n");
  let checked = 0;
  was.forEach((text, i) => {
    // Each character, in order, is at or after where the last one was found in the edited line.
    let from = 0;
    for (let c = 0; c < text.length; c++) {
      const at = now[i]!.indexOf(text[c]!, from);
      if (/\s/.test(text[c]!)) continue;
      // The edited place of this character: the first one at or after `from` that takes it back to `c`.
      let found = -1;
      for (let e = at; e !== -1 && found === -1; e = now[i]!.indexOf(text[c]!, e + 1)) if (uneditedColumn(inserts, i + 1, e + 1) === c + 1) found = e;
      assert.notEqual(found, -1, `line ${i + 1} column ${c + 1} (${text[c]}) is found back`);
      from = found + 1;
      checked++;
    }
  });
  assert.ok(checked > 300, `${checked} characters`);
  // Inside the mark before an await: the character before the await.
  const line = 3;
  const awaitCol = was[line - 1]!.indexOf("await") + 1;
  const markCol = now[line - 1]!.indexOf("__tsprof$w") + 1;
  assert.equal(uneditedColumn(inserts, line, markCol), awaitCol - 1);
  assert.equal(uneditedColumn([1, 1, 5], 1, 3), 1, "an insertion that starts its line: its own place");
});

test("Bun's edit of the source as written places each await where V8 places it there, and adds no line before the hoisted functions", () => {
  const { code } = markAwaitsInSource(TS_SOURCE, { file: "/app/a.ts", typescript: true, jsx: false })!;
  // At the call it awaits (a method at its name, `new` at `new`), else at the await (a computed callee too).
  assert.deepEqual(positionsIn(code).map((p) => `${p.line}:${p.col}`), ["3:13", "4:16", "4:24", "4:30", "6:7", "7:11", "8:17", "9:1"]);
  const lines = code.split("\n");
  assert.equal(lines.findIndex((l) => l.startsWith("function __tsprof$w")), TS_SOURCE.split("\n").length);
  assert.equal(lines[1], TS_SOURCE.split("\n")[1], "a line without an await is as it was");
  assert.ok(lines[2]!.endsWith("await (a as Promise<number>));"), lines[2]);
  assert.equal(markAwaitsInSource("const x = 1;\n", { file: "/app/a.ts", typescript: true, jsx: false }), undefined, "no await: nothing to mark");
  assert.equal(markAwaitsInSource("async function f() { await (; }\n", { file: "/app/a.js", typescript: false, jsx: false }), undefined, "no parse: left alone");
  assert.ok(markAwaitsInSource("const C = async () => <div>{await load()}</div>;\nexport default C;\n", { file: "/app/c.tsx", typescript: true, jsx: true }));
});

test("Bun's edit with onlyModules leaves alone what a runtime may run as CommonJS", () => {
  const js = { file: "/app/a.js", typescript: false, jsx: false, onlyModules: true };
  const ts = { ...js, file: "/app/a.ts", typescript: true };
  assert.equal(markAwaitsInSource("async function f() { await g(); }\nmodule.exports = f;\n", js), undefined);
  assert.equal(markAwaitsInSource("import x = require('x');\nasync function f() { await x(); }\n", ts), undefined);
  assert.equal(markAwaitsInSource("async function f() { await g(); }\nexport = f;\n", ts), undefined);
  assert.ok(markAwaitsInSource("async function f() { await g(); }\nexport { f };\n", js));
  assert.ok(markAwaitsInSource("await main();\n", js), "a top-level await makes a module");
});

for (const [edit, mark] of Object.entries(EDITS)) {
test(`${edit}: each marked await tells its file's recorder when it starts and, with the token it got, when it resumes; with no recorder it runs as it was`, async () => {
  const code = mark("exports.run = async (p) => (await p) + 1;\n", "/app/b.js", "cjs");
  const run = () => load<{ run(p: Promise<number>): Promise<number> }>(code).run(Promise.resolve(41));
  assert.equal(await run(), 42);
  const seen: unknown[] = [];
  const token = { mine: true };
  const result = await withMarks({
    start: (file, positions) => (seen.push(file, [...positions]), (i) => (seen.push(`start ${i}`), token)),
    end: (t) => seen.push(t === token ? "end" : "end of another"),
  }, run);
  assert.equal(result, 42);
  assert.deepEqual(seen, ["/app/b.js", [1, positionsIn(code)[0]!.col], "start 0", "end"]);
});

test(`${edit}: each start is handed its call's previous token (its callers are the same), in a loop and a \`for await\` too; a first start, another call's and an async generator's are handed none`, async () => {
  const code = mark([
    "exports.f = async (p) => { let n = 0; for (let i = 0; i < 2; i++) n += await p; for await (const v of [p]) n += v; return n; };",
    "exports.g = async function* (p) { yield await p; yield await p; };",
    "",
  ].join("\n"), "/app/c.js", "cjs");
  const m = load<{ f(p: Promise<number>): Promise<number>; g(p: Promise<number>): AsyncGenerator<number> }>(code);
  const handed: [number, number | undefined][] = [];
  let made = 0;
  const marks: AwaitMarks = {
    start: () => (i, previous) => {
      handed.push([i, (previous as { n: number } | undefined)?.n]);
      return { n: made++ };
    },
    end: () => {},
  };
  await withMarks(marks, async () => {
    await Promise.all([m.f(Promise.resolve(1)), m.f(Promise.resolve(2))]);
  });
  // Two calls at once, each a chain of its own: the loop's two waits, the `for await`'s first value and its end.
  const calls = [handed.filter(([, p]) => p === undefined), handed.filter(([, p]) => p !== undefined)];
  assert.equal(calls[0]!.length, 2, `a first start in each call: ${JSON.stringify(handed)}`);
  const chain = (first: number) => {
    const tokens = [first];
    for (let next = handed.findIndex(([, p]) => p === tokens.at(-1)); next >= 0; next = handed.findIndex(([, p]) => p === tokens.at(-1))) tokens.push(next);
    return tokens;
  };
  const firsts = handed.flatMap(([, p], k) => (p === undefined ? [k] : []));
  assert.deepEqual(firsts.map((k) => chain(k).length), [4, 4], `each call's starts handed on in turn: ${JSON.stringify(handed)}`);
  handed.length = 0;
  await withMarks(marks, async () => {
    const values = [];
    for await (const v of m.g(Promise.resolve(3))) values.push(v);
    assert.deepEqual(values, [3, 3]);
  });
  assert.deepEqual(handed.map(([, p]) => p), [undefined, undefined], "an async generator is resumed by whoever calls next()");
});

test(`${edit}: a marked await that rejects throws as it did and ends where its function catches it; thrown on, its caller's await ends there; one not given a token calls nothing`, async () => {
  const source = [
    "exports.fail = async (p) => { try { await p; } catch (e) { return `caught ${e}`; } };",
    "exports.pass = async () => await 1;",
    "exports.outer = async (p) => { try { await exports.inner(p); } finally { exports.done = true; } };",
    "exports.inner = async (p) => { await p; };",
    "",
  ].join("\n");
  const code = mark(source, "/app/c.js", "cjs");
  assert.equal(code.split("\n").findIndex((l) => l.startsWith("function __tsprof$w")), source.split("\n").length, "no line added before the hoisted functions");
  const seen: string[] = [];
  type Code = { fail(p: Promise<never>): Promise<string>; pass(): Promise<number>; outer(p: Promise<never>): Promise<void>; done?: boolean };
  const marked = load<Code>(code);
  await withMarks({ start: () => (i) => (seen.push(`start ${i}`), i === 1 ? undefined : { i }), end: (t) => seen.push(`end ${(t as { i: number }).i}`) }, async () => {
    assert.equal(await marked.fail(Promise.reject("no")), "caught no");
    assert.equal(await marked.pass(), 1);
    await assert.rejects(marked.outer(Promise.reject(new Error("thrown on"))), /thrown on/);
  });
  assert.equal(marked.done, true);
  assert.deepEqual(seen, ["start 0", "end 0", "start 1", "start 2", "start 3", "end 2"]);
  const plain = load<Code>(source);
  assert.equal(await plain.fail(Promise.reject("no")), "caught no", "unmarked, the same");
});

test(`${edit}: in \`await f(await g())\` the outer wait starts once the inner one ended, and, rejected into a catch, ends there`, async () => {
  const source = [
    "exports.nested = async (p) => { try { return await exports.pass(await 1, p); } catch (e) { return `caught ${e}`; } };",
    "exports.pass = (_, p) => p;",
    "",
  ].join("\n");
  const code = mark(source, "/app/f.js", "cjs");
  const seen: string[] = [];
  const nested = load<{ nested(p: Promise<never>): Promise<string> }>(code).nested;
  await withMarks({ start: () => (i) => (seen.push(`start ${i}`), { i }), end: (t) => seen.push(`end ${(t as { i: number }).i}`) }, async () => {
    assert.equal(await nested(Promise.reject("no")), "caught no");
  });
  assert.deepEqual(seen, ["start 1", "end 1", "start 0", "end 0"]);
  assert.equal(await load<{ nested(p: Promise<never>): Promise<string> }>(source).nested(Promise.reject("no")), "caught no", "unmarked, the same");
});

test(`${edit}: an arrow with an expression body, \`async () => await f(await g())\`, starts its outer wait once the inner one ended; its value and its line breaks are kept`, async () => {
  const source = [
    "exports.arrow = async (x) => await exports.pass(await x, 1);",
    "exports.object = async (x) =>",
    "  ({ v: await exports.pass(await x, 2) });",
    "exports.plain = async (x) => await x;",
    "exports.pass = async (v, k) => v + k;",
    "",
  ].join("\n");
  const code = mark(source, "/app/g.js", "cjs");
  assert.equal(code.split("\n").findIndex((l) => l.startsWith("function __tsprof$w")), source.split("\n").length, "no line added before the hoisted functions");
  type Code = { arrow(x: Promise<number>): Promise<number>; object(x: Promise<number>): Promise<{ v: number }>; plain(x: Promise<number>): Promise<number> };
  const marked = load<Code>(code);
  const seen: string[] = [];
  await withMarks({ start: () => (i) => (seen.push(`start ${i}`), { i }), end: (t) => seen.push(`end ${(t as { i: number }).i}`) }, async () => {
    assert.equal(await marked.arrow(Promise.resolve(1)), 2);
    assert.deepEqual(await marked.object(Promise.resolve(1)), { v: 3 });
    assert.equal(await marked.plain(Promise.resolve(5)), 5);
  });
  assert.deepEqual(seen, ["start 1", "end 1", "start 0", "end 0", "start 3", "end 3", "start 2", "end 2", "start 4", "end 4"]);
  const plain = load<Code>(source);
  assert.deepEqual([await plain.arrow(Promise.resolve(1)), await plain.object(Promise.resolve(1))], [2, { v: 3 }], "unmarked, the same");
});

test(`${edit}: an ES module's top-level catch ends its top-level wait; with no top-level await, its try blocks are left as they are`, async () => {
  const sources = {
    awaits: "let caught = 'no';\ntry { await Promise.reject(new Error('x')); } catch { caught = 'yes'; }\nexport { caught };\n",
    none: "let caught = 'no';\ntry { JSON.parse('{'); } catch { caught = 'yes'; }\nexport async function f() { await 1; }\nexport { caught };\n",
  };
  for (const [name, source] of Object.entries(sources)) {
    const code = mark(source, `/app/${name}.js`, "esm");
    const ended: number[] = [];
    const mod = await withMarks(
      { start: () => (i) => ({ i }), end: (t) => ended.push((t as { i: number }).i) },
      () => import(`data:text/javascript,${encodeURIComponent(code)}`) as Promise<{ caught: string }>,
    );
    assert.equal(mod.caught, "yes", name);
    assert.deepEqual(ended, name === "awaits" ? [0] : [], name);
  }
}, { skip: typeof (globalThis as { Bun?: unknown }).Bun !== "undefined" ? "Bun imports a data: URL module without its exports" : false });

test(`${edit}: a \`for await\` loop starts a wait for each value and ends it as the value comes, through continue, labelled break, a thrown body and a rejected value, as the loop ran unmarked`, async () => {
  const source = [
    "const items = (values, fail) => ({ [Symbol.asyncIterator]() { let i = 0; return { next: async () => (i === fail ? Promise.reject(new Error('no')) : i < values.length ? { value: values[i++], done: false } : { value: undefined, done: true }), return: async () => ({ done: true }) }; } });",
    "exports.loops = async () => {",
    "  const seen = [];",
    "  outer: for await (const v of items([1, 2, 3, 4])) { if (v === 2) continue; if (v === 4) break outer; seen.push(v); }",
    "  for await (const v of items([5, 6])) seen.push(v);",
    "  try { for await (const v of items([7, 8], 1)) seen.push(v); } catch (e) { seen.push(e.message); }",
    "  try { for await (const v of items([9])) { throw new Error('body'); } } catch (e) { seen.push(e.message); }",
    "  return seen;",
    "};",
    "",
  ].join("\n");
  const code = mark(source, "/app/e.js", "cjs");
  const expected = [1, 3, 5, 6, 7, "no", "body"];
  assert.deepEqual(await load<{ loops(): Promise<unknown[]> }>(source).loops(), expected, "unmarked");
  assert.deepEqual(await load<{ loops(): Promise<unknown[]> }>(code).loops(), expected, "marked, no recorder");
  const open = new Set<number>();
  let started = 0;
  let wrongEnds = 0;
  const result = await withMarks({
    start: () => () => {
      const token = { n: started++ };
      open.add(token.n);
      return token;
    },
    end: (t) => {
      if (!open.delete((t as { n: number }).n)) wrongEnds++;
    },
  }, () => load<{ loops(): Promise<unknown[]> }>(code).loops());
  assert.deepEqual(result, expected, "marked, recorded");
  // One before each loop, and one as each iteration ends: 1 + 4, 1 + 2, 1 + 1, 1 + 1.
  assert.equal(started, 12);
  assert.equal(wrongEnds, 0, "no wait ended twice, or never started");
  // Each ended: by the next iteration, after the loop (a break, the last value), by a catch (a rejection, a throw).
  assert.equal(open.size, 0, `${[...open].join(", ")} left open`);
});

test(`${edit}: marks add no promise: functions awaiting the same promise resume in the same order, as many microtasks later`, async () => {
  const source = [
    "exports.order = async () => {",
    "  const log = [];",
    "  let open;",
    "  const gate = new Promise((r) => (open = r));",
    "  const a = async () => { await gate; log.push('a'); await null; log.push('a2'); };",
    "  const b = async () => { log.push('b0'); await gate; log.push('b'); };",
    "  const ticks = async () => { for (let i = 0; i < 6; i++) { log.push(`t${i}`); await undefined; } };",
    "  const loop = async () => { for await (const x of [gate, 1, Promise.resolve(2)]) log.push(`l${x}`); };",
    "  const all = Promise.all([a(), b(), ticks(), loop()]);",
    "  open();",
    "  await all;",
    "  return log.join(' ');",
    "};",
    "",
  ].join("\n");
  const plain = load<{ order(): Promise<string> }>(source);
  const marked = load<{ order(): Promise<string> }>(mark(source, "/app/d.js", "cjs"));
  const expected = await plain.order();
  assert.equal(await marked.order(), expected, "without a recorder");
  assert.equal(await withMarks({ start: () => () => ({}), end: () => {} }, () => marked.order()), expected, "with every await given a token");
});

test("code with no await, or that does not parse, is left alone", () => {
  assert.equal(markAwaitsInCode("const a = 1;\n", { libs, file: "/app/c.js", format: "esm" }), undefined);
  assert.equal(markAwaitsInCode("const awaited = 1;\n", { libs, file: "/app/c.js", format: "esm" }), undefined);
  assert.equal(markAwaitsInCode("const a: number = await f();\n", { libs, file: "/app/c.ts", format: "esm" }), undefined);
});
}
