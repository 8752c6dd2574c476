/**
 * Shared tooling for the hostile suites: raw requests with a deadline and spec validation, the
 * spec's schemas resolved for fast-check, store snapshots, and the list of mounted operations.
 */
import { vi } from 'vitest';
import { openapi, operations, specValidator, type OperationId } from '@tessera/spec';
import type { TesseraStore } from '../../src/data/store.js';
import { keysOf } from '../harness.js';

export const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The in-process app delivers alert webhooks (and audit exports) with the global `fetch`. These
 * suites create subscriptions to example URLs; answer every outbound request with 204 instead of
 * letting it reach the network. Returns the delivered URLs.
 */
export function stubOutboundFetch(): string[] {
  const delivered: string[] = [];
  vi.stubGlobal('fetch', async (input: string | URL | Request) => {
    delivered.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return new Response(null, { status: 204 });
  });
  return delivered;
}

export interface Sent {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  /** Every way the exchange departs from the spec (empty when it conforms). */
  violations: string[];
}

type FetchApp = { request: (input: string, init?: RequestInit) => Response | Promise<Response> };

/** One request through the in-process app, failing (not hanging) after REQUEST_TIMEOUT_MS. */
export async function send(
  app: FetchApp,
  method: string,
  path: string,
  init: { token?: string | undefined; headers?: Record<string, string>; body?: unknown; rawBody?: BodyInit } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms: ${method} ${path.slice(0, 120)}`)), REQUEST_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([
      Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body, duplex: 'half' } : {}) } as RequestInit)),
      deadline,
    ]);
    const text = await Promise.race([response.text(), deadline]);
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    const violations: string[] = [];
    let parsed: unknown = text || undefined;
    if (text && isJson) {
      try {
        parsed = JSON.parse(text);
      } catch {
        violations.push(`${method} ${path} -> ${response.status}: the body is not JSON although the content type says so`);
      }
    }
    violations.push(...specValidator().checkExchange({ method, path, status: response.status, headers: response.headers, body: parsed }));
    return { status: response.status, headers: response.headers, body: parsed, text, violations };
  } finally {
    clearTimeout(timer);
  }
}

/** Everything the store holds, across all workspaces, as one comparable string. */
export async function snapshot(store: TesseraStore): Promise<string> {
  const workspaces = (await store.workspaces()).sort((a, b) => a.id.localeCompare(b.id));
  const parts = [];
  for (const w of workspaces) {
    const byId = <T extends { id?: string; name?: string }>(xs: T[]) => xs.sort((a, b) => String(a.id ?? a.name).localeCompare(String(b.id ?? b.name)));
    parts.push({
      workspace: w,
      api_keys: byId(await keysOf(store, w.id)),
      members: byId(await store.members(w.id)),
      roles: byId(await store.roles(w.id)),
      scopes: byId(await store.scopes(w.id)),
    });
  }
  return JSON.stringify(parts);
}

// ---------------------------------------------------------------------------------------------
// The spec

export type Schema = Record<string, any>;
type OperationObject = { operationId: string; parameters?: Schema[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }> } };

const doc = openapi as unknown as { paths: Record<string, Record<string, OperationObject | Schema[]>>; components: Record<string, Record<string, Schema>> };

export function resolveRef(node: Schema): Schema {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    const parts = current.$ref.replace(/^#\//, '').split('/');
    let value: any = openapi;
    for (const part of parts) value = value[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    const { $ref: _ref, ...rest } = current;
    current = { ...value, ...rest };
  }
  return current;
}

/** A schema with refs resolved and a single-branch `allOf` merged, recursively where it matters. */
export function resolveSchema(node: Schema): Schema {
  let schema = resolveRef(node);
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    schema = allOf.reduce((acc: Schema, part: Schema) => ({ ...acc, ...resolveSchema(part) }), {});
    schema = { ...schema, ...rest };
  }
  return schema;
}

export function operationObject(operationId: OperationId): OperationObject {
  const op = operations[operationId];
  return doc.paths[op.path]![op.method] as OperationObject;
}

export function requestBodySchema(operationId: OperationId): Schema | undefined {
  const schema = operationObject(operationId).requestBody?.content?.['application/json']?.schema;
  return schema ? resolveSchema(schema) : undefined;
}

/** The JSON pointer of an operation's request body schema, for the spec validator. */
export function requestBodyPointer(operationId: OperationId): string {
  const op = operations[operationId];
  const schema = operationObject(operationId).requestBody!.content!['application/json']!.schema!;
  if (schema.$ref) return schema.$ref;
  return `#/paths/${op.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method}/requestBody/content/application~1json/schema`;
}

