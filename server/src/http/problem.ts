/**
 * The one place problem details (RFC 9457) are shaped. Every error response of the server comes
 * from here, so `type`, `request_id` and `instance` are always present and consistent.
 */
import type { Context } from 'hono';
import type { FieldProblem } from '../domain/errors.js';
import { redactString } from '../audit/redact.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemTypeUri = (code: string) => `https://tessera.dev/problems/${code}`;

export interface ProblemDetails {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: FieldProblem[] | undefined;
  required_scopes?: string[] | undefined;
  retry_after?: number | undefined;
}


export function problem(c: Context, details: ProblemDetails, headers: Record<string, string> = {}): Response {
  const body = {
    type: problemTypeUri(details.code),
    title: details.title,
    status: details.status,
    detail: details.detail,
    // A key pasted where its id belongs must not come back in the problem.
    instance: redactString(c.req.path),
    code: details.code,
    request_id: (c.get('requestId') as string | undefined) ?? '',
    ...(details.errors ? { errors: details.errors } : {}),
    ...(details.required_scopes ? { required_scopes: details.required_scopes } : {}),
    ...(details.retry_after !== undefined ? { retry_after: details.retry_after } : {}),
  };
  const response = new Response(JSON.stringify(body), { status: details.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers } });
  // Headers set earlier on the context (request id, rate limits) must survive on error responses too.
  c.res.headers.forEach((value, name) => {
    if (!response.headers.has(name) && name !== 'content-type' && name !== 'content-length') response.headers.set(name, value);
  });
  return response;
}
