/**
 * Stopping or flushing several parts in turn: each part must run its step even when an earlier
 * one failed, or one failed save (a full disk) would leave the others unsaved and the data
 * folder locked.
 */
import { messageOf } from './error-message.js';

/** Runs `steps` in order, each whatever the earlier ones did; returns what they threw, in order. */
export async function failuresOf(steps: ReadonlyArray<() => unknown>): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  return failures;
}

/**
 * The error to throw for `failures` (at least one): a single failure as it is, so that a caller
 * sees its type and message unchanged; several as one `AggregateError` holding them in order,
 * its message naming each (a caller that prints only the message still sees them all).
 */
export function together(failures: readonly unknown[], what: string): unknown {
  if (failures.length === 1) return failures[0];
  return new AggregateError(failures, `${what}: ${failures.length} failures: ${failures.map(messageOf).join('; ')}`);
}

/** Runs every step as {@link failuresOf} does, then throws what failed, {@link together}. */
export async function runEach(what: string, steps: ReadonlyArray<() => unknown>): Promise<void> {
  const failures = await failuresOf(steps);
  if (failures.length > 0) throw together(failures, what);
}
