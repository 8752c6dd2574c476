/**
 * Part of `scripts/check-dist.ts`, run by it in a plain `node` process (no tsx loader, fresh module cache):
 * loads the built package the way a consumer does, by its name through the package.json `exports` map, once
 * with `require` and once with `import`, and checks that its entries share one copy of the SDK.
 *
 * Each entry used to be bundled on its own in CommonJS, so `require('@tessera/sdk/hono')` carried its own
 * copies of the error classes and of `Tessera`: an `APIConnectionError` thrown by a client from
 * `require('@tessera/sdk')` was not `instanceof` the class the middleware checks, and Tessera being unreachable
 * was answered 500 `verification_failed` instead of 503 `verification_unavailable`.
 *
 * Prints `{ "problems": string[] }` as JSON on stdout.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const require = createRequire(import.meta.url);
const problems = [];

const ENTRIES = { index: '@tessera/sdk', hono: '@tessera/sdk/hono', 'key-format': '@tessera/sdk/key-format' };

async function load(format) {
  const modules = {};
  for (const [entry, specifier] of Object.entries(ENTRIES)) {
    const resolved = format === 'cjs' ? require.resolve(specifier) : fileURLToPath(import.meta.resolve(specifier));
    const expected = join(DIST, `${entry}.${format === 'cjs' ? 'cjs' : 'js'}`);
    if (resolved !== expected) problems.push(`${format}: ${specifier} resolves to ${resolved}, not ${expected}`);
    modules[entry] = format === 'cjs' ? require(specifier) : await import(specifier);
  }
  return modules;
}

/** Records a problem unless `response` is a 503 `verification_unavailable` (carrying `retryAfter`, when given). */
async function expectUnavailable(label, response, retryAfter) {
  const body = await response.json().catch(() => ({}));
  if (response.status !== 503 || body.code !== 'verification_unavailable') {
    problems.push(`${label}: answered ${response.status} ${body.code ?? ''}, expected 503 verification_unavailable`);
  } else if (retryAfter !== undefined && response.headers.get('retry-after') !== retryAfter) {
    problems.push(`${label}: Retry-After ${response.headers.get('retry-after')}, expected ${retryAfter} (Tessera's own)`);
  }
}

async function check(format) {
  const sdk = await load(format);
  const { Hono } = format === 'cjs' ? require('hono') : await import('hono');

  // 1. What two entries both export is one and the same object.
  for (const [entry, exports] of Object.entries(sdk)) {
    if (entry === 'index') continue;
    const copies = Object.keys(exports).filter((name) => name !== 'default' && name !== '__esModule' && name in sdk.index && exports[name] !== sdk.index[name]);
    if (copies.length) problems.push(`${format}: ${ENTRIES[entry]} exports copies of its own, not @tessera/sdk's: ${copies.join(', ')}`);
  }

  // 2. A KeyFormatError thrown by one entry is an instance of the class the other exports.
  let thrown;
  try {
    sdk['key-format'].parseApiKey('not a key');
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof sdk.index.KeyFormatError)) {
    problems.push(`${format}: @tessera/sdk/key-format parseApiKey('not a key') threw ${thrown?.name ?? 'nothing'}, not instanceof @tessera/sdk's KeyFormatError`);
  }

  // 3. tesseraAuth (from ./hono) and withTesseraAuth, given a client from `.` that cannot reach Tessera, or
  //    that Tessera answers 503, fail closed with 503 `verification_unavailable`, not 500.
  const key = sdk.index.generateApiKey({ environment: 'test' });
  const client = (fetch) =>
    new sdk.index.Tessera({ apiKey: sdk.index.generateApiKey({ environment: 'live' }), baseURL: 'http://tessera.invalid', maxRetries: 0, timeout: 5_000, fetch });
  const cases = [
    {
      name: 'Tessera unreachable (APIConnectionError)',
      client: client(async () => {
        throw new TypeError('fetch failed');
      }),
    },
    {
      name: 'Tessera answers 503 (APIError)',
      client: client(async () => new Response('{"status":503}', { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '7' } })),
      retryAfter: '7',
    },
    {
      name: "a verifier throwing @tessera/sdk's APIConnectionError",
      client: {
        keys: {
          verify: async () => {
            throw new sdk.index.APIConnectionError();
          },
        },
      },
    },
  ];
  for (const c of cases) {
    const headers = { authorization: `Bearer ${key}` };
    const app = new Hono();
    app.use('*', sdk.hono.tesseraAuth({ client: c.client }));
    app.get('/', (ctx) => ctx.text('ok'));
    await expectUnavailable(`${format}: @tessera/sdk/hono tesseraAuth, ${c.name}`, await app.request('/', { headers }), c.retryAfter);

    const handler = sdk.index.withTesseraAuth(() => new Response('ok'), { client: c.client });
    await expectUnavailable(`${format}: withTesseraAuth, ${c.name}`, await handler(new Request('http://localhost/', { headers })), c.retryAfter);
  }
}

for (const format of ['cjs', 'esm']) {
  try {
    await check(format);
  } catch (error) {
    problems.push(`${format}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
console.log(JSON.stringify({ problems }));
