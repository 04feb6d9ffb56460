/**
 * tsprof's speedscope and .cpuprofile files in the real speedscope app (the
 * npm package, 1.25), in headless Chromium: each file goes through the app's
 * file input and the totals it shows are read back from its Sandwich table.
 * The browser is the subject here, not the runtime: this runs on Node 20 only.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { detectRuntime } from "../../runtimes/auto.ts";
import type { Profile } from "../../src/format/types.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { labelRuntimeTime } from "../../src/import/runtime_time.ts";
import { renderSpeedscope } from "../../src/render/speedscope.ts";
import { buildCallTree, type CallNode, selfTime } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { ROOT, tsprof } from "../_cli.ts";
import { FORMATS } from "../_formats.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const APP = join(ROOT, "node_modules/speedscope/dist/release/index.html");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function skipReason(): string | false {
  const isNode20 = detectRuntime() === "node" && process.versions.node.startsWith("20.");
  if (!isNode20) return "the browser is the subject: runs on Node 20 only";
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  return false;
}

/** What speedscope's Sandwich table shows for one function: total and self, in ms. */
interface Row {
  readonly name: string;
  readonly total: number;
  readonly self: number;
}

/** Parses a speedscope time like "61.01ms (31%)" or "812.00µs (2.1%)" to ms. */
function ms(text: string): number {
  const m = /^([\d.]+)(ns|µs|us|ms|s)\b/.exec(text.trim());
  assert.ok(m, `a time: ${text}`);
  const scale = { ns: 1e-6, "µs": 1e-3, us: 1e-3, ms: 1, s: 1000 }[m[2]!]!;
  return Number(m[1]) * scale;
}

