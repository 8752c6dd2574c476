/**
 * A small hand-written `paths` type (openapi-typescript's shape) for testing the transport through openapi-fetch on
 * its own, apart from Tessera's operations (which test/resources.test.ts covers with the generated types).
 */
import { createOpenApiHttp } from 'openapi-msw';
import type { ListResponse } from '../src/core/pagination.js';
import type { ProblemDetails } from '../src/core/errors.js';
import { BASE_URL } from './helpers.js';

export interface Thing {
  id: string;
  name: string;
}

type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type ProblemResponse = { headers: { [name: string]: unknown }; content: { 'application/problem+json': ProblemDetails } };

export interface TestPaths {
  '/v1/things': {
    parameters: NoParams;
    get: {
      parameters: { query?: { cursor?: string; limit?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': ListResponse<Thing> } };
        default: ProblemResponse;
      };
    };
    post: {
      parameters: NoParams;
      requestBody: { content: { 'application/json': { name: string; tags?: string[] } } };
      responses: {
        201: { headers: { [name: string]: unknown }; content: { 'application/json': Thing } };
        default: ProblemResponse;
      };
    };
    put?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/things/{id}': {
    parameters: NoParams;
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': Thing } };
        default: ProblemResponse;
      };
    };
    delete: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        204: { headers: { [name: string]: unknown }; content?: never };
        default: ProblemResponse;
      };
    };
    put?: never;
    post?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

/** Typed MSW handlers (openapi-msw) for {@link TestPaths} on the test base URL. */
export const thingsApi = createOpenApiHttp<TestPaths>({ baseUrl: BASE_URL });
