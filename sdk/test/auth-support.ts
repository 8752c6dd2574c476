/** Shared by the Hono and Fetch-API middleware tests: a Tessera client whose verify endpoint is mocked with MSW. */
import { createOpenApiHttp } from 'openapi-msw';
import type { SetupServer } from 'msw/node';
import { Tessera } from '../src/client.js';
import type { VerifyKeyResult, paths } from '../src/types.js';
import { generateApiKey } from '../src/key-format.js';
import { API_KEY, BASE_URL, recordingSleep } from './helpers.js';

export const INCOMING_KEY = generateApiKey({ environment: 'live' });

/** The client the middleware verifies with (its own credential is API_KEY, not the incoming key). */
export function verifyingClient(): Tessera {
  return new Tessera({ apiKey: API_KEY, baseURL: BASE_URL, maxRetries: 0 }, { sleep: recordingSleep(), globals: {} });
}

/** Answers verify with `result`; records each request's body and Authorization header. */
export function mockVerify(server: Pick<SetupServer, 'use'>, result: VerifyKeyResult | (() => Response)) {
  const http = createOpenApiHttp<paths>({ baseUrl: BASE_URL });
  const calls: Array<{ body: unknown; authorization: string | null }> = [];
  server.use(
    http.post('/v1/keys/verify', async ({ request, response }) => {
      calls.push({ body: await request.json(), authorization: request.headers.get('authorization') });
      return typeof result === 'function' ? response.untyped(result()) : response(200).json(result);
    }),
  );
  return calls;
}
