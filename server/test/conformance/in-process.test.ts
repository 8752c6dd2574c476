/**
 * The conformance scenarios against the in-process mock: the reference app on an in-memory
 * store behind MSW (`createTesseraMock`), reached with plain `fetch` as an application would.
 */
import { setupServer } from 'msw/node';
import { createTesseraMock } from '../../src/mock/index.js';
import { defineConformanceSuite } from './scenarios.js';

const baseUrl = 'http://tessera.conformance.test';

defineConformanceSuite('the in-process app behind MSW', async () => {
  const mock = await createTesseraMock({ baseUrl });
  // Anything not under baseUrl (the local webhook receiver) passes through to the network.
  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  const send = async (request: Request) => {
    const url = new URL(request.url);
    const body = request.body ? await request.text() : undefined;
    return fetch(`${baseUrl}${url.pathname}${url.search}`, { method: request.method, headers: request.headers, ...(body !== undefined ? { body } : {}) });
  };
  return {
    name: 'in-process',
    adminToken: mock.token,
    workspaceId: mock.workspaceId,
    send,
    sendInvalid: send,
    proxyViolations: () => [],
    close: async () => {
      server.close();
      await mock.close();
      if (mock.errors.length > 0) throw new Error(`unexpected server errors: ${mock.errors.map(String).join('; ')}`);
    },
  };
});
