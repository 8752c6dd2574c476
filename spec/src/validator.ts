/**
 * Checks real HTTP exchanges against the OpenAPI document: is the route documented, is the
 * status one the operation declares, do the required headers appear, and does the body match
 * the schema. The server's tests, the conformance suite and the example checks all use it.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openapi } from './document.js';

type Schema = Record<string, unknown>;
type MediaType = { schema?: Schema; example?: unknown; examples?: Record<string, { value?: unknown }> };
type HeaderObject = { required?: boolean; schema?: Schema; $ref?: string };
type ResponseObject = { $ref?: string; headers?: Record<string, HeaderObject>; content?: Record<string, MediaType> };
type OperationObject = {
  operationId: string;
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
};

const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const documentId = 'tessera-openapi';

export interface RouteMatch {
  operationId: string;
  method: string;
  template: string;
  operation: OperationObject;
}

export interface ExchangeToCheck {
  method: string;
  /** The concrete request path, e.g. `/v1/workspaces/ws_…/api-keys` (query string allowed). */
  path: string;
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text for non-JSON responses, or undefined when empty. */
  body: unknown;
}

function resolveRef<T>(node: T & { $ref?: string }): T {
  if (!node?.$ref) return node;
  const parts = node.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let value: unknown = openapi;
  for (const part of parts) value = (value as Record<string, unknown>)[part];
  return resolveRef(value as T & { $ref?: string });
}

function templateToRegExp(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: Array<RouteMatch & { regex: RegExp; literalSegments: number }>;

  constructor() {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    this.ajv.addSchema(openapi as Schema, documentId);
    this.routes = [];
    for (const [template, item] of Object.entries(openapi.paths as Record<string, Record<string, OperationObject>>)) {
      for (const method of httpMethods) {
        const operation = item[method];
        if (!operation) continue;
        this.routes.push({
          operationId: operation.operationId,
          method,
          template,
          operation,
          regex: templateToRegExp(template),
          literalSegments: template.split('/').filter((s) => !s.startsWith('{')).length,
        });
      }
    }
    // Prefer the most literal template when two match (`/exports/{id}` vs `/exports`).
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** All operations as `METHOD /template` strings. */
  operationKeys(): string[] {
    return this.routes.map((r) => `${r.method.toUpperCase()} ${r.template}`).sort();
  }

  matchRoute(method: string, path: string): RouteMatch | undefined {
    const pathname = path.split('?')[0] ?? path;
    const lower = method.toLowerCase();
    return this.routes.find((r) => r.method === lower && r.regex.test(pathname));
  }

  /** The raw JSON-Schema errors of `value` against a pointer into the document (empty when valid). */
  schemaErrors(pointer: string, value: unknown): ErrorObject[] {
    const validate = this.compile(pointer);
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }

  /** Validates `value` against a JSON pointer into the document, e.g. `#/components/schemas/ApiKey`. */
  validateAgainst(pointer: string, value: unknown): string[] {
    return this.schemaErrors(pointer, value).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}${e.params && 'unevaluatedProperty' in e.params ? ` (${String(e.params.unevaluatedProperty)})` : ''}`);
  }

  /** Every way in which the exchange departs from the document; empty when it conforms. */
  checkExchange(exchange: ExchangeToCheck): string[] {
    const route = this.matchRoute(exchange.method, exchange.path);
    const where = `${exchange.method.toUpperCase()} ${exchange.path} -> ${exchange.status}`;
    if (!route) return [`${where}: no such operation in the spec`];
    const statusKey = String(exchange.status);
    const responseKey = statusKey in route.operation.responses ? statusKey : `${statusKey[0]}XX` in route.operation.responses ? `${statusKey[0]}XX` : 'default';
    const declared = route.operation.responses[responseKey];
    if (!declared) return [`${where}: status not documented for ${route.operationId}`];
    const response = resolveRef(declared);
    const problems: string[] = [];
    const pointerBase = `#/paths/${route.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${route.method}/responses/${responseKey}`;

    for (const [name, rawHeader] of Object.entries(response.headers ?? {})) {
      const header = resolveRef(rawHeader);
      const value = exchange.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`${where}: missing required header ${name}`);
        continue;
      }
      const schema = header.schema ?? {};
      const typed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
      const headerPointer = `${declared.$ref ?? pointerBase}/headers/${name}/schema`;
      const errors = rawHeader.$ref ? this.validateAgainst(`${rawHeader.$ref}/schema`, typed) : this.validateAgainst(headerPointer, typed);
      problems.push(...errors.map((e) => `${where}: header ${name}=${value}: ${e}`));
    }

    const content = response.content;
    const contentType = (exchange.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!content) {
      if (exchange.body !== undefined && exchange.body !== '') problems.push(`${where}: body present but none documented`);
      return problems;
    }
    const media = content[contentType];
    if (!media) {
      problems.push(`${where}: content-type "${contentType}" not documented (expected ${Object.keys(content).join(', ')})`);
      return problems;
    }
    if (!contentType.endsWith('json')) return problems;
    const responsePointer = declared.$ref ?? pointerBase;
    const schemaPointer = `${responsePointer}/content/${contentType.replace(/\//g, '~1')}/schema`;
    problems.push(...this.validateAgainst(schemaPointer, exchange.body).map((e) => `${where}: body ${e}`));
    return problems;
  }

  private compile(pointer: string): ValidateFunction {
    const cached = this.compiled.get(pointer);
    if (cached) return cached;
    const validate = this.ajv.compile({ $ref: `${documentId}${pointer}` });
    this.compiled.set(pointer, validate);
    return validate;
  }
}

let shared: SpecValidator | undefined;
/** One validator per process: compiling the document's schemas is the expensive part. */
export function specValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}
