import assert from "node:assert/strict";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { renderConsole } from "../../src/render/console.ts";
import { hotLines } from "../../src/render/console_lines.ts";
import { test } from "../harness.ts";

function withToolLines() {
  const b = new ProfileBuilder("main");
  const app = b.internFrame({ name: "work", file: "/app/a.ts", line: 1, col: 1, kind: "js" });
  // tsprof's own await tracker, running inside the program's process.
  const tool = b.internFrame({ name: "madeElsewhere", file: "/app/node_modules/tsprof/dist/chunk.js", line: 181, col: 10, kind: "js" });
  b.addStackSample(b.internStack(-1, app), 5);
  b.addStackSample(b.internStack(-1, tool), 20);
  b.addLineTime(app, 2, 5);
  b.addLineTime(tool, 190, 20);
  return b.build();
}

test("hotLines() leaves tsprof's own functions out, as the call tree does, unless asked for all", () => {
  const profile = withToolLines();
  const tools = ["/app/node_modules/tsprof/"];
  assert.deepEqual(hotLines(profile, { toolPaths: tools }).map((h) => profile.frames[h.frame]!.name), ["work"]);
  assert.deepEqual(hotLines(profile, { toolPaths: tools, showAll: true }).map((h) => profile.frames[h.frame]!.name), ["madeElsewhere", "work"]);
});

test("renderConsole() --lines takes tsprof's files from the session", () => {
  const text = renderConsole({
    version: 1,
    meta: { runtime: "node", runtimeVersion: "24.0.0", intervalMs: 1, startTime: 0, durationMs: 25, cwd: "/app", toolPaths: ["/app/node_modules/tsprof/"] },
    profiles: [withToolLines()],
  }, { lines: true, color: false });
  const section = text.slice(text.indexOf("Hottest lines"));
  assert.match(section, /work/);
  assert.doesNotMatch(section, /madeElsewhere/);
});

test("hotLines() holds a function's lines to its own time in the samples: a sample labelled as module loading takes its lines with it", () => {
  const b = new ProfileBuilder("main");
  const app = b.internFrame({ name: "work", file: "/app/a.ts", line: 1, col: 1, kind: "js" });
  // The transpiler's wait for its worker, sampled as the program's module loaded, then labelled `(module loading)`.
  const loader = b.internFrame({ name: "runCallSync", file: "/app/node_modules/esbuild/lib/main.js", line: 2428, col: 3, kind: "js" });
  const loading = b.internFrame({ name: "(module loading)", kind: "native" });
  b.addStackSample(b.internStack(-1, app), 6);
  b.addStackSample(b.internStack(-1, loading), 45);
  b.addLineTime(app, 2, 4);
  b.addLineTime(app, 3, 2);
  b.addLineTime(loader, 2434, 45);
  const profile = b.build();
  const hot = hotLines(profile);
  assert.deepEqual(hot.map((h) => profile.frames[h.frame]!.name), ["work"]);
  assert.deepEqual(hot[0]!.lines, [[2, 4], [3, 2]]);
  // Half of `work`'s samples went elsewhere too: its lines keep their shares of what is left.
  const halved = new ProfileBuilder("main");
  const w = halved.internFrame({ name: "work", file: "/app/a.ts", line: 1, col: 1, kind: "js" });
  halved.addStackSample(halved.internStack(-1, w), 3);
  halved.addLineTime(w, 2, 4);
  halved.addLineTime(w, 3, 2);
  const shares = hotLines(halved.build())[0]!;
  assert.equal(shares.time, 3);
  assert.deepEqual(shares.lines, [[2, 2], [3, 1]]);
});
