/**
 * An export delivery closes every segment file it opened, whether the receiver took the whole
 * body or not (refused connection, an error status answered early, a connection cut mid-body).
 * Before, a failed delivery left its segment reader suspended with its file open until GC.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FileHandle } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPortUrl, startReceiver } from '../alerts/test-receiver.js';
import { ManualScheduler } from '../alerts/timers.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { AuditLog } from './audit-log.js';
import { AuditExportService } from './export-service.js';
import { sampleEvent, WS } from './test-support.js';

/** Files opened for reading and not closed yet. */
const openReaders = new Set<FileHandle>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args) => {
    const handle = await actual.open(...args);
    const flags = args[1];
    if (flags === undefined || flags === 'r') {
      openReaders.add(handle);
      const close = handle.close.bind(handle);
      handle.close = () => {
        openReaders.delete(handle);
        return close();
      };
    }
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

const tempDir = useTempDir('tessera-audit-export-handles-');
const START = Date.UTC(2026, 2, 19, 15);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

/** Answers 500 as soon as the headers are in, without reading the body. */
function answersEarly(): Promise<string> {
  return listen(
    createServer((req, res) => {
      res.writeHead(500, { connection: 'close' });
      res.end('nope');
      req.resume();
    }),
  );
}

/** Destroys the connection once some of the body has arrived. */
function cutsMidBody(): Promise<string> {
  return listen(
    createServer((req) => {
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= 1024) req.socket.destroy();
      });
    }),
  );
}

async function setup() {
  const clock = new ManualClock(START);
  const scheduler = new ManualScheduler(clock);
  const log = await AuditLog.open(tempDir(), { clock, maintenanceIntervalMs: 0, pruneIntervalMs: 0 });
  cleanups.push(() => log.close());
  const exports = await AuditExportService.open(tempDir(), log, { clock, scheduler, random: () => 0.5, retry: { maxAttempts: 1 } });
  cleanups.push(() => exports.close());
  // Enough events for the body to span several segment reads (over 1 MB).
  for (let i = 0; i < 3000; i += 1) {
    log.record(sampleEvent({ occurred_at: new Date(START - 3_600_000 + i).toISOString(), user_agent: `agent ${'x'.repeat(300)} ${i}` }));
  }
  await log.flush();
  return { exports };
}

describe('audit export deliveries close their segment files', () => {
  const targets: Array<[string, () => Promise<string>, RegExp | null]> = [
    ['a refused connection', closedPortUrl, /./],
    ['a 500 answered before the body was read', answersEarly, /./],
    ['a connection cut mid-body', cutsMidBody, /./],
    ['a successful delivery', async () => {
      const hook = await startReceiver();
      cleanups.push(() => hook.close());
      return hook.url;
    }, null],
  ];

  it.each(targets)('after %s', async (_name, target, error) => {
    const { exports } = await setup();
    const before = new Set(openReaders);
    const url = await target();
    for (const format of ['csv', 'ndjson'] as const) {
      const created = await exports.create(WS, { format, destination_url: url, filters: { range: '24h' } });
      await exports.idle();
      const record = await exports.get(WS, created.id);
      if (error === null) expect(record).toMatchObject({ status: 'succeeded', error: null, event_count: 3000 });
      else expect(record).toMatchObject({ status: 'failed', error: expect.stringMatching(error) });
    }
    expect([...openReaders].filter((h) => !before.has(h))).toEqual([]);
  });
});
