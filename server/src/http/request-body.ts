/**
 * Reads a request's body once, up front, enforcing the size limit, and leaves the text in Hono's
 * body cache so validators and handlers keep using `c.req.json()` / `c.req.text()`.
 *
 * Behind `@hono/node-server` the body is read straight from Node's IncomingMessage: going through
 * the Web `Request` instead makes the adapter build an undici Request, a ReadableStream and an
 * AbortSignal per request, which cost more than everything else a verify does. Everywhere else
 * (in-process tests, MSW handlers, other runtimes) it is read from the Web `Request`.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const bodyless = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A 415 whose message says what is wrong with the media type (the app answers it as problem+json). */
export class UnsupportedMediaTypeError extends HTTPException {
  constructor(detail: string) {
    super(415, { message: detail });
  }
}

/** Replaces the body every later reader sees (e.g. an empty optional body read as `{}`). */
export function setBodyText(c: Context, text: string): void {
  // Hono's type declares the resolved values, though the cache holds promises at run time.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
}

export function requestBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new HTTPException(413);
  return async (c, next) => {
    if (bodyless.has(c.req.method)) return next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    // Node has parsed the headers already; c.req.header() would first copy them all into a Headers.
    const declared = incoming ? incoming.headers['content-length'] : c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
    const contentType = incoming ? incoming.headers['content-type'] : c.req.header('content-type');
    const bytes = incoming && !incoming.readableDidRead ? await readNode(incoming, maxBytes) : await readWeb(c.req.raw, maxBytes);
    if (bytes === undefined) throw tooLarge();
    // Only a body has a charset: a bodyless POST (revoke, say) is not refused for its header.
    if (bytes.length > 0 && contentType !== undefined && hasForeignCharset(contentType)) {
      throw new UnsupportedMediaTypeError('A JSON body must be UTF-8: send Content-Type: application/json, without a charset or with charset=utf-8.');
    }
    setBodyText(c, decodeBody(bytes, contentType));
    await next();
  };
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Whether a Content-Type names JSON (`application/json`, `application/problem+json`, any parameters). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_MEDIA_TYPE.test(contentType.split(';', 1)[0]!.trim());
}

/** A JSON media type with a `charset` parameter other than UTF-8 (`application/json; charset=latin1`). */
function hasForeignCharset(contentType: string): boolean {
  if (!/charset/i.test(contentType) || !isJsonMediaType(contentType)) return false;
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, value = ''] = parameter.split('=', 2).map((part) => part.trim());
    if (name!.toLowerCase() !== 'charset') continue;
    const charset = value.replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return true;
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * The body as UTF-8 text, a leading byte-order mark dropped. A JSON body that is not valid UTF-8
 * is refused (400 `invalid_json`) rather than read with replacement characters, which would store
 * text the client never sent. Any other body is decoded as `Request.text()` does (invalid
 * sequences replaced): its media type is refused later anyway (415).
 */
function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  try {
    return utf8.decode(bytes); // one pass: validates and decodes
  } catch {
    if (isJsonMediaType(contentType)) throw new HTTPException(400, { message: 'The request body is not valid UTF-8.' });
    return lenientUtf8.decode(bytes);
  }
}

/** One body being read from Node's stream; the listeners find it through the stream (`this`). */
interface NodeRead {
  chunks: Buffer[];
  size: number;
  maxBytes: number;
  resolve(bytes: Uint8Array | undefined): void;
  reject(error: unknown): void;
}

const reads = new WeakMap<IncomingMessage, NodeRead>();

// Listeners are shared module functions rather than closures made per request: a request has no
// business allocating (and, under tsx, naming) five functions just to collect its body.
function onData(this: IncomingMessage, chunk: Buffer): void {
  const read = reads.get(this)!;
  read.size += chunk.length;
  if (read.size <= read.maxBytes) {
    read.chunks.push(chunk);
    return;
  }
  finish(this);
  this.resume(); // keep discarding what is left, so the connection can still be answered
  read.resolve(undefined);
}

function onEnd(this: IncomingMessage): void {
  const read = finish(this);
  read.resolve(read.chunks.length === 1 ? read.chunks[0]! : Buffer.concat(read.chunks, read.size));
}

function onError(this: IncomingMessage, error: Error): void {
  finish(this).reject(new HTTPException(400, { message: `The request body could not be read (${error.message}).`, cause: error }));
}

function onClose(this: IncomingMessage): void {
  onError.call(this, new Error('the connection closed before the body ended'));
}

function finish(incoming: IncomingMessage): NodeRead {
  incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
  const read = reads.get(incoming)!;
  reads.delete(incoming);
  return read;
}

/** The body's bytes, or `undefined` once it passes `maxBytes` (the rest is left to drain). */
function readNode(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  // A client that hung up while earlier middleware ran has a stream that will never emit again.
  if (incoming.destroyed || incoming.readableAborted || incoming.errored) {
    return Promise.reject(new HTTPException(400, { message: 'The request body could not be read (the connection closed before the body ended).' }));
  }
  return new Promise((resolve, reject) => {
    reads.set(incoming, { chunks: [], size: 0, maxBytes, resolve, reject });
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

async function readWeb(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
