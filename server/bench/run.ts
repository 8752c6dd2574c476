/**
 * `npm run bench`: throughput and latency of the hot paths against a bare route on the same
 * stack, measured in the same run, plus durable creations, start-up time and memory with a
 * 100,000-key store. Prints ratios against the baseline and the targets; it is a measurement,
 * not a test, and never fails the build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { seedDataDir, type Seeded } from './seed.js';
import { extraBenchmarks } from './extras.js';

const KEY_COUNT = Number(process.env.TESSERA_BENCH_KEYS ?? 100_000);
const DURATION_S = Number(process.env.TESSERA_BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

interface Measured {
  name: string;
  rps: number;
  p99: number;
  non2xx: number;
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; wallMs: number; openMs: number }> {
  const begin = performance.now();
  const child = spawn(process.execPath, ['--conditions=tessera-source', '--import', 'tsx', join(import.meta.dirname, 'server-process.ts'), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    const ready = JSON.parse(line) as { url: string; open_ms: number };
    const url = ready.url;
    // Ready means answering: wait for /healthz.
    while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 10));
    return { child, url, wallMs: Math.round(performance.now() - begin), openMs: ready.open_ms };
  }
  throw new Error('the benchmark server exited before it was ready');
}

async function load(name: string, options: autocannon.Options): Promise<Measured> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options });
  return { name, rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

function verifyRequests(seeded: Seeded): autocannon.Request[] {
  return seeded.targetKeys.map((key) => ({
    method: 'POST',
    path: '/v1/keys/verify',
    headers: { authorization: `Bearer ${seeded.verifierKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key, required_scopes: ['api_keys.read'] }),
  }));
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  try {
    const seedStart = performance.now();
    const seeded = await seedDataDir(dir, KEY_COUNT);
    console.log(`Seeded ${fmt(KEY_COUNT)} keys in ${fmt(performance.now() - seedStart)} ms (${dir})`);
    const { child, url, wallMs, openMs } = await startServer(dir);
    console.log(`Server ready in ${fmt(wallMs)} ms wall (process start to /healthz), ${fmt(openMs)} ms inside the process\n`);

    const auth = { authorization: `Bearer ${seeded.verifierKey}` };
    const baseline = await load('bare Hono route (baseline)', { url: `${url}/__bench/bare` });
    const verify = await load('POST /v1/keys/verify', { url, requests: verifyRequests(seeded) });
    const authGet = await load('GET api-keys/{id} (key-authenticated)', { url: `${url}/v1/workspaces/${seeded.workspaceId}/api-keys/${seeded.verifierKeyId}`, headers: auth });
    const creations = await load('POST api-keys (durable create)', {
      url: `${url}/v1/workspaces/${seeded.workspaceId}/api-keys`,
      method: 'POST',
      connections: 128,
      headers: { authorization: `Bearer ${seeded.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Benchmark creation' }),
    });
    const stats = (await fetch(`${url}/__bench/stats`).then((r) => r.json())) as { peak_rss_bytes: number };

    console.log('| measurement | req/s | p99 ms | ratio to baseline | target | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | --- | ---: |');
    for (const [m, target] of [[baseline, ''], [verify, '>= 0.60'], [authGet, '>= 0.60'], [creations, '>= 500 req/s']] as const) {
      const ratio = m.rps / baseline.rps;
      const met = target.startsWith('>= 0.6') ? (ratio >= 0.6 ? 'met' : 'MISSED') : target ? (m.rps >= 500 ? 'met' : 'MISSED') : '';
      console.log(`| ${m.name} | ${fmt(m.rps)} | ${fmt(m.p99)} | ${fmt(ratio, 2)} | ${target} ${met} | ${m.non2xx} |`);
    }
    const rssMb = stats.peak_rss_bytes / 1_048_576;
    console.log(`\nStart-up with ${fmt(KEY_COUNT)} keys: ${fmt(wallMs)} ms (target < 2000: ${wallMs < 2000 ? 'met' : 'MISSED'})`);
    console.log(`Server peak RSS: ${fmt(rssMb)} MB (target < 300: ${rssMb < 300 ? 'met' : 'MISSED'})`);

    for (const line of await extraBenchmarks({ url, seeded })) console.log(line);
    child.kill('SIGTERM');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
