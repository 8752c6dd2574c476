/**
 * A stateful, in-process Tessera for unit tests: the reference server's own app, on an in-memory
 * store, behind MSW request handlers. Code under test calls `fetch('http://127.0.0.1:4000/v1/…')`
 * as it would in production; MSW hands the request to the app; no port is opened and no file is
 * written. Keys created through the mock verify, rotate, expire and rate-limit exactly as on the
 * real server, because it is the real server.
 *
 *   const tessera = await createTesseraMock();
 *   const server = setupServer(...tessera.handlers);
 *   server.listen({ onUnhandledRequest: 'error' });
 *   afterEach(() => { server.resetHandlers(); return tessera.reset(); });
 *
 * For a one-off answer the real server would rarely give (a 429, a 500), put a typed handler in
 * front with `tesseraHttp()` (openapi-msw): it only accepts the spec's paths, statuses and bodies.
 *
 *   const http = tesseraHttp();
 *   server.use(http.post('/v1/keys/verify', ({ response }) =>
 *     response(429).json(problemBody(429, 'rate_limited', { retry_after: 3 }),
 *       { headers: problemHeaders({ 'Retry-After': '3' }) })));
 *
 * See docs/guides/testing-with-mocks.md.
 */
import { http, type HttpHandler } from 'msw';
import { createOpenApiHttp } from 'openapi-msw';
import type { components, paths } from '@tessera/spec';
import { generatePersonalAccessToken } from '@tessera/sdk/key-format';
import { createApp } from '../app.js';
import type { AuditEventInput } from '../audit/types.js';
import { openMemoryStore } from '../data/open.js';
import type { TesseraStore } from '../data/store.js';
import type { MemberRecord, WorkspaceRecord } from '../domain/model.js';
import { bootstrap } from '../domain/workspaces.js';
import { systemClock, type Clock } from '../traffic/index.js';

export const DEFAULT_MOCK_BASE_URL = 'http://127.0.0.1:4000';

export interface TesseraMockOptions {
  /** Requests under this URL go to the mock. Default `http://127.0.0.1:4000` (the server's default). */
  baseUrl?: string;
  /** The clock the app reads; pass a `ManualClock` to test expiry and rate-limit refills. */
  clock?: Clock;
  /** The bootstrapped admin's personal access token; default: a fresh, well-formed one. */
  adminToken?: string;
  /** Called with unexpected server errors. Default: collected in `errors` (and never thrown). */
  logError?: (error: unknown, requestId: string) => void;
}

export interface TesseraMock {
  readonly baseUrl: string;
  /** MSW handlers: every request under `baseUrl`, any method, goes to the app. */
  readonly handlers: HttpHandler[];
  /** The admin's personal access token (`tpat_…`), `Authorization: Bearer <token>`. Same after `reset()`. */
  readonly token: string;
  /** The bootstrapped workspace's id. Same after `reset()`. */
  readonly workspaceId: string;
  /** The bootstrapped admin's member id. Same after `reset()`. */
  readonly adminId: string;
  /** Audit events the app recorded since the last reset (raw keys never appear in them). */
  readonly events: readonly AuditEventInput[];
  /** Unexpected server errors since the last reset (each answered as a 500). */
  readonly errors: readonly unknown[];
  /** The current store (in memory), for assertions on state. Replaced by `reset()`. */
  readonly store: TesseraStore;
  /** Calls the app directly with a path or a full request, bypassing MSW. */
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
  /** Back to the state right after creation: only the workspace and its admin, same ids and token. */
  reset(): Promise<void>;
  /** Stops the app's background work (alert and export deliveries); call it in `afterAll`. */
  close(): Promise<void>;
}

/** Creates the mock: bootstraps a workspace and its admin on a fresh in-memory store. */
export async function createTesseraMock(options: TesseraMockOptions = {}): Promise<TesseraMock> {
  const baseUrl = (options.baseUrl ?? DEFAULT_MOCK_BASE_URL).replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const token = options.adminToken ?? generatePersonalAccessToken();
  let events: AuditEventInput[] = [];
  let errors: unknown[] = [];
  const logError = options.logError ?? ((error: unknown) => void errors.push(error));

  const first = openMemoryStore();
  const boot = await bootstrap(first, new Date(clock.now()), token);
  if (!boot) throw new Error('bootstrap did nothing on a fresh memory store');
  const workspace: WorkspaceRecord = structuredClone(boot.workspace);
  const admin: MemberRecord = structuredClone(boot.admin);

  let store = first;
  // The app keeps its audit log, usage counters and alert engine in memory (its event pipeline);
  // they are closed when the mock is reset or closed, so no timer outlives a test.
  const start = () => {
    const { app, services } = createApp({ store, clock, events: { record: (event) => void events.push(event) }, logError });
    return { app, close: () => (services as { pipeline?: { close(): Promise<void> } }).pipeline?.close() ?? Promise.resolve() };
  };
  let running = start();
  let app = running.app;

  const toApp = async (request: Request): Promise<Response> => app.fetch(request);
  const handlers = [http.all(`${baseUrl}/*`, ({ request }) => toApp(request))];

  return {
    baseUrl,
    handlers,
    token,
    workspaceId: workspace.id,
    adminId: admin.id,
    get events() {
      return events;
    },
    get errors() {
      return errors;
    },
    get store() {
      return store;
    },
    fetch(input, init) {
      const request = typeof input === 'string' ? new Request(new URL(input, `${baseUrl}/`), init) : new Request(input, init);
      return toApp(request);
    },
    async reset() {
      const fresh = openMemoryStore();
      await fresh.transact((tx) => {
        tx.putWorkspace(structuredClone(workspace));
        tx.putMember(structuredClone(admin));
      });
      await running.close();
      events = [];
      errors = [];
      store = fresh;
      running = start();
      app = running.app;
    },
    close() {
      return running.close();
    },
  };
}

/**
 * openapi-msw's typed `http` for Tessera: paths, path parameters, statuses and bodies are checked
 * against the spec at compile time. Put its handlers before the mock's (`server.use(…)`).
 */
export function tesseraHttp(baseUrl: string = DEFAULT_MOCK_BASE_URL) {
  return createOpenApiHttp<paths>({ baseUrl: baseUrl.replace(/\/+$/, '') });
}

type Problem = components['schemas']['Problem'];

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A request id in the server's format (`req_` and 22 base62 characters). */
export function mockRequestId(): string {
  let id = 'req_';
  for (let i = 0; i < 22; i++) id += base62[Math.floor(Math.random() * 62)];
  return id;
}

const titles: Record<string, string> = {
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
  insufficient_scope: 'The credential lacks a required scope',
  invalid_credentials: 'The credential is not valid',
  missing_credentials: 'No credential was sent',
};

/** A problem-details body as the server shapes it, for typed overrides: `response(500).json(problemBody(500, 'internal_error'))`. */
export function problemBody<S extends number, C extends string, X extends Partial<Problem> = {}>(status: S, code: C, extras?: X): Problem & { status: S; code: C } & X {
  return {
    type: `https://tessera.dev/problems/${code}`,
    title: titles[code] ?? code.replace(/_/g, ' '),
    status,
    detail: `Forced by a test: ${code}.`,
    code,
    request_id: mockRequestId(),
    ...(extras ?? ({} as X)),
  } as Problem & { status: S; code: C } & X;
}

/** Headers every Tessera error carries: the problem content type and a request id, plus yours. */
export function problemHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'Content-Type': 'application/problem+json', 'X-Request-Id': mockRequestId(), ...extra };
}
