/**
 * `npm run bench`: throughput and latency of the hot paths against a bare route on the same
 * stack, measured in the same run, plus durable creations, start-up time and memory with a
 * 100,000-key store. Prints ratios against the baseline and the targets; it is a measurement,
 * not a test, and never fails the build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { seedDataDir, type Seeded } from './seed.js';
import { AUDIT_DIR } from '../src/audit/index.js';
import { extraBenchmarks, median, medianRatio } from './extras.js';

const KEY_COUNT = Number(process.env.TESSERA_BENCH_KEYS ?? 100_000);
const DURATION_S = Number(process.env.TESSERA_BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;
const ROUNDS = Number(process.env.TESSERA_BENCH_ROUNDS ?? 3);

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

function verifyRequests(seeded: Seeded, path = '/v1/keys/verify'): autocannon.Request[] {
  return seeded.targetKeys.map((key) => ({
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${seeded.verifierKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key, required_scopes: ['api_keys.read'] }),
  }));
}

/** Lines in the audit log's segments: one event each. */
async function auditEventsOnDisk(dataDir: string): Promise<number> {
  let lines = 0;
  const root = join(dataDir, AUDIT_DIR);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ndjson')) continue;
    const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  }
  return lines;
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
    // The loads run in rounds, each measurement right after its baseline, and each ratio is taken
    // within a round: on a shared machine the load drifts, and a ratio of neighbours drifts less.
    const loads = {
      bareGet: () => load('bare GET route (baseline)', { url: `${url}/__bench/bare` }),
      barePost: () => load('bare POST route, same body as verify (baseline)', { url, requests: verifyRequests(seeded, '/__bench/bare') }),
      verifyFloor: () => load('floor of verify: lookups, event lines, same answer, no checks', { url, requests: verifyRequests(seeded, '/__bench/floor/verify') }),
      verify: () => load('POST /v1/keys/verify', { url, requests: verifyRequests(seeded) }),
      authGet: () => load('GET api-keys/{id} (key-authenticated)', { url: `${url}/v1/workspaces/${seeded.workspaceId}/api-keys/${seeded.verifierKeyId}`, headers: auth }),
      authGetFloor: () => load('floor of the GET: lookups, an event line, same answer, no checks', { url: `${url}/__bench/floor/keys/${seeded.verifierKeyId}`, headers: auth }),
    };
    const runs: Record<keyof typeof loads, Measured[]> = { bareGet: [], barePost: [], verifyFloor: [], verify: [], authGet: [], authGetFloor: [] };
    let verifyEvents = 0;
    for (let round = 0; round < ROUNDS; round++) {
      runs.bareGet.push(await loads.bareGet());
      runs.barePost.push(await loads.barePost());
      runs.verifyFloor.push(await loads.verifyFloor());
      const eventsBefore = await auditEventsOnDisk(dir);
      runs.verify.push(await loads.verify());
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // the audit log writes within a second
      verifyEvents += (await auditEventsOnDisk(dir)) - eventsBefore;
      runs.authGet.push(await loads.authGet());
      runs.authGetFloor.push(await loads.authGetFloor());
    }
    const creations = await load('POST api-keys (durable create)', {
      url: `${url}/v1/workspaces/${seeded.workspaceId}/api-keys`,
      method: 'POST',
      connections: 128,
      headers: { authorization: `Bearer ${seeded.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Benchmark creation' }),
    });
    const stats = (await fetch(`${url}/__bench/stats`).then((r) => r.json())) as { peak_rss_bytes: number };

    // Verify is a POST with a JSON body: its like-for-like baseline is a bare route receiving the
    // same request. The ratio to the bare GET is printed for every row too.
    console.log(`Medians of ${ROUNDS} rounds of ${DURATION_S} s per load (${CONNECTIONS} connections):\n`);
    console.log('| measurement | req/s | p99 ms | ratio to its baseline | target | ratio to bare GET | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | --- | ---: | ---: |');
    const ratio = (of: Measured[], against: Measured[]) => medianRatio(of.map((m) => m.rps), against.map((m) => m.rps));
    // Each row: the series, its baseline, its target, and whether it is compared with the bare GET too.
    const rows: Array<[Measured[], Measured[] | undefined, string, boolean]> = [
      [runs.bareGet, undefined, '', false],
      [runs.barePost, undefined, '', true],
      [runs.verifyFloor, runs.barePost, '', true],
      [runs.verify, runs.barePost, '>= 0.60', true],
      [runs.authGetFloor, runs.bareGet, '', true],
      [runs.authGet, runs.bareGet, '>= 0.60', true],
      [[creations], undefined, '>= 500 req/s', false],
    ];
    for (const [series, against, target, vsBareGet] of rows) {
      const rps = median(series.map((m) => m.rps));
      const toBaseline = against ? ratio(series, against) : undefined;
      const met = !target ? '' : toBaseline !== undefined ? (toBaseline >= 0.6 ? 'met' : 'MISSED') : rps >= 500 ? 'met' : 'MISSED';
      const toBareGet = vsBareGet ? fmt(ratio(series, runs.bareGet), 2) : '';
      const non2xx = series.reduce((sum, m) => sum + m.non2xx, 0);
      console.log(`| ${series[0]!.name} | ${fmt(rps)} | ${fmt(median(series.map((m) => m.p99)))} | ${toBaseline === undefined ? '' : fmt(toBaseline, 2)} | ${target} ${met} | ${toBareGet} | ${non2xx} |`);
    }
    // A floor skips every check Tessera makes: what the route could reach on this machine at best.
    console.log(`\nShare of their floors: verify ${fmt(ratio(runs.verify, runs.verifyFloor), 2)}, the key-authenticated GET ${fmt(ratio(runs.authGet, runs.authGetFloor), 2)}.`);
    const verifySeconds = ROUNDS * DURATION_S;
    console.log(`\nAudit events appended during the verify runs: ${fmt(verifyEvents)} (${fmt(verifyEvents / verifySeconds)} per second; two per verification: the verifier's use and the verified key's).`);
    const rssMb = stats.peak_rss_bytes / 1_048_576;
    console.log(`\nStart-up with ${fmt(KEY_COUNT)} keys: ${fmt(wallMs)} ms (target < 2000: ${wallMs < 2000 ? 'met' : 'MISSED'})`);
    console.log(`Server peak RSS: ${fmt(rssMb)} MB (target < 300: ${rssMb < 300 ? 'met' : 'MISSED'})`);

    for (const line of await extraBenchmarks({ url, seeded })) console.log(line);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited; // it flushes on the way out; removing its folder under it would race
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
