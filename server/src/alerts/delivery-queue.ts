/**
 * The delivery machinery shared by alert deliveries and audit exports: persisted records that are
 * `pending` until an attempt succeeds or the retry policy gives up (`succeeded` / `failed`),
 * retried with backoff on an injected {@link Scheduler}, resumed after a restart, trimmed to the
 * newest finished ones, with every running attempt and write tracked for `idle()` and `close()`.
 *
 * The owner keeps what differs: what it stores (`records` of its document), how one attempt is
 * made (`attempt`: build, sign and POST the body) and which extra fields an outcome writes
 * (`settle`). The queue writes `attempts`, `status` and `next_attempt_at`.
 */
import { byCreation } from '../domain/pagination.js';
import type { DocumentStore } from '../storage/index.js';
import { systemClock, type Clock } from '../traffic/clock.js';
import { systemScheduler, type Scheduler } from './timers.js';
import type { HostLookup } from './url.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type FetchLike, type RetryPolicy, type WebhookAttempt } from './webhook.js';

/** The options shared by the services that deliver through a queue (alert deliveries, audit exports). */
export interface WebhookDeliveryOptions {
  clock?: Clock;
  scheduler?: Scheduler;
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  /** Jitter source, [0, 1). Tests pass `() => 0.5` for exact delays. */
  random?: () => number;
  /** Default true: a local reference server delivers to 127.0.0.1 (see url.ts). */
  allowPrivateTargets?: boolean;
  lookup?: HostLookup;
  userAgent?: string;
  onError?: (error: Error) => void;
}

/** The fields of a persisted record the queue reads and writes. */
export interface DeliveryState {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
}

/** What one attempt came to. `giveUp`: fail now, even with attempts left (e.g. the target is gone). */
export interface DeliveryOutcome extends WebhookAttempt {
  giveUp?: boolean;
}

/** How an attempt ended, for the owner's own fields. */
export interface Settlement {
  /** When the attempt ended (clock ms). */
  nowMs: number;
  /** Another attempt is scheduled (the record stays `pending`). */
  retrying: boolean;
}

export interface DeliveryQueueOptions<D, R extends DeliveryState, O extends DeliveryOutcome> {
  store: DocumentStore<D>;
  /** Where the records live in the document. */
  records: (doc: D) => Record<string, R>;
  /** Make one attempt for a `pending` record. A rejection is reported and leaves the record as it was. */
  attempt: (record: R) => Promise<O>;
  /** Write the owner's fields for an outcome (inside the same update as attempts/status/next_attempt_at). */
  settle: (record: R, outcome: O, settlement: Settlement) => void;
  clock?: Clock;
  scheduler?: Scheduler;
  retry?: Partial<RetryPolicy>;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** Attempts running at once. Default: no limit. */
  maxConcurrent?: number;
  onError?: (error: Error) => void;
}

export class DeliveryQueue<D, R extends DeliveryState, O extends DeliveryOutcome = DeliveryOutcome> {
  readonly #store: DocumentStore<D>;
  readonly #records: (doc: D) => Record<string, R>;
  readonly #attemptOnce: (record: R) => Promise<O>;
  readonly #settle: (record: R, outcome: O, settlement: Settlement) => void;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #retry: RetryPolicy;
  readonly #random: () => number;
  readonly #maxConcurrent: number;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #timers = new Map<string, unknown>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #queue: string[] = [];
  #running = 0;
  #closed = false;

  constructor(options: DeliveryQueueOptions<D, R, O>) {
    this.#store = options.store;
    this.#records = options.records;
    this.#attemptOnce = options.attempt;
    this.#settle = options.settle;
    this.#clock = options.clock ?? systemClock;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#random = options.random ?? Math.random;
    this.#maxConcurrent = Math.max(1, options.maxConcurrent ?? Infinity);
    this.#onError = options.onError;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Records waiting for a retry timer. */
  get scheduledRetries(): number {
    return this.#timers.size;
  }

  #find(id: string): R | undefined {
    return this.#records(this.#store.read() as D)[id];
  }

