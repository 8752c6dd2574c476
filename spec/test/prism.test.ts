/**
 * `npm run mock`: the Prism mock started through its own script (scripts/mock.ts), on a free
 * port, once for this file. Every answer it gives must conform to the spec: the static examples,
 * the examples picked with `Prefer: example=…`, the statuses forced with `Prefer: code=…` and the
 * data generated with `Prefer: dynamic=true`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchAndWait, parseMockOptions, prismMockArgs, type LaunchedProcess } from '../scripts/mock.js';
import { openapi, operations, specValidator, type OperationId } from '../src/index.js';

const specDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The ids the spec's examples use, so that paths look like the ones in the docs. */
const exampleIds: Record<string, string> = {
  workspace_id: 'ws_7Hq2LmN4pR8sT1vX3zB5cD',
  member_id: 'mem_2Kd9Fj3Lq8Wz1Xc4Vb7Nm0',
  role_id: 'role_3Fg6Hj9Kl2Zx5Cv8Bn1Mq4',
  scope_name: 'workflows.execute',
  key_id: 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9',
  subscription_id: 'sub_2Wq4Er6Ty8Ui0Op2As4Df6',
  export_id: 'exp_8Uj5Ik2Ol9Pz6Aq3Sw0De7',
};
const requiredQuery: Partial<Record<OperationId, string>> = {
  exportAuditEvents: '?format=csv',
  getUsageMetrics: '?start=2026-03-18&end=2026-03-20&granularity=day',
};
const ws = exampleIds.workspace_id;
const token = 'tpat_any_token_will_do_for_the_mock';

let mock: LaunchedProcess;

beforeAll(async () => {
  const port = await freePort();
  mock = await launchAndWait(process.execPath, ['--import', 'tsx', 'scripts/mock.ts', '--port', String(port), '--seed', 'tessera-prism-test'], { port, readyPath: '/healthz', cwd: specDir });
});