export function requestExamples(operationId: OperationId): unknown[] {
  const examples = operationObject(operationId).requestBody?.content?.['application/json']?.examples ?? {};
  return Object.values(examples).map((e) => structuredClone(e.value));
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export function parametersOf(operationId: OperationId): Parameter[] {
  const op = operations[operationId];
  const item = doc.paths[op.path]!;
  const raw = [...((item.parameters as Schema[] | undefined) ?? []), ...((item[op.method] as OperationObject).parameters ?? [])];
  return raw.map((p) => {
    const param = resolveRef(p);
    return { name: param.name, in: param.in, required: Boolean(param.required), schema: resolveSchema(param.schema ?? {}) };
  });
}

/** Is `value` valid against the spec schema at `pointer`? (The spec's own validator, ajv.) */
export function specAccepts(pointer: string, value: unknown): boolean {
  return specValidator().validateAgainst(pointer, value).length === 0;
}

/** Enough of JSON Schema for parameter schemas (strings, integers, enums, arrays of enums). */
export function paramAccepts(schema: Schema, value: unknown): boolean {
  const s = resolveSchema(schema);
  if (s.enum && !s.enum.includes(value)) return false;
  if (s.type === 'string') {
    if (typeof value !== 'string') return false;
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) return false;
    if (s.maxLength !== undefined && length > s.maxLength) return false;
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) return false;
    if (s.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return false;
    return true;
  }
  if (s.type === 'integer' || s.type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    if (s.type === 'integer' && !Number.isInteger(value)) return false;
    if (s.minimum !== undefined && value < s.minimum) return false;
    if (s.maximum !== undefined && value > s.maximum) return false;
    return true;
  }
  if (s.type === 'array') {
    if (!Array.isArray(value)) return false;
    if (s.maxItems !== undefined && value.length > s.maxItems) return false;
    return value.every((v) => paramAccepts(s.items ?? {}, v));
  }
  if (s.type === 'boolean') return typeof value === 'boolean';
  return true;
}

// ---------------------------------------------------------------------------------------------
// Mounted operations

/** `METHOD /template` for every operation route the app serves. */
export function mountedOperationIds(app: { routes: Array<{ method: string; path: string }> }): Set<OperationId> {
  const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([a-z_]+)/g, '{$1}')}`));
  const mounted = new Set<OperationId>();
  for (const [id, op] of Object.entries(operations) as Array<[OperationId, (typeof operations)[OperationId]]>) {
    if (served.has(`${op.method} ${op.path}`)) mounted.add(id);
  }
  return mounted;
}

export const allOperationIds = Object.keys(operations) as OperationId[];

/** Fills a path template. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return encodeURIComponent(value);
  });
}

/** A syntactically valid id for a parameter whose objects this suite cannot create. */
export function placeholderFor(schema: Schema): string {
  const pattern: string | undefined = schema.pattern;
  const prefixed = pattern && /^\^\(?([a-z]+_)\[0-9A-Za-z\]\{(\d+)\}\$$/.exec(pattern);
  if (prefixed) return prefixed[1] + 'Z'.repeat(Number(prefixed[2]));
  const alt = pattern && /([a-z]+_)\[0-9A-Za-z\]\{(\d+)\}/.exec(pattern);
  if (alt) return alt[1] + 'Z'.repeat(Number(alt[2]));
  return 'placeholder';
}

/** A tiny seeded PRNG so every random choice in a test can be replayed from the printed seed. */
export function rng(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

export function seedFromEnv(name: string): number {
  const fromEnv = process.env[name] ?? process.env.TESSERA_TEST_SEED;
  return fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function countBy<T>(items: T[], keyOf: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return out;
}
