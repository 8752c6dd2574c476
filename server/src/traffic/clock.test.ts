import { describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_DEFAULT_START_MS, ManualClock, systemClock } from './clock.js';

describe('systemClock', () => {
  it('reads the wall clock in integer milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    const after = Date.now();
    expect(Number.isInteger(now)).toBe(true);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });
});

describe('ManualClock', () => {
  it('starts at a realistic fixed instant unless told otherwise', () => {
    expect(new ManualClock().now()).toBe(MANUAL_CLOCK_DEFAULT_START_MS);
    expect(new ManualClock(42).now()).toBe(42);
  });

  it('only moves when advanced or set, backwards included with set', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.advance(0);
    expect(clock.now()).toBe(1_250);
    clock.set(500);
    expect(clock.now()).toBe(500);
  });

  it('rejects negative advances and non-integer times', () => {
    const clock = new ManualClock(1_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(0.5)).toThrow(RangeError);
    expect(() => clock.set(Number.NaN)).toThrow(RangeError);
    expect(() => new ManualClock(1.5)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000);
  });
});
