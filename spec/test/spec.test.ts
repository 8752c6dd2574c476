import { describe, expect, it } from 'vitest';
import { openapi, operations, specValidator } from '../src/index.js';

type Json = Record<string, any>;
const methods = ['get', 'post', 'patch', 'put', 'delete'];
const allOperations = Object.entries(openapi.paths as Json).flatMap(([path, item]) =>
  methods.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] as Json, item: item as Json })),
);

function resolve(node: Json): Json {
  if (!node?.$ref) return node;
  const parts = String(node.$ref).slice(2).split('/').map((p: string) => p.replace(/~1/g, '/'));
  return resolve(parts.reduce((value: Json, part: string) => value[part], openapi as Json));
}

describe('the OpenAPI document', () => {
  it('covers every operation the brief names', () => {
    const ids = allOperations.map((o) => o.op.operationId).sort();
    for (const required of [
      'listWorkspaces', 'createWorkspace', 'getWorkspace', 'updateWorkspace',
      'listMembers', 'createMember', 'getMember', 'updateMember', 'deactivateMember',
      'listRoles', 'createRole', 'getRole', 'updateRole', 'deleteRole',
      'listScopes', 'createScope', 'updateScope', 'deleteScope',
      'listApiKeys', 'createApiKey', 'getApiKey', 'updateApiKey', 'rotateApiKey', 'disableApiKey',
      'enableApiKey', 'revokeApiKey', 'deleteApiKey', 'verifyApiKey', 'getMe',
      'listAuditEvents', 'exportAuditEvents', 'createAuditExport', 'getAuditExport', 'checkAuditIntegrity',
      'getUsageMetrics', 'listAlertSubscriptions', 'createAlertSubscription', 'getAlertSubscription',
      'updateAlertSubscription', 'deleteAlertSubscription', 'testAlertSubscription', 'listAlertDeliveries',
      'getHealth', 'getOpenApiDocument', 'getPrometheusMetrics',
    ]) expect(ids).toContain(required);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(allOperations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s is documented for a reader and declares its failures',
    (_name, { method, op, item }) => {
      expect(op.summary, 'summary').toBeTruthy();
      expect(op.description, 'description').toBeTruthy();
      const authenticated = !(Array.isArray(op.security) && op.security.length === 0);
      const statuses = Object.keys(op.responses);
      expect(statuses).toContain('500');
      if (authenticated) {
        expect(Array.isArray(op['x-required-scopes']), 'x-required-scopes').toBe(true);
        expect(statuses).toEqual(expect.arrayContaining(['401', '429']));
        if (op['x-required-scopes'].length > 0) expect(statuses).toContain('403');
      }
      if (method === 'post' && authenticated) {
        const params = (op.parameters ?? []).map(resolve);
        expect(params.some((p: Json) => p.name === 'Idempotency-Key' && p.in === 'header')).toBe(true);
        expect(statuses).toEqual(expect.arrayContaining(['409', '422']));
      }
      if (op.requestBody) expect(statuses).toEqual(expect.arrayContaining(['400', '413', '415']));
      // A malformed id or query value is a 400 that names the parameter.
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
      if (params.some((p: Json) => p.in === 'path' || p.in === 'query')) expect(statuses).toContain('400');
      for (const [status, raw] of Object.entries(op.responses as Json)) {
        const response = resolve(raw as Json);
        expect(response.headers?.['X-Request-Id'], `${status} X-Request-Id`).toBeDefined();
        for (const media of Object.values((response.content ?? {}) as Json)) {
          const examples = Object.keys(media.examples ?? {});
          expect(examples.length + (media.example === undefined ? 0 : 1), `${status} has an example`).toBeGreaterThan(0);
        }
      }
      if (op.requestBody) {
        for (const media of Object.values((op.requestBody.content ?? {}) as Json)) {
          expect(Object.keys(media.examples ?? {}).length, 'request example').toBeGreaterThan(0);
        }
      }
    },
  );

  it('has an operation table that matches the paths', () => {
    expect(Object.keys(operations).sort()).toEqual(allOperations.map((o) => o.op.operationId).sort());
    expect(operations.createApiKey).toMatchObject({ method: 'post', requiredScopes: ['api_keys.write'], hasBody: true });
  });
});

describe('every example validates against its schema', () => {
  const cases: Array<[string, string, unknown]> = [];
  for (const { path, method, op } of allOperations) {
    const base = `#/paths/${path.replace(/\//g, '~1')}/${method}`;
    for (const [mediaType, media] of Object.entries((op.requestBody?.content ?? {}) as Json)) {
      for (const [name, example] of Object.entries((media.examples ?? {}) as Json)) {
        cases.push([`${op.operationId} request ${name}`, `${base}/requestBody/content/${mediaType.replace(/\//g, '~1')}/schema`, resolve(example).value]);
      }
    }
    for (const [status, raw] of Object.entries(op.responses as Json)) {
      const pointer = raw.$ref ?? `${base}/responses/${status}`;
      for (const [mediaType, media] of Object.entries((resolve(raw).content ?? {}) as Json)) {
        if (!mediaType.includes('json')) continue;
        for (const [name, example] of Object.entries((media.examples ?? {}) as Json)) {
          cases.push([`${op.operationId} ${status} ${name}`, `${pointer}/content/${mediaType.replace(/\//g, '~1')}/schema`, resolve(example).value]);
        }
      }
    }
    for (const param of (op.parameters ?? []).map(resolve)) {
      if (param.example !== undefined) cases.push([`${op.operationId} parameter ${param.name}`, '', { schema: param.schema, value: param.example }]);
    }
  }
  for (const [name, schema] of Object.entries(((openapi.components as Json).schemas ?? {}) as Json)) {
    for (const [i, example] of ((schema as Json).examples ?? []).entries()) {
      cases.push([`schema ${name} example ${i}`, `#/components/schemas/${name}`, example]);
    }
  }

  it('finds examples to check', () => expect(cases.length).toBeGreaterThan(100));

  it.each(cases)('%s', (_name, pointer, value) => {
    const validator = specValidator();
    if (pointer === '') {
      const { schema, value: v } = value as Json;
      expect(validator.validateAgainst('#/components/parameters/IdempotencyKey/schema', v)).toEqual([]);
      expect(schema).toBeDefined();
      return;
    }
    expect(validator.validateAgainst(pointer, value)).toEqual([]);
  });

  it('rejects a lie: an example with an unknown field fails', () => {
    const errors = specValidator().validateAgainst('#/components/schemas/ApiKey', { ...(openapi.components as Json).examples.ApiKey.value, key: 'sk_live_leak' });
    expect(errors.join()).toMatch(/unevaluated|must NOT/);
  });
});
