import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { InMemoryRateLimiter, type RateLimitDecision, type RateLimitPolicy } from './rate-limiter.js';

const KEY = 'key_1';

function setup(startMs?: number) {
  const clock = new ManualClock(startMs);
  const limiter = new InMemoryRateLimiter({ clock });
  return { clock, limiter };
}

/** Consumes until refused at the current instant; returns how many passed. */
function drain(limiter: InMemoryRateLimiter, policy: RateLimitPolicy, key = KEY): number {
  let passed = 0;
  while (limiter.consume(key, policy).allowed) passed += 1;
  return passed;
}

function capacityOf(policy: RateLimitPolicy): number {
  return policy.requestsPerMinute + policy.burst;
}

describe('InMemoryRateLimiter: burst from a full bucket', () => {
  const policies: RateLimitPolicy[] = [
    { requestsPerMinute: 7, burst: 3 },
    { requestsPerMinute: 1000, burst: 100 },
    { requestsPerMinute: 1, burst: 0 },
    { requestsPerMinute: 60, burst: 0 },
    { requestsPerMinute: 4_000, burst: 999 },
  ];

  it.each(policies)('lets exactly limit + burst of 5,000 concurrent requests through (%o)', async (policy) => {
    const { limiter } = setup();
    const decisions = await Promise.all(
      Array.from({ length: 5_000 }, async () => {
        // Yield first so all 5,000 calls are genuinely interleaved on the event loop.
        await Promise.resolve();
        return limiter.consume(KEY, policy);
      }),
    );
    const allowed = decisions.filter((decision) => decision.allowed);
    expect(allowed).toHaveLength(capacityOf(policy));
    // Every pass saw a different remaining count: no two requests spent the same token.
    const remaining = allowed.map((decision) => decision.remaining).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: capacityOf(policy) }, (_, index) => index));
    for (const denied of decisions.filter((decision) => !decision.allowed)) {
      expect(denied.remaining).toBe(0);
      expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps separate buckets per key', () => {
    const { limiter } = setup();
    const policy = { requestsPerMinute: 7, burst: 3 };
    expect(drain(limiter, policy, 'key_a')).toBe(10);
    expect(drain(limiter, policy, 'key_b')).toBe(10);
  });
});

