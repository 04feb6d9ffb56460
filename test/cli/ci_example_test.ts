// The CI recipe of docs/ci.md end to end: examples/ci/tsprof-ci.sh run as the
// GitHub Actions job in examples/ci/github-actions.yml runs it, with the
// variables Actions sets, in a fresh project whose `npm test` is profiled:
// first on the base branch, then on a pull request that changes nothing,
// one that doubles a function's work, and one that breaks a budget.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { ROOT, run, tsprofArgv } from "../_cli.ts";

const CI = join(ROOT, "examples/ci");

const WORK = `// Counted work, as a test suite or benchmark would do.
function spin(rounds) {
  let x = 0;
  for (let i = 0; i < rounds; i++) x = (x + Math.sqrt(i * 7 + x)) % 1e9;
  return x;
}
const slow = process.env.SLOW_PARSE === "1" ? 2 : 1;
function parseConfig() { return spin(1_000_000 * slow); }
function renderPage() { return spin(1_000_000); }
function compute() { return spin(2_000_000); }
let sink = 0;
for (let round = 0; round < 30; round++) sink += parseConfig() + renderPage() + compute();
if (sink === -1) console.log(sink);
console.log("tests passed");
`;

/** Runs the CI script in `project` as the "Profile the tests" step does; returns its status and the job summary. */
function step(project: string, env: Record<string, string> = {}): { status: number | null; summary: string; stderr: string } {
  const summary = join(project, `summary-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(summary, "");
  const r = run(["bash", join(CI, "tsprof-ci.sh"), "npm", "test"], {
    cwd: project,
    env: {
      // What GitHub Actions sets for a step.
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: project,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: "octo/app",
      RUNNER_TEMP: tmpdir(),
      TSPROF: tsprofArgv().join(" "),
      TSPROF_MAX_REGRESSION: "10%",
      npm_config_update_notifier: "false",
      ...env,
    },
  });
  return { status: r.status, summary: readFileSync(summary, "utf8"), stderr: r.stdout + r.stderr };
}

test("the GitHub Actions recipe profiles npm test, writes the reports and the summary, and fails on a regression or a broken budget", () => {
  const project = mkdtempSync(join(tmpdir(), "tsprof-ci-"));
  try {
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module", scripts: { test: "node work.mjs" } }));
    writeFileSync(join(project, "work.mjs"), WORK);
    writeFileSync(join(project, "tsprof-budgets.json"), JSON.stringify({ maxTotal: "10min", max: { parseConfig: "10min" } }));

    // The base branch: no base profile yet; the profile is kept as the artifact.
    const main = step(project);
    assert.equal(main.status, 0, main.stderr);
    const out = join(project, "tsprof-out");
    for (const f of ["profile.tsprof", "report.html"]) assert.ok(existsSync(join(out, f)), f);
    assert.ok(!existsSync(join(out, "diff.html")), "no diff without a base");
    const mainHtml = micromark(main.summary, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    assert.match(mainHtml, /<h3>tsprof: <code>npm test<\/code>/);
    assert.match(mainHtml, /<code>parseConfig<\/code>/);
    assert.match(main.summary, /### tsprof check: all 2 budgets kept/);
    // The download step puts the base branch's profile here.
    mkdirSync(join(project, "base"));
    copyFileSync(join(out, "profile.tsprof"), join(project, "base/profile.tsprof"));

    const same = step(project);
    assert.equal(same.status, 0, `${same.stderr}\n${same.summary}`);
    assert.ok(existsSync(join(out, "diff.html")));
    assert.match(same.summary, /### tsprof diff: /);
    assert.match(same.summary, /### tsprof check: all 3 budgets kept/);

    const slower = step(project, { SLOW_PARSE: "1" });
    assert.equal(slower.status, 1, `${slower.stderr}\n${slower.summary}`);
    assert.match(slower.summary, /\*\*Biggest changes\*\*[\s\S]*`parseConfig`/);
    assert.match(slower.summary, /- ❌ .*parseConfig.*: \+\d+/);
    assert.match(slower.stderr, /FAIL .*parseConfig/, "the verdict is in the job's log too");

    writeFileSync(join(project, "tsprof-budgets.json"), JSON.stringify({ max: { parseConfig: "1ms" } }));
    rmSync(join(project, "base"), { recursive: true });
    const broken = step(project);
    assert.equal(broken.status, 1, broken.stderr);
    assert.match(broken.summary, /- ❌ parseConfig: .*over its max of 1 ms/);

    // The workflow runs this script, with the variables this test sets, and uploads what it writes.
    const workflow = readFileSync(join(CI, "github-actions.yml"), "utf8");
    assert.match(workflow, /run: bash \.github\/scripts\/tsprof-ci\.sh npm test/);
    assert.match(workflow, /TSPROF_MAX_REGRESSION: 10%/);
    for (const path of ["tsprof-out/report.html", "tsprof-out/diff.html", "tsprof-out/profile.tsprof"]) assert.ok(workflow.includes(path), path);
    assert.match(workflow, /--name tsprof-profile --dir base/);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}, { timeoutMs: 300_000, skip: detectRuntime() === "node" ? false : "the recipe runs tsprof on Node; the other runtimes' diff and check are tested in diff_cli_test.ts" });
