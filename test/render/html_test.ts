import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import type { Frame, Profile, Session } from "../../src/format/types.ts";
import {
  VIEWER_CSS,
  VIEWER_CSS_SHA256,
  VIEWER_INPUTS,
  VIEWER_INPUTS_SHA256,
  VIEWER_JS,
  VIEWER_JS_SHA256,
} from "../../src/render/_viewer_bundle.ts";
import { base64, HTML_CSP, renderHtml } from "../../src/render/html.ts";
import { decodePayload } from "../../src/render/html_payload.ts";
import { rendererByName, rendererForFile } from "../../src/render/registry.ts";
import { test } from "../harness.ts";
import { ROOT } from "../_cli.ts";
import { profileOf, sessionOf } from "../_helpers.ts";
import { HOSTILE_NAMES } from "../_hostile.ts";

const bytesOf = (s: string) => new TextEncoder().encode(s);

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(data)));
}

/** Base64 by the runtime's own `btoa`, to check tsprof's encoder against. */
function referenceBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The data element's bytes, decoded. */
function payloadOf(html: string) {
  const m = /<script type="application\/octet-stream" id="tsprof-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, "the page has a data element");
  const text = m[1]!.replace(/\s+/g, "");
  const bin = atob(text);
  return decodePayload(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function hostileSession(): Session {
  const b = new ProfileBuilder("<b>main</b>");
  const frames: Frame[] = HOSTILE_NAMES.map((name, i) => ({ name, file: `/app/<script>x${i}</script>.ts`, line: i + 1, col: 1, kind: "js" }));
  frames.forEach((fr, i) => b.addSample(frames.slice(0, i + 1), 10 + i));
  const s = sessionOf(b.build());
  return { ...s, meta: { ...s.meta, description: "</title><script>window.__pwned = 5</script>", command: ["<img src=x onerror=alert(1)>.ts"] } };
}

test("renderHtml() writes one page: CSP first, styles and script allowed by their hashes, data in a data element", async () => {
  const html = renderHtml(sessionOf(profileOf([["main;work", 3], ["main", 1]])), { version: "9.9.9" });
  assert.ok(html.startsWith("<!DOCTYPE html>"));
  const head = html.slice(0, html.indexOf("</head>"));
  assert.ok(head.indexOf('http-equiv="Content-Security-Policy"') < head.indexOf("<style>"), "the policy comes before any style or script");
  assert.ok(head.includes(`content="${HTML_CSP}"`));
  assert.match(HTML_CSP, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
  assert.ok(!/unsafe-inline|unsafe-eval|https?:/.test(HTML_CSP), "no loophole in the policy");
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2, "a data element and the viewer");
  assert.equal(scripts[0]![1], ' type="application/octet-stream" id="tsprof-data"');
  assert.match(scripts[0]![2]!, /^[A-Za-z0-9+/=\n]+$/);
  assert.equal(scripts[1]![1], "");
  assert.equal(scripts[1]![2], VIEWER_JS);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.equal(style, VIEWER_CSS);
  assert.equal(base64(await sha256(bytesOf(VIEWER_JS))), VIEWER_JS_SHA256);
  assert.equal(base64(await sha256(bytesOf(VIEWER_CSS))), VIEWER_CSS_SHA256);
  assert.ok(HTML_CSP.includes(`'sha256-${VIEWER_JS_SHA256}'`) && HTML_CSP.includes(`'sha256-${VIEWER_CSS_SHA256}'`));
  assert.ok(!/https?:\/\/|@import|url\(/.test(VIEWER_CSS), "the styles load nothing");
  assert.ok(!/fetch\(|XMLHttpRequest|WebSocket|sendBeacon|EventSource|importScripts/.test(VIEWER_JS), "the script makes no requests");
  assert.equal(payloadOf(html).header.tsprof, "9.9.9");
});

test("renderHtml() keeps hostile names and paths out of the markup: they only travel compressed", () => {
  const session = hostileSession();
  const html = renderHtml(session);
  const outsideScript = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, "");
  for (const bad of ["__pwned", "onerror", "javascript:", "<img", "<svg", "\u2028", "\u2029", "alert("]) {
    assert.ok(!outsideScript.includes(bad), `"${bad}" must not appear in the markup`);
  }
  const data = /id="tsprof-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.match(data, /^[A-Za-z0-9+/=\n]+$/);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
  const decoded = payloadOf(html);
  assert.deepEqual(decoded.profiles[0]!.frames.map((fr) => fr.name), [...HOSTILE_NAMES]);
  assert.equal(decoded.header.meta.description, session.meta.description);
  assert.equal(decoded.profiles[0]!.name, "<b>main</b>");
});

test("the HTML payload round-trips a profile: frames, stack paths, samples as runs, total time", () => {
  const p = profileOf([
    ["main;a", 1.25],
    ["main;a", 1],
    ["main;b;c", 2.5],
    ["", 0.5],
    ["(idle)", 4],
    ["main;a", 1.001],
  ]);
  const decoded = payloadOf(renderHtml(sessionOf(p))).profiles[0]!;
  const stackPaths = (q: Profile) => {
    const out: string[] = [];
    for (let i = 0; i < q.samples.length; i++) {
      const names: string[] = [];
      for (let s = q.samples[i]!; s !== -1; s = q.stacks.parent[s]!) names.unshift(q.frames[q.stacks.frame[s]!]!.name);
      out.push(`${names.join(";")}:${+q.weights[i]!.toFixed(3)}`);
    }
    return out;
  };
  assert.deepEqual(stackPaths(decoded), ["main;a:2.25", "main;b;c:2.5", ":0.5", "(idle):4", "main;a:1.001"]);
  for (let s = 0; s < decoded.stacks.length; s++) assert.ok(decoded.stacks.parent[s]! < s, "parents come first");
});

test("the HTML payload renumbers stacks parent-first, drops unused ones and splits runs longer than 2^32 µs", () => {
  const frames: Frame[] = [
    { name: "leaf", kind: "js", file: "/app/a.ts", line: 3 },
    { name: "root", kind: "js", file: "/app/a.ts", line: 1 },
    { name: "unused", kind: "js" },
  ];
  // Stack 0 is leaf under stack 2 (root); stack 1 is never sampled.
  const p: Profile = {
    name: "foreign",
    frames,
    stacks: { length: 3, frame: Int32Array.from([0, 2, 1]), parent: Int32Array.from([2, -1, -1]) },
    samples: Int32Array.from([0, 0, 2]),
    weights: Float64Array.from([3_000_000, 3_000_000, 1]),
  };
  const d = payloadOf(renderHtml(sessionOf(p))).profiles[0]!;
  assert.deepEqual(d.frames.map((fr) => fr.name).sort(), ["leaf", "root"]);
  assert.equal(d.stacks.length, 2);
  assert.ok(d.stacks.parent[0] === -1 && d.stacks.parent[1] === 0);
  assert.equal(d.samples.length, 3, "6,000,000 ms is two runs, then the root");
  assert.equal(d.weights[0]! + d.weights[1]!, 6_000_000);
  assert.equal(d.weights[2], 1);
});

test("base64() matches the runtime's btoa at every padding length", () => {
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
    assert.equal(base64(bytes), referenceBase64(bytes));
  }
});

test("the registry offers html for -r html and for .html/.htm files", () => {
  assert.equal(rendererByName("html")?.name, "html");
  assert.equal(rendererForFile("out/report.html")?.name, "html");
  assert.equal(rendererForFile("report.htm")?.name, "html");
  const out = rendererByName("html")!.render(sessionOf(profileOf([["main", 1]])), { version: "1.2.3" });
  assert.equal(typeof out, "string");
});

test("the generated viewer bundle is up to date with its sources (hash of every input)", async () => {
  const parts: Uint8Array[] = [];
  for (const p of VIEWER_INPUTS) parts.push(bytesOf(`${p}\0${readFileSync(join(ROOT, p), "utf8")}\0`));
  const all = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    all.set(x, at);
    at += x.length;
  }
  const hex = Array.from(await sha256(all), (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(hex, VIEWER_INPUTS_SHA256, "src/render/_viewer_bundle.ts is stale: run npm run build:viewer");
  assert.ok(VIEWER_INPUTS.includes("src/viewer/main.ts") && VIEWER_INPUTS.includes("src/viewer/viewer.css"));
});

test(
  "the generated viewer bundle is byte for byte what esbuild makes of src/viewer/ now",
  () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/build_viewer.mjs"), "--check"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  },
  { skip: detectRuntime() === "node" ? false : "runs esbuild's Node API: checked on Node" },
);

test("renderHtml() refuses a sample weighing more than a year instead of growing without end", () => {
  const b = new ProfileBuilder("main");
  b.addSample([{ name: "f", kind: "js" }], 1e305);
  const session: Session = { version: 1, meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: 1 }, profiles: [b.build()] };
  assert.throws(() => renderHtml(session, {}), RangeError);
});
