import { describe, expect, it } from 'vitest';
import { failuresOf, runEach, together } from './run-each.js';

describe('runEach', () => {
  it('runs every step in order even when earlier ones fail', async () => {
    const ran: string[] = [];
    const failures = await failuresOf([
      () => ran.push('idempotency'),
      () => Promise.reject(new Error('disk full')),
      () => {
        ran.push('store');
        throw new Error('lock');
      },
      async () => ran.push('last'),
    ]);
    expect(ran).toEqual(['idempotency', 'store', 'last']);
    expect(failures.map((error) => (error as Error).message)).toEqual(['disk full', 'lock']);
  });

  it('throws a single failure as it is', async () => {
    const failure = new RangeError('only this');
    await expect(runEach('stopping', [() => undefined, () => Promise.reject(failure)])).rejects.toBe(failure);
    await expect(runEach('stopping', [() => undefined])).resolves.toBeUndefined();
  });

  it('throws several as one AggregateError that names each', () => {
    const failures = [new Error('EISDIR: snapshot'), new Error('ENOSPC: audit')];
    const error = together(failures, 'stopping the server') as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toEqual(failures);
    expect(error.message).toBe('stopping the server: 2 failures: EISDIR: snapshot; ENOSPC: audit');
  });
});
