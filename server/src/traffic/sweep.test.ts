import { describe, expect, it } from 'vitest';
import { deleteWhere, SweepSchedule } from './sweep.js';

describe('SweepSchedule', () => {
  it('starts the interval on the first call, then is due every interval', () => {
    const sweeps = new SweepSchedule(1000);
    expect(sweeps.due(5000)).toBe(false);
    expect(sweeps.due(5999)).toBe(false);
    expect(sweeps.due(6000)).toBe(true);
    sweeps.swept(6000);
    expect(sweeps.due(6500)).toBe(false);
    expect(sweeps.due(7000)).toBe(true);
  });

  it('is due after the clock steps backwards', () => {
    const sweeps = new SweepSchedule(60_000);
    sweeps.swept(10_000);
    expect(sweeps.due(9_999)).toBe(true);
  });
});

describe('deleteWhere', () => {
  it('deletes the selected entries in place and counts them', () => {
    const map = new Map([['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
    expect(deleteWhere(map, (n) => n % 2 === 0)).toBe(2);
    expect([...map.keys()]).toEqual(['a', 'c']);
    expect(deleteWhere(map, () => false)).toBe(0);
  });
});
