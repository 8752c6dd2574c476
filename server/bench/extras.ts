/**
 * The benchmarks of the other parts, measured in the same run: the SDK's overhead against a
 * raw fetch to the same server, the SDK bundle size, and the audit log on a million events.
 */
import { measureAll } from '../../sdk/scripts/size.js';
import { benchAuditExport, benchAuditQuery } from '../src/audit/bench-support.js';
import type { Seeded } from './seed.js';

const AUDIT_EVENTS = Number(process.env.TESSERA_BENCH_AUDIT_EVENTS ?? 1_000_000);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Ms per call of each of `calls`, batch by batch. Within a batch the calls take turns, one call of
 * each in turn, in an order that reverses every turn, so that all sides see the same machine load
 * and none always follows the same one; ratios are then taken within a batch and their median
 * reported, which a moment of load elsewhere on the machine does not move.
 */
async function interleaved(calls: Record<string, () => Promise<unknown>>, batches: number, perBatch: number): Promise<Record<string, number[]>> {
  const forward = Object.entries(calls);
  const backward = [...forward].reverse();
  const perBatchMs: Record<string, number[]> = Object.fromEntries(forward.map(([name]) => [name, []]));
  for (let b = 0; b < batches; b++) {
    const totals = new Map(forward.map(([name]) => [name, 0]));
    for (let i = 0; i < perBatch; i++) {
      for (const [name, call] of i % 2 === 0 ? forward : backward) {
        const start = performance.now();
        await call();
        totals.set(name, totals.get(name)! + performance.now() - start);
      }
    }
    for (const [name, total] of totals) perBatchMs[name]!.push(total / perBatch);
  }
  return perBatchMs;
}

/**
 * The SDK as its users get it: the package's build, not the TypeScript sources this process runs
 * on (`npm run bench` builds it first).
 */
async function builtSdk(): Promise<typeof import('@tessera/sdk')> {
  return (await import(new URL('../../sdk/dist/index.js', import.meta.url).href)) as typeof import('@tessera/sdk');
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const medianRatio = (of: number[], to: number[]) => median(of.map((value, i) => value / to[i]!));

export async function extraBenchmarks({ url, seeded }: { url: string; seeded: Seeded }): Promise<string[]> {
  const lines: string[] = ['', '## SDK'];
  const { Tessera, IDEMPOTENCY_KEY_HEADER, RETRY_COUNT_HEADER, generateIdempotencyKey } = await builtSdk();
  const tessera = new Tessera({ apiKey: seeded.verifierKey, baseURL: url, workspaceId: seeded.workspaceId });
  const body = { key: seeded.targetKeys[0]!, required_scopes: ['api_keys.read'] };
  const raw = async () => {
    const res = await fetch(`${url}/v1/keys/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seeded.verifierKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json();
  };
  // The SDK sends an Idempotency-Key on every POST (so retries are safe), which costs the server
  // a fingerprint and a stored response; the second raw variant sends one too, to separate the
  // client's own cost from that deliberate server-side work.
  let n = 0;
  const rawIdempotent = async () => {
    const res = await fetch(`${url}/v1/keys/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seeded.verifierKey}`, 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${n++}` },
      body: JSON.stringify(body),
    });
    return res.json();
  };
  // The least any client doing what the SDK issue asks must do per call, written by hand: the SDK's
  // headers (a fresh Idempotency-Key, the retry count, Accept, User-Agent) and a per-attempt timeout,
  // which needs an AbortController linked to the request and a timer. What the SDK costs beyond it is
  // openapi-fetch's and the SDK's own work.
  const protocolFloor = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    const res = await fetch(`${url}/v1/keys/verify`, {
      method: 'POST',
      headers: {
        accept: 'application/json, application/problem+json',
        'user-agent': 'tessera-sdk/bench',
        authorization: `Bearer ${seeded.verifierKey}`,
        'content-type': 'application/json',
        [IDEMPOTENCY_KEY_HEADER]: generateIdempotencyKey(),
        [RETRY_COUNT_HEADER]: '0',
      },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    clearTimeout(timer);
    return res.json();
  };
  const calls = { raw, rawIdempotent, protocolFloor, sdk: () => tessera.keys.verify(body) };
  await interleaved(calls, 2, 50); // warm-up
  const batches = await interleaved(calls, 30, 40);
  const ms = (name: keyof typeof calls) => fmt(median(batches[name]!), 3);
  const ratio = (of: keyof typeof calls, to: keyof typeof calls) => fmt(medianRatio(batches[of]!, batches[to]!), 2);
  const overhead = medianRatio(batches.sdk!, batches.raw!);
  lines.push(`keys.verify through the SDK: ${ms('sdk')} ms per call vs raw fetch ${ms('raw')} ms (medians of 30 batches): ratio ${fmt(overhead, 3)} (target <= 1.20: ${overhead <= 1.2 ? 'met' : 'MISSED'})`);
  lines.push(`  against a raw fetch that also sends an Idempotency-Key (${ms('rawIdempotent')} ms): ratio ${ratio('sdk', 'rawIdempotent')}`);
  lines.push(`  the protocol floor (a raw fetch with the SDK's headers and a timeout signal, ${ms('protocolFloor')} ms) is ${ratio('protocolFloor', 'raw')} of raw fetch; the SDK is ${ratio('sdk', 'protocolFloor')} of the floor`);
  for (const size of await measureAll()) lines.push(`bundle ${size.name}: ${fmt(size.minified / 1024, 2)} kB min, ${fmt(size.gzip / 1024, 2)} kB min+gzip`);

  lines.push('', `## Audit log (${fmt(AUDIT_EVENTS)} events)`);
  const query = await benchAuditQuery({ events: AUDIT_EVENTS });
  lines.push(`opening the log the first time (read every segment, build the index): ${fmt(query.firstLoadMs)} ms`);
  lines.push(`opening it again, as a restarted server does (from the segment summaries): ${fmt(query.loadMs)} ms; index ${fmt(query.indexBytes / 1_048_576, 1)} MB`);
  for (const q of query.queries) lines.push(`first page, ${q.name}: ${fmt(q.ms, 2)} ms (${q.returned} events; target < 100: ${q.ms < 100 ? 'met' : 'MISSED'})`);
  const exported = await benchAuditExport({ events: AUDIT_EVENTS, format: 'csv' });
  const growth = exported.peakRssGrowthMb;
  lines.push(`full CSV export: ${fmt(exported.ms)} ms, ${fmt(exported.bytes / 1_048_576)} MB, peak RSS growth ${fmt(growth, 1)} MB (target < 100: ${growth < 100 ? 'met' : 'MISSED'})`);
  return lines;
}
