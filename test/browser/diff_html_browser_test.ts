import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { diffSessions } from "../../src/diff/diff_tree.ts";
import type { Frame } from "../../src/format/types.ts";
import { renderDiffHtml } from "../../src/render/diff_html.ts";
import { test } from "../harness.ts";
import { browserSkipReason, launchChromium } from "../_browser.ts";
import { HOSTILE_NAMES } from "../_hostile.ts";
import { sessionOfCounts } from "../_helpers.ts";

const fr = (name: string, file = "/app/src/app.ts"): Frame => ({ name, file, line: 1, col: 1, kind: "js" });

const session = (stacks: readonly [readonly Frame[], number][]) => sessionOfCounts(stacks);

test("the diff page draws bars as wide as the head's time, red where it grew, and runs nothing a name carries", async () => {
  const main = fr("main");
  const parse = fr("parseConfig", "/app/src/config.ts");
  const hostile = HOSTILE_NAMES.map((n, i) => [[main, fr(n, `/app/src/h${i}.ts`)], 60] as [Frame[], number]);
  const base = session([[[main, parse], 300], [[main, fr("render")], 600], ...hostile]);
  const head = session([[[main, parse], 600], [[main, fr("render")], 600], ...hostile]);
  const dir = mkdtempSync(join(tmpdir(), "tsprof-diff-html-"));
  const browser = await launchChromium();
  try {
    const file = join(dir, "diff.html");
    writeFileSync(file, renderDiffHtml(diffSessions(base, head), { labels: ["base.tsprof", "head.tsprof"] }));
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    const bars = await page.$$eval(".bar", (els) =>
      els.map((e) => ({ text: e.textContent, width: e.getBoundingClientRect().width, background: getComputedStyle(e).backgroundColor }))
    );
    const all = bars.find((b) => b.text === "all")!;
    const p = bars.find((b) => b.text === "parseConfig")!;
    const r = bars.find((b) => b.text === "render")!;
    assert.ok(Math.abs(p.width / all.width - 600 / (1200 + 60 * HOSTILE_NAMES.length)) < 0.01, `${p.width} of ${all.width}`);
    assert.ok(Math.abs(r.width / p.width - 1) < 0.02, "render and parseConfig are as wide: 600 ms each in the head");
    const [red, green, blue] = p.background.match(/\d+/g)!.map(Number);
    assert.ok(red! > green! + 40 && red! > blue! + 40, `parseConfig is red: ${p.background}`);
    assert.match(r.background, /rgb\((\d+), \1, \1\)/, "render, unchanged, is grey");
    for (const n of HOSTILE_NAMES) assert.ok(bars.some((b) => b.text === n), `a bar for ${JSON.stringify(n)}`);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(requests, [pathToFileURL(file).href], "the page loads nothing");
    assert.deepEqual(errors, []);
    assert.match(await page.textContent("ul.tree") ?? "", /\+300 ms\s*\+100% sure\s*parseConfig/);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: browserSkipReason(), timeoutMs: 120_000 });
