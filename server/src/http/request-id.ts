import type { MiddlewareHandler } from 'hono';
import { newId } from '../domain/ids.js';
import type { Clock } from '../traffic/index.js';
import type { AppEnv } from './env.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Every response carries an `X-Request-Id`; the request also gets its single "now". */
export function requestContext(clock: Clock): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = newId('req');
    c.set('requestId', requestId);
    c.set('now', new Date(clock.now()));
    c.set('events', []);
    c.header(REQUEST_ID_HEADER, requestId);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, requestId);
  };
}
