/**
 * Bundle size of the SDK as an application would ship it: each entry bundled with its dependencies
 * (openapi-fetch included; hono, an optional peer, left out), minified by esbuild, then gzipped.
 *
 *   npx tsx scripts/size.ts           # a table
 *   npx tsx scripts/size.ts --json    # machine-readable, for the benchmark
 *   npx tsx scripts/size.ts --check   # exit 1 when the core client exceeds its budget
 *
 * "core client" is what `import { Tessera } from '@tessera/sdk'` costs after tree-shaking: the client, every
 * resource, retries, errors, pagination and the key-format check. "index (everything)" keeps every export.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Budget for the core client, min+gzip. */
export const CORE_BUDGET_BYTES = 12 * 1024;

interface Measure {
  name: string;
  /** Source of a virtual entry module, resolved from the sdk directory. */
  contents: string;
}

const MEASURES: Measure[] = [
  { name: 'core client (Tessera)', contents: "export { Tessera } from './src/index.ts';" },
  { name: 'index (everything)', contents: "export * from './src/index.ts';" },
  { name: 'hono middleware', contents: "export * from './src/hono.ts';" },
  { name: 'key-format', contents: "export * from './src/key-format.ts';" },
];

export interface SizeResult {
  name: string;
  minified: number;
  gzip: number;
}

export async function measure(m: Measure): Promise<SizeResult> {
  const result = await build({
    stdin: { contents: m.contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'size-entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['tessera-source'],
    mainFields: ['module', 'main'],
    external: ['hono', 'hono/*'],
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { name: m.name, minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** Every measured bundle; the first is the core client. */
export function measureAll(): Promise<SizeResult[]> {
  return Promise.all(MEASURES.map(measure));
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} kB`;

async function main() {
  const results = await measureAll();
  const core = results[0]!;
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ budgetBytes: CORE_BUDGET_BYTES, results }, null, 2));
  } else {
    const width = Math.max(...results.map((r) => r.name.length));
    console.log(`${'bundle'.padEnd(width)}  ${'min'.padStart(10)}  ${'min+gzip'.padStart(10)}`);
    for (const r of results) console.log(`${r.name.padEnd(width)}  ${kb(r.minified).padStart(10)}  ${kb(r.gzip).padStart(10)}`);
    console.log(`\ncore client: ${kb(core.gzip)} min+gzip (budget ${kb(CORE_BUDGET_BYTES)}) ${core.gzip <= CORE_BUDGET_BYTES ? 'OK' : 'OVER BUDGET'}`);
  }
  if (process.argv.includes('--check') && core.gzip > CORE_BUDGET_BYTES) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
