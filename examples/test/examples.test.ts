/**
 * Runs every example against the reference server, in process on 127.0.0.1 with a free port (memory
 * store, bootstrapped admin): each program's `main(env)` and its summary, two of them as real child
 * processes (exit status), and `curl/seeds.sh` with and without jq on the PATH.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Tessera, isWellFormedKey } from '@tessera/sdk';
import { bootstrap, listen, openMemoryStore, systemClock, type RunningServer, type TesseraStore } from '@tessera/server';
// Not a public export: the test builds the app's event pipeline itself to learn the export-signing secret.
import { createMemoryPipeline, type EventPipeline } from '@tessera/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auditExport from '../audit-export-to-siem/index.js';
import * as batch from '../batch-ingestion-with-retries/index.js';
import * as ciCd from '../ci-cd-pipeline-key/index.js';
import * as monitoring from '../monitoring-dashboard/index.js';
import * as protect from '../protect-your-api/index.js';
import * as rotation from '../zero-downtime-rotation/index.js';

const run = promisify(execFile);
const examplesDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoDir = dirname(examplesDir);

let store: TesseraStore;
let pipeline: EventPipeline;
let server: RunningServer;
let admin: Tessera;
let env: NodeJS.ProcessEnv;
let workDir: string;

/** Runs an example's main with the server's env plus `extra`, collecting what it prints. */
async function runMain<T>(main: (env: NodeJS.ProcessEnv, log: (line: string) => void) => Promise<T>, extra: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const result = await main({ ...env, ...extra }, (line) => lines.push(line));
  return { result, lines, output: lines.join('\n') };
}

async function keysNamed(name: string) {
  const found = [];
  for await (const key of admin.apiKeys.list({ limit: 100 })) if (key.name === name) found.push(key);
  return found;
}

beforeAll(async () => {
  store = openMemoryStore();
  const boot = await bootstrap(store, new Date());
  if (!boot?.token) throw new Error('bootstrap did not create an admin');
  pipeline = createMemoryPipeline({ store, clock: systemClock });
  server = await listen({ store, pipeline, logError: () => {} });
  env = { TESSERA_BASE_URL: server.url, TESSERA_API_KEY: boot.token, TESSERA_WORKSPACE_ID: boot.workspace.id };
  admin = new Tessera({ apiKey: boot.token, baseURL: server.url, workspaceId: boot.workspace.id });
  workDir = await mkdtemp(join(tmpdir(), 'tessera-examples-'));
});

afterAll(async () => {
  await server?.close();
  await pipeline?.close();
  await store?.close();
});

