import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import type { Frame, Profile, Session } from "../../src/format/types.ts";
import { codeOrigin } from "../../src/paths.ts";
import { renderHtml } from "../../src/render/html.ts";
import { test } from "../harness.ts";
import { browserSkipReason, launchChromium } from "../_browser.ts";
import { ROOT, SCRIPTS, tsprof } from "../_cli.ts";
import { sessionOf } from "../_helpers.ts";
import { HOSTILE_NAMES } from "../_hostile.ts";

const skip = browserSkipReason();
const SHOTS = join(ROOT, "test-output");
const VIEWS = ["tree", "flame", "inverted", "timeline", "functions"] as const;

let browser: Browser | undefined;
let work: string | undefined;

/** A page with the report open, and everything it tried to do. */
interface Opened {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly url: string;
  readonly requests: string[];
  readonly errors: string[];
  readonly dialogs: string[];
}

async function open(file: string, colorScheme: "light" | "dark" = "light"): Promise<Opened> {
  browser ??= await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  // Every request the page tries, even one the CSP then blocks.
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForSelector("html[data-ready]", { timeout: 60_000 });
  assert.equal(await page.getAttribute("html", "data-ready"), "1", `the report failed to open: ${errors.join("; ")}`);
  return { page, context, url, requests, errors, dialogs };
}

/** Asserts the page stayed offline, broke no CSP rule and ran nothing foreign. */
async function assertClean(o: Opened): Promise<void> {
  assert.deepEqual(o.requests, [o.url], "no request leaves the page");
  assert.deepEqual(await o.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), [], "no CSP violation");
  assert.deepEqual(o.errors, [], "no error in the page");
  assert.deepEqual(o.dialogs, [], "no dialog opened");
  assert.equal(await o.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, "no injected script ran");
}

async function show(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
  await page.click(`[data-view=${view}]`);
  await page.waitForFunction((v) => document.getElementById("app")?.dataset.currentView === v, view);
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Whether the visible panel's canvas has anything drawn on it. */
function canvasDrawn(page: Page, view: string): Promise<boolean> {
  return page.evaluate((v) => {
    const canvas = document.querySelector(`.panel-${v} canvas`) as HTMLCanvasElement | null;
    if (!canvas || canvas.width === 0) return false;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, Math.min(canvas.height, 200)).data;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
    return false;
  }, view);
}

interface Recorded {
  readonly report: string;
  readonly session: Session;
}
let recorded: Recorded | undefined;

/** A real profile of a fixture script, through the CLI, as a report and as tsprof JSON. */
function record(): Recorded {
  if (recorded) return recorded;
  work ??= mkdtempSync(join(tmpdir(), "tsprof-browser-"));
  const file = join(work, "run.tsprof");
  const env = { TSPROF_NO_OPEN: "1" };
  const r = tsprof(["-o", file, join(SCRIPTS, "html_profile.ts")], { env });
  assert.equal(r.status, 0, r.stderr);
  const report = join(work, "report.html");
  const v = tsprof(["view", file, "-o", report, "--no-open"], { env });
  assert.equal(v.status, 0, v.stderr);
  const json = tsprof(["view", file, "-r", "json"], { env });
  assert.equal(json.status, 0, json.stderr);
  recorded = { report, session: sessionFromJson(JSON.parse(json.stdout)) };
  return recorded;
}

/**
 * Self and total share of each function, computed straight from the
 * samples: a sample's time is self time of its innermost frame that the
 * report shows (not runtime internals, not tsprof's own code), and total
 * time of every function on its stack, once.
 */
function shares(p: Profile): Map<Frame, { self: number; total: number }> {
  const shown = (fr: Frame) =>
    ["idle", "gc", "program"].includes(fr.kind) ||
    (codeOrigin(fr.file) !== "runtime" && !fr.file!.startsWith(join(ROOT, "dist")) && !fr.file!.startsWith(join(ROOT, "src")));
  const out = new Map<Frame, { self: number; total: number }>();
  let all = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const w = p.weights[i]!;
    all += w;
    const seen = new Set<Frame>();
    let leaf: Frame | undefined;
    for (let s = p.samples[i]!; s !== -1; s = p.stacks.parent[s]!) {
      const fr = p.frames[p.stacks.frame[s]!]!;
      if (!shown(fr)) continue;
      leaf ??= fr;
      seen.add(fr);
    }
    for (const fr of seen) {
      const e = out.get(fr) ?? { self: 0, total: 0 };
      e.total += w;
      if (fr === leaf) e.self += w;
      out.set(fr, e);
    }
  }
  for (const e of out.values()) {
    e.self = (100 * e.self) / all;
    e.total = (100 * e.total) / all;
  }
  return out;
}

