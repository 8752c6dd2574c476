/**
 * Failures the domain reports. Each carries a stable `code` (the problem `code` clients switch
 * on) and a kind; the HTTP layer maps kinds to statuses, so services stay free of HTTP.
 */
export type DomainErrorKind =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'invalid';

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly extras: { errors?: FieldProblem[]; required_scopes?: string[] } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

/** `where` names the place looked in; a workspace itself is looked up among the caller's, not within one. */
export const notFound = (code: string, what: string, id: string, where = 'in this workspace') =>
  new DomainError('not_found', code, `${what} not found`, `No ${what.toLowerCase()} ${id} ${where}.`);

export const unprocessable = (code: string, title: string, detail: string, field?: string) =>
  new DomainError('unprocessable', code, title, detail, field ? { errors: [{ field, code, message: detail }] } : {});

export const conflict = (code: string, title: string, detail: string) => new DomainError('conflict', code, title, detail);
