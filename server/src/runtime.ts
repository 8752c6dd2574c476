/**
 * Everything `npm start` runs, in order: the data folder (lock, records, checkpoints), the saved
 * idempotent responses, the event pipeline (audit log, usage counters, alerts), the app, the first
 * admin, the socket. `close()` undoes it in reverse, flushing every buffer.
 *
 * `close()`, `flush()` and a failed start run every part's step even when an earlier one fails (a
 * failed idempotency save must not leave last-used times unsaved and the folder locked), then
 * throw: a single failure as it is, several as one AggregateError (see run-each.ts).
 */
import type { BootstrapResult } from './domain/workspaces.js';
import { bootstrap } from './domain/workspaces.js';
import { openFileStore } from './data/open.js';
import type { ServerConfig } from './config.js';
import { containsSecret } from './audit/redact.js';
import { openEventPipeline, type EventPipeline } from './events.js';
import { failuresOf, runEach, together } from './run-each.js';
import { listen, type ListenOptions } from './server.js';
import { PersistentIdempotency, systemClock, type Clock } from './traffic/index.js';
import { messageOf } from './error-message.js';

export interface RunningTessera {
  url: string;
  port: number;
  bootstrapped: BootstrapResult | undefined;
  /** Writes what the background saves would write (idempotent responses, events, last-used times) now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** How often completed idempotent requests are saved (default 5 s): what a crash can lose at most. */
  idempotencySaveIntervalMs?: number;
}

export async function startTessera(
  config: ServerConfig,
  clock: Clock = systemClock,
  configureApp?: ListenOptions['configureApp'],
  options: StartOptions = {},
): Promise<RunningTessera> {
  const store = await openFileStore(config.dataDir, {
    onFailure: (error) => console.error(`tessera-server: storage failed: ${error.message}`),
    // Nothing is lost (the journal holds every change) and the checkpoint is retried; still, say so.
    onCheckpointError: (error) => console.error(`tessera-server: checkpoint failed, will retry: ${messageOf(error)}`),
  });
  let idempotency: PersistentIdempotency | undefined;
  let pipeline: EventPipeline | undefined;
  try {
    // Responses that reveal a secret are saved without it: the same rule as the audit log's redaction.
    idempotency = await PersistentIdempotency.open(config.dataDir, {
      clock,
      containsSecret,
      ...(options.idempotencySaveIntervalMs === undefined ? {} : { saveIntervalMs: options.idempotencySaveIntervalMs }),
    });
    pipeline = await openEventPipeline({ dataDir: config.dataDir, store, clock, exportSigningSecret: config.exportSigningSecret });
    const bootstrapped = await bootstrap(store, new Date(clock.now()), config.adminToken);
    const server = await listen({
      store,
      clock,
      pipeline,
      idempotency: idempotency.store,
      port: config.port,
      host: config.host,
      ...(configureApp ? { configureApp } : {}),
    });
    return {
      url: server.url,
      port: server.port,
      bootstrapped,
      flush: () => runEach('flushing the server', [() => idempotency!.flush(), () => pipeline!.flush(), () => store.flush()]),
      close: () =>
        runEach('stopping the server', [
          // The requests still running complete their idempotency entries before the last save.
          () => server.close(),
          () => idempotency!.close(),
          () => pipeline!.close(),
          () => store.close(),
        ]),
    };
  } catch (error) {
    const closing = await failuresOf([() => pipeline?.close(), () => idempotency?.close(), () => store.close()]);
    throw together([error, ...closing], 'starting the server');
  }
}