const pct = (s: string) => Number(s.replace("%", ""));

test(
  "the report of a recorded profile renders, with the hottest function at its share of the time",
  async () => {
    const { report, session } = record();
    const o = await open(report);
    try {
      const { page } = o;
      const byFrame = shares(session.profiles[0]!);
      const js = [...byFrame].filter(([fr]) => fr.kind === "js");
      const [hottest, share] = js.reduce((a, b) => (b[1].self > a[1].self ? b : a));
      assert.equal(hottest.name, "spin", "the fixture spends its time in spin()");
      assert.match((await page.textContent(".program"))!, /html_profile\.ts/);
      assert.ok((await page.locator(".calltree .row").count()) > 3, "the call tree has rows");

      await show(page, "functions");
      const row = page.locator("table.functions tbody tr", { has: page.locator("td.fn", { hasText: /^spin$/ }) });
      assert.equal(await row.count(), 1);
      const cells = await row.locator("td").allTextContents();
      assert.ok(Math.abs(pct(cells[1]!) - share.self) <= 0.11, `self ${cells[1]} vs ${share.self.toFixed(2)}% from the session`);
      assert.ok(Math.abs(pct(cells[3]!) - share.total) <= 0.11, `total ${cells[3]} vs ${share.total.toFixed(2)}% from the session`);
      const firstJs = await page.locator("table.functions tbody tr td.fn").allTextContents();
      assert.equal(firstJs.find((n) => !n.startsWith("(")), "spin", "sorted by self time, spin is the top function");

      // The call tree in percent: hotLoop's row shows its share.
      await show(page, "tree");
      await page.click("label.toggle:has-text('%') input");
      const hot = [...byFrame].find(([fr]) => fr.name === "hotLoop")![1];
      const hotRow = page.locator(".calltree .row", { has: page.locator(".name", { hasText: /^hotLoop$/ }) });
      assert.equal(await hotRow.count(), 1);
      const shown = pct((await hotRow.locator(".time").textContent())!);
      assert.ok(Math.abs(shown - hot.total) <= 0.11, `hotLoop ${shown}% vs ${hot.total.toFixed(2)}% from the session`);
      await assertClean(o);
    } finally {
      await o.context.close();
    }
  },
  { skip, timeoutMs: 120_000 },
);

test(
  "a call tree node opens and closes by click and by keyboard",
  async () => {
    const o = await open(record().report);
    try {
      const { page } = o;
      const rows = () => page.locator(".calltree [role=treeitem]").count();
      let closed = page.locator(".calltree [role=treeitem][aria-expanded=false]").first();
      if ((await closed.count()) === 0) {
        await page.locator(".calltree [role=treeitem][aria-expanded=true]").last().click();
        closed = page.locator(".calltree [role=treeitem][aria-expanded=false]").first();
      }
      const name = await closed.locator(".name").textContent();
      const before = await rows();
      await closed.click();
      const opened = page.locator(".calltree [role=treeitem]", { has: page.locator(".name", { hasText: name! }) }).first();
      assert.equal(await opened.getAttribute("aria-expanded"), "true");
      assert.ok((await rows()) > before, "its children appear");
      // Keyboard: the clicked row has focus; Left closes it, Right opens it, Down moves on.
      await page.keyboard.press("ArrowLeft");
      assert.equal(await rows(), before);
      await page.keyboard.press("ArrowRight");
      assert.ok((await rows()) > before);
      const focusedBefore = await page.evaluate(() => document.activeElement?.textContent);
      await page.keyboard.press("ArrowDown");
      const focusedAfter = await page.evaluate(() => document.activeElement?.getAttribute("role") + " " + document.activeElement?.textContent);
      assert.notEqual(focusedAfter, `treeitem ${focusedBefore}`);
      assert.match(focusedAfter, /^treeitem /);
      await page.keyboard.press("Home");
      assert.equal(await page.evaluate(() => document.activeElement === document.querySelector(".calltree [role=treeitem]")), true);
      await assertClean(o);
    } finally {
      await o.context.close();
    }
  },
  { skip, timeoutMs: 120_000 },
);

