import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDocumentStore } from '../storage/index.js';
import { ManualClock } from '../traffic/clock.js';
import { DeliveryQueue, trimFinished, type DeliveryOutcome, type DeliveryQueueOptions, type DeliveryState, type Settlement } from './delivery-queue.js';
import { ManualScheduler } from './timers.js';

const START = Date.UTC(2026, 2, 19, 16);
const iso = (ms: number) => new Date(ms).toISOString();

interface Job extends DeliveryState {
  group: string;
  created_at: string;
  last_error: string | null;
}

interface Doc {
  jobs: Record<string, Job>;
}

function job(id: string, fields: Partial<Job> = {}): Job {
  return { id, group: 'g', created_at: iso(START), status: 'pending', attempts: 0, next_attempt_at: iso(START), last_error: null, ...fields };
}

const ok: DeliveryOutcome = { ok: true, status: 200, error: null };
const fail: DeliveryOutcome = { ok: false, status: 500, error: 'HTTP 500' };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A queue over an in-memory document. `respond(job, attemptNumber)` decides each attempt's outcome
 * (default: succeed); every attempt and settlement is recorded.
 */
function setup(options: { jobs?: Job[]; respond?: (job: Job, n: number) => DeliveryOutcome | Promise<DeliveryOutcome> } & Partial<DeliveryQueueOptions<Doc, Job, DeliveryOutcome>> = {}) {
  const { jobs = [], respond = () => ok, ...rest } = options;
  const clock = new ManualClock(START);
  const scheduler = new ManualScheduler(clock);
  const store = new MemoryDocumentStore<Doc>({ jobs: Object.fromEntries(jobs.map((j) => [j.id, j])) });
  const attempts: Array<{ id: string; at: number }> = [];
  const settlements: Array<{ id: string } & Settlement> = [];
  const errors: Error[] = [];
  const queue = new DeliveryQueue<Doc, Job>({
    store,
    records: (doc) => doc.jobs,
    attempt: async (j) => {
      attempts.push({ id: j.id, at: clock.now() });
      return respond(j, attempts.filter((a) => a.id === j.id).length);
    },
    settle: (j, outcome, settlement) => {
      j.last_error = outcome.error;
      settlements.push({ id: j.id, ...settlement });
    },
    clock,
    scheduler,
    random: () => 0.5,
    onError: (error) => errors.push(error),
    ...rest,
  });
  cleanups.push(async () => {
    await queue.close();
    await store.close();
  });
  const read = (id: string) => store.read().jobs[id];
  const add = async (j: Job) => {
    await store.update((doc) => {
      doc.jobs[j.id] = j;
    });
    queue.enqueue(j.id);
  };
  return { clock, scheduler, store, queue, attempts, settlements, errors, read, add };
}

