/**
 * Client options, resolved against the environment (`TESSERA_API_KEY`, `TESSERA_BASE_URL`,
 * `TESSERA_WORKSPACE_ID`) and checked before any request is made.
 */
import { displayPrefixOf, explainCredentialProblem, lastFourOf, looksLikeTesseraKey } from '../key-format.js';
import { TesseraError } from './errors.js';

/** The local reference server, used when neither `baseURL` nor `TESSERA_BASE_URL` is set. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4000';
/** Retries after the first attempt, by default. */
export const DEFAULT_MAX_RETRIES = 2;
/** Per-attempt timeout by default, ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** The longest server-requested wait honoured by default, ms. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

/** What a custom `fetch` option must accept: the SDK calls it with a `Request` per attempt. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Options of `new Tessera()` (and `createTransport`). Unset options are read from the environment. */
export interface ClientOptions {
  /** API key or personal access token. Default: `TESSERA_API_KEY`. */
  apiKey?: string | null | undefined;
  /** Default: `TESSERA_BASE_URL`, else `http://127.0.0.1:4000`. */
  baseURL?: string | null | undefined;
  /** Default workspace for workspace-scoped calls. Default: `TESSERA_WORKSPACE_ID`. */
  workspaceId?: string | null | undefined;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number | undefined;
  /** Longest wait the server may ask for (Retry-After / rate-limit reset) before the SDK gives up instead, ms. Default 60 000. */
  maxRetryDelay?: number | undefined;
  /** Per-attempt timeout in ms (until the response headers arrive). Default 60 000. */
  timeout?: number | undefined;
  /** Custom fetch, given a `Request` per attempt. Default: `globalThis.fetch`, looked up at call time (so test interceptors installed later apply). */
  fetch?: FetchLike | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /**
   * Allow running in a browser. Off by default: a key shipped to a browser is readable by anyone who
   * opens the page. Enable only for a key meant to be public, or behind your own auth.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** {@link ClientOptions} resolved against the environment and checked. */
export interface ResolvedConfig {
  /** The credential, checked offline. */
  apiKey: string;
  /** The base URL, without a trailing slash. */
  baseURL: string;
  /** The default workspace, if any. */
  workspaceId: string | undefined;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The longest server-requested wait honoured, ms. */
  maxRetryDelay: number;
  /** Per-attempt timeout, ms. */
  timeout: number;
  /** The custom fetch, if any; otherwise the global one, looked up at each attempt. */
  fetch: FetchLike | undefined;
  /** Headers sent with every request. */
  defaultHeaders: Record<string, string>;
}

interface RuntimeGlobals {
  process?: { env?: Record<string, string | undefined> };
  Deno?: { env?: { get?: (name: string) => string | undefined } };
}

/**
 * Reads an environment variable from `globals` (Node/Bun `process.env`, else `Deno.env`), trimmed; empty
 * means unset. Never throws: Deno without `--allow-env` simply reads as unset.
 */
export function readEnvFrom(globals: RuntimeGlobals, name: string): string | undefined {
  let value: string | undefined;
  try {
    if (globals.process?.env) value = globals.process.env[name];
    else if (typeof globals.Deno?.env?.get === 'function') value = globals.Deno.env.get(name);
  } catch {
    value = undefined;
  }
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads an environment variable of the current runtime (see `readEnvFrom`). */
export function readEnv(name: string): string | undefined {
  return readEnvFrom(globalThis as RuntimeGlobals, name);
}

/** A browser page (not Deno, which defines `window` in older versions but has no `document`). */
export function isBrowserLike(globals: object = globalThis): boolean {
  const g = globals as { window?: unknown; document?: unknown; Deno?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined' && typeof g.Deno === 'undefined';
}

/** A safe-to-log hint of the credential: what the server shows for keys, the last 4 for anything else. */
export function credentialHint(apiKey: string): string {
  return looksLikeTesseraKey(apiKey) ? `${displayPrefixOf(apiKey)}…${lastFourOf(apiKey)}` : `…${lastFourOf(apiKey)}`;
}

function optionString(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function checkNonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TesseraError(`The ${name} option must be a non-negative integer, got ${value}.`);
  return value;
}

function checkPositiveMs(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TesseraError(`The ${name} option must be a positive number of milliseconds, got ${value}.`);
  }
  return value;
}

/**
 * Resolves options against the environment. Environment values and the `baseURL` / `workspaceId` options
 * are trimmed, and empty means unset. The `apiKey` option is checked exactly as given (not trimmed): a
 * stray newline or space is reported with where it is, before any request is sent.
 */
export function resolveConfig(options: ClientOptions = {}, globals: object = globalThis): ResolvedConfig {
  const env = (name: string) => readEnvFrom(globals as RuntimeGlobals, name);

  if (isBrowserLike(globals) && !options.dangerouslyAllowBrowser) {
    throw new TesseraError(
      'The Tessera SDK refuses to run in a browser by default: your API key would be visible to anyone who opens the page. ' +
        'Call Tessera from your server, or pass `dangerouslyAllowBrowser: true` if you understand the risk.',
    );
  }

  const fromOption = options.apiKey !== undefined && options.apiKey !== null;
  const apiKey = fromOption ? options.apiKey! : env('TESSERA_API_KEY');
  if (apiKey === undefined) {
    throw new TesseraError(
      'No Tessera API key: set the TESSERA_API_KEY environment variable, or pass the `apiKey` option (for example `new Tessera({ apiKey })`).',
    );
  }
  const source = fromOption ? 'The `apiKey` option' : 'The TESSERA_API_KEY environment variable';
  const problem = explainCredentialProblem(apiKey);
  if (problem) {
    // The problem message never repeats the key; the display prefix helps tell which key is meant.
    // Only for key-shaped values: the first 12 characters of an opaque operator token are not public.
    const showPrefix = looksLikeTesseraKey(apiKey) && problem.code !== 'empty' && problem.code !== 'bearer_included';
    const starts = showPrefix ? ` (it starts with ${JSON.stringify(displayPrefixOf(apiKey.trim()))})` : '';
    throw new TesseraError(`${source} does not hold a valid Tessera key${starts} [${problem.code}]: ${problem.message}`);
  }

  const baseURL = optionString(options.baseURL) ?? env('TESSERA_BASE_URL') ?? DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseURL);
  } catch {
    throw new TesseraError(`The base URL ${JSON.stringify(baseURL)} (from the baseURL option or TESSERA_BASE_URL) is not a valid URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TesseraError(`The base URL ${JSON.stringify(baseURL)} (from the baseURL option or TESSERA_BASE_URL) must use http or https.`);
  }

  return {
    apiKey,
    baseURL: baseURL.replace(/\/+$/, ''),
    workspaceId: optionString(options.workspaceId) ?? env('TESSERA_WORKSPACE_ID'),
    maxRetries: checkNonNegativeInteger('maxRetries', options.maxRetries ?? DEFAULT_MAX_RETRIES),
    maxRetryDelay: checkPositiveMs('maxRetryDelay', options.maxRetryDelay ?? DEFAULT_MAX_RETRY_DELAY_MS),
    timeout: checkPositiveMs('timeout', options.timeout ?? DEFAULT_TIMEOUT_MS),
    fetch: options.fetch,
    defaultHeaders: { ...options.defaultHeaders },
  };
}