test(
  "each view switches and draws, in light and dark; screenshots go to test-output/",
  async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      const o = await open(record().report, scheme);
      try {
        const { page } = o;
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(bg === "rgb(255, 255, 255)", scheme === "light", `background ${bg} in ${scheme}`);
        for (const v of VIEWS) {
          await show(page, v);
          assert.equal(await page.locator(`.panel-${v}`).isVisible(), true, `${v} is shown`);
          for (const other of VIEWS) if (other !== v) assert.equal(await page.locator(`.panel-${other}`).isVisible(), false);
          assert.equal(await page.getAttribute(`[data-view=${v}]`, "aria-selected"), "true");
          if (v === "tree") assert.ok((await page.locator(".calltree .row").count()) > 0);
          else if (v === "functions") {
            await page.locator("table.functions tbody tr").first().click();
            assert.ok(await canvasDrawn(page, v), "the sandwich is drawn");
          } else assert.ok(await canvasDrawn(page, v), `${v} has boxes`);
          await page.screenshot({ path: join(SHOTS, `html-${v}-${scheme}.png`) });
        }
        // Keys 1..5 switch views too.
        await page.locator("body").click({ position: { x: 5, y: 5 } });
        await page.keyboard.press("4");
        assert.equal(await page.getAttribute("[data-view=timeline]", "aria-selected"), "true");
        await assertClean(o);
      } finally {
        await o.context.close();
      }
    }
  },
  { skip, timeoutMs: 180_000 },
);

test(
  "search finds a function by name or file and highlights it in every view",
  async () => {
    const o = await open(record().report);
    try {
      const { page } = o;
      await page.fill("input.search", "warmloop");
      await page.waitForFunction(() => /1 function match/.test(document.querySelector(".search-info")?.textContent ?? ""));
      const match = page.locator(".calltree .row.match");
      assert.ok((await match.count()) >= 1);
      assert.equal(await match.first().locator(".name").textContent(), "warmLoop");
      assert.ok(await match.first().isVisible(), "the way to the match is opened");
      for (const v of ["flame", "inverted", "timeline"] as const) {
        await show(page, v);
        const n = Number(await page.getAttribute(`.panel-${v} .chart`, "data-matches"));
        assert.ok(n >= 1, `${v} highlights the match (${n})`);
      }
      await show(page, "functions");
      assert.deepEqual(await page.locator("table.functions tbody td.fn").allTextContents(), ["warmLoop"]);
      // By file: every function of the fixture matches.
      await page.fill("input.search", "html_profile.ts");
      await page.waitForFunction(() => !/^1 function/.test(document.querySelector(".search-info")?.textContent ?? ""));
      const names = await page.locator("table.functions tbody td.fn").allTextContents();
      for (const n of ["hotLoop", "warmLoop", "helper", "main"]) assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
      await page.fill("input.search", "");
      await page.waitForFunction(() => document.querySelector(".search-info")?.textContent === "");
      await show(page, "flame");
      assert.equal(await page.getAttribute(".panel-flame .chart", "data-matches"), "0");
      await assertClean(o);
    } finally {
      await o.context.close();
    }
  },
  { skip, timeoutMs: 120_000 },
);

/** A profile whose names, paths and metadata try to inject markup and script, with library frames. */
function hostileSession(): Session {
  const b = new ProfileBuilder("<b>main</b>");
  const lib = (name: string): Frame => ({ name, file: `/app/node_modules/<img src=x onerror=alert(1)>/index.js`, line: 1, col: 1, kind: "js" });
  const frames: Frame[] = HOSTILE_NAMES.map((name, i) => ({ name, file: `/app/javascript:alert(${i})/<script>x</script>.ts`, line: i + 1, col: 1, kind: "js" }));
  frames.forEach((_, i) => b.addSample(frames.slice(0, i + 1), 20 + i));
  b.addSample([frames[0]!, lib("libOuter"), lib("libMiddle"), lib("libMiddle2"), lib("libInner"), { name: "afterLib", file: "/app/b.ts", line: 1, col: 1, kind: "js" }], 40);
  b.addSample([{ name: "(idle)", kind: "idle" }], 15);
  const worker = new ProfileBuilder("worker <script>window.__pwned = 8</script>");
  worker.addSample([{ name: "workerMain", file: "/app/w.ts", line: 1, col: 1, kind: "js" }], 30);
  const s = sessionOf(b.build(), worker.build());
  return {
    ...s,
    meta: {
      ...s.meta,
      description: "</title><script>window.__pwned = 5</script>",
      command: ['<img src=x onerror="window.__pwned = 6">.ts'],
      warnings: ["<script>window.__pwned = 7</script>"],
    },
  };
}