/** The Sandwich table's rows among all table cells (the hidden profile picker is a table too). */
function sandwichRows(cells: string[][]): Row[] {
  const time = /^[\d.]+(ns|µs|us|ms|s) \(/;
  return cells.filter((c) => c.length === 3 && time.test(c[0]!) && time.test(c[1]!)).map(([total, self, name]) => ({ name: name!.trim(), total: ms(total!), self: ms(self!) }));
}

/** tsprof's own tree, summed per function name (each function occurs once per stack here). */
function treeTotals(p: Profile): Map<string, { total: number; self: number }> {
  const out = new Map<string, { total: number; self: number }>();
  const todo: CallNode[] = [buildCallTree(p)];
  while (todo.length > 0) {
    const n = todo.pop()!;
    const t = out.get(n.frame.name) ?? { total: 0, self: 0 };
    out.set(n.frame.name, { total: t.total + n.time, self: t.self + selfTime(n) });
    todo.push(...n.children);
  }
  return out;
}

/** speedscope's rounding: two decimals of the unit it picked. */
function near(shown: number, expected: number, slack = 0): boolean {
  return Math.abs(shown - expected) <= 0.006 + slack;
}

const skip = skipReason();

/**
 * Runs `body` with a page of headless Chromium and a scratch folder; page
 * errors and dialogs are collected in `errors`, for the test to assert on.
 */
async function withApp(body: (page: Page, errors: string[], dir: string) => Promise<void>): Promise<void> {
  const { chromium } = await import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "tsprof-speedscope-"));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 3000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await body(page, errors, dir);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("speedscope 1.25 shows tsprof's speedscope file with the totals of tsprof's tree, one profile per thread", () =>
  withApp(async (page, errors, dir) => {

    /** Loads a file through the app's file input and reads the Sandwich table. */
    const open = async (file: string): Promise<{ rows: Row[]; toolbar: string; title: string }> => {
      await page.goto(pathToFileURL(APP).href);
      await page.setInputFiles("input[type=file]", file);
      await page.getByText("Sandwich").first().waitFor();
      await page.getByText("Sandwich").first().click();
      await page.getByText("Symbol Name").first().waitFor();
      return { rows: await readRows(), toolbar: await toolbar(), title: await page.title() };
    };
    const readRows = async (): Promise<Row[]> => {
      const cells = await page.$$eval("table tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
      return sandwichRows(cells);
    };
    const toolbar = () => page.evaluate(() => document.body.innerText.split("\n").slice(0, 12).join(" "));

    // 1. A file written by the tsprof command from a real profile.
    const out = join(dir, "run.speedscope.json");
    const r = tsprof(["view", join(FORMATS, "node20.cpuprofile"), "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    // tsprof's tree of the profile it was given (the file holds weights to the microsecond).
    // As `tsprof view` writes it: the runtime's lone work labelled (runtime_time.ts).
    const source = labelRuntimeTime(loadProfileFile(readFileSync(join(FORMATS, "node20.cpuprofile")), "node20.cpuprofile").profiles[0]!);
    const expected = treeTotals(source);
    const slack = source.samples.length * 0.0005;
    const shown = await open(out);
    assert.deepEqual(errors, []);
    for (const fn of ["spinA", "spinB", "main", "(idle)"]) {
      const rows = shown.rows.filter((row) => row.name === fn);
      assert.equal(rows.length, 1, `one ${fn} row: ${JSON.stringify(rows)}`);
      const want = expected.get(fn)!;
      assert.ok(near(rows[0]!.total, want.total, slack), `${fn} total: speedscope ${rows[0]!.total} ms, tsprof ${want.total} ms`);
      assert.ok(near(rows[0]!.self, want.self, slack), `${fn} self: speedscope ${rows[0]!.self} ms, tsprof ${want.self} ms`);
    }
    // Every function tsprof has is there, and nothing else.
    assert.deepEqual([...new Set(shown.rows.map((row) => row.name))].sort(), [...expected.keys()].filter((n) => n !== "(root)").sort());

    // 2. One profile per thread: speedscope switches between them.
    const two = join(dir, "threads.speedscope.json");
    writeFileSync(two, renderSpeedscope(sessionOf(profileOf([["main;a", 4], ["main;b", 1]], "main"), profileOf([["work;a", 7]], "worker 1")), "0.1.0"));
    const threads = await open(two);
    assert.deepEqual(errors, []);
    assert.match(threads.toolbar, /main \(1\/2\)/);
    assert.ok(near(threads.rows.find((row) => row.name === "a")!.total, 4));
    await page.keyboard.press("n");
    await page.getByText("worker 1 (2/2)").waitFor();
    const worker = await readRows();
    assert.ok(near(worker.find((row) => row.name === "a")!.total, 7));
    assert.ok(near(worker.find((row) => row.name === "work")!.total, 7));
    assert.equal(worker.find((row) => row.name === "main"), undefined);
  }), { skip, timeoutMs: 120_000 });

test("speedscope 1.25's Chrome importer reads tsprof's .cpuprofile with the totals of tsprof's tree", () =>
  withApp(async (page, errors, dir) => {
    // Bun's profile, converted by tsprof: idle filled in, no GC or (program)
    // time, which speedscope would stack onto the sample before it.
    const out = join(dir, "bun.cpuprofile");
    const r = tsprof(["view", join(FORMATS, "bun.cpuprofile"), "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    const source = labelRuntimeTime(loadProfileFile(readFileSync(join(FORMATS, "bun.cpuprofile")), "bun.cpuprofile").profiles[0]!);
    const expected = treeTotals(source);
    const slack = source.samples.length * 0.0005;
    await page.goto(pathToFileURL(APP).href);
    await page.setInputFiles("input[type=file]", out);
    await page.getByText("Sandwich").first().click();
    await page.getByText("Symbol Name").first().waitFor();
    const cells = await page.$$eval("table tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    const rows = sandwichRows(cells);
    assert.deepEqual(errors, []);
    for (const fn of ["spinA", "spinB", "main"]) {
      const row = rows.find((x) => x.name === fn);
      assert.ok(row, `${fn} is shown: ${JSON.stringify(rows)}`);
      assert.ok(near(row.total, expected.get(fn)!.total, slack), `${fn} total: speedscope ${row.total} ms, tsprof ${expected.get(fn)!.total} ms`);
    }
    // speedscope drops (idle) (a gap in its timeline), and shows nothing tsprof lacks.
    assert.equal(rows.find((x) => x.name === "(idle)"), undefined);
    for (const row of rows) assert.ok(expected.has(row.name), `${row.name} is in tsprof's tree`);
  }), { skip, timeoutMs: 120_000 });