describe('ci-cd-pipeline-key', () => {
  it('creates a narrow, expiring key, writes it only to the secret file, and verifies it', async () => {
    const secretFile = join(workDir, 'deploy.key');
    const { result, lines, output } = await runMain(ciCd.main, { TESSERA_SECRET_FILE: secretFile });

    const key = (await readFile(secretFile, 'utf8')).trim();
    expect(isWellFormedKey(key)).toBe(true);
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect(key.startsWith(result.keyPrefix)).toBe(true);
    expect(output).not.toContain(key);
    expect(output).toContain(result.keyPrefix);
    expect(lines).toEqual(expect.arrayContaining(['catalog: added workflows.execute', 'catalog: added runs.read']));
    expect(result.verdicts.map((v) => v.code)).toEqual(['valid', 'valid', 'insufficient_scope']);

    const stored = await admin.apiKeys.get(result.keyId);
    expect(stored).toMatchObject({ name: 'staging-ci-cd-pipeline', status: 'active', rate_limit: { requests_per_minute: 100, burst: 20 } });
    expect([...stored.scopes].sort()).toEqual(['runs.read', 'workflows.execute']);
    const days = (Date.parse(stored.expires_at!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
  });

  it('runs again on the same workspace, and without a secret file prints the key exactly once', async () => {
    const { result, lines } = await runMain(ciCd.main);
    expect(result.secretFile).toBeNull();
    expect(lines).toContain('catalog: workflows.execute is already there');
    const withKey = lines.filter((line) => /sk_live_[A-Za-z0-9]{36}/.test(line));
    expect(withKey).toHaveLength(1);
    expect(withKey[0]).toMatch(/^store this secret now/);
  });
});

describe('batch-ingestion-with-retries', () => {
  it('hits 429 past the limit and rides it out with the SDK retries, same Idempotency-Key each time', async () => {
    const { result, output } = await runMain(batch.main);
    expect(result).toMatchObject({ documents: 62, accepted: 62 });
    expect(result.rateLimited).toBeGreaterThanOrEqual(1);
    expect(result.requests).toBe(62 + result.rateLimited);
    expect(result.retried.length).toBeGreaterThanOrEqual(1);
    for (const { attempts } of result.retried) {
      expect(attempts.at(-1)!.status).toBe(200);
      expect(attempts.slice(0, -1).every((a) => a.status === 429 && Number(a.retryAfter) >= 1)).toBe(true);
      expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    }
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(output).toMatch(/attempt 1: 429 \(Retry-After 1 s\), attempt 2: 200/);
    // It tidies up after itself.
    for (const name of ['ingestion-endpoint-verifier', 'prod-data-ingestion-api']) {
      expect((await keysNamed(name)).map((k) => k.status)).toEqual(['revoked']);
    }
  });
});

describe('monitoring-dashboard', () => {
  it('reads the last day of metrics with a read-only key and sums the Prometheus text', async () => {
    // Some traffic of its own: two good verifications and one of a revoked key.
    const key = await admin.apiKeys.create({ name: 'monitored', scopes: ['metrics.read'], expires_in: '30d' });
    await admin.keys.verify({ key: key.key });
    await admin.keys.verify({ key: key.key });
    await admin.apiKeys.revoke(key.id);
    await admin.keys.verify({ key: key.key });

    const { result, output } = await runMain(monitoring.main);
    expect(result.dashboardScopes.sort()).toEqual(['audit_logs.read', 'metrics.read']);
    expect(await admin.apiKeys.get(result.dashboardKeyId)).toMatchObject({ expires_at: null, status: 'active' });
    expect(result.buckets).toBeGreaterThanOrEqual(24);
    expect(result.totals.used).toBeGreaterThanOrEqual(2);
    expect(result.totals.failed_auth).toBeGreaterThanOrEqual(1);
    expect(result.prometheus.requestsByStatus['200']).toBeGreaterThan(0);
    expect(result.prometheus.keysByStatus.active).toBeGreaterThanOrEqual(1);
    expect(result.prometheus.keysByStatus.revoked).toBeGreaterThanOrEqual(1);
    expect(output).toMatch(/^total\s+\d+\s+\d+\s+\d+/m);
  });

  it('sumByLabel adds up a metric by one label', () => {
    const text = ['# TYPE x counter', 'x{method="GET",status="200"} 2', 'x{method="POST",status="200"} 3', 'x{status="401"} 1', 'xy{status="200"} 9'].join('\n');
    expect(monitoring.sumByLabel(text, 'x', 'status')).toEqual({ '200': 5, '401': 1 });
  });
});

describe('zero-downtime-rotation', () => {
  it('keeps both keys valid during the grace period, then only the new one', async () => {
    const { result } = await runMain(rotation.main);
    expect(result.duringGrace).toEqual({ old: 'valid', new: 'valid' });
    expect(result.afterRevoke).toEqual({ old: 'revoked', new: 'valid' });
    const grace = (Date.parse(result.graceEndsAt!) - Date.now()) / 1000;
    expect(grace).toBeGreaterThan(3500);
    expect(grace).toBeLessThanOrEqual(3600);
    expect(await admin.apiKeys.get(result.oldKeyId)).toMatchObject({ status: 'revoked', rotated_to: result.newKeyId });
    expect(await admin.apiKeys.get(result.newKeyId)).toMatchObject({ status: 'active', rotated_from: result.oldKeyId, name: 'billing-service' });
  });
});

describe('audit-export-to-siem', () => {
  it('lists, downloads CEF and CSV, and receives a signed webhook export', async () => {
    const dir = join(workDir, 'audit');
    const secret = pipeline.exports.signingSecret(env.TESSERA_WORKSPACE_ID!);
    const { result } = await runMain(auditExport.main, { AUDIT_EXPORT_DIR: dir, TESSERA_EXPORT_SIGNING_SECRET: secret });

    expect(result.listed.length).toBeGreaterThan(0);
    expect(result.listed.map((e) => e.type)).toContain('api_key.created');
    expect(result.listed.every((e) => ['api_key.created', 'api_key.rotated', 'api_key.revoked', 'api_key.failed_auth'].includes(e.type))).toBe(true);

    expect(result.files).toEqual({ cef: join(dir, 'tessera-audit.cef'), csv: join(dir, 'tessera-audit.csv') });
    const cef = await readFile(result.files.cef, 'utf8');
    const csv = await readFile(result.files.csv, 'utf8');
    expect(cef).toMatch(/^CEF:0\|Tessera\|Tessera\|[^|]+\|api_key\.rotated\|/m);
    expect(csv.split('\n')[0]).toMatch(/^id,/);
    expect(result.csvRows).toBeGreaterThanOrEqual(result.cefLines);
    expect(cef + csv).not.toMatch(/sk_live_[A-Za-z0-9]{36}/);

    expect(result.webhook.signature).toBe('valid');
    expect(result.webhook.export).toMatchObject({ status: 'succeeded', format: 'ndjson', attempts: 1 });
    expect(result.webhook.events).toBe(result.webhook.export.event_count);
    expect(result.webhook.events).toBeGreaterThan(0);
    expect(result.intact).toBe(true);
  });

  it('fails when the delivery is not signed with the given secret', async () => {
    await expect(runMain(auditExport.main, { AUDIT_EXPORT_DIR: join(workDir, 'audit-2'), TESSERA_EXPORT_SIGNING_SECRET: 'whsec_wrong' })).rejects.toThrow(/signature invalid/);
  });

  it('verifyTesseraSignature refuses a changed body and an old timestamp', () => {
    const now = Date.now();
    const sign = (t: number, body: string) => `t=${t},v1=${createHmac('sha256', 's3cret').update(`${t}.${body}`).digest('hex')}`;
    const t = Math.floor(now / 1000);
    expect(auditExport.verifyTesseraSignature('{"a":1}', sign(t, '{"a":1}'), 's3cret', now)).toBe(true);
    expect(auditExport.verifyTesseraSignature('{"a":2}', sign(t, '{"a":1}'), 's3cret', now)).toBe(false);
    expect(auditExport.verifyTesseraSignature('{"a":1}', sign(t - 301, '{"a":1}'), 's3cret', now)).toBe(false);
    expect(auditExport.verifyTesseraSignature('{"a":1}', null, 's3cret', now)).toBe(false);
  });
});

describe('protect-your-api', () => {
  it('serves a Hono app on 127.0.0.1: 200 with the scope, 403 without it, 401 without a key', async () => {
    const { result } = await runMain(protect.main);
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.calls.map((c) => [c.status, c.code])).toEqual([
      [200, null],
      [403, 'insufficient_scope'],
      [401, 'missing_credentials'],
    ]);
    expect(Number(result.calls[0]!.remaining)).toBeGreaterThan(0);
    // The server is closed afterwards.
    await expect(fetch(`${result.url}/workflows/x/run`, { method: 'POST' })).rejects.toThrow();
  });
});

describe('as programs', () => {
  const tsx = ['--conditions=tessera-source', '--import', 'tsx'];

  it('exits 0 and prints what it does', async () => {
    const { stdout } = await run(process.execPath, [...tsx, 'examples/zero-downtime-rotation/index.ts'], { cwd: repoDir, env: { ...process.env, ...env } });
    expect(stdout).toMatch(/after revoking the old key: old key revoked, new key valid/);
  });

  it('exits non-zero with a clear message when the credential is missing', async () => {
    const childEnv = { ...process.env, ...env };
    delete childEnv.TESSERA_API_KEY;
    const failure = await run(process.execPath, [...tsx, 'examples/ci-cd-pipeline-key/index.ts'], { cwd: repoDir, env: childEnv }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/TESSERA_API_KEY/);
  });
});

describe('curl/seeds.sh', () => {
  const script = join(examplesDir, 'curl', 'seeds.sh');

  function expectFlows(stdout: string) {
    for (const line of [
      'ok: verify for workflows.execute: valid',
      'ok: verify for api_keys.write: insufficient_scope',
      'ok: old key during the grace period: valid',
      'ok: DELETE the old key: revoked',
      'ok: old key after DELETE: revoked',
      'ok: GET /v1/me with the old key: 401',
      'ok: new key after revoke: revoked',
      'ok: the CSV export holds the rotation',
    ]) {
      expect(stdout).toContain(line);
    }
    expect(stdout.trimEnd().endsWith('done')).toBe(true);
    expect(stdout).not.toMatch(/sk_live_[A-Za-z0-9]{36}/);
  }

  it('runs the seeds\' flows with curl (jq used when installed)', async () => {
    const outDir = join(workDir, 'curl-1');
    await mkdir(outDir);
    const { stdout } = await run('bash', [script], { env: { ...process.env, ...env, OUT_DIR: outDir } });
    expectFlows(stdout);
    expect(await readdir(outDir)).toEqual(['tessera-audit.cef', 'tessera-audit.csv']);
  });

  it('runs without jq on the PATH and without TESSERA_WORKSPACE_ID', async () => {
    // A PATH holding every command of the current one except jq.
    const bin = join(workDir, 'bin-without-jq');
    await mkdir(bin);
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (name !== 'jq') await symlink(join(dir, name), join(bin, name)).catch(() => {});
      }
    }
    await expect(run('bash', ['-c', 'command -v jq'], { env: { PATH: bin } })).rejects.toMatchObject({ code: 1 });

    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PATH: bin, OUT_DIR: join(workDir, 'curl-2') };
    delete childEnv.TESSERA_WORKSPACE_ID;
    await mkdir(childEnv.OUT_DIR!);
    const { stdout } = await run('bash', [script], { env: childEnv });
    expect(stdout).toContain(`workspace ${env.TESSERA_WORKSPACE_ID} on ${server.url}`);
    expectFlows(stdout);
  });
});