afterAll(async () => {
  await mock?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  violations: string[];
}

async function send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.auth !== false) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(mock.url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  const body = text && /^application\/([a-z.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text || undefined;
  const violations = specValidator().checkExchange({ method, path, status: response.status, headers: response.headers, body });
  return { status: response.status, headers: response.headers, body, violations };
}

function firstRequestExample(id: OperationId): unknown {
  const op = operations[id];
  const item = (openapi.paths as Record<string, Record<string, any>>)[op.path]![op.method];
  const examples = item.requestBody?.content?.['application/json']?.examples as Record<string, { value: unknown }> | undefined;
  return examples ? Object.values(examples)[0]!.value : undefined;
}

function concretePath(id: OperationId): string {
  return operations[id].path.replace(/\{(\w+)\}/g, (_, name: string) => exampleIds[name]!) + (requiredQuery[id] ?? '');
}

describe('the mock script', () => {
  it('serves static examples by default and switches to generated data with --dynamic or TESSERA_MOCK_DYNAMIC=1', () => {
    expect(parseMockOptions([], {})).toEqual({ host: '127.0.0.1', port: 4010, dynamic: false, seed: undefined });
    expect(parseMockOptions(['--dynamic'], {}).dynamic).toBe(true);
    expect(parseMockOptions([], { TESSERA_MOCK_DYNAMIC: '1' }).dynamic).toBe(true);
    expect(parseMockOptions(['--static'], { TESSERA_MOCK_DYNAMIC: 'true' }).dynamic).toBe(false);
    expect(parseMockOptions(['--port=4020', '--seed', 'demo'], {})).toMatchObject({ port: 4020, seed: 'demo' });
    expect(() => parseMockOptions(['--bogus'], {})).toThrow(/unknown option --bogus/);
    expect(prismMockArgs(parseMockOptions([], {}))).not.toContain('--dynamic');
    expect(prismMockArgs(parseMockOptions(['-d'], {}))).toContain('--dynamic');
  });
});

describe('the Prism mock', () => {
  it('creates a key: 201 with the example key, shown once, that conforms to the spec', async () => {
    const created = await send('POST', `/v1/workspaces/${ws}/api-keys`, { body: { name: 'CI/CD Pipeline', scopes: ['workflows.execute', 'runs.read'], expires_in: '90d' } });
    expect(created.status).toBe(201);
    expect(created.violations).toEqual([]);
    expect(created.headers.get('sl-violations')).toBeNull();
    expect(created.body.key).toMatch(/^sk_(live|test)_[0-9A-Za-z]{36}$/);
    expect(created.body.key.slice(0, 12)).toBe(created.body.key_prefix);
  });

  it('lists keys: a page that conforms to the spec', async () => {
    const list = await send('GET', `/v1/workspaces/${ws}/api-keys?status=active&limit=2`);
    expect(list.status).toBe(200);
    expect(list.violations).toEqual([]);
    expect(list.body.data.length).toBeGreaterThan(0);
    expect(list.body.data.every((k: Record<string, unknown>) => !('key' in k))).toBe(true);
  });

  it('verifies a key: Prefer: example=… picks the verdict', async () => {
    const cases = { valid: [true, 'valid'], insufficientScope: [false, 'insufficient_scope'], notFound: [false, 'not_found'] } as const;
    for (const [example, [valid, code]] of Object.entries(cases)) {
      const verdict = await send('POST', '/v1/keys/verify', { body: { key: 'sk_live_EXAMPLE0DoNotUse0EXAMPLE0DoNot1SaE4M', required_scopes: ['workflows.execute'] }, headers: { prefer: `example=${example}` } });
      expect(verdict.status, example).toBe(200);
      expect(verdict.violations, example).toEqual([]);
      expect(verdict.body, example).toMatchObject({ valid, code });
    }
  });

  it('Prefer: code=429 answers the documented rate-limit problem with Retry-After and the rate-limit headers', async () => {
    const limited = await send('POST', '/v1/keys/verify', { body: { key: 'sk_live_x' }, headers: { prefer: 'code=429' } });
    expect(limited.status).toBe(429);
    expect(limited.violations).toEqual([]);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('Prefer: code=500 and code=403 answer the documented problems', async () => {
    const failed = await send('GET', `/v1/workspaces/${ws}/api-keys`, { headers: { prefer: 'code=500' } });
    expect([failed.status, failed.body.code]).toEqual([500, 'internal_error']);
    const forbidden = await send('POST', `/v1/workspaces/${ws}/api-keys`, { body: { name: 'Nope' }, headers: { prefer: 'code=403' } });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'insufficient_scope']);
    expect([...failed.violations, ...forbidden.violations]).toEqual([]);
  });

  it('refuses a request without a credential with 401 and names the violation', async () => {
    const anonymous = await send('GET', `/v1/workspaces/${ws}/api-keys`, { auth: false });
    expect(anonymous.status).toBe(401);
    expect(anonymous.violations).toEqual([]);
    expect(anonymous.headers.get('sl-violations')).toMatch(/security/i);
  });

  it('refuses a body that breaks the spec and names the field', async () => {
    const invalid = await send('POST', `/v1/workspaces/${ws}/api-keys`, { body: { nam: 'typo' } });
    expect(invalid.status).toBeGreaterThanOrEqual(400);
    expect(invalid.status).toBeLessThan(500);
    expect(invalid.headers.get('sl-violations')).toMatch(/name/);
  });

  it('answers every operation of the spec with its example, and each answer conforms', async () => {
    const failures: string[] = [];
    for (const id of Object.keys(operations) as OperationId[]) {
      const op = operations[id];
      const answer = await send(op.method.toUpperCase(), concretePath(id), { body: firstRequestExample(id) });
      if (answer.status >= 300) failures.push(`${id}: ${answer.status} ${answer.headers.get('sl-violations') ?? ''}`);
      failures.push(...answer.violations);
    }
    expect(failures).toEqual([]);
  });

  it('answers every operation with generated data under Prefer: dynamic=true, and each answer conforms', async () => {
    const failures: string[] = [];
    let differsFromExample = 0;
    for (const id of Object.keys(operations) as OperationId[]) {
      const op = operations[id];
      const path = concretePath(id);
      const body = firstRequestExample(id);
      const answer = await send(op.method.toUpperCase(), path, { body, headers: { prefer: 'dynamic=true' } });
      if (answer.status >= 300) failures.push(`${id}: ${answer.status} ${answer.headers.get('sl-violations') ?? ''}`);
      failures.push(...answer.violations);
      if (answer.body !== undefined) {
        const example = await send(op.method.toUpperCase(), path, { body });
        if (JSON.stringify(example.body) !== JSON.stringify(answer.body)) differsFromExample++;
      }
    }
    expect(failures).toEqual([]);
    expect(differsFromExample, 'generated answers that differ from the examples').toBeGreaterThan(30);
  });
});
