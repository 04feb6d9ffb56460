import { defineConfig } from "tsup";

// One ESM build for npm. Runtime modules stay external: `bun:jsc` and `node:*`
// must be resolved by the runtime at hand, and each backend is loaded lazily.
export const config = defineConfig([{
  entry: {
    mod: "mod.ts",
    cli: "src/cli/bin.ts",
    preload: "src/cli/child/preload.ts",
    deno_preload: "src/cli/child/deno_preload.ts",
    tree_preload: "src/cli/child/tree_preload.ts",
    bun_preload: "src/cli/child/bun_preload.ts",
    line_hooks: "src/cli/child/line_hooks.ts",
    await_marks_hooks: "src/cli/child/await_marks_hooks.ts",
    portable: "runtimes/portable/mod.ts",
    portable_node_hooks: "runtimes/portable/node_hooks.ts",
    esbuild: "runtimes/portable/esbuild_plugin.ts",
    format: "src/format/mod.ts",
    import: "src/import/mod.ts",
    render: "src/render/mod.ts",
    tree: "src/tree/mod.ts",
    backend: "runtimes/mod.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: {
    entry: {
      mod: "mod.ts",
      portable: "runtimes/portable/mod.ts",
      esbuild: "runtimes/portable/esbuild_plugin.ts",
      format: "src/format/mod.ts",
      import: "src/import/mod.ts",
      render: "src/render/mod.ts",
      tree: "src/tree/mod.ts",
      backend: "runtimes/mod.ts",
    },
  },
  splitting: true,
  clean: true,
  external: [/^node:/, /^bun:/],
  // Keep "node:": without it a bundler cannot tell "process" the builtin from
  // an npm package, and the library entry fails to bundle for the browser.
  removeNodeProtocol: false,
  // Deno loads the preloads of `tsprof -- deno ...` from this build, in the
  // user's project, where a bare "@jridgewell/..." resolves to nothing: the
  // source-map packages (small, and loaded only when mapping) go inside.
  noExternal: [/^@jridgewell\//],
}, {
  // CommonJS, for Node's --require: the one preload Node runs in every
  // worker, `eval` workers included (--import skips those).
  entry: { threads_preload: "src/cli/child/threads_preload.ts" },
  format: ["cjs"],
  outExtension: () => ({ js: ".cjs" }),
  shims: true,
  target: "node20",
  platform: "node",
  external: [/^node:/],
  removeNodeProtocol: false,
}]);

export default config;
