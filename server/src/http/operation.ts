/**
 * Route definitions derived from the spec: method and path come from the generated operation
 * table and request schemas from the generated zod module, so a route cannot drift from the
 * document it serves.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import { openapi, operations, type OperationId } from '@tessera/spec';
import type { ActionContext } from '../domain/context.js';
import { requireOperationScopes } from './authentication.js';
import type { AppEnv } from './env.js';
import { coercedQuery } from './validation.js';

type Request = NonNullable<RouteConfig['request']>;

type JsonSchema = { $ref?: string; minProperties?: number };

/** The spec's `minProperties` for an operation's JSON body (the zod generator does not emit it). */
function minPropertiesOf(method: string, path: string): number | undefined {
  const operation = (openapi.paths as Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>)[path]?.[method];
  let schema = operation?.requestBody?.content?.['application/json']?.schema;
  if (schema?.$ref) schema = (openapi.components as { schemas: Record<string, JsonSchema> }).schemas[schema.$ref.split('/').pop()!];
  return schema?.minProperties;
}

function withMinProperties(request: Request, min: number | undefined): Request {
  const content = request.body?.content?.['application/json'] as { schema?: ZodType } | undefined;
  if (min === undefined || !content?.schema) return request;
  const schema = (content.schema as ZodType).refine((value) => typeof value !== 'object' || value === null || Object.keys(value).length >= min, {
    message: `Give at least ${min} field${min > 1 ? 's' : ''} to change.`,
  });
  return { ...request, body: { ...request.body!, content: { 'application/json': { ...content, schema } } } };
}

/**
 * For a body the spec marks optional: an empty body sent with `Content-Type: application/json`
 * means "no settings", not malformed JSON (the validator would otherwise try to parse it).
 */
const emptyOptionalBody: MiddlewareHandler = async (c, next) => {
  if (/json/i.test(c.req.header('content-type') ?? '') && (await c.req.text()).trim() === '') {
    // HonoRequest.json() parses the cached text, so the validator then sees `{}`. The cache holds
    // promises at run time, though Hono's type declares the resolved values.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve('{}');
  }
  await next();
};

export function operationRoute<OpId extends OperationId, R extends Request = {}>(operationId: OpId, request?: R) {
  const op = operations[operationId];
  const middleware: MiddlewareHandler[] = op.authenticated ? [requireOperationScopes(operationId)] : [];
  if (request?.body && request.body.required === false) middleware.push(emptyOptionalBody);
  return createRoute({
    operationId,
    method: op.method,
    path: op.path,
    middleware,
    request: withMinProperties(request ?? {}, minPropertiesOf(op.method, op.path)) as R,
    responses: { default: { description: 'As documented in spec/openapi.yaml.' } },
  });
}

export function jsonBody<S extends ZodType>(schema: S, required = true) {
  return { content: { 'application/json': { schema } }, required };
}

/** The operation's query schema, after converting query strings to the declared types. */
export function queryOf<S extends ZodType>(operationId: OperationId, schema: S) {
  const op = operations[operationId];
  return coercedQuery(op.method, op.path, schema);
}

/** The domain's view of a request: who, when, and where to report events. */
export function actionContext(c: Context<AppEnv>): ActionContext {
  const principal = c.get('principal');
  if (!principal) throw new Error('actionContext used on a route without authentication');
  return { principal, now: c.get('now'), events: c.get('events') };
}