describe('InMemoryRateLimiter: refill', () => {
  it('at 1000/min adds exactly one request every 60 ms', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 1000, burst: 100 };
    expect(drain(limiter, policy)).toBe(1100);
    clock.advance(59);
    expect(limiter.consume(KEY, policy).allowed).toBe(false);
    clock.advance(1);
    expect(drain(limiter, policy)).toBe(1);
    clock.advance(120);
    expect(drain(limiter, policy)).toBe(2);
  });

  it('at 1000/min burst 100 gives back 1000 requests per minute and is full after 66 s', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 1000, burst: 100 };
    drain(limiter, policy);
    clock.advance(60_000);
    expect(drain(limiter, policy)).toBe(1000);
    clock.advance(66_000);
    expect(drain(limiter, policy)).toBe(1100);
    clock.advance(10 * 60_000);
    expect(drain(limiter, policy)).toBe(1100);
  });

  it('at 60/min without burst is full again after exactly 60 s', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 60, burst: 0 };
    drain(limiter, policy);
    clock.advance(59_999);
    expect(drain(limiter, policy)).toBe(59);
    clock.advance(60_000);
    expect(drain(limiter, policy)).toBe(60);
  });

  it('at 7/min grants the k-th request at exactly ceil(k × 60000 / 7) ms, with no drift', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 7, burst: 3 };
    expect(drain(limiter, policy)).toBe(10);
    const start = clock.now();
    let passed = 0;
    // Greedy client polling every millisecond for three minutes.
    for (let elapsed = 1; elapsed <= 180_000; elapsed += 1) {
      clock.set(start + elapsed);
      if (limiter.consume(KEY, policy).allowed) passed += 1;
      const expected = Math.floor((7 * elapsed) / 60_000);
      if (passed !== expected) {
        expect.fail(`after ${elapsed} ms: ${passed} passed, expected ${expected}`);
      }
    }
    expect(passed).toBe(21);
  });

  it('at 7/min stays exact over a day of coarse, irregular polling', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 7, burst: 3 };
    drain(limiter, policy);
    const start = clock.now();
    let passed = 0;
    for (let elapsed = 0; elapsed <= 24 * 3_600_000; elapsed += 997) {
      clock.set(start + elapsed);
      passed += drain(limiter, policy);
      const expected = Math.floor((7 * elapsed) / 60_000);
      if (passed !== expected) expect.fail(`after ${elapsed} ms: ${passed} passed, expected ${expected}`);
    }
    expect(passed).toBe(Math.floor((7 * 86_659 * 997) / 60_000));
  });

  it('never stores more than the capacity, however long the key is idle', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 7, burst: 3 };
    limiter.consume(KEY, policy);
    clock.advance(1_000 * 3_600_000);
    expect(drain(limiter, policy)).toBe(10);
  });

  it('does not count refused requests', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 60, burst: 0 };
    drain(limiter, policy);
    for (let i = 0; i < 100; i += 1) expect(limiter.consume(KEY, policy).allowed).toBe(false);
    clock.advance(1_000);
    expect(drain(limiter, policy)).toBe(1);
  });

  it('does not credit the same time twice when the wall clock steps backwards', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 60, burst: 0 };
    drain(limiter, policy);
    const drainedAt = clock.now();
    clock.set(drainedAt - 10 * 60_000);
    const refused = limiter.consume(KEY, policy);
    expect(refused.allowed).toBe(false);
    // The bucket refills from the latest instant already credited, so the honest wait includes
    // the ten minutes the clock jumped back.
    expect(refused.retryAfterSeconds).toBe(601);
    clock.set(drainedAt + 999);
    expect(limiter.consume(KEY, policy).allowed).toBe(false);
    clock.set(drainedAt + 1_000);
    expect(drain(limiter, policy)).toBe(1);
  });
});

