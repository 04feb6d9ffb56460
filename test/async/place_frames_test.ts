import assert from "node:assert/strict";
import { transformSync } from "esbuild";
import type { AwaitWait } from "../../src/async/charge_awaits.ts";
import { enclosingSpan, functionSpans } from "../../src/async/function_spans.ts";
import { placeWaitFrames, sourceOutline } from "../../src/async/place_frames.ts";
import { type Frame, profileTotal } from "../../src/format/types.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { placeUnnamedAtSpans } from "../../src/async/unnamed_at_spans.ts";
import { test } from "../harness.ts";

// A TypeScript module as a Deno user writes it: a top-level await, an
// anonymous handler, named functions; types shift every column of the emit.
const SOURCE = [
  "type Req = { url: string };", // 1
  "const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));", // 2
  "async function ticks(n: number): Promise<number> {", // 3
  "  await sleep(n);", // 4
  "  return n;", // 5
  "}", // 6
  "export const handle = async (req: Req): Promise<string> => {", // 7
  "  await ticks(1);", // 8
  "  return req.url;", // 9
  "};", // 10
  "await handle({ url: '/' });", // 11
  "",
].join("\n");
const FILE = "/app/main.ts";
const EMIT = "/cache/gen/file/app/main.ts.js";

/** What Deno's emit cache holds for SOURCE: JavaScript with an inline map back to it. */
function emitted(): string {
  return transformSync(SOURCE, { loader: "ts", format: "esm", sourcemap: "inline", sourcefile: `file://${FILE}` }).code;
}

test("functionSpans() finds every function's span, in the TypeScript a map leads back to", () => {
  const outline = sourceOutline((p) => (p === FILE ? SOURCE : p === EMIT ? emitted() : undefined), (f) => (f === FILE ? { code: emitted(), path: EMIT } : undefined))(FILE);
  assert.ok(outline, "the emitted module parses");
  const starts = outline.spans.map((s) => `${s.start.line}:${s.start.col}`).sort();
  // sleep and its inner arrow, ticks, handle.
  assert.deepEqual(starts, ["2:15", "2:58", "3:1", "7:23"]);
  const at = (line: number, col: number) => enclosingSpan(outline.spans, { line, col })?.start;
  assert.deepEqual(at(8, 3), { line: 7, col: 23 }, "inside the handler");
  assert.deepEqual(at(4, 3), { line: 3, col: 1 }, "inside ticks");
  assert.equal(at(11, 1), undefined, "the module's top level");
});

test("functionSpans() reads plain JavaScript without a map, and refuses code it cannot parse", () => {
  const spans = functionSpans("function a() {\n  return () => 1;\n}\n")!;
  assert.deepEqual(spans.map((s) => [s.start, s.end]).sort((x, y) => x[0]!.line - y[0]!.line), [
    [{ line: 1, col: 1 }, { line: 3, col: 2 }],
    [{ line: 2, col: 10 }, { line: 2, col: 17 }],
  ]);
  assert.equal(functionSpans("function ("), undefined);
});

test("placeWaitFrames() places the frames a stack trace left without a position: the module at 1:1, a function at its name", () => {
  const frame = (name: string): Frame => ({ name, file: FILE, kind: "js" });
  const placed: Frame = { name: "done", file: FILE, line: 9, col: 3, kind: "js" };
  const wait: AwaitWait = {
    start: 0,
    end: 10,
    stack: [frame("(anonymous)"), frame("(anonymous)"), frame("ticks"), placed],
    at: { file: FILE, line: 4, col: 3 },
    // Where each frame was: the top level's await, the handler's, ticks' own; the last is placed already.
    calls: [{ line: 11, col: 1 }, { line: 8, col: 3 }, { line: 4, col: 3 }, null],
  };
  const outline = sourceOutline((p) => (p === FILE ? SOURCE : undefined), (f) => (f === FILE ? { code: emitted(), path: EMIT } : undefined));
  const [w] = placeWaitFrames([wait], outline);
  assert.deepEqual(w!.stack.map((f) => `${f.name}@${f.line}:${f.col}`), ["(module)@1:1", "(anonymous)@7:23", "ticks@3:16", "done@9:3"]);
  assert.equal("calls" in w!, false, "the calls are used up");
  // A file that cannot be read keeps its frames as they came.
  const [same] = placeWaitFrames([wait], () => undefined);
  assert.deepEqual(same!.stack.slice(0, 3), wait.stack.slice(0, 3));
});

test("placeUnnamedAtSpans() puts JavaScriptCore's unnamed frames at their function's start, one frame for a wrapper and its body, named functions as they are", () => {
  const at = (name: string, line: number, col: number): Frame => ({ name, file: "/app/a.ts", line, col, kind: "js" });
  const b = new ProfileBuilder("main");
  const mod = at("(module)", 1, 1);
  // A callback's wrapper sampled at its `=>`, its body at its `{`: one function starting at 3:28.
  b.addSample([mod, at("(anonymous)", 3, 40), at("(anonymous)", 3, 42)], 2);
  b.addSample([mod, at("(anonymous)", 4, 9)], 1);
  b.addSample([mod, at("named", 8, 3)], 1);
  const spans = [
    { start: { line: 3, col: 28 }, end: { line: 5, col: 2 } },
    { name: "named", start: { line: 7, col: 1 }, end: { line: 9, col: 2 } },
  ];
  const p = placeUnnamedAtSpans(b.build(), new Set(["/app/a.ts"]), () => spans);
  const stacks = [...p.samples].map((s) => stackFrames(p, s).map((f) => `${f.name} ${f.line}:${f.col}`).join(" > "));
  assert.deepEqual(stacks, ["(module) 1:1 > (anonymous) 3:28", "(module) 1:1 > (anonymous) 3:28", "(module) 1:1 > named 8:3"]);
  assert.equal(profileTotal(p), 4);
  assert.equal(placeUnnamedAtSpans(p, new Set(["/app/a.ts"]), () => spans), p, "placed already: the same profile");
});
