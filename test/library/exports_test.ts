import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";

/**
 * Every public name, by entry: growing the API is a decision made here.
 * Values are checked on every runtime by importing the entry; types too on
 * Deno, through `deno doc`.
 */
const ALLOWED: Record<string, { values: string[]; types: string[] }> = {
  ".": {
    values: [
      "Profiler", "ProfileFormatError", "TsprofError", "VERSION", "loadProfileFile", "profile", "profileFetch",
      "profileMiddleware", "profileNodeHandler", "profileTotal", "renderSession", "saveSession",
    ],
    types: [
      "FetchHandler", "HttpProfilingOptions", "NextFunction", "NodeMiddleware", "NodeRequestLike", "NodeResponseLike",
      "Profile", "ProfileResult", "ProfilerOptions", "RenderOptions", "SaveOptions", "Session", "SessionMeta", "TsprofErrorCode",
    ],
  },
  "./format": {
    values: ["GC_FRAME", "IDLE_FRAME", "MODULE_LOADING_FRAME", "PROGRAM_FRAME", "ProfileBuilder", "SESSION_SCHEMA_URL", "frameKey", "profileTotal", "sessionFromJson", "sessionToJson", "stackFrames"],
    types: ["Frame", "FrameKind", "Profile", "ProfileJson", "Session", "SessionJson", "SessionMeta", "StackTable"],
  },
  "./import": {
    values: ["checkCpuProfile", "encodeSessionFile", "importChromeTrace", "importPprof", "importSpeedscope", "importV8CpuProfile", "isBunCpuProfile", "isChromeTrace", "isPprof", "loadProfileFile", "normalizeBunCpuProfile"],
    types: ["V8CallFrame", "V8CpuProfile", "V8ImportOptions", "V8ProfileNode"],
  },
  "./render": {
    values: ["RENDERERS", "profileToCpuProfile", "renderCollapsed", "renderCollapsedBytes", "renderConsole", "renderCpuProfile", "renderPprof", "renderSession", "renderSpeedscope", "renderSpeedscopeBytes", "rendererByName", "rendererForFile"],
    types: ["ConsoleOptions", "OutputFormat", "RenderOptions", "Renderer"],
  },
  "./tree": {
    values: [
      "ROOT_FRAME", "SELF_FRAME", "aggregateRepeatedCalls", "buildCallTree", "flatProfile", "foldRecursion", "groupLibraryFrames", "isLibraryFrame",
      "isSelfNode", "mergeConsecutiveSelfTime", "ownTime", "processProfile", "processTree", "removeFrames", "removeIrrelevantNodes",
      "removeRuntimeFrames", "removeToolFrames", "removeUnnecessarySelfTime", "selfTime", "walk",
    ],
    types: [
      "BuildCallTreeOptions", "CallNode", "FlatRow", "FoldRecursionOptions", "FrameGroup", "GroupLibraryFramesOptions", "ProcessOptions",
      "ProcessProfileOptions", "RemoveIrrelevantNodesOptions", "RemoveRuntimeFramesOptions", "RemoveToolFramesOptions", "TimelineOptions",
    ],
  },
  "./backend": {
    values: ["detectRuntime", "loadBackend", "recordingToSession"],
    types: ["Backend", "BackendLoader", "BackendName", "BackendStartOptions", "Recording", "RecordingContext", "RuntimeName"],
  },
  "./portable": {
    values: ["Recorder", "getRecorder", "portableBackend", "profiled", "profiledBlock", "recorder"],
    types: ["Activation", "Clock", "NamedFrameOptions", "PortableBackendOptions", "RecordingOptions", "Ticker", "TickerFactory"],
  },
  "./esbuild": { values: ["tsprofPlugin"], types: ["EsbuildPlugin", "PluginBuild", "TsprofPluginOptions"] },
};

const deno = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")) as { exports: Record<string, string>; imports: Record<string, string> };
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown> };

test("every entry's values are the allowed ones, and the main entry stays small", async () => {
  assert.deepEqual(Object.keys(deno.exports).sort(), Object.keys(ALLOWED).sort());
  for (const [entry, allowed] of Object.entries(ALLOWED)) {
    const mod = (await import(join(ROOT, deno.exports[entry]!))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(mod).sort(), [...allowed.values].sort(), `values of tsprof${entry.slice(1)}`);
  }
  const main = ALLOWED["."]!;
  assert.ok(main.values.length + main.types.length <= 30, "the main entry is what a user needs; the rest has a subpath");
});

test("package.json, deno.json's exports and its self-imports name the same entries", () => {
  assert.deepEqual(Object.keys(pkg.exports).sort(), Object.keys(deno.exports).sort());
  for (const [entry, file] of Object.entries(deno.exports)) {
    assert.equal(deno.imports[entry === "." ? "tsprof" : `tsprof/${entry.slice(2)}`], file, `the doc examples import tsprof${entry.slice(1)}`);
  }
});

test("every entry's types and values are the allowed ones (deno doc)", () => {
  for (const [entry, allowed] of Object.entries(ALLOWED)) {
    const r = spawnSync(process.execPath, ["doc", "--json", deno.exports[entry]!], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { nodes: Record<string, { symbols: { name: string }[] }> };
    const names = Object.values(json.nodes)[0]!.symbols.map((s) => s.name).sort();
    assert.deepEqual(names, [...allowed.values, ...allowed.types].sort(), `tsprof${entry.slice(1)}`);
  }
}, { skip: detectRuntime() === "deno" ? false : "uses deno doc: runs on Deno", timeoutMs: 120_000 });
