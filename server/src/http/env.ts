import type { Principal, PendingEvent } from '../domain/context.js';

/** What the middleware chain puts on each request's context. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** The request's time, read once from the clock so a request sees one "now". */
    now: Date;
    principal?: Principal;
    /** Events the domain reported; recorded with the final status once the response is known. */
    events: PendingEvent[];
  };
};
