/**
 * The SDK's promise to run on Deno and Bun, kept by running its built ESM bundle in both (their
 * Linux binaries come from the npm registry as optional dependencies of this private workspace)
 * against a real reference server.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, listen, openMemoryStore, type RunningServer } from '@tessera/server';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const smoke = join(here, '..', 'runtimes', 'smoke.mjs');

function binary(pkg: string, file: string): string {
  const path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
  if (!existsSync(path)) throw new Error(`${pkg} is installed without ${file}; run npm ci on Linux x64`);
  return path;
}

let server: RunningServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!existsSync(join(here, '..', '..', 'sdk', 'dist', 'index.js'))) throw new Error('sdk/dist is missing: build the SDK first (npm run build -w @tessera/sdk; turbo does this before tests)');
  const store = openMemoryStore();
  const boot = (await bootstrap(store, new Date()))!;
  server = await listen({ store });
  env = { ...process.env, TESSERA_BASE_URL: server.url, TESSERA_API_KEY: boot.token!, TESSERA_WORKSPACE_ID: boot.workspace.id, NO_COLOR: '1' };
});
afterAll(async () => server?.close());

const expected = { me: 'member_token', wellFormed: true, verify: 'valid', notFound: 'NotFoundError' };

describe('the built SDK in other runtimes', () => {
  it('runs on Bun', async () => {
    const bun = binary('@oven/bun-linux-x64', 'bin/bun');
    const { stdout } = await run(bun, [smoke], { env, cwd: here, timeout: 30_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(expected);
  });

  it('runs on Deno', async () => {
    const deno = binary('@deno/linux-x64-glibc', 'deno');
    const { stdout } = await run(deno, ['run', '--allow-net', '--allow-env', '--allow-read', '--node-modules-dir=manual', smoke], { env: { ...env, DENO_NO_UPDATE_CHECK: '1' }, cwd: here, timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(expected);
  });

  it('runs on Node', async () => {
    const { stdout } = await run(process.execPath, [smoke], { env, cwd: here, timeout: 30_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(expected);
  });
});
