// A callback passed with an options object after it (addEventListener's
// `{ once }`, a test's `{ timeout }`, a router's options): V8 names it after
// the call and the object's key, a name no source gives it. Through the CLI,
// on every runtime, it is the unnamed function it is, where it starts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { SCRIPTS, tsprof } from "../_cli.ts";
import { test } from "../harness.ts";

test("a callback passed to a call with an options object after it is (anonymous) at its start, not V8's inferred events.on.once", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-names-"));
  try {
    const out = join(dir, "s.json");
    const r = tsprof(["-o", out, join(SCRIPTS, "argument_callbacks.ts")]);
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    const frames = session.profiles.flatMap((p) => p.frames).filter((f) => f.file?.endsWith("argument_callbacks.ts"));
    assert.deepEqual(frames.filter((f) => f.name.includes(".")).map((f) => f.name), [], "no inferred dotted name");
    let at = 0;
    walk(buildCallTree(session.profiles[0]!), (n) => {
      if (n.frame.name === "(anonymous)" && n.frame.file?.endsWith("argument_callbacks.ts") && n.frame.line === 10 && n.frame.col === 32) at += n.time;
    });
    assert.ok(at > 50, `${at} ms at the callback's parameter list, 10:32`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