describe('InMemoryRateLimiter: decision fields', () => {
  it('reports limit, burst, remaining and when the bucket is full again', () => {
    const { clock, limiter } = setup(1_700_000_000_500);
    const policy = { requestsPerMinute: 1000, burst: 100 };
    const first = limiter.consume(KEY, policy);
    expect(first).toEqual({
      allowed: true,
      limit: 1000,
      burst: 100,
      remaining: 1099,
      // One request missing refills in 60 ms: full at …000_560 ms, rounded up to whole seconds.
      resetAtSeconds: 1_700_000_001,
      resetAfterSeconds: 1,
    });
    expect(first.retryAfterSeconds).toBeUndefined();
    for (let i = 0; i < 1099; i += 1) limiter.consume(KEY, policy);
    const refused = limiter.consume(KEY, policy);
    expect(refused).toEqual({
      allowed: false,
      limit: 1000,
      burst: 100,
      remaining: 0,
      // 1100 requests at 60 ms each: full 66 s later, at …066_500 ms.
      resetAtSeconds: 1_700_000_067,
      resetAfterSeconds: 66,
      retryAfterSeconds: 1,
    });
    expect(clock.now()).toBe(1_700_000_000_500);
  });

  it('rounds Retry-After up to whole seconds at slow rates (7/min: 8571.43 ms per request)', () => {
    const { clock, limiter } = setup();
    const policy = { requestsPerMinute: 7, burst: 3 };
    drain(limiter, policy);
    expect(limiter.consume(KEY, policy).retryAfterSeconds).toBe(9);
    clock.advance(8_571);
    const almost = limiter.consume(KEY, policy);
    expect(almost.allowed).toBe(false);
    expect(almost.retryAfterSeconds).toBe(1);
    clock.advance(1);
    expect(limiter.consume(KEY, policy).allowed).toBe(true);
  });

  it('rejects policies that are not whole, positive rates', () => {
    const { limiter } = setup();
    expect(() => limiter.consume(KEY, { requestsPerMinute: 0, burst: 0 })).toThrow(RangeError);
    expect(() => limiter.consume(KEY, { requestsPerMinute: 1.5, burst: 0 })).toThrow(RangeError);
    expect(() => limiter.consume(KEY, { requestsPerMinute: 10, burst: -1 })).toThrow(RangeError);
    expect(() => limiter.consume(KEY, { requestsPerMinute: 10, burst: Number.NaN })).toThrow(RangeError);
    expect(() => limiter.consume(KEY, { requestsPerMinute: Number.MAX_SAFE_INTEGER, burst: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('InMemoryRateLimiter: properties over random histories', () => {
  const policyArb = fc.record({
    requestsPerMinute: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5_000 })),
    burst: fc.integer({ min: 0, max: 200 }),
  });
  const stepArb = fc.oneof(
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
    fc.record({ kind: fc.constant('consume' as const), times: fc.integer({ min: 1, max: 300 }) }),
  );
  type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

  function replay(policy: RateLimitPolicy, steps: Step[]) {
    const { clock, limiter } = setup();
    for (const step of steps) {
      if (step.kind === 'advance') clock.advance(step.ms);
      else for (let i = 0; i < step.times; i += 1) limiter.consume(KEY, policy);
    }
    const last: RateLimitDecision = limiter.consume(KEY, policy);
    return { clock, limiter, last };
  }

  it('Retry-After is never early and never more than one second late', () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { maxLength: 30 }), (policy, steps) => {
        const { clock, limiter } = setup();
        let checkedRefusals = 0;
        const checkRefusal = (decision: RateLimitDecision) => {
          if (decision.allowed) return;
          checkedRefusals += 1;
          const refusedAt = clock.now();
          const wait = decision.retryAfterSeconds;
          expect(Number.isInteger(wait) && wait >= 1).toBe(true);
          if (wait > 1) {
            clock.set(refusedAt + (wait - 1) * 1_000);
            expect(limiter.consume(KEY, policy).allowed).toBe(false);
          }
          clock.set(refusedAt + wait * 1_000);
          expect(limiter.consume(KEY, policy).allowed).toBe(true);
        };
        for (const step of steps) {
          if (step.kind === 'advance') clock.advance(step.ms);
          else for (let i = 0; i < step.times; i += 1) checkRefusal(limiter.consume(KEY, policy));
        }
        // Always end with at least one refusal checked.
        while (limiter.consume(KEY, policy).allowed) {
          /* drain */
        }
        checkRefusal(limiter.consume(KEY, policy));
        expect(checkedRefusals).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('remaining is exactly how many more requests pass at the same instant', () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { maxLength: 30 }), (policy, steps) => {
        const { limiter, last } = replay(policy, steps);
        expect(drain(limiter, policy)).toBe(last.remaining);
      }),
      { numRuns: 300 },
    );
  });

  it('the bucket is full at the reported reset and not yet full a second earlier', () => {
    /** Replays the same history and drains at `atMs`: how many requests pass then. */
    const passingAt = (policy: RateLimitPolicy, steps: Step[], atMs: number) => {
      const { clock, limiter } = replay(policy, steps);
      clock.set(atMs);
      return drain(limiter, policy);
    };
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { maxLength: 30 }), (policy, steps) => {
        const { clock, last } = replay(policy, steps);
        const decidedAt = clock.now();
        const capacity = capacityOf(policy);

        // X-RateLimit-Reset (absolute unix seconds).
        expect(passingAt(policy, steps, last.resetAtSeconds * 1_000)).toBe(capacity);
        const secondBeforeReset = (last.resetAtSeconds - 1) * 1_000;
        if (secondBeforeReset >= decidedAt) {
          expect(passingAt(policy, steps, secondBeforeReset)).toBeLessThan(capacity);
        }

        // RateLimit t= (delta seconds). A request was just counted, so the bucket is not full now.
        expect(last.resetAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(passingAt(policy, steps, decidedAt + last.resetAfterSeconds * 1_000)).toBe(capacity);
        expect(passingAt(policy, steps, decidedAt + (last.resetAfterSeconds - 1) * 1_000)).toBeLessThan(capacity);
      }),
      { numRuns: 200 },
    );
  });
});

