import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keepSession, listSavedSessions, savedSessionPath, sessionsDir } from "../../src/cli/saved_sessions.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { readFileSync } from "node:fs";
import { test } from "../harness.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

test("sessionsDir() honours TSPROF_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share", () => {
  assert.equal(sessionsDir({ TSPROF_DATA_DIR: "/d", XDG_DATA_HOME: "/x", HOME: "/h" }), "/d/sessions");
  assert.equal(sessionsDir({ XDG_DATA_HOME: "/x", HOME: "/h" }), "/x/tsprof/sessions");
  assert.equal(sessionsDir({ TSPROF_DATA_DIR: "", XDG_DATA_HOME: "", HOME: "/h" }), "/h/.local/share/tsprof/sessions");
});

test("keepSession() names sessions by local time, never reuses an id, keeps the newest 10", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const session = sessionOf(profileOf([["main;work", 3]]));
    const at = new Date(2026, 10, 26, 9, 35, 4);
    const ids = Array.from({ length: 12 }, () => keepSession(session, dir, at));
    assert.equal(ids[0], "2026-11-26T09-35-04");
    assert.equal(ids[1], "2026-11-26T09-35-04-2");
    assert.equal(new Set(ids).size, 12);
    assert.equal(readdirSync(dir).length, 10);
    assert.deepEqual(listSavedSessions(dir), ids.slice(2));
    assert.equal(savedSessionPath(ids[0]!, dir), undefined, "the oldest is gone");
    const path = savedSessionPath(ids[11]!, dir)!;
    const again = loadProfileFile(readFileSync(path), path);
    assert.deepEqual(again.meta, session.meta);
    assert.equal(savedSessionPath("../x", dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
