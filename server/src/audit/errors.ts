/**
 * Typed failures of the audit, usage and alert modules. They extend the domain's
 * {@link DomainError}, so the HTTP layer maps them like any domain failure:
 * `invalid` -> 400, `unprocessable` -> 422, `not_found` -> 404.
 */
import { DomainError, type FieldProblem } from '../domain/errors.js';

/** 422 `invalid_time_range`: `range` with `from`, `from` not before `to`, `end` not after `start`. */
export class InvalidTimeRangeError extends DomainError {
  constructor(detail: string, errors: FieldProblem[] = []) {
    super('unprocessable', 'invalid_time_range', 'Invalid time range', detail, errors.length > 0 ? { errors } : {});
    this.name = 'InvalidTimeRangeError';
  }
}

/** 422 `time_range_too_large`: a metrics query would return more buckets than allowed. */
export class TimeRangeTooLargeError extends DomainError {
  constructor(detail: string, field = 'end') {
    super('unprocessable', 'time_range_too_large', 'Time range too large', detail, {
      errors: [{ field, code: 'too_big', message: detail }],
    });
    this.name = 'TimeRangeTooLargeError';
  }
}

/** 400 `invalid_cursor`: not a cursor this list returned, or one for other filters. */
export class InvalidCursorError extends DomainError {
  constructor(detail = 'The cursor is not one this list returned for these filters; start again without it.') {
    super('invalid', 'invalid_cursor', 'Invalid cursor', detail, {
      errors: [{ field: 'cursor', code: 'invalid_cursor', message: 'Pass the next_cursor of the previous page, unchanged, with the same filters.' }],
    });
    this.name = 'InvalidCursorError';
  }
}

/** 400 `validation_failed` for a query value the spec's schema would already refuse (defensive). */
export class InvalidQueryError extends DomainError {
  constructor(field: string, detail: string, code = 'invalid_format') {
    super('invalid', 'validation_failed', 'Invalid request', detail, { errors: [{ field, code, message: detail }] });
    this.name = 'InvalidQueryError';
  }
}

/** 422 `invalid_webhook_url`: not http(s), has credentials, or (when refused) a private target. */
export class InvalidWebhookUrlError extends DomainError {
  constructor(field: string, detail: string) {
    super('unprocessable', 'invalid_webhook_url', 'Invalid webhook URL', detail, { errors: [{ field, code: 'invalid_value', message: detail }] });
    this.name = 'InvalidWebhookUrlError';
  }
}