describe('InMemoryRateLimiter: policy edits', () => {
  it('raising the limit takes effect at once: what was used stays used', () => {
    const { limiter } = setup();
    const small = { requestsPerMinute: 10, burst: 0 };
    expect(drain(limiter, small)).toBe(10);
    const large = { requestsPerMinute: 100, burst: 20 };
    expect(drain(limiter, large)).toBe(110);
  });

  it('lowering the limit does not hand out a fresh allowance', () => {
    const { limiter } = setup();
    const large = { requestsPerMinute: 1000, burst: 100 };
    for (let i = 0; i < 50; i += 1) limiter.consume(KEY, large);
    const small = { requestsPerMinute: 60, burst: 0 };
    // 50 used out of a new capacity of 60.
    expect(drain(limiter, small)).toBe(10);
  });

  it('a drained bucket under a lowered limit refills at the new rate', () => {
    const { clock, limiter } = setup();
    drain(limiter, { requestsPerMinute: 1000, burst: 100 });
    const small = { requestsPerMinute: 60, burst: 0 };
    const refused = limiter.consume(KEY, small);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    clock.advance(999);
    expect(limiter.consume(KEY, small).allowed).toBe(false);
    clock.advance(1);
    expect(drain(limiter, small)).toBe(1);
    clock.advance(60_000);
    expect(drain(limiter, small)).toBe(60);
  });
});

describe('InMemoryRateLimiter: memory', () => {
  const policy = { requestsPerMinute: 60, burst: 0 };

  it('sweep drops the buckets that are full again and keeps the others', () => {
    const { clock, limiter } = setup();
    limiter.consume('idle', policy);
    clock.advance(500);
    limiter.consume('busy', policy);
    expect(limiter.size).toBe(2);
    clock.advance(500);
    // 'idle' refilled its one request at +1000 ms; 'busy' needs until +1500 ms.
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(1);
    clock.advance(500);
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(0);
  });

  it('a swept bucket behaves exactly like a full one', () => {
    const { clock, limiter } = setup();
    drain(limiter, policy);
    clock.advance(60_000);
    limiter.sweep();
    expect(limiter.size).toBe(0);
    expect(drain(limiter, policy)).toBe(60);
  });

  it('sweeps on its own once per interval while consuming', () => {
    const clock = new ManualClock();
    const limiter = new InMemoryRateLimiter({ clock, sweepIntervalMs: 10_000 });
    for (let i = 0; i < 100; i += 1) limiter.consume(`key_${i}`, policy);
    expect(limiter.size).toBe(100);
    clock.advance(9_999);
    limiter.consume('trigger', policy);
    expect(limiter.size).toBe(101);
    clock.advance(1);
    limiter.consume('trigger', policy);
    // The 100 old buckets were full after 1 s and went; only the fresh one remains.
    expect(limiter.size).toBe(1);
  });

  it('caps the number of buckets, dropping the least recently used', () => {
    const clock = new ManualClock();
    const limiter = new InMemoryRateLimiter({ clock, maxBuckets: 3 });
    for (const key of ['a', 'b', 'c']) drain(limiter, policy, key);
    limiter.consume('a', policy); // touch: 'b' is now the least recently used
    limiter.consume('d', policy);
    expect(limiter.size).toBe(3);
    expect(limiter.consume('a', policy).allowed).toBe(false);
    expect(limiter.consume('c', policy).allowed).toBe(false);
    // 'b' was forgotten and starts from full.
    expect(limiter.consume('b', policy).allowed).toBe(true);
  });

  it('reset forgets a bucket', () => {
    const { limiter } = setup();
    drain(limiter, policy);
    limiter.reset(KEY);
    expect(limiter.size).toBe(0);
    expect(drain(limiter, policy)).toBe(60);
  });
});