describe('DeliveryQueue', () => {
  it('attempts an enqueued record at once and schedules a retry after a failure', async () => {
    const { queue, scheduler, attempts, read, add } = setup({ respond: (_j, n) => (n === 1 ? fail : ok) });
    await add(job('a'));
    await queue.idle();
    expect(attempts).toEqual([{ id: 'a', at: START }]);
    expect(read('a')).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500', next_attempt_at: iso(START + 10_000) });
    expect(queue.scheduledRetries).toBe(1);
    expect(scheduler.nextAt).toBe(START + 10_000);
    scheduler.advance(9_999);
    await queue.idle();
    expect(attempts).toHaveLength(1);
    scheduler.advance(1);
    await queue.idle();
    expect(attempts).toEqual([
      { id: 'a', at: START },
      { id: 'a', at: START + 10_000 },
    ]);
    expect(queue.scheduledRetries).toBe(0);
  });

  it('retries until an attempt succeeds, telling the owner each time', async () => {
    const { queue, scheduler, settlements, read, add } = setup({ respond: (_j, n) => (n < 3 ? fail : ok) });
    await add(job('a'));
    await queue.idle();
    for (let i = 0; i < 10 && scheduler.pending > 0; i += 1) {
      scheduler.runNext();
      await queue.idle();
    }
    expect(read('a')).toMatchObject({ status: 'succeeded', attempts: 3, last_error: null, next_attempt_at: null });
    expect(settlements).toEqual([
      { id: 'a', nowMs: START, retrying: true },
      { id: 'a', nowMs: START + 10_000, retrying: true },
      { id: 'a', nowMs: START + 30_000, retrying: false },
    ]);
  });

  it("gives up after the policy's attempts, with exponential delays", async () => {
    const { queue, scheduler, clock, attempts, read, add } = setup({ respond: () => fail, retry: { maxAttempts: 4, baseDelayMs: 1000, jitter: 0 } });
    await add(job('a'));
    await queue.idle();
    for (let i = 0; i < 10 && scheduler.pending > 0; i += 1) {
      scheduler.runNext();
      await queue.idle();
    }
    expect(attempts.map((a) => a.at - START)).toEqual([0, 1000, 3000, 7000]);
    expect(read('a')).toMatchObject({ status: 'failed', attempts: 4, last_error: 'HTTP 500', next_attempt_at: null });
    expect(queue.scheduledRetries).toBe(0);
    expect(clock.now()).toBe(START + 7000);
  });

  it('fails at once on a giveUp outcome, attempts left or not', async () => {
    const { queue, read, add } = setup({ respond: () => ({ ok: false, status: null, error: 'gone', giveUp: true }) });
    await add(job('a'));
    await queue.idle();
    expect(read('a')).toMatchObject({ status: 'failed', attempts: 1, last_error: 'gone', next_attempt_at: null });
    expect(queue.scheduledRetries).toBe(0);
  });

  it('resumes pending records after a restart, each at its next_attempt_at', async () => {
    const { queue, scheduler, attempts, read } = setup({
      jobs: [
        job('overdue', { attempts: 1, next_attempt_at: iso(START - 60_000) }),
        job('later', { attempts: 2, next_attempt_at: iso(START + 5_000) }),
        job('unset', { attempts: 1, next_attempt_at: null }),
        job('done', { status: 'succeeded', attempts: 1, next_attempt_at: null }),
        job('dead', { status: 'failed', attempts: 5, next_attempt_at: null }),
      ],
    });
    queue.resumePending();
    expect(queue.scheduledRetries).toBe(3);
    scheduler.advance(0);
    await queue.idle();
    expect(attempts.map((a) => a.id)).toEqual(['overdue', 'unset']);
    scheduler.advance(5_000);
    await queue.idle();
    expect(attempts.map((a) => a.id)).toEqual(['overdue', 'unset', 'later']);
    expect(read('later')).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(read('done')).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('runs at most maxConcurrent attempts at once', async () => {
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const { queue, attempts, add } = setup({
      maxConcurrent: 2,
      respond: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running -= 1;
        return ok;
      },
    });
    for (const id of ['a', 'b', 'c', 'd']) await add(job(id));
    expect(attempts.map((a) => a.id)).toEqual(['a', 'b']);
    for (let i = 0; i < 10 && gates.length > 0; i += 1) {
      gates.splice(0).forEach((open) => open());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await queue.idle();
    expect(attempts.map((a) => a.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(2);
  });

  it('drops the timers of deleted records, and stops scheduling once closed', async () => {
    const { queue, store, scheduler, attempts, add } = setup({ respond: () => fail });
    await add(job('a'));
    await add(job('b'));
    await queue.idle();
    expect(queue.scheduledRetries).toBe(2);
    await store.update((doc) => {
      delete doc.jobs.a;
    });
    queue.cancelMissing();
    expect(queue.scheduledRetries).toBe(1);
    expect(scheduler.pending).toBe(1);
    await queue.close();
    expect(queue.closed).toBe(true);
    expect(scheduler.pending).toBe(0);
    queue.enqueue('b');
    scheduler.advance(3_600_000);
    await queue.idle();
    expect(attempts).toHaveLength(2);
  });

  it('reports a failing attempt and leaves its record as it was', async () => {
    const { queue, errors, read, add } = setup({
      respond: () => {
        throw new Error('boom');
      },
    });
    await add(job('a'));
    await queue.idle();
    expect(errors.map((e) => e.message)).toEqual(['boom']);
    expect(read('a')).toMatchObject({ status: 'pending', attempts: 0 });
    queue.track(Promise.reject(new Error('write failed')));
    await queue.idle();
    expect(errors.map((e) => e.message)).toEqual(['boom', 'write failed']);
  });
});

describe('trimFinished', () => {
  it('keeps the newest records of a group, never dropping pending ones or other groups', () => {
    const at = (s: number) => iso(START + s * 1000);
    const records: Record<string, Job> = Object.fromEntries(
      [
        job('p0', { created_at: at(0), status: 'pending' }),
        job('f1', { created_at: at(1), status: 'failed' }),
        job('s2', { created_at: at(2), status: 'succeeded' }),
        job('s3', { created_at: at(3), status: 'succeeded' }),
        job('s4', { created_at: at(4), status: 'succeeded' }),
        job('other', { created_at: at(-1), status: 'succeeded', group: 'h' }),
      ].map((j) => [j.id, j]),
    );
    trimFinished(records, (j) => j.group === 'g', 3);
    expect(Object.keys(records).sort()).toEqual(['other', 'p0', 's3', 's4']);
    trimFinished(records, (j) => j.group === 'g', 3);
    expect(Object.keys(records)).toHaveLength(4);
    trimFinished(records, (j) => j.group === 'g', 1);
    expect(Object.keys(records).sort()).toEqual(['other', 'p0']);
  });
});
