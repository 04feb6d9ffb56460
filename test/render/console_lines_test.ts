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
