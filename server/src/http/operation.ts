/**
 * Route definitions derived from the spec: method and path come from the generated operation
 * table and request schemas from the generated zod module, so a route cannot drift from the
 * document it serves.
 */
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import { operations, specValidator, type OperationId } from '@tessera/spec';
import type { ActionContext } from '../domain/context.js';
import { requireOperationScopes } from './authentication.js';
import type { AppEnv } from './env.js';
import { isJsonMediaType, setBodyText } from './request-body.js';
import { coercedQuery, fieldProblemsFromSchema, validationProblem } from './validation.js';

type Request = NonNullable<RouteConfig['request']>;

/**
 * Checks a JSON body against the spec's own request schema before the generated zod schema
 * runs: the zod generator drops some JSON-Schema rules (maxProperties, uniqueItems,
 * propertyNames, minItems inside allOf), and the spec, not the generator, is the contract.
 */
function specBodyCheck(method: string, path: string): MiddlewareHandler {
  const pointer = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/requestBody/content/application~1json/schema`;
  return async (c, next) => {
    if (!isJsonMediaType(c.req.header('content-type'))) return next();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return next(); // the validator answers invalid_json
    }
    const errors = fieldProblemsFromSchema(specValidator().schemaErrors(pointer, body));
    return errors.length === 0 ? next() : validationProblem(c, errors);
  };
}

/**
 * No body (nothing, or only whitespace) where the spec has one. Sent as JSON to an optional body,
 * it means "no settings", not malformed JSON: it is read as `{}`. To a required body, with a JSON
 * content type or none, it is a missing field `body`, not an empty update: the validators would
 * otherwise read it as `{}`, which every update schema's zod form accepts. A non-JSON content type
 * is left to the 415 check.
 */
function emptyBody(required: boolean): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type');
    if ((isJsonMediaType(type) || (required && type === undefined)) && (await c.req.text()).trim() === '') {
      if (required) return validationProblem(c, [{ field: 'body', code: 'required', message: 'Required: this operation needs a JSON request body.' }]);
      setBodyText(c, '{}');
    }
    return next();
  };
}

export function operationRoute<OpId extends OperationId, R extends Request = {}>(operationId: OpId, request?: R) {
  const op = operations[operationId];
  const middleware: MiddlewareHandler[] = op.authenticated ? [requireOperationScopes(operationId)] : [];
  if (op.hasBody) middleware.push(emptyBody(op.bodyRequired));
  if (request?.body) middleware.push(specBodyCheck(op.method, op.path));
  // Whether the body is required is the spec's to say, not the route's.
  const body = request?.body ? { ...request.body, required: op.bodyRequired } : undefined;
  return createRoute({
    operationId,
    method: op.method,
    path: op.path,
    middleware,
    request: (body ? { ...request, body } : (request ?? {})) as R,
    responses: { default: { description: 'As documented in spec/openapi.yaml.' } },
  });
}

export function jsonBody<S extends ZodType>(schema: S) {
  return { content: { 'application/json': { schema } } };
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