test(
  "hostile function names, paths and metadata stay text in every view; no markup or script from them runs",
  async () => {
    work ??= mkdtempSync(join(tmpdir(), "tsprof-browser-"));
    const file = join(work, "hostile.html");
    writeFileSync(file, renderHtml(hostileSession(), { version: "0.0.0-test" }));
    const o = await open(file);
    try {
      const { page } = o;
      const names = await page.locator(".calltree .row .name").allTextContents();
      for (const n of HOSTILE_NAMES) assert.ok(names.includes(n), `${JSON.stringify(n)} is shown as text`);
      assert.equal(await page.title(), `${(await page.evaluate(() => document.title)).split(" · ")[0]} · </title><script>window.__pwned = 5</script> · tsprof`);
      // Quoted as a shell would, and still text.
      assert.equal(await page.textContent(".program"), `'<img src=x onerror="window.__pwned = 6">.ts'`);
      assert.equal(await page.textContent(".description"), "</title><script>window.__pwned = 5</script>");
      assert.equal(await page.textContent(".warning"), "Warning: <script>window.__pwned = 7</script>");
      assert.equal(await page.locator("#app img, #app svg, #app iframe, #app a, #app object, #app embed").count(), 0, "no element came from the data");
      assert.equal(await page.locator("script").count(), 2, "no script element was added");
      // Library frames fold; the group row and the switch show them.
      const group = page.locator(".calltree .group-row");
      assert.equal(await group.count(), 1);
      assert.match((await group.textContent())!, /\[2 frames hidden\]/);
      assert.equal(await page.locator(".calltree .name", { hasText: /^libMiddle$/ }).count(), 0);
      await group.click();
      assert.equal(await page.locator(".calltree .name", { hasText: /^libMiddle$/ }).count(), 1);
      await group.click();
      await page.click("label.toggle:has-text('Library frames') input");
      assert.equal(await page.locator(".calltree .name", { hasText: /^libMiddle$/ }).count(), 1);
      // Tooltips, the functions table and the sandwich show the names as text too.
      await show(page, "flame");
      const canvas = page.locator(".panel-flame canvas");
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + 20, box.y + 5);
      assert.equal(await page.locator(".panel-flame .tt-title").textContent(), HOSTILE_NAMES[0]);
      await show(page, "functions");
      const fns = await page.locator("table.functions tbody td.fn").allTextContents();
      for (const n of HOSTILE_NAMES) assert.ok(fns.includes(n));
      await page.locator("table.functions tbody tr", { has: page.locator("td.fn", { hasText: "<img" }) }).click();
      assert.equal(await page.locator(".sandwich-title .fn-name").textContent(), HOSTILE_NAMES[1]);
      // A second profile (a worker): chosen by a select whose options are text.
      assert.deepEqual(await page.locator("select option").allTextContents(), ["<b>main</b>", "worker <script>window.__pwned = 8</script>"]);
      await page.selectOption("select", "1");
      assert.equal(await page.textContent("table.functions tbody td.fn"), "workerMain");
      await show(page, "tree");
      assert.deepEqual(await page.locator(".calltree .row .name").allTextContents(), ["workerMain"]);
      await page.selectOption("select", "0");
      await page.fill("input.search", "</script>");
      await page.waitForFunction(() => /match/.test(document.querySelector(".search-info")?.textContent ?? ""));
      for (const v of VIEWS) await show(page, v);
      await page.screenshot({ path: join(SHOTS, "html-hostile-functions.png") });
      await assertClean(o);
    } finally {
      await o.context.close();
    }
  },
  { skip, timeoutMs: 120_000 },
);

test(
  "browser tests close Chromium and remove their files",
  async () => {
    await browser?.close();
    browser = undefined;
    if (work) rmSync(work, { recursive: true, force: true });
    work = undefined;
    recorded = undefined;
  },
  { skip },
);
