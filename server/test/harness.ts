/**
 * An in-process server for tests: memory store, manual clock, collected audit events. Every
 * response is checked against the OpenAPI document, and every raw key the server hands out is
 * tracked so that tests can prove it never appears anywhere else.
 */
import { expect } from 'vitest';
import { specValidator } from '@tessera/spec';
import { createApp } from '../src/app.js';
import type { AuditEventInput } from '../src/audit/types.js';
import { openMemoryStore } from '../src/data/open.js';
import { bootstrap } from '../src/domain/workspaces.js';
import { ManualClock } from '../src/traffic/index.js';
import type { TesseraData } from '../src/domain/model.js';
import { keysOf } from '../src/data/test-support.js';

export { keysOf };

export const T0 = Date.parse('2026-03-01T00:00:00Z');
const SECRET = /\b[a-z][a-z0-9]{1,15}_(live|test)_[0-9A-Za-z]{36}\b|\btpat_[0-9A-Za-z]{36}\b/g;

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  /** Sent as is: a string is sent as UTF-8, bytes unchanged. */
  rawBody?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function startTestServer() {
  const store = openMemoryStore();
  const clock = new ManualClock(T0);
  const events: AuditEventInput[] = [];
  const unexpected: unknown[] = [];
  const { app } = createApp({ store, clock, events: { record: (e) => events.push(e) }, logError: (e) => unexpected.push(e) });
  const boot = (await bootstrap(store, new Date(clock.now())))!;
  const violations: string[] = [];
  const issuedSecrets = new Set<string>([boot.token!]);
  const leaks: string[] = [];

  async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    const parsed = text && isJson ? JSON.parse(text) : text || undefined;
    violations.push(...specValidator().checkExchange({ method, path, status: response.status, headers: response.headers, body: parsed }));
    const handsOutSecret = response.status === 201 && /\/api-keys(\/[^/]+\/rotate)?$|\/members$|^\/v1\/workspaces$/.test(path);
    for (const found of text.match(SECRET) ?? []) {
      if (handsOutSecret) issuedSecrets.add(found);
      else leaks.push(`${method} ${path} -> ${response.status} contains a raw credential`);
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  const admin = boot.token!;
  const ws = boot.workspace.id;
  const keysPath = `/v1/workspaces/${ws}/api-keys`;

  async function createKey(body: Record<string, unknown> = {}, token = admin) {
    const res = await call('POST', keysPath, { token, body: { name: 'Test Key', ...body } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; key: string } & Record<string, any>;
  }

  async function createMember(role = 'member', email = `m${Math.random().toString(36).slice(2)}@example.com`) {
    const res = await call('POST', `/v1/workspaces/${ws}/members`, { token: admin, body: { name: 'Grace', email, role } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; token: string } & Record<string, any>;
  }

  /** Assertions every test ends with: spec conformance, no leak, no unexpected error. */
  async function checkInvariants() {
    expect(violations, 'responses that break the spec').toEqual([]);
    expect(leaks, 'raw credentials outside create/rotate responses').toEqual([]);
    expect(unexpected, 'unexpected server errors').toEqual([]);
    await store.flush();
    const stored = JSON.stringify(await dump());
    const logged = JSON.stringify(events);
    for (const secret of issuedSecrets) {
      expect(stored.includes(secret), 'raw credential in the store').toBe(false);
      expect(logged.includes(secret), 'raw credential in an audit event').toBe(false);
    }
  }

  async function dump(): Promise<Partial<TesseraData>> {
    return { workspaces: Object.fromEntries((await store.workspaces()).map((w) => [w.id, w])), api_keys: Object.fromEntries((await keysOf(store, ws)).map((k) => [k.id, k])), members: Object.fromEntries((await store.members(ws)).map((m) => [m.id, m])) };
  }

  return { app, store, clock, events, call, admin, ws, keysPath, createKey, createMember, checkInvariants, boot, issuedSecrets };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
