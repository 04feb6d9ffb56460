import { defineConfig } from "tsup";

// One ESM build for npm. Runtime modules stay external: `bun:jsc` and `node:*`
// must be resolved by the runtime at hand, and each backend is loaded lazily.
export const config = defineConfig({
  entry: {
    mod: "mod.ts",
    cli: "src/cli/bin.ts",
    preload: "src/cli/preload.ts",
    deno_preload: "src/cli/deno_preload.ts",
    tree_preload: "src/cli/tree_preload.ts",
    bun_preload: "src/cli/bun_preload.ts",
    line_hooks: "src/cli/line_hooks.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { entry: { mod: "mod.ts" } },
  splitting: true,
  clean: true,
  external: [/^node:/, /^bun:/],
});

export default config;
