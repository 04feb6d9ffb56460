import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, test } from "../harness.ts";
import { SCRIPTS, tsprof } from "../_cli.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tsprof-html-"));
/** Never a real browser from these tests. */
const NO_OPEN = { TSPROF_NO_OPEN: "1" };

let recorded: { dir: string; session: string } | undefined;
/** One recorded session shared by the tests below (recording costs a run). */
function session(): { dir: string; session: string } {
  if (recorded) return recorded;
  const dir = tmp();
  const file = join(dir, "run.tsprof");
  const r = tsprof(["-o", file, join(SCRIPTS, "html_profile.ts")], { env: NO_OPEN });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "done\n");
  recorded = { dir, session: file };
  return recorded;
}

test("tsprof -o report.html writes a self-contained report after the run", () => {
  const dir = tmp();
  try {
    const out = join(dir, "report.html");
    const r = tsprof(["-o", out, join(SCRIPTS, "html_profile.ts")], { env: NO_OPEN });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "done\n", "the script's stdout stays its own");
    assert.match(r.stderr, /tsprof: wrote .*report\.html/);
    assert.doesNotMatch(r.stderr, /not opening/, "-o alone never tries a browser");
    const html = readFileSync(out, "utf8");
    assert.ok(html.startsWith("<!DOCTYPE html>"));
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /id="tsprof-data">\n[A-Za-z0-9+/=\n]+<\/script>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsprof view -r html with stdout piped writes the page to stdout", () => {
  const { session: file } = session();
  const r = tsprof(["view", file, "-r", "html"], { env: NO_OPEN });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.startsWith("<!DOCTYPE html>"));
  assert.equal(r.stderr, "");
});

test("tsprof view -o names the file it wrote, as a run and diff do", () => {
  const { session: file } = session();
  const dir = mkdtempSync(join(tmpdir(), "tsprof-test-"));
  try {
    const out = join(dir, "report.html");
    const r = tsprof(["view", file, "-o", out], { env: NO_OPEN });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `tsprof: wrote ${out}\n`);
    assert.ok(readFileSync(out, "utf8").startsWith("<!DOCTYPE html>"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsprof --open writes the report to a temp file, prints its path and honours TSPROF_NO_OPEN", () => {
  const { session: file } = session();
  const r = tsprof(["view", file, "-r", "html", "--open"], { env: NO_OPEN });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "");
  const m = /tsprof: wrote (\S+\.html)\n/.exec(r.stderr);
  assert.ok(m, r.stderr);
  try {
    assert.ok(m[1]!.startsWith(tmpdir()), `${m[1]} is in the temp folder`);
    assert.match(m[1]!, /tsprof-run-\d{8}-\d{6}-\d+\.html$/);
    assert.ok(readFileSync(m[1]!, "utf8").startsWith("<!DOCTYPE html>"));
    assert.match(r.stderr, /not opening a browser \(TSPROF_NO_OPEN is set\): open file:\/\//);
  } finally {
    rmSync(m[1]!, { force: true });
  }
});

test("tsprof --open starts $BROWSER on the report; --no-open does not", async () => {
  const { session: file } = session();
  const dir = tmp();
  try {
    const marker = join(dir, "opened.txt");
    const stub = join(dir, "browser.sh");
    writeFileSync(stub, `#!/bin/sh\nprintf '%s\\n' "$1" >> "${marker}"\n`);
    chmodSync(stub, 0o755);
    const env = { BROWSER: stub, TSPROF_NO_OPEN: "" };
    const none = tsprof(["view", file, "-o", join(dir, "no-open.html"), "--no-open"], { env });
    assert.equal(none.status, 0, none.stderr);
    const out = join(dir, "open.html");
    const r = tsprof(["view", file, "-o", out, "--open"], { env });
    assert.equal(r.status, 0, r.stderr);
    // The browser starts detached: wait for it to have run (bounded).
    const deadline = Date.now() + 20_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.equal(readFileSync(marker, "utf8"), `${out}\n`, "the browser got the report's absolute path, and only that one");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(() => {
  if (recorded) rmSync(recorded.dir, { recursive: true, force: true });
  recorded = undefined;
});