  /** Schedule every `pending` record at its `next_attempt_at` (now if due or unset): after a restart. */
  resumePending(): void {
    const now = this.#clock.now();
    for (const record of Object.values(this.#records(this.#store.read() as D))) {
      if (record.status !== 'pending') continue;
      const at = record.next_attempt_at ? Date.parse(record.next_attempt_at) : now;
      this.#schedule(record.id, Math.max(0, at - now));
    }
  }

  /** Attempt `id` now (or once a slot is free). Call it after the record is stored. */
  enqueue(id: string): void {
    if (this.#closed) return;
    this.#queue.push(id);
    this.#pump();
  }

  /** Drop the retry timers of records no longer in the document (deleted by the owner). */
  cancelMissing(): void {
    for (const [id, timer] of this.#timers) {
      if (!this.#find(id)) {
        this.#scheduler.clearTimeout(timer);
        this.#timers.delete(id);
      }
    }
  }

  /** Have `idle()` and `close()` wait for `work`; a rejection goes to `onError`. */
  track(work: Promise<unknown>): void {
    this.#add(work.catch((error: unknown) => this.#report(error)));
  }

  #schedule(id: string, delayMs: number): void {
    if (this.#closed) return;
    const timer = this.#scheduler.setTimeout(() => {
      this.#timers.delete(id);
      this.enqueue(id);
    }, delayMs);
    this.#timers.set(id, timer);
  }

  #pump(): void {
    while (this.#running < this.#maxConcurrent && this.#queue.length > 0) {
      const id = this.#queue.shift()!;
      this.#running += 1;
      const run = this.#attempt(id)
        .catch((error: unknown) => this.#report(error))
        .finally(() => {
          this.#running -= 1;
          this.#pump();
        });
      this.#add(run);
    }
  }

  #add(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }

  async #attempt(id: string): Promise<void> {
    const record = this.#find(id);
    if (!record || record.status !== 'pending') return;
    const outcome = await this.#attemptOnce(record);
    const nowMs = this.#clock.now();
    const attempts = record.attempts + 1;
    const retrying = !outcome.ok && outcome.giveUp !== true && attempts < this.#retry.maxAttempts;
    const nextAt = retrying ? nowMs + retryDelayMs(this.#retry, attempts, this.#random) : null;
    const stillThere = await this.#store.update((doc) => {
      const current = this.#records(doc)[id];
      if (!current) return false; // deleted by the owner meanwhile
      current.attempts = attempts;
      this.#settle(current, outcome, { nowMs, retrying });
      current.status = outcome.ok ? 'succeeded' : retrying ? 'pending' : 'failed';
      current.next_attempt_at = nextAt === null ? null : new Date(nextAt).toISOString();
      return true;
    });
    if (stillThere && nextAt !== null) this.#schedule(id, nextAt - nowMs);
  }

  #report(error: unknown): void {
    this.#onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  /** Resolves when no attempt or tracked write is running (scheduled retries are not waited for). */
  async idle(): Promise<void> {
    for (let guard = 0; guard < 1000 && this.#inFlight.size > 0; guard += 1) await Promise.allSettled([...this.#inFlight]);
  }

  /** Stop scheduling and wait for running work. The owner closes its store after; pending records resume at the next open. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) this.#scheduler.clearTimeout(timer);
    this.#timers.clear();
    this.#queue.length = 0;
    await this.idle();
  }
}

/**
 * Keep at most `keep` of the records that `belongs` selects, dropping the oldest finished ones
 * first; `pending` records are never dropped. Call it inside the update that adds a record.
 */
export function trimFinished<R extends DeliveryState & { created_at: string }>(records: Record<string, R>, belongs: (record: R) => boolean, keep: number): void {
  const mine = Object.values(records).filter(belongs);
  if (mine.length <= keep) return;
  const finished = mine.filter((r) => r.status !== 'pending').sort((a, b) => byCreation(a).localeCompare(byCreation(b)));
  for (const r of finished.slice(0, mine.length - keep)) delete records[r.id];
}
