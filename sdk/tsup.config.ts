import { defineConfig } from 'tsup';

// src/hono.ts (the Fetch-API / Hono middleware) is not written yet; add it to `entry` when it is, so the
// "./hono" export in package.json resolves.
export default defineConfig({
  entry: { index: 'src/index.ts', 'key-format': 'src/key-format.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Neutral: no Node built-ins may sneak in, since key-format also runs in browsers, Deno and Bun.
  platform: 'neutral',
  treeshake: true,
});
