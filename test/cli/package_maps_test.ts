import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { test } from "../harness.ts";
import { ROOT, SCRIPTS, tsprof } from "../_cli.ts";

test("a package's frames are placed in the sources its map names, at lines that define them (marked's bundle)", () => {
  const map = JSON.parse(readFileSync(join(ROOT, "node_modules/marked/lib/marked.esm.js.map"), "utf8")) as { sources: string[]; sourcesContent: string[] };
  const sourceLines = new Map(map.sources.map((s, i) => [s.replace(/^(\.\.\/)+/, ""), map.sourcesContent[i]!.split("\n")]));
  const dir = mkdtempSync(join(tmpdir(), "tsprof-maps-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, join(SCRIPTS, "markdown.ts")]);
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    let placed = 0;
    const wrong: string[] = [];
    for (const f of session.profiles.flatMap((p) => p.frames)) {
      const source = /node_modules\/marked\/(src\/.+\.ts)$/.exec(f.file ?? "")?.[1];
      // Not V8's synthetic functions ("<instance_members_initializer>") nor labels.
      if (source === undefined || f.line === undefined || /^[(<]/.test(f.name)) continue;
      placed++;
      // The line a function is placed at names it (its declaration), in the source the map holds;
      // a class is its constructor (V8 names it by the class's minified name), at `constructor(`, at
      // the class's own declaration, or at the first of the fields its constructor initializes (where
      // the bundle's map puts the class body's start: `class l{options;...constructor(e){`).
      const lines = sourceLines.get(source) ?? [];
      const text = lines[f.line - 1] ?? "";
      const classField = /^\s*[\w$#]+[?!]?\s*[:=;]/.test(text) && /\bclass\s/.test(lines[f.line - 2] ?? "");
      if (!text.includes(f.name.replace(/^(?:get|set) /, "")) && !/\bconstructor\s*\(|\bclass\s/.test(text) && !classField) wrong.push(`${f.name} ${source}:${f.line}: ${text.trim().slice(0, 60)}`);
    }
    assert.ok(placed >= 5, `${placed} frames placed in marked's sources`);
    assert.deepEqual(wrong, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
