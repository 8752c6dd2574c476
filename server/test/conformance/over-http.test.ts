/**
 * The conformance scenarios against the reference server over HTTP, on a free 127.0.0.1 port,
 * with `prism proxy --errors` in front: Prism validates every request and response against the
 * spec and turns any violation into an error (and an `sl-violations` header), which fails the
 * scenario. Requests that break the spec on purpose go straight to the server.
 *
 *   client ──▶ prism proxy --errors ──▶ tap ──▶ reference server (listen, in-memory store)
 *
 * The tap only forwards; a test uses it to corrupt one response and prove that Prism catches it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { specDocumentPath, startPrism, type LaunchedProcess } from '@tessera/spec/mock';
import { openMemoryStore } from '../../src/data/open.js';
import { bootstrap } from '../../src/domain/workspaces.js';
import { listen, type RunningServer } from '../../src/server.js';
import type { ConformanceTarget } from './exchange.js';
import { defineConformanceSuite } from './scenarios.js';

/** A forwarding hop between Prism and the server that can corrupt the next JSON response. */
function startTap(upstream: string) {
  const state: { corruptNext?: ((body: Record<string, unknown>) => void) | undefined } = {};
  const hopByHop = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !hopByHop.has(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        const body = Buffer.concat(chunks);
        const answer = await fetch(upstream + req.url, { method: req.method, headers, ...(body.length > 0 ? { body } : {}), redirect: 'manual' });
        let payload = Buffer.from(await answer.arrayBuffer());
        const corrupt = state.corruptNext;
        if (corrupt && (answer.headers.get('content-type') ?? '').includes('json')) {
          state.corruptNext = undefined;
          const parsed = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          corrupt(parsed);
          payload = Buffer.from(JSON.stringify(parsed));
        }
        const out: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!hopByHop.has(name)) out[name] = value;
        });
        res.writeHead(answer.status, out).end(payload);
      } catch (error) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  return new Promise<{ url: string; state: typeof state; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, state, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

function prismViolations(response: Response, body: unknown): string[] {
  const found: string[] = [];
  const header = response.headers.get('sl-violations');
  if (header) found.push(`sl-violations: ${header}`);
  const problem = body as { type?: unknown; title?: unknown; validation?: unknown; detail?: unknown } | undefined;
  if (problem && typeof problem === 'object' && typeof problem.type === 'string' && problem.type.startsWith('https://stoplight.io/prism/errors')) {
    found.push(`${String(problem.title)}: ${JSON.stringify(problem.validation ?? problem.detail)}`);
  }
  return found;
}

let server: RunningServer;
let prism: LaunchedProcess;
let tap: Awaited<ReturnType<typeof startTap>>;

defineConformanceSuite(
  'the reference server over HTTP, through prism proxy --errors',
  async () => {
    const store = openMemoryStore();
    const boot = (await bootstrap(store, new Date()))!;
    const errors: unknown[] = [];
    server = await listen({ store, events: { record: () => {} }, logError: (error) => errors.push(error) });
    tap = await startTap(server.url);
    prism = await startPrism(['proxy', '--errors', specDocumentPath, tap.url], { readyPath: '/healthz' });
    const forward = (origin: string) => async (request: Request) => {
      // Read the body first: a re-wrapped stream would go out chunked, which Prism forwards badly.
      const url = new URL(request.url);
      const body = request.body ? await request.text() : undefined;
      return fetch(`${origin}${url.pathname}${url.search}`, { method: request.method, headers: request.headers, ...(body !== undefined ? { body } : {}) });
    };
    const target: ConformanceTarget = {
      name: 'http',
      adminToken: boot.token!,
      workspaceId: boot.workspace.id,
      send: forward(prism.url),
      sendInvalid: forward(server.url),
      proxyViolations: prismViolations,
      close: async () => {
        await prism.stop();
        await tap.close();
        await server.close();
        if (errors.length > 0) throw new Error(`unexpected server errors: ${errors.map(String).join('; ')}`);
      },
    };
    return target;
  },
  () => {
    it('the proxy check can fail: Prism turns a response that breaks the spec into an error', async () => {
      tap.state.corruptNext = (body) => {
        delete body.status;
        body.unexpected = true;
      };
      const response = await fetch(`${prism.url}/healthz`);
      const body = await response.json();
      expect(response.status).toBe(500);
      expect(prismViolations(response, body).join('\n')).toMatch(/status[\s\S]*unexpected/);
      // And a conforming answer passes clean.
      const clean = await fetch(`${prism.url}/healthz`);
      expect(prismViolations(clean, await clean.json())).toEqual([]);
    });
  },
);
