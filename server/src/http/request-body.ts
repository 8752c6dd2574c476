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

/** Replaces the body every later reader sees (e.g. an empty optional body read as `{}`). */
export function setBodyText(c: Context, text: string): void {
  // Hono's type declares the resolved values, though the cache holds promises at run time.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
}

export function requestBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new HTTPException(413);
  return async (c, next) => {
    if (bodyless.has(c.req.method)) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const bytes = incoming && !incoming.readableDidRead ? await readNode(incoming, maxBytes) : await readWeb(c.req.raw, maxBytes);
    if (bytes === undefined) throw tooLarge();
    setBodyText(c, decodeUtf8(bytes));
    await next();
  };
}

/** As `Request.text()` decodes: UTF-8, invalid sequences replaced, a leading byte-order mark dropped. */
function decodeUtf8(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The body's bytes, or `undefined` once it passes `maxBytes` (the rest is left to drain). */
function readNode(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        incoming.resume(); // keep discarding what is left, so the connection can answer
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(new HTTPException(400, { message: `The request body could not be read (${error.message}).`, cause: error }));
    };
    const onClose = () => onError(new Error('the connection closed before the body ended'));
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
