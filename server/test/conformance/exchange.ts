/**
 * The conformance suite's view of a target: something that takes a request and gives back a
 * response. Every exchange is checked against the spec (specValidator) and, where the target is
 * behind `prism proxy --errors`, for Prism's own verdict; every operation answered with a
 * documented success is recorded, so the suite can tell which operations it never exercised.
 */
import { expect } from 'vitest';
import { operations, specValidator, type OperationId } from '@tessera/spec';

export interface Outgoing {
  method: string;
  path: string;
  token?: string | undefined;
  body?: unknown;
  /** A raw body (for malformed JSON and wrong media types); sent as is. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface ConformanceTarget {
  name: string;
  /** The bootstrapped admin's personal access token and workspace. */
  adminToken: string;
  workspaceId: string;
  /** Sends a request the spec allows (through Prism, on the HTTP target). */
  send(request: Request): Promise<Response>;
  /**
   * Sends a request that breaks the spec on purpose (no credential, an invalid body), to see
   * the server's own answer: Prism would refuse it itself, so the HTTP target sends it straight
   * to the server. The in-process target sends it like any other.
   */
  sendInvalid(request: Request): Promise<Response>;
  /** The verdict of a spec-checking proxy on the exchange, if any (empty when it conforms). */
  proxyViolations(response: Response, body: unknown): string[];
  close(): Promise<void>;
}

export interface Exchange {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  operationId: OperationId | undefined;
}

const RAW_SECRET = /\b[a-z][a-z0-9]{1,15}_(live|test)_[0-9A-Za-z]{36}\b|\btpat_[0-9A-Za-z]{36}\b|\bwhsec_[0-9A-Za-z]{32}\b/g;
/** Responses that hand out a secret, once. */
const HANDS_OUT_SECRETS = new Set<OperationId>(['createApiKey', 'rotateApiKey', 'createMember', 'createWorkspace', 'createAlertSubscription']);

/** The recording client the scenarios use. */
export class ConformanceClient {
  readonly violations: string[] = [];
  readonly exercised = new Map<OperationId, Set<number>>();
  readonly issuedSecrets = new Set<string>();
  private readonly leaks: string[] = [];

  constructor(readonly target: ConformanceTarget) {
    this.issuedSecrets.add(target.adminToken);
  }

  get ws(): string {
    return this.target.workspaceId;
  }

  get admin(): string {
    return this.target.adminToken;
  }

  /** A request the spec allows. */
  call(method: string, path: string, options: Omit<Outgoing, 'method' | 'path'> = {}): Promise<Exchange> {
    return this.exchange({ method, path, ...options }, false);
  }

  /** A request that breaks the spec on purpose (no credential, invalid body, wrong media type). */
  callInvalid(method: string, path: string, options: Omit<Outgoing, 'method' | 'path'> = {}): Promise<Exchange> {
    return this.exchange({ method, path, ...options }, true);
  }

  /** Asserts the status, showing the body when it differs. */
  async expect(method: string, path: string, status: number, options: Omit<Outgoing, 'method' | 'path'> = {}): Promise<Exchange> {
    const answer = await this.call(method, path, options);
    expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 600)}`).toBe(status);
    return answer;
  }

  private async exchange(outgoing: Outgoing, invalid: boolean): Promise<Exchange> {
    const headers = new Headers(outgoing.headers ?? {});
    if (outgoing.token !== undefined) headers.set('authorization', `Bearer ${outgoing.token}`);
    let body: string | undefined = outgoing.rawBody;
    if (outgoing.body !== undefined) {
      body = JSON.stringify(outgoing.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const request = new Request(`http://conformance.invalid${outgoing.path}`, { method: outgoing.method, headers, ...(body !== undefined ? { body } : {}) });
    const response = invalid ? await this.target.sendInvalid(request) : await this.target.send(request);
    const text = await response.text();
    const isJson = /^application\/([a-z.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '');
    let parsed: unknown = text || undefined;
    if (text && isJson) {
      try {
        parsed = JSON.parse(text);
      } catch {
        this.violations.push(`${outgoing.method} ${outgoing.path} -> ${response.status}: the JSON body does not parse`);
      }
    }
    const route = specValidator().matchRoute(outgoing.method, outgoing.path);
    const operationId = route?.operationId as OperationId | undefined;
    const found = [
      ...specValidator().checkExchange({ method: outgoing.method, path: outgoing.path, status: response.status, headers: response.headers, body: parsed }),
      ...this.target.proxyViolations(response, parsed).map((v) => `${outgoing.method} ${outgoing.path} -> ${response.status}: prism: ${v}`),
    ];
    if (!response.headers.get('x-request-id')) found.push(`${outgoing.method} ${outgoing.path} -> ${response.status}: no X-Request-Id`);
    this.violations.push(...found);
    if (operationId && found.length === 0 && response.status >= 200 && response.status < 300) {
      const statuses = this.exercised.get(operationId) ?? new Set<number>();
      statuses.add(response.status);
      this.exercised.set(operationId, statuses);
    }
    // A secret is shown by the response that creates it (and by an idempotent replay of that
    // response, which is the same response); anywhere else it is a leak.
    const handsOut = operationId !== undefined && HANDS_OUT_SECRETS.has(operationId) && response.status === 201;
    for (const secret of text.match(RAW_SECRET) ?? []) {
      if (handsOut) this.issuedSecrets.add(secret);
      else if (this.issuedSecrets.has(secret)) this.leaks.push(`${outgoing.method} ${outgoing.path} -> ${response.status} shows a raw secret (${secret.slice(0, 12)}…)`);
    }
    return { status: response.status, headers: response.headers, body: parsed as any, text, operationId };
  }

  /** Every problem found so far, cleared: violations of the spec, and raw secrets shown twice. */
  takeProblems(): string[] {
    return [...this.violations.splice(0), ...this.leaks.splice(0)];
  }

  /** Operations of the spec no scenario got a clean, documented success from. */
  unexercised(): OperationId[] {
    return (Object.keys(operations) as OperationId[]).filter((id) => !this.exercised.has(id));
  }
}
