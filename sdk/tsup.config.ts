import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', hono: 'src/hono.ts', 'key-format': 'src/key-format.ts' },
  format: ['esm', 'cjs'],
  // Code splitting for CommonJS too (tsup only splits ESM by default): without it each .cjs entry bundles its own
  // copy of what it imports, so the error classes of `require('@tessera/sdk/hono')` were not those of
  // `require('@tessera/sdk')` and the middleware's `instanceof` checks failed on errors from the main entry's
  // client (Tessera unreachable answered 500 instead of 503). Split, the entries require shared chunks, as in ESM.
  // (tsup has esbuild split as ESM, then turns each file into CommonJS; here in its rollup `treeshake` pass.)
  splitting: true,
  // The generated API types live in the private @tessera/spec workspace package: bundle them into the
  // declarations so that the published types import nothing but openapi-fetch (and hono, for ./hono).
  // The path mapping points the declaration bundler straight at the generated file (its resolver does not read
  // package.json `exports`); tsc and vitest keep resolving `@tessera/spec/types` through the workspace package.
  dts: {
    resolve: [/^@tessera\/spec/],
    compilerOptions: { paths: { '@tessera/spec/types': ['../spec/generated/schema.d.ts'] } },
  },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Neutral: no Node built-ins may sneak in, since the SDK also runs in browsers, Deno and Bun.
  platform: 'neutral',
  // hono is an optional peer dependency: imported by ./hono only, never bundled.
  external: ['hono'],
  treeshake: true,
});
