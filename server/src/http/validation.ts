/**
 * Turning validation failures into one 400 that lists every field at fault, and turning query
 * strings into the types the spec declares (integers, comma-separated arrays) before the
 * generated schemas check them.
 */
import type { Context } from 'hono';
import { z, type ZodType } from 'zod';
import { openapi, type SchemaError } from '@tessera/spec';
import type { FieldProblem } from '../domain/errors.js';
import { problem } from './problem.js';

type ParameterObject = { name: string; in: string; schema?: { type?: string | string[]; items?: unknown }; style?: string; explode?: boolean; $ref?: string };

function resolveParameter(p: ParameterObject): ParameterObject {
  if (!p.$ref) return p;
  const name = p.$ref.split('/').pop()!;
  return (openapi.components as { parameters: Record<string, ParameterObject> }).parameters[name]!;
}

function queryParameters(method: string, path: string): ParameterObject[] {
  const item = (openapi.paths as Record<string, Record<string, { parameters?: ParameterObject[] }>>)[path] ?? {};
  const all = [...((item.parameters as ParameterObject[] | undefined) ?? []), ...(item[method]?.parameters ?? [])].map(resolveParameter);
  return all.filter((p) => p.in === 'query');
}

/** A zod schema that first converts the raw query strings as the spec's parameters say. */
export function coercedQuery<T extends ZodType>(method: string, path: string, schema: T): z.ZodPipe<ZodType, T> {
  const params = queryParameters(method, path);
  const coerced = z.preprocess((raw) => {
    const input = { ...(raw as Record<string, string | string[] | undefined>) };
    for (const param of params) {
      const value = input[param.name];
      if (value === undefined || Array.isArray(value)) continue;
      const type = param.schema?.type;
      if (type === 'integer' || type === 'number') input[param.name] = /^-?\d+(\.\d+)?$/.test(value) ? (Number(value) as never) : value;
      else if (type === 'boolean') input[param.name] = value === 'true' ? (true as never) : value === 'false' ? (false as never) : value;
      else if (type === 'array') input[param.name] = value.split(',') as never;
    }
    return input;
  }, schema);
  // The preprocess step's input type is `unknown`; its output is exactly the schema's.
  return coerced as unknown as z.ZodPipe<ZodType, T>;
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

/** One entry per problem, with the field as a dotted path (`rate_limit.burst`, `scopes[2]`). */
export function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: field ? `${field}.${key}` : key, code: 'unknown_field', message: `${key} is not a field of this request.` });
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const code = missing ? 'required' : issue.code === 'invalid_union' ? 'invalid_value' : issue.code;
    problems.push({ field: field || 'body', code, message: missing ? 'Required.' : issue.message });
  }
  return problems;
}

const schemaErrorCodes: Record<string, string> = {
  minLength: 'too_small', minItems: 'too_small', minProperties: 'too_small', minimum: 'too_small', exclusiveMinimum: 'too_small',
  maxLength: 'too_big', maxItems: 'too_big', maxProperties: 'too_big', maximum: 'too_big', exclusiveMaximum: 'too_big',
  pattern: 'invalid_format', format: 'invalid_format', propertyNames: 'invalid_format',
  enum: 'invalid_value', const: 'invalid_value', anyOf: 'invalid_value', oneOf: 'invalid_value', not: 'invalid_value',
  type: 'invalid_type', uniqueItems: 'not_unique',
};

function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

/** JSON-Schema (ajv) errors as field problems: one per field, the most specific first. */
export function fieldProblemsFromSchema(errors: readonly SchemaError[]): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const error of errors) {
    const at = pointerToField(error.instancePath);
    const params = error.params as Record<string, unknown>;
    let problem: FieldProblem;
    if (error.keyword === 'required') {
      const field = at ? `${at}.${String(params.missingProperty)}` : String(params.missingProperty);
      problem = { field, code: 'required', message: 'Required.' };
    } else if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      problem = { field: at ? `${at}.${name}` : name, code: 'unknown_field', message: `${name} is not a field of this request.` };
    } else {
      const field = error.keyword === 'propertyNames' && params.propertyName !== undefined ? `${at}.${String(params.propertyName)}` : at || 'body';
      problem = { field, code: schemaErrorCodes[error.keyword] ?? 'invalid_value', message: `Must ${error.message ?? 'be valid'}.`.replace(/^Must must /, 'Must ') };
    }
    // A failed anyOf/oneOf also reports each branch; the first error of a field is the clearest.
    if (!byField.has(problem.field)) byField.set(problem.field, problem);
  }
  return [...byField.values()];
}

/** The one 400 for invalid input, whichever check found the fields at fault. */
export function validationProblem(c: Context, errors: FieldProblem[]): Response {
  return problem(c, {
    status: 400,
    code: 'validation_failed',
    title: 'The request is not valid',
    detail: errors.length === 1 ? `${errors[0]!.field}: ${errors[0]!.message}` : `${errors.length} fields are not valid.`,
    errors,
  });
}

/** The hook @hono/zod-openapi calls after validating each part of a request. */
export function validationHook(result: { success: boolean; error?: { issues: readonly z.core.$ZodIssue[] } }, c: Context) {
  if (result.success || !result.error) return undefined;
  return validationProblem(c, fieldProblems(result.error.issues));
}
